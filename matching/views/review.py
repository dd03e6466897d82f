"""The coordinator's matching page: runs, suggestions to accept or decline, manual matches,
the program's list of matches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching import runs as matching_runs
from matching import selectors, services
from matching.access import (
    get_program_enrollment,
    get_run_for,
    get_suggestion_for,
)
from matching.forms import AcceptAboveForm, ManualMatchForm
from matching.meetings import with_meeting_dates
from matching.models import (
    OPEN_MATCH_STATUSES,
    Match,
    MatchRequest,
    MatchSource,
    MatchStatus,
    MatchSuggestion,
    RequestStatus,
    SuggestionStatus,
)
from matching.reasons import attach_reasons, pair_reasons
from mentorship.web import act, message_error, redirect_next
from programs.access import get_program_for
from programs.models import Role

MATCHES_PAGE = 25  # rows on a page of the program's matches
LIST_PAGE = 25  # rows on a page of each of the matching page's long lists
SUGGESTIONS_PAGE = 25  # suggestions on a page of the matching page
MANUAL_LIST_LIMIT = 1000  # approved people above which the form to match by hand waits to be asked for


def _back(program, anchor=""):
    return redirect(reverse("matching:program", args=[program.slug]) + anchor)


def _paged(request, items, param, size=None):
    """A page of one of the matching page's lists (``?<param>=N``), and the rest of the URL's query."""
    page = Paginator(items, size or LIST_PAGE).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


def _mentor_load(request, program):
    """A page of the approved mentors, by name, each with their open matches: the page's ids first,
    then only those mentors' matches counted."""
    mentors = program.enrollments.filter(role=Role.MENTOR, status="approved")
    page, query = _paged(
        request, mentors.order_by("user__profile__display_name", "pk").values_list("pk", flat=True), "mentors"
    )
    rows = (
        mentors.select_related("user__profile", "program")  # effective_capacity reads the program
        .annotate(
            open_matches=Count(
                "matches_as_mentor", filter=Q(matches_as_mentor__status__in=OPEN_MATCH_STATUSES)
            )
        )
        .in_bulk(list(page.object_list))
    )
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page, query


