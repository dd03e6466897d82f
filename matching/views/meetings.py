"""A pair's meetings: the list with a form to propose one (and suggested times), and the answers.

Every page loads through matching.access (404 for strangers). Coordinators and staff see the
meetings; proposing and answering is the pair's (a coordinator's POST to propose or move answers
403, an answer refused by the service goes back with the reason). The rules are matching/meetings.py.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from matching import meeting_times
from matching import meetings as services
from matching.access import get_match_for, get_meeting_for, meeting_actions
from matching.meeting_forms import MeetingForm, ReasonForm, initial_from
from matching.models import MeetingStatus
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import act, form_errors, redirect_next
from programs.access import can_manage
from programs.limited import limited_first_name

PAST_SHOWN = 10
ALREADY_SENT = "That form was already sent: it is saved once."


def _meetings_url(match):
    return reverse("matching:meetings", args=[match.pk])


def suggestions_for(match, user):
    """Suggested times for ``user``'s next meeting with their partner (matching/meeting_times.py)."""
    side, partner = match.side_of(user), match.partner_of(user)
    return meeting_times.suggest(
        mine=side.user.profile.availability,
        partners=partner.user.profile.availability,
        now=timezone.localtime(),
        cadence_days=match.program.checkin_cadence_days,
        last_met=services.last_meeting_date(match),
        busy=services.planned_between(match),
    )


def _with_actions(user, meetings, match):
    meetings = list(meetings)
    for meeting in meetings:
        meeting.match = match
        meeting.actions = meeting_actions(user, meeting)
    return meetings


def _page(request, match, form, *, status=200):
    user = request.user
    participant = match.side_of(user) is not None
    now = timezone.now()
    upcoming = _with_actions(user, services.upcoming(match, now=now), match)
    earlier = services.meetings_of(match).exclude(pk__in=[m.pk for m in upcoming])
    past = list(earlier.order_by("-starts_at", "-pk")[:PAST_SHOWN])
    can_propose = participant and match.is_active
    context = {
        "match": match,
        "participant": participant,
        "partner_name": limited_first_name(match.partner_of(user)) if participant else "",
        "upcoming": upcoming,
        "past": past,
        "form": form if can_propose else None,
        "suggestions": suggestions_for(match, user) if can_propose else [],
        "program": match.program if can_manage(user, match.program) else None,
    }
    return render(request, "matching/meetings.html", context, status=status)


@login_required
def meetings(request, pk):
    """GET: the pair's meetings and, for the pair of an active match, the form to propose one
    (``?start=`` fills in a suggested time). POST: propose it."""
    match = get_match_for(request.user, pk)
    private = match.program.may_have_minors
    if request.method != "POST":
        form = MeetingForm(initial=initial_from(start=request.GET.get("start")), private=private)
        return _page(request, match, form)
    if match.side_of(request.user) is None:
        raise PermissionDenied("Only the two people in the match plan its meetings.")
    form = MeetingForm(request.POST, private=private)
    if form.is_valid():
        write = partial(services.meeting_propose, match=match, by=request.user, **form.meeting_fields())
        try:
            submit_once(form, request.user, write)
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
        except ValidationError as error:
            form_errors(form, error)
        else:
            partner = limited_first_name(match.partner_of(request.user))
            messages.success(request, f"Your proposal is sent to {partner}: you will hear when they answer.")
            return redirect(_meetings_url(match))
    return _page(request, match, form, status=400)


@login_required
@require_POST
def meeting_accept(request, pk):
    meeting = get_meeting_for(request.user, pk)
    act(
        request,
        partial(services.meeting_accept, meeting=meeting, by=request.user),
        done="Accepted: you will both get a calendar invitation by email.",
    )
    return redirect_next(request, _meetings_url(meeting.match))


@login_required
@require_POST
def meeting_decline(request, pk):
    meeting = get_meeting_for(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    act(
        request,
        partial(services.meeting_decline, meeting=meeting, by=request.user, reason=reason),
        done="Declined. You can propose another time whenever you like.",
    )
    return redirect_next(request, _meetings_url(meeting.match))


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = get_meeting_for(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    act(
        request,
        partial(services.meeting_cancel, meeting=meeting, by=request.user, reason=reason),
        done="The meeting is cancelled; your partner is told.",
    )
    return redirect_next(request, _meetings_url(meeting.match))


@login_required
def meeting_move(request, pk):
    """Propose another time for a meeting (a counter-proposal, or moving a planned one)."""
    meeting = get_meeting_for(request.user, pk)
    match = meeting.match
    if match.side_of(request.user) is None:
        raise PermissionDenied("Only the two people in the match plan its meetings.")
    if meeting.status not in services.OPEN_MEETING_STATUSES or not match.is_active:
        messages.error(request, "This meeting can no longer be moved.")
        return redirect(_meetings_url(match))
    private = match.program.may_have_minors
    if request.method == "POST":
        form = MeetingForm(request.POST, private=private)
        if form.is_valid():
            write = partial(services.meeting_move, meeting=meeting, by=request.user, **form.meeting_fields())
            try:
                submit_once(form, request.user, write)
            except AlreadySubmitted:
                messages.info(request, ALREADY_SENT)
            except ValidationError as error:
                form_errors(form, error)
            else:
                partner = limited_first_name(match.partner_of(request.user))
                messages.success(request, f"The new time is sent to {partner} to accept.")
                return redirect(_meetings_url(match))
    else:
        initial = initial_from(meeting, start=request.GET.get("start"))
        form = MeetingForm(initial=initial, private=private)
    return render(
        request,
        "matching/meeting_move.html",
        {
            "match": match,
            "meeting": meeting,
            "form": form,
            "suggestions": suggestions_for(match, request.user),
            "was_planned": meeting.status == MeetingStatus.ACCEPTED,
            "partner_name": limited_first_name(match.partner_of(request.user)),
            "back_url": _meetings_url(match),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
