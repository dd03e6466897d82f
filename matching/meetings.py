"""Meetings a pair plans: every write (propose, accept, decline, move, cancel) and the reads.

The rules, in one place (views only translate the refusals):

- Meetings are the pair's own: only the mentee and the mentor propose and answer them. Coordinators
  see them (match page, meetings page, matches list) but do not plan for the pair.
- New times (propose, accept, move) only while the match is active; declining and cancelling are
  always possible, since they only take something out of the pair's calendars.
- The partner of whoever proposed the current time accepts or declines it; either side may move a
  meeting (a counter-proposal: the same meeting at a new time, proposed by the mover, waiting
  for the other's answer) or cancel it. Which status may follow which is MEETING_TRANSITIONS.
- A time is in the future, at most a year ahead, 15 minutes to 8 hours long; a video link is an
  http(s) address.
- Every change that reaches calendars raises ``sequence``; once the pair has an invitation
  (``invited``), a move sends an update (same UID, STATUS:TENTATIVE until re-accepted), an
  acceptance a confirmed one and a cancellation or refusal a METHOD:CANCEL
  (matching/meeting_calendar.py).
- Emails name people by first name only; in a program that may have minors they carry no free
  text (the note, a reason): only when, how long, how and where.

Each write locks the match row, then the meeting row, so a coordinator closing the match and two
clicks on the same answer are taken one after the other.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from matching import meeting_calendar
from matching.access import meeting_actions
from matching.models import Match, MatchStatus, Meeting, MeetingMode, MeetingStatus
from matching.selectors import in_pair
from mentorship.services import email_queue
from programs.limited import limited_first_name

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
MAX_AHEAD = dt.timedelta(days=366)
PLACE_LIMIT, NOTE_LIMIT, REASON_LIMIT = 300, 500, 500
OPEN_MEETING_STATUSES = (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)

# --- Checks -------------------------------------------------------------------------------------


def _side(match, by):
    if match.side_of(by) is None:
        raise PermissionDenied("Only the two people in the match plan its meetings.")


def _lock(match, meeting=None):
    """Lock the match (and the meeting) and refresh what the rules read."""
    match.status = (
        Match.objects.select_for_update().filter(pk=match.pk).values_list("status", flat=True).get()
    )
    if meeting is None:
        return None
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fresh.match = match
    return fresh


def _check_active(match):
    if match.status != MatchStatus.ACTIVE:
        state = {MatchStatus.PROPOSED: "has not started yet", MatchStatus.PAUSED: "is paused"}.get(
            match.status, "is closed"
        )
        raise ValidationError(f"This match {state}: meetings are planned only while it is active.")


def _check_can_become(meeting, status):
    if not meeting.can_become(status):
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: that is no longer possible."
        )


def clean_time(starts_at, duration_minutes, *, now, what="meeting"):
    """The one rule for a planned time (a pair's meeting, a group's session): in the future, within
    a year, from 15 minutes to 8 hours long."""
    if starts_at is None:
        raise ValidationError({"starts_at": "Choose a date and a time."})
    if starts_at <= now:
        raise ValidationError({"starts_at": "That time has passed: choose a date and time in the future."})
    if starts_at > now + MAX_AHEAD:
        raise ValidationError({"starts_at": f"Plan {what}s up to a year ahead."})
    if duration_minutes is None or not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            {"duration_minutes": f"A {what} lasts from {MIN_MINUTES} minutes to {MAX_MINUTES // 60} hours."}
        )


def _clean_text(value, *, field, limit):
    value = " ".join((value or "").split()) if field == "place" else (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: f"Keep it to {limit} characters at most (it has {len(value)})."})
    return value


def _clean_place(mode, place):
    if mode not in MeetingMode.values:
        raise ValidationError({"mode": "Choose how you will meet."})
    place = _clean_text(place, field="place", limit=PLACE_LIMIT)
    if mode == MeetingMode.VIDEO and place:
        try:
            URLValidator(schemes=["http", "https"])(place)
        except ValidationError:
            raise ValidationError(
                {"place": "A video link is a web address starting with https:// (or http://)."}
            ) from None
    return place


# --- Emails -------------------------------------------------------------------------------------


def _people(match):
    """(user, enrollment, partner enrollment) for both of the pair."""
    return ((match.mentee.user, match.mentee, match.mentor), (match.mentor.user, match.mentor, match.mentee))


def _tell(meeting, template, *, by, to_actor=False, calendar="", reason=""):
    """Email the partner of ``by`` (and ``by`` too with ``to_actor``: their calendar needs the
    update), first names only; free text (note, reason) stays out in a youth program."""
    match = meeting.match
    private = match.program.may_have_minors
    for user, side, partner in _people(match):
        is_actor = user.pk == by.pk
        if is_actor and not to_actor:
            continue
        email_queue(
            to=user.email,
            template=template,
            context={
                "meeting": meeting,
                "program": match.program,
                "name": limited_first_name(side),
                "partner_name": limited_first_name(partner),
                "is_actor": is_actor,
                "note": "" if private else meeting.note,
                "reason": "" if private else reason,
                "meetings_url": meeting_calendar.meetings_url(match),
            },
            topic=f"meeting:{meeting.pk}:{meeting.sequence}",
            calendar=calendar,
        )


def _save(meeting, *fields):
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["sequence", "updated_at", *fields])


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_propose(
    *, match, by, starts_at, duration_minutes=60, mode=MeetingMode.IN_PERSON, place="", note=""
):
    """One of the pair proposes a meeting; the partner is emailed to answer it."""
    _side(match, by)
    _lock(match)
    _check_active(match)
    now = timezone.now()
    clean_time(starts_at, duration_minutes, now=now)
    meeting = Meeting.objects.create(
        match=match,
        proposed_by=by,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=_clean_place(mode, place),
        note=_clean_text(note, field="note", limit=NOTE_LIMIT),
        created_at=now,
        updated_at=now,
    )
    _tell(meeting, "meeting_proposed", by=by)
    return meeting


@transaction.atomic
def meeting_accept(*, meeting, by):
    """The partner of the proposer accepts: both get the invitation (or its confirmed update)."""
    match = meeting.match
    _side(match, by)
    meeting = _lock(match, meeting)
    _check_active(match)
    _check_can_become(meeting, MeetingStatus.ACCEPTED)
    if meeting.proposed_by_id == by.pk:
        raise PermissionDenied("You proposed this time: it is for your partner to accept it.")
    if meeting.starts_at <= timezone.now():
        raise ValidationError("This time has passed: propose another one.")
    meeting.status = MeetingStatus.ACCEPTED
    meeting.invited = True
    _save(meeting, "status", "invited")
    calendar = meeting_calendar.invitation(meeting, method="REQUEST")
    _tell(meeting, "meeting_accepted", by=by, to_actor=True, calendar=calendar)
    return meeting


@transaction.atomic
def meeting_decline(*, meeting, by, reason=""):
    """The partner of the proposer says no to this time. A meeting already in calendars (moved
    after it was accepted) is taken out of them."""
    match = meeting.match
    _side(match, by)
    meeting = _lock(match, meeting)
    _check_can_become(meeting, MeetingStatus.DECLINED)
    if meeting.proposed_by_id == by.pk:
        raise PermissionDenied("You proposed this time: cancel it instead if it no longer suits you.")
    reason = _clean_text(reason, field="reason", limit=REASON_LIMIT)
    meeting.status = MeetingStatus.DECLINED
    _save(meeting, "status")
    calendar = meeting_calendar.invitation(meeting, method="CANCEL") if meeting.invited else ""
    _tell(meeting, "meeting_declined", by=by, to_actor=bool(calendar), calendar=calendar, reason=reason)
    return meeting


@transaction.atomic
def meeting_move(*, meeting, by, starts_at, duration_minutes=None, mode=None, place=None, note=None):
    """Either side proposes another time (and may change the rest): the same meeting, proposed by
    the mover, waiting for the other's answer. Calendars that hold it get an update."""
    match = meeting.match
    _side(match, by)
    meeting = _lock(match, meeting)
    _check_active(match)
    _check_can_become(meeting, MeetingStatus.PROPOSED)
    duration_minutes = meeting.duration_minutes if duration_minutes is None else duration_minutes
    clean_time(starts_at, duration_minutes, now=timezone.now())
    mode = meeting.mode if mode is None else mode
    meeting.place = _clean_place(mode, meeting.place if place is None else place)
    if note is not None:
        meeting.note = _clean_text(note, field="note", limit=NOTE_LIMIT)
    meeting.mode, meeting.starts_at, meeting.duration_minutes = mode, starts_at, duration_minutes
    meeting.status = MeetingStatus.PROPOSED
    meeting.proposed_by = by
    _save(meeting, "status", "proposed_by", "starts_at", "duration_minutes", "mode", "place", "note")
    calendar = meeting_calendar.invitation(meeting, method="REQUEST") if meeting.invited else ""
    _tell(meeting, "meeting_moved", by=by, to_actor=bool(calendar), calendar=calendar)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting, by, reason=""):
    """Either side calls off a proposed or planned meeting; calendars that hold it drop it."""
    match = meeting.match
    _side(match, by)
    meeting = _lock(match, meeting)
    _check_can_become(meeting, MeetingStatus.CANCELLED)
    reason = _clean_text(reason, field="reason", limit=REASON_LIMIT)
    meeting.status = MeetingStatus.CANCELLED
    _save(meeting, "status")
    calendar = meeting_calendar.invitation(meeting, method="CANCEL") if meeting.invited else ""
    _tell(meeting, "meeting_cancelled", by=by, to_actor=bool(calendar), calendar=calendar, reason=reason)
    return meeting


