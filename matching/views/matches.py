"""A match's page, for its two people and its coordinators: confirm, pause, resume, close."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from matching import services
from matching.access import (
    get_match_for,
    match_actions,
)
from matching.forms import CloseForm
from matching.meetings import meeting_summary
from matching.models import (
    MatchStatus,
)
from matching.reasons import attach_reasons
from matching.selectors import rematch_waiting
from mentorship.web import message_error
from programs.limited import limited_first_name
from programs.models import ResourceTopic
from programs.resources import ALL_AUDIENCES, audiences_given, placed, placed_at


def _facts(match):
    """What the apps above add about the match for its coordinators (settings.MATCH_PAGE_FACTS)."""
    return [fact for path in settings.MATCH_PAGE_FACTS for fact in import_string(path)(match)]


def _places(user, match, actions):
    """The library's resources this match page shows (programs/resources.py PLACES): the safety
    rules (the agreement links them), first-meeting tips until the pair has logged a meeting that
    took place, and closure guides once the match is closed."""
    topics = [ResourceTopic.SAFETY]
    if match.status == MatchStatus.CLOSED:
        topics.append(ResourceTopic.CLOSURE)
    elif not match.checkins.filter(held=True).exists():  # evaluation's check-ins, by their relation
        topics.append(ResourceTopic.FIRST_MEETING)
    seen = audiences_given(match.program, manages=actions.manage, enrollment=match.side_of(user))
    return placed(user, match.program, *topics, audiences=seen)


@login_required
def match_detail(request, pk):
    match = get_match_for(request.user, pk)
    me = request.user
    actions = match_actions(me, match)
    context = {
        "match": match,
        "role": match.role_of(me),
        "partner": match.partner_of(me),
        "confirmed": match.confirmed_by(me),
        "actions": actions,
        "close_form": CloseForm(),
        # The next meeting and the proposals waiting for this person (matching/meetings.py).
        "meetings": meeting_summary(match, me) if actions.pair_space else None,
        "places": _places(me, match, actions),
    }
    if actions.manage:
        # The coordinator keeps their place: the program's menu, both people's records, how the
        # pair is doing and why it was made.
        attach_reasons([match])
        context.update(program=match.program, facts=_facts(match))
    return render(request, "matching/match_detail.html", context)


@login_required
@require_POST
def match_confirm(request, pk):
    match = get_match_for(request.user, pk)
    try:
        match = services.match_confirm(match=match, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        message_error(request, error)
    else:
        if match.status == MatchStatus.ACTIVE:
            messages.success(request, "You have both confirmed: your match is active.")
        else:
            messages.success(
                request, "Thank you for confirming; the match starts when your partner confirms too."
            )
    return redirect(match)


def _coordinator_move(request, pk, action, done):
    match = get_match_for(request.user, pk, manage=True)
    try:
        action(match=match, by=request.user)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, done)
    return redirect(match)


@login_required
@require_POST
def match_pause(request, pk):
    return _coordinator_move(request, pk, services.match_pause, "The match is paused.")


@login_required
@require_POST
def match_resume(request, pk):
    return _coordinator_move(request, pk, services.match_resume, "The match is active again.")


def _closed_message(match, guardian):
    """What the coordinator reads after closing: who was emailed (the guardian too when there is
    one: the same rule that sent it) and, for a mentee back in the pool, where to match them again."""
    mentee_first = limited_first_name(match.mentee)
    told = [match.mentor.user.display_name, match.mentee.user.display_name]
    if guardian is not None:
        told.append(f"{guardian.guardian_name} ({mentee_first}'s guardian)")
    text = f"The match is closed; {', '.join(told[:-1])} and {told[-1]} have been told by email."
    if match.mentee_id not in rematch_waiting(match.program):
        return text
    pool = reverse("matching:program", args=[match.program.slug]) + "#rematch"
    return format_html('{} {} is back in the pool: see <a href="{}">Matching</a>.', text, mentee_first, pool)


@login_required
def match_close(request, pk):
    match = get_match_for(request.user, pk, manage=True)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_close(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _closed_message(match, services.guardian_told(match)))
            return redirect(match)
    return render(
        request,
        "matching/match_close.html",
        {
            "match": match,
            "form": form,
            "guardian": services.guardian_told(match),
            # The guides to ending a match well, for the coordinator closing it (who sees them all).
            "closure_guides": placed_at(request.user, match.program, ResourceTopic.CLOSURE, ALL_AUDIENCES),
        },
        status=400 if form.errors else 200,
    )
