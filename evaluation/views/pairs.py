"""A pair's journal: check-ins, goals and their notes, surveys, and the coordinators' staff contacts.

Every page loads its match through ``matching.access.get_match_for``: the two people of the match,
the program's coordinators and staff see it; anyone else gets a 404. Within that, the pages a
coordinator may see but not use answer 403 (check-ins are the pair's own record), and a survey
that is not due for the viewer answers 404. The rules themselves live in ``evaluation.services``.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from evaluation import meeting_prompts, services
from evaluation.access import get_goal_for
from evaluation.forms import (
    SURVEY_INTROS,
    CheckInForm,
    GoalEditForm,
    GoalForm,
    StaffContactForm,
    SurveyForm,
)
from evaluation.models import GoalNote, StaffContact, SurveyKind, SurveyResponse, participant_title
from evaluation.selectors import staff_contacts_expected, surveys_due
from evaluation.services import JOURNAL_STATUSES, SELF_ASSESSMENTS
from matching.access import get_match_for
from matching.models import Match, MatchStatus
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import form_errors
from programs.access import can_manage, get_program_for
from programs.limited import limited_first_name
from programs.models import ResourceTopic
from programs.resources import audiences_given, placed_at


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a pair's pages, worked out once per request."""

    enrollment: object  # the viewer's side of the match, or None for a coordinator
    partner: object  # the other side, or None for a coordinator
    manages: bool  # a coordinator of the program, or staff

    @property
    def is_participant(self):
        return self.enrollment is not None

    @property
    def role(self):
        return self.enrollment.role if self.enrollment else None


# A second POST of a form that was already sent (double click, resend): nothing new is written.
ALREADY_SENT = "That form was already sent: it is saved once."


def _load(request, pk, *, manage=False):
    match = get_match_for(request.user, pk, manage=manage)
    return match, _viewer(request, match)


def _viewer(request, match):
    return Viewer(
        enrollment=match.side_of(request.user),
        partner=match.partner_of(request.user),
        manages=can_manage(request.user, match.program),
    )


def _pair_url(match):
    return reverse("evaluation:pair", args=[match.pk])


def _submit(request, form, match, write, *, done):
    """A pair's journal form, valid: ``write`` runs once (a second POST of the same form writes
    nothing and says so), then back to the pair's page saying ``done``. A refusal of the service
    goes onto the form, and None tells the view to show it again."""
    try:
        submit_once(form, request.user, write)
    except AlreadySubmitted:
        messages.info(request, ALREADY_SENT)
    except ValidationError as error:
        form_errors(form, error)
        return None
    else:
        messages.success(request, done)
    return redirect(_pair_url(match))


def _journal_closed(request, match):
    """Send people back to the journal (with the reason) when the match is not open for entries."""
    if match.status in JOURNAL_STATUSES:
        return None
    state = "has not started yet" if match.status == MatchStatus.PROPOSED else "is closed"
    messages.error(request, f"This match {state}: nothing can be added to its journal.")
    return redirect(_pair_url(match))


def _render_form(request, template, context):
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def _survey_url(match, kind, period):
    url = reverse("evaluation:survey", args=[match.pk, kind])
    return f"{url}?period={period}" if period else url


# --- The journal ---------------------------------------------------------------------------------


@login_required
def pair(request, pk):
    match, viewer = _load(request, pk)
    today = timezone.localdate()
    checkins = match.checkins.select_related("logged_by__profile")
    goals = match.goals.select_related("created_by__profile").prefetch_related(
        Prefetch("notes", queryset=GoalNote.objects.select_related("author__profile"))
    )
    open_surveys = surveys_due(Match.objects.filter(pk=match.pk), on=today)  # both sides'
    due = [
        {
            "label": participant_title(d.kind, partner=limited_first_name(viewer.partner)),
            "url": _survey_url(match, d.kind, d.period),
            "period": d.period,
            "closes_on": d.closes_on,
        }
        for d in open_surveys
        if d.respondent_id == request.user.pk
    ]
    contacts = survey_state = None
    if viewer.manages:
        survey_state = _survey_state(match, open_surveys)
        items = list(match.staff_contacts.select_related("coordinator__profile"))
        expected = (
            staff_contacts_expected(match.started_on, today) if match.status == MatchStatus.ACTIVE else 0
        )
        contacts = {"items": items, "expected": expected, "missing": max(0, expected - len(items))}
    return render(
        request,
        "evaluation/pair_detail.html",
        {
            "match": match,
            "viewer": viewer,
            "open": match.status in JOURNAL_STATUSES,
            "checkins": checkins,
            "goals": goals,
            "surveys": due,
            "survey_state": survey_state,
            "contacts": contacts,
            # "How did your meeting on ... go?": the planned meetings this person has not logged.
            "meeting_prompts": meeting_prompts.prompts(request.user, match=match)
            if viewer.is_participant
            else [],
            # The program menu (templates/_program_nav.html) for its coordinators and staff only.
            "program": match.program if viewer.manages else None,
            # The library's goal-setting guides, beside the goals (programs/resources.py PLACES).
            "goal_guides": _goal_guides(request, match, viewer),
        },
    )