def meetings_call_off(*, match, by):
    """The match closed (matching.services.match_close, in its transaction): its meetings still to
    come are cancelled. Those in the pair's calendars get the cancellation (same UID, higher
    SEQUENCE), so nobody turns up to a meeting of a pair that has ended; the closure email says the
    rest."""
    now = timezone.now()
    for meeting in Meeting.objects.select_for_update().filter(
        match=match, status__in=OPEN_MEETING_STATUSES, starts_at__gt=now
    ):
        meeting.match = match
        meeting.status = MeetingStatus.CANCELLED
        _save(meeting, "status")
        if meeting.invited:
            calendar = meeting_calendar.invitation(meeting, method="CANCEL")
            _tell(meeting, "meeting_called_off", by=by, to_actor=True, calendar=calendar)


# --- Reads --------------------------------------------------------------------------------------


def _ends_at():
    return ExpressionWrapper(
        F("starts_at") + F("duration_minutes") * dt.timedelta(minutes=1), output_field=DateTimeField()
    )


def first_open_meetings(match_ids, *, now=None):
    """{match id: the start of its earliest meeting that is planned, or proposed and still to come}
    for the pairs ``match_ids``, in one query (the first-meeting step of the next steps)."""
    now = now or timezone.now()
    rows = (
        Meeting.objects.filter(match_id__in=match_ids)
        .filter(Q(status=MeetingStatus.ACCEPTED) | Q(status=MeetingStatus.PROPOSED, starts_at__gt=now))
        .values("match_id")
        .annotate(first=Min("starts_at"))
        .values_list("match_id", "first")
    )
    return dict(rows)