@login_required
def program_matching(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    runs = list(program.match_runs.select_related("started_by")[:5])
    latest = runs[0] if runs else None
    last_done = next((r for r in runs if r.status == "done"), None)
    # The pending suggestions, best first, a page at a time: every score is read (one narrow
    # query) for the count and for "accept these" (static/js/matching.js counts them as the
    # score changes); the page's rows with the people and the reasons.
    pending = MatchSuggestion.objects.filter(program=program, status=SuggestionStatus.PENDING)
    ranked = list(pending.order_by("-score", "pk").values_list("pk", "score"))
    suggestions_page, suggestions_query = _paged(request, ranked, "suggestions", SUGGESTIONS_PAGE)
    rows = pending.select_related("mentee__user__profile", "mentor__user__profile").in_bulk(
        [pk for pk, _ in suggestions_page.object_list]
    )
    suggestions = attach_reasons(rows[pk] for pk, _ in suggestions_page.object_list if pk in rows)
    suggestions_page.object_list = suggestions
    # The lists that grow with the program (the last run's unmatched mentees, those back in the
    # pool, the mentors' load) come a page at a time, each with its own page number in the URL.
    unmatched, unmatched_query = _paged(
        request,
        last_done.unmatched.select_related("mentee__user__profile").order_by("pk") if last_done else [],
        "unmatched",
    )
    rematch = selectors.rematch_waiting(program)
    for row in suggestions + list(unmatched):
        row.rematch_closed_on = rematch.get(row.mentee_id)
    rematch_page, rematch_query = _paged(
        request, sorted(rematch.items(), key=lambda item: (item[1], item[0])), "rematch"
    )
    rematch_mentees = program.enrollments.select_related("user__profile").in_bulk(
        [pk for pk, _ in rematch_page.object_list]
    )
    rematch_page.object_list = [
        {"mentee": rematch_mentees[pk], "closed_on": closed_on}
        for pk, closed_on in rematch_page.object_list
        if pk in rematch_mentees
    ]
    mentor_load, mentor_load_query = _mentor_load(request, program)
    accept_form = AcceptAboveForm()
    threshold = accept_form.fields["min_score"].initial
    pending_requests = MatchRequest.objects.filter(
        program=program, status=RequestStatus.PENDING
    ).select_related("mentee__user", "mentor__user")
    return render(
        request,
        "matching/program_matching.html",
        {
            "program": program,
            "latest": latest,
            "runs": runs,
            "suggestions": suggestions,
            "suggestions_page": suggestions_page,
            "suggestions_query": suggestions_query,
            "scores": " ".join(f"{score:.4f}" for _, score in ranked),
            "unmatched": unmatched,
            "unmatched_query": unmatched_query,
            "rematch": rematch_page,
            "rematch_query": rematch_query,
            "mentor_load": mentor_load,
            "mentor_load_query": mentor_load_query,
            "pending_requests": pending_requests,
            "accept_form": accept_form,
            "accept_above_confirm": accept_above_confirm(
                sum(1 for _, score in ranked if score >= threshold), threshold
            ),
            "manual_form": _manual_form(request, program),
        },
    )


def _manual_form(request, program):
    """The form to match by hand: its two lists hold every approved mentee and mentor. In a big
    program (more than MANUAL_LIST_LIMIT of them) they are written only when asked for
    (``?manual=1``): thousands of names, most visits don't need them (a mentee's page of mentors,
    linked from each list here, matches them too). None: not asked for."""
    if request.GET.get("manual") or (
        program.enrollments.filter(status="approved", role__in=[Role.MENTEE, Role.MENTOR]).count()
        <= MANUAL_LIST_LIMIT
    ):
        return ManualMatchForm(program=program)
    return None


def accept_above_confirm(count, threshold):
    """What the "accept these" button asks first (static/js/matching.js rewrites it as the score
    changes, with the same words)."""
    return (
        f"Accept all {count} suggestion{'s' if count != 1 else ''} scoring {threshold} or more? "
        "Each pair becomes a match and both people are emailed an introduction."
    )


@login_required
@require_POST
def run_start(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    act(
        request,
        lambda: matching_runs.run_start(program=program, by=request.user),
        done="Matching has started; this page shows its progress.",
    )
    return _back(program)


@login_required
@require_POST
def run_cancel(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    run = get_run_for(program, pk)
    act(
        request,
        lambda: matching_runs.run_cancel(run=run, by=request.user),
        done="The run is cancelled; you can start a new one.",
    )
    return _back(program)


@login_required
@never_cache
def run_progress(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    run = get_run_for(program, pk)
    return JsonResponse(
        {"status": run.status, "progress": run.progress, "note": run.progress_note, "active": run.is_active}
    )


@login_required
@require_POST
def suggestion_accept(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    suggestion = get_suggestion_for(program, pk)
    try:
        services.suggestion_accept(suggestion=suggestion, by=request.user)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(
            request,
            f"{suggestion.mentor.user.display_name} and {suggestion.mentee.user.display_name} are matched; "
            "both have been told and asked to confirm.",
        )
    return _back(program, "#suggestions")


@login_required
@require_POST
def suggestion_decline(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    suggestion = get_suggestion_for(program, pk)
    act(
        request,
        lambda: services.suggestion_decline(suggestion=suggestion, by=request.user),
        done="Suggestion declined; that pair will not be suggested again.",
    )
    return _back(program, "#suggestions")


@login_required
@require_POST
def accept_above(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = AcceptAboveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a score from 0 to 100.")
        return _back(program, "#suggestions")
    accepted, skipped = services.suggestions_accept_above(
        program=program, min_score=form.cleaned_data["min_score"], by=request.user
    )
    messages.success(request, f"Accepted {len(accepted)} suggestion{'s' if len(accepted) != 1 else ''}.")
    for suggestion, reason in skipped:
        messages.warning(request, f"Skipped {suggestion.mentee.user.display_name}: {reason}")
    return _back(program, "#suggestions")


@login_required
def mentee_options(request, slug, pk):
    """Pick another mentor for a mentee: the compatible mentors ranked, with scores and reasons."""
    program = get_program_for(request.user, slug, manage=True)
    mentee = get_program_enrollment(program, pk, role=Role.MENTEE)
    ranked = services.mentor_options(mentee=mentee, limit=15)
    reasons = pair_reasons([(mentee, mentor) for mentor, _, _ in ranked])
    options = [
        {"mentor": mentor, "score": score, "breakdown": breakdown, "reasons": why}
        for (mentor, score, breakdown), why in zip(ranked, reasons, strict=True)
    ]
    return render(
        request,
        "matching/mentee_options.html",
        {
            "program": program,
            "mentee": mentee,
            "options": options,
            "rematch_closed_on": selectors.rematch_waiting(program).get(mentee.pk),
        },
    )


@login_required
@require_POST
def manual_match(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ManualMatchForm(request.POST, program=program)
    if form.is_valid():
        try:
            match = services.match_propose(
                program=program,
                mentee=form.cleaned_data["mentee"],
                mentor=form.cleaned_data["mentor"],
                by=request.user,
                source=MatchSource.MANUAL,
            )
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(
                request, f"Matched {match.mentor.user.display_name} with {match.mentee.user.display_name}."
            )
    else:
        messages.error(request, "Choose a mentee and a mentor from the lists.")
    return redirect_next(request, reverse("matching:program", args=[slug]))


@login_required
def program_matches(request, slug):
    """The program's matches, newest first, a page at a time (the status filter kept across pages)."""
    program = get_program_for(request.user, slug, manage=True)
    status = request.GET.get("status", "")
    matches = Match.objects.filter(program=program)
    if status in MatchStatus.values:
        matches = matches.filter(status=status)
    # The page's ids first (the matches alone, sorted), then those rows with both people and each
    # pair's next planned meeting and the last one held: joined and sorted together, PostgreSQL
    # reads every match of the program with its people for each page.
    page = Paginator(matches.values_list("pk", flat=True), MATCHES_PAGE).get_page(request.GET.get("page"))
    rows = with_meeting_dates(
        Match.objects.select_related("mentee__user__profile", "mentor__user__profile")
    ).in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    for match in page.object_list:
        # A proposed match waits for these people to confirm the match agreement.
        match.waiting_for = [
            side.user.display_name
            for side in (match.mentor, match.mentee)
            if match.awaits_confirmation_from(side.user)
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/program_matches.html",
        {
            "program": program,
            "page": page,
            "matches": page.object_list,
            "status": status,
            "statuses": MatchStatus.choices,
            "query": query.urlencode(),
        },
    )