def _goal_guides(request, match, viewer):
    """The library's goal-setting guides this viewer may see (programs/resources.py PLACES)."""
    seen = audiences_given(match.program, manages=viewer.manages, enrollment=viewer.enrollment)
    return placed_at(request.user, match.program, ResourceTopic.GOALS, audiences=seen)


def _survey_state(match, open_surveys):
    """For the program's coordinators: each survey of the pair that one side has answered or may
    answer now, and where each side stands on it (answered on a day, open until a day, or not),
    answers themselves not shown. Rows in the order the surveys came: answered ones by date, then
    those still open."""
    sides = (("mentor", match.mentor.user_id), ("mentee", match.mentee.user_id))
    rows = {}

    def row(kind, period):
        return rows.setdefault(
            (kind, period), {"label": SurveyKind(kind).label, "period": period, "kind": kind}
        )

    answered = match.survey_responses.order_by("submitted_at", "pk").values_list(
        "respondent_id", "kind", "period", "submitted_at"
    )
    for respondent_id, kind, period, submitted_at in answered:
        for role, user_id in sides:
            if respondent_id == user_id:
                row(kind, period)[role] = {"answered_on": timezone.localdate(submitted_at)}
    for due in open_surveys:
        row(due.kind, due.period)[due.role] = {"open_until": due.closes_on}
    for item in rows.values():
        for role, _ in sides:
            if role not in item:
                asked = role == "mentee" or item["kind"] not in SELF_ASSESSMENTS
                item[role] = {"not_asked": not asked}
    return list(rows.values())


@login_required
def checkin_new(request, pk):
    match, viewer = _load(request, pk)
    if not viewer.is_participant:
        raise PermissionDenied("Only the two people in the match log its check-ins.")
    if closed := _journal_closed(request, match):
        return closed
    # ?meeting=<id>: logging a planned meeting (evaluation/meeting_prompts.py), prefilled from it.
    meeting = meeting_prompts.meeting_of(match, request.GET.get("meeting"))
    if meeting is not None and request.method != "POST" and meeting_prompts.logged_by(meeting, request.user):
        messages.info(request, services.ALREADY_LOGGED)
        return redirect(_pair_url(match))
    initial = meeting_prompts.checkin_initial(meeting) if meeting else None
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        write = partial(
            services.checkin_log, match=match, by=request.user, meeting=meeting, **form.cleaned_data
        )
        if saved := _submit(request, form, match, write, done="Your check-in is logged."):
            return saved
    return _render_form(
        request,
        "evaluation/checkin_form.html",
        {"match": match, "viewer": viewer, "form": form, "meeting": meeting},
    )


# --- Staff contacts --------------------------------------------------------------------------------


@login_required
def contact_new(request, pk):
    match, viewer = _load(request, pk, manage=True)
    if match.started_on is None:
        messages.error(request, "This match has not started yet: there is no contact to log.")
        return redirect(_pair_url(match))
    form = StaffContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        write = partial(services.staff_contact_log, match=match, by=request.user, **form.cleaned_data)
        if saved := _submit(request, form, match, write, done="The staff contact is logged."):
            return saved
    return _render_form(
        request, "evaluation/contact_form.html", {"match": match, "viewer": viewer, "form": form}
    )


