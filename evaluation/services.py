"""Every write of a pair's journal: check-ins, staff contacts, goals and their notes, survey answers.

The rules, in one place (the views only translate the errors):

- Check-ins are the pair's own record: only the mentee and the mentor log them, and only while the
  match is active or paused. Paused counts because a pause is often a holiday or a difficult patch:
  meetings held just before it are logged late, and a pair that still meets while paused is news
  the coordinator wants. Proposed matches have not started and closed ones are history.
- Dates of check-ins and staff contacts lie between the start of the match and today.
- Staff contacts are logged by the program's coordinators and staff, on any match that has started
  (a closure conversation is a staff contact too).
- Goals and their notes are written by either person or a coordinator while the match is active or
  paused; a closed match's goals are kept as they were, for the reports.
- Surveys are answered once (the model's unique constraint) and only while due according to
  ``evaluation.selectors.surveys_due``, the one definition the dashboard and digest also use.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from evaluation.models import (
    CheckIn,
    CheckInMode,
    ContactMethod,
    Goal,
    GoalNote,
    GoalStatus,
    StaffContact,
    SurveyKind,
    SurveyResponse,
)
from evaluation.selectors import surveys_due
from matching.models import Match, MatchStatus, MeetingStatus
from mentorship.services import user_seen
from programs.access import can_manage

JOURNAL_STATUSES = (MatchStatus.ACTIVE, MatchStatus.PAUSED)
RATED_SURVEYS = (SurveyKind.PAIRING_FIT, SurveyKind.SATISFACTION, SurveyKind.EXIT)
SELF_ASSESSMENTS = (SurveyKind.SELF_START, SurveyKind.SELF_END)
FOLLOW_UPS = (SurveyKind.FOLLOW_UP_3, SurveyKind.FOLLOW_UP_12)


def _lock(match):
    """Lock the match row and refresh what the rules read: a coordinator closing the match at the
    same moment either goes first (and the write is refused) or waits for it."""
    status, started_on, ended_on = (
        Match.objects.select_for_update()
        .filter(pk=match.pk)
        .values_list("status", "started_on", "ended_on")
        .get()
    )
    match.status, match.started_on, match.ended_on = status, started_on, ended_on
    return match


def _check_date(value, *, match, field, today):
    if value is None:
        raise ValidationError({field: "Enter a date."})
    if value > today:
        raise ValidationError({field: "The date cannot be in the future."})
    if match.started_on and value < match.started_on:
        started = date_format(match.started_on, "j F Y")
        raise ValidationError({field: f"The match started on {started}; the date cannot be earlier."})


def _check_journal_open(match):
    if match.status not in JOURNAL_STATUSES:
        state = "has not started yet" if match.status == MatchStatus.PROPOSED else "is closed"
        raise ValidationError(f"This match {state}: its journal cannot be changed.")


def _full_clean(obj, exclude):
    # The model's validators (ranges, choices, lengths) hold for service callers as for forms.
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _clean_text(value, *, field, limit):
    # A TextField's max_length is only a form hint; the limit is a rule here.
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: f"Keep it to {limit:,} characters at most (it has {len(value):,})."})
    return value


# --- Check-ins ----------------------------------------------------------------------------------

ALREADY_LOGGED = "You have already logged this meeting: it is in the pair's journal."


def _check_meeting(meeting, *, match, by):
    """A check-in from a planned meeting: the pair's own, accepted, begun, and logged once by each
    (the constraint one_checkin_per_meeting_person; checked here under the match's lock, so a
    second log is told, not refused by the database)."""
    if meeting.match_id != match.pk:
        raise ValidationError("That meeting is not this match's.")
    if meeting.status != MeetingStatus.ACCEPTED or meeting.starts_at > timezone.now():
        raise ValidationError("That meeting has not taken place: log it once it has.")
    if CheckIn.objects.filter(meeting=meeting, logged_by=by).exists():
        raise ValidationError(ALREADY_LOGGED)


@transaction.atomic
def checkin_log(
    *,
    match,
    by,
    occurred_on,
    held=True,
    duration_minutes=None,
    mode=CheckInMode.IN_PERSON,
    notes="",
    rating=None,
    meeting=None,
):
    """Either person of an active or paused match logs a meeting (or one that was missed);
    ``meeting``: the planned meeting (matching.Meeting) this logs, once per person."""
    if match.side_of(by) is None:
        raise PermissionDenied("Only the two people in the match log its check-ins.")
    _lock(match)
    _check_journal_open(match)
    _check_date(occurred_on, match=match, field="occurred_on", today=timezone.localdate())
    if meeting is not None:
        _check_meeting(meeting, match=match, by=by)
    if not held:
        # A meeting that did not take place has no length and no rating of how it went.
        duration_minutes = rating = None
    checkin = CheckIn(
        match=match,
        logged_by=by,
        occurred_on=occurred_on,
        held=held,
        duration_minutes=duration_minutes,
        mode=mode,
        notes=_clean_text(notes, field="notes", limit=2000),
        rating=rating,
        meeting=meeting,
    )
    _full_clean(checkin, exclude=["match", "logged_by", "meeting"])
    checkin.save()
    user_seen(user=by)  # logging a check-in is activity (User.last_active)
    return checkin


# --- Staff contacts -----------------------------------------------------------------------------


@transaction.atomic
def staff_contact_log(*, match, by, contacted_on, method=ContactMethod.PHONE, notes=""):
    """A coordinator (or staff) records a support contact with a pair."""
    if not can_manage(by, match.program):
        raise PermissionDenied("Only the program's coordinators log staff contacts.")
    _lock(match)
    if match.started_on is None:
        raise ValidationError("This match has not started yet.")
    _check_date(contacted_on, match=match, field="contacted_on", today=timezone.localdate())
    notes = _clean_text(notes, field="notes", limit=2000)
    contact = StaffContact(match=match, coordinator=by, contacted_on=contacted_on, method=method, notes=notes)
    _full_clean(contact, exclude=["match", "coordinator"])
    contact.save()
    return contact


# --- Goals --------------------------------------------------------------------------------------


def _check_goal_writer(match, by):
    if match.side_of(by) is None and not can_manage(by, match.program):
        raise PermissionDenied("Only the pair and the program's coordinators change its goals.")


def _check_target_date(value):
    if value is not None and value < timezone.localdate():
        raise ValidationError({"target_date": "The target date has passed; choose today or a later date."})


@transaction.atomic
def goal_create(*, match, by, title, target_date=None):
    """Either person of the pair, or a coordinator, sets a goal."""
    _check_goal_writer(match, by)
    _lock(match)
    _check_journal_open(match)
    _check_target_date(target_date)
    goal = Goal(match=match, created_by=by, title=" ".join(title.split()), target_date=target_date)
    _full_clean(goal, exclude=["match", "created_by", "completed_at"])
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal, by, title, target_date, status, note=""):
    """Change a goal's title, target date or status, with an optional progress note.

    ``completed_at`` records when the goal became done, and is cleared if it is reopened.
    """
    match = goal.match
    _check_goal_writer(match, by)
    _lock(match)
    _check_journal_open(match)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if target_date != goal.target_date:
        _check_target_date(target_date)
    if status not in GoalStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == GoalStatus.DONE and goal.status != GoalStatus.DONE:
        goal.completed_at = timezone.now()
    elif status != GoalStatus.DONE:
        goal.completed_at = None
    goal.title, goal.target_date, goal.status = " ".join(title.split()), target_date, status
    _full_clean(goal, exclude=["match", "created_by"])
    goal.save()
    if note.strip():
        _note_add(goal, by, note)
    return goal


def _note_add(goal, by, text):
    note = GoalNote(goal=goal, author=by, text=_clean_text(text, field="note", limit=2000))
    _full_clean(note, exclude=["goal", "author"])
    note.save()
    return note


@transaction.atomic
def goal_note_add(*, goal, by, text):
    """A progress note on a goal, by either person or a coordinator."""
    _check_goal_writer(goal.match, by)
    _lock(goal.match)
    _check_journal_open(goal.match)
    if not text.strip():
        raise ValidationError({"note": "Write a note."})
    return _note_add(goal, by, text)


# --- Surveys ------------------------------------------------------------------------------------


def self_assessment_skills(*, match):
    """The skills a mentee's self-assessment asks about: the goals named in their profile.

    At closure the start's skills come first (the same questions, so that growth can be reported),
    then any goal added since. (A read; it lives beside the survey rules that use it.)
    """
    names = []
    start = (
        SurveyResponse.objects.filter(
            match=match, respondent_id=match.mentee.user_id, kind=SurveyKind.SELF_START
        )
        .values_list("answers", flat=True)
        .first()
    )
    if start:
        names.extend(start.get("skills", {}))
    current = match.mentee.user.profile.goals.order_by("name").values_list("name", flat=True)
    names.extend(name for name in current if name not in names)
    return names


def _scale(value, low, high, field, message):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({field: message})
    return value


def _survey_fields(match, kind, *, rating, nps, text, answers):
    """The stored fields of an answer of ``kind``, checked; anything the survey does not ask is dropped."""
    answers = answers or {}
    one_to_five = "Choose a number from 1 to 5."
    if kind in RATED_SURVEYS:
        fields = {
            "rating": _scale(rating, 1, 5, "rating", one_to_five),
            "nps": None,
            "text": text,
            "answers": {},
        }
        if kind == SurveyKind.EXIT:
            fields["nps"] = _scale(nps, 0, 10, "nps", "Choose a number from 0 to 10.")
        return fields
    if kind in SELF_ASSESSMENTS:
        skills = answers.get("skills") or {}
        expected = self_assessment_skills(match=match)
        if set(skills) != set(expected):
            raise ValidationError("Rate each of your goals.")
        clean = {
            "confidence": _scale(answers.get("confidence"), 1, 5, "confidence", one_to_five),
            "skills": {name: _scale(skills[name], 1, 5, "skills", one_to_five) for name in expected},
        }
        return {"rating": None, "nps": None, "text": text, "answers": clean}
    where_now = " ".join(str(answers.get("where_now", "")).split())
    if not where_now:
        raise ValidationError({"where_now": "Tell us in a few words where you are now."})
    if len(where_now) > 1000:
        raise ValidationError({"where_now": "Keep it under 1,000 characters."})
    clean = {"where_now": where_now}
    for key in ("still_in_touch", "would_mentor"):
        if not isinstance(answers.get(key), bool):
            raise ValidationError({key: "Choose yes or no."})
        clean[key] = answers[key]
    return {"rating": None, "nps": None, "text": text, "answers": clean}


ALREADY_ANSWERED = "You have already answered this survey; an answer cannot be changed."


@transaction.atomic
def survey_answer(*, match, by, kind, period=0, rating=None, nps=None, text="", answers=None):
    """Record ``by``'s answer to a due survey of ``kind`` (``period`` numbers satisfaction surveys).

    Refused if ``by`` answered it already, or if it is not due for ``by`` today.
    """
    enrollment = match.side_of(by)
    if enrollment is None:
        raise PermissionDenied("Only the two people in the match answer its surveys.")
    if kind not in SurveyKind.values:
        raise ValidationError("There is no such survey.")
    already = SurveyResponse.objects.filter(match=match, respondent=by, kind=kind, period=period)
    if already.exists():
        raise ValidationError(ALREADY_ANSWERED)
    due = surveys_due(Match.objects.filter(pk=match.pk), on=timezone.localdate(), user=by)
    if not any(d.kind == kind and d.period == period for d in due):
        raise ValidationError("This survey is not due for you.")
    text = _clean_text(text, field="text", limit=3000)
    fields = _survey_fields(match, kind, rating=rating, nps=nps, text=text, answers=answers)
    response = SurveyResponse(
        match=match, respondent=by, role=enrollment.role, kind=kind, period=period, **fields
    )
    _full_clean(response, exclude=["match", "respondent"])
    try:
        # A savepoint, so that a double submission racing this one leaves the caller's
        # transaction usable after the unique constraint refuses it.
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(ALREADY_ANSWERED) from None
    return response