def meetings_of(match):
    """A match's meetings, with what the pages show about them loaded."""
    return (
        Meeting.objects.filter(match=match).select_related("proposed_by__profile").order_by("starts_at", "pk")
    )


def upcoming(match, *, now=None):
    """Proposed and planned meetings that have not ended, soonest first."""
    now = now or timezone.now()
    return (
        meetings_of(match)
        .filter(status__in=OPEN_MEETING_STATUSES)
        .alias(ending=_ends_at())
        .filter(ending__gt=now)
    )


def ended_planned(meetings, *, now=None):
    """Of ``meetings`` (a queryset), the accepted ones that have ended: those to log as check-ins."""
    now = now or timezone.now()
    return meetings.filter(status=MeetingStatus.ACCEPTED).alias(ending=_ends_at()).filter(ending__lte=now)


def last_meeting_date(match):
    """The day of the pair's latest planned meeting, past or coming (None if none): suggestions
    count the cadence from it."""
    latest = Meeting.objects.filter(match=match, status=MeetingStatus.ACCEPTED).order_by("-starts_at").first()
    return timezone.localdate(latest.starts_at) if latest else None


def with_meeting_dates(matches, *, now=None):
    """``matches`` annotated, in the same query, with ``next_meeting_at`` (the start of the next
    planned meeting) and ``last_meeting_at`` (the start of the last planned meeting that has begun:
    "the last one held" on the coordinators' list, the one definition of it)."""
    now = now or timezone.now()
    planned = Meeting.objects.filter(match=OuterRef("pk"), status=MeetingStatus.ACCEPTED)
    return matches.annotate(
        next_meeting_at=Subquery(
            planned.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
        ),
        last_meeting_at=Subquery(
            planned.filter(starts_at__lt=now).order_by("-starts_at").values("starts_at")[:1]
        ),
    )


@dataclass(frozen=True)
class MeetingSummary:
    """What the match page shows ``user`` about the pair's meetings."""

    next_planned: Meeting | None
    awaiting_me: list  # proposals waiting for user's answer
    awaiting_partner: list  # user's own proposals, waiting for the partner


def meeting_summary(match, user, *, now=None):
    """One query: the match's open meetings that have not ended, each with what ``user`` may do
    with it (``actions``)."""
    meetings = list(upcoming(match, now=now))
    for meeting in meetings:
        meeting.match = match
        meeting.actions = meeting_actions(user, meeting)
    planned = [m for m in meetings if m.is_planned]
    user_id = getattr(user, "pk", None)
    return MeetingSummary(
        next_planned=planned[0] if planned else None,
        awaiting_me=[m for m in meetings if m.awaits_answer_from(user)],
        awaiting_partner=[m for m in meetings if m.is_proposed and m.proposed_by_id == user_id],
    )


def planned_between(match):
    """(start, end) of the pair's open meetings still to come: suggestions avoid them."""
    return [(m.starts_at, m.ends_at) for m in upcoming(match)]


def meetings_visible_to(user):
    """Meetings of the user's own matches (either side): the feed and the dashboard."""
    return Meeting.objects.filter(in_pair(user, "match__"))