@login_required
def contacts_due(request, slug):
    """A program's active pairs that have had fewer staff contacts than the standard asks, most
    missing first, a page at a time: every active pair is classified from its start and its count
    of contacts (one query), then only the page's pairs are loaded (one more)."""
    program = get_program_for(request.user, slug, manage=True)
    today = timezone.localdate()
    counted = (
        Match.objects.filter(program=program, status=MatchStatus.ACTIVE)
        .annotate(contact_count=_CONTACT_COUNT)
        .order_by("started_on", "pk")
        .values_list("pk", "started_on", "contact_count")
    )
    due = []
    for pk, started_on, count in counted:
        expected = staff_contacts_expected(started_on, today)
        if count < expected:
            due.append((pk, expected, expected - count))
    due.sort(key=lambda row: -row[2])  # stable: the longest-running first among equals
    page = Paginator(due, CONTACTS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = (
        Match.objects.filter(pk__in=[pk for pk, _, _ in page])
        .select_related("mentee__user__profile", "mentor__user__profile")
        .annotate(contact_count=_CONTACT_COUNT, last_contact=Max("staff_contacts__contacted_on"))
        .in_bulk()
    )
    rows = [
        {"match": shown[pk], "expected": expected, "missing": missing}
        for pk, expected, missing in page
        if pk in shown  # a pair closed meanwhile is left out
    ]
    return render(
        request,
        "evaluation/contact_due_list.html",
        {"program": program, "rows": rows, "page": page, "total": len(due), "today": today},
    )


CONTACTS_PAGE_SIZE = 50
# A match's staff contacts, counted from their match index (a subquery: no GROUP BY of the pairs).
_CONTACT_COUNT = Coalesce(
    Subquery(
        StaffContact.objects.filter(match=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("n")[:1]
    ),
    0,
)


# --- Goals ---------------------------------------------------------------------------------------


@login_required
def goal_new(request, pk):
    match, viewer = _load(request, pk)
    if closed := _journal_closed(request, match):
        return closed
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        write = partial(services.goal_create, match=match, by=request.user, **form.cleaned_data)
        if saved := _submit(request, form, match, write, done="The goal is added."):
            return saved
    return _render_form(
        request,
        "evaluation/goal_form.html",
        {
            "match": match,
            "viewer": viewer,
            "form": form,
            "goal_guides": _goal_guides(request, match, viewer),
        },
    )


@login_required
def goal_edit(request, pk):
    goal = get_goal_for(request.user, pk)  # strangers get the same 404 as a missing goal
    match, viewer = goal.match, _viewer(request, goal.match)
    notes = goal.notes.select_related("author__profile")
    open_ = match.status in JOURNAL_STATUSES
    if request.method == "POST" and not open_:
        return _journal_closed(request, match)
    initial = {"title": goal.title, "target_date": goal.target_date, "status": goal.status}
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        write = partial(services.goal_update, goal=goal, by=request.user, **form.cleaned_data)
        if saved := _submit(request, form, match, write, done="The goal is updated."):
            return saved
    return _render_form(
        request,
        "evaluation/goal_edit.html",
        {"match": match, "viewer": viewer, "goal": goal, "notes": notes, "form": form, "open": open_},
    )


# --- Surveys -------------------------------------------------------------------------------------


def _period(raw):
    if raw is None:
        return None
    try:
        period = int(raw)
    except ValueError:
        raise Http404("No such survey.") from None
    if period < 0:
        raise Http404("No such survey.")
    return period


@login_required
def survey(request, pk, kind):
    match, viewer = _load(request, pk)
    if kind not in SurveyKind.values:
        raise Http404("No such survey.")
    due = [
        d
        for d in surveys_due(Match.objects.filter(pk=match.pk), on=timezone.localdate(), user=request.user)
        if d.kind == kind
    ]
    period = _period(request.GET.get("period"))
    if period is None:
        # Satisfaction surveys are numbered; a link without the number means the one due now.
        period = due[0].period if due else 0
    if (
        viewer.is_participant
        and SurveyResponse.objects.filter(
            match=match, respondent=request.user, kind=kind, period=period
        ).exists()
    ):
        messages.info(request, services.ALREADY_ANSWERED)
        return redirect(_pair_url(match))
    if not any(d.period == period for d in due):
        raise Http404("This survey is not due for you.")
    skills = services.self_assessment_skills(match=match) if kind in SELF_ASSESSMENTS else ()
    partner_role = "mentor" if viewer.role == "mentee" else "mentee"
    form = SurveyForm(request.POST or None, kind=kind, skills=skills, partner_role=partner_role)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(match=match, by=request.user, kind=kind, period=period, **form.answer())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect(_pair_url(match))
    return _render_form(
        request,
        "evaluation/survey_form.html",
        {
            "match": match,
            "viewer": viewer,
            "form": form,
            "title": participant_title(kind, partner=limited_first_name(viewer.partner)),
            "intro": SURVEY_INTROS[kind],
            "period": period,
        },
    )


urlpatterns = [
    path("matches/<int:pk>/journal/", pair, name="pair"),
    path("matches/<int:pk>/checkins/new/", checkin_new, name="checkin_new"),
    path("matches/<int:pk>/contacts/new/", contact_new, name="contact_new"),
    path("programs/<slug:slug>/contacts/", contacts_due, name="contacts_due"),
    path("matches/<int:pk>/goals/new/", goal_new, name="goal_new"),
    path("goals/<int:pk>/", goal_edit, name="goal_edit"),
    path("matches/<int:pk>/surveys/<slug:kind>/", survey, name="survey"),
]
