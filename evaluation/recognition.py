"""Recognition: hours mentored, milestones, thank-you notes.

Hours mentored (one rule, for the certificate of service, the volunteer-hours statement and the
milestones): a mentor enrollment's held check-ins of its matches, each pair's day counted once at
its longest logged length (both people may log the same meeting; a check-in with no length adds
no hours, but it is a meeting), plus the held group sessions it led (a group's mentor or a circle's
facilitator), each at the session's length, up to the day the leader left the group. ``MEETINGS``
is that rule in SQL; everything here reads it.

Milestones are computed from the data, never stored: the first meeting, 3, 6 and 12 months of a
mentoring relationship (a match, or a place in a group, from its start while it lasts), hours
mentored (10, 25, 50, 100), events attended (1, 5, 10), and a former mentee becoming a mentor.
``milestones_for`` reads a person's in a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from evaluation.kpis import add_months
from evaluation.models import CheckIn, ThankYou
from matching.models import GroupAttendance, GroupMember, GroupSession, Match, MatchStatus, MemberRole
from matching.models.groups import GroupStatus
from mentorship.services import audit_record
from programs.models import Enrollment, EnrollmentStatus, Role
from programs.models.events import EventStatus, Rsvp

MONTHS = (3, 6, 12)
HOURS = (10, 25, 50, 100)
EVENTS = (1, 5, 10)
OPEN_MATCH = (MatchStatus.ACTIVE, MatchStatus.PAUSED)


def _meetings_sql():
    """The meetings of the enrollments %(ids)s: rows (enrollment_id, day, minutes, mentoring).
    ``mentoring``: the enrollment gave the time (the pair's mentor, the session's leader); its
    ``minutes`` are hours mentored. A mentee's check-ins and the sessions someone attended are
    meetings too (the first meeting), with no minutes."""
    checkin, match = CheckIn._meta.db_table, Match._meta.db_table
    session, member = GroupSession._meta.db_table, GroupMember._meta.db_table
    attendance = GroupAttendance._meta.db_table
    day = "(s.starts_at AT TIME ZONE %(tz)s)::date"
    return f"""
        SELECT m.mentor_id AS enrollment_id, c.occurred_on AS day,
               COALESCE(MAX(c.duration_minutes), 0) AS minutes, TRUE AS mentoring
          FROM {checkin} c JOIN {match} m ON m.id = c.match_id
         WHERE c.held AND m.mentor_id = ANY(%(ids)s)
         GROUP BY m.mentor_id, c.match_id, c.occurred_on
        UNION ALL
        SELECT m.mentee_id, c.occurred_on, 0, FALSE
          FROM {checkin} c JOIN {match} m ON m.id = c.match_id
         WHERE c.held AND m.mentee_id = ANY(%(ids)s)
         GROUP BY m.mentee_id, c.match_id, c.occurred_on
        UNION ALL
        SELECT gm.enrollment_id, {day}, s.duration_minutes, TRUE
          FROM {session} s JOIN {member} gm ON gm.group_id = s.group_id
         WHERE s.held AND s.status <> 'cancelled' AND gm.role = '{MemberRole.LEADER}'
           AND gm.enrollment_id = ANY(%(ids)s) AND (gm.left_on IS NULL OR {day} <= gm.left_on)
        UNION ALL
        SELECT a.enrollment_id, {day}, 0, FALSE
          FROM {attendance} a JOIN {session} s ON s.id = a.session_id
         WHERE a.present AND s.status <> 'cancelled' AND a.enrollment_id = ANY(%(ids)s)
    """  # noqa: S608 - table names from the models, values as parameters


def _tz():
    return timezone.get_current_timezone_name()


def meetings(enrollment_ids):
    """[(enrollment_id, day, minutes, mentoring)] of ``enrollment_ids``, by day: one query."""
    sql = f"SELECT * FROM ({_meetings_sql()}) AS meetings ORDER BY day"  # noqa: S608 - the rule's SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(enrollment_ids), "tz": _tz()})
        return cursor.fetchall()


@dataclass(frozen=True)
class Hours:
    """A mentor enrollment's hours mentored: all time and in a period (minutes), and its first and
    last mentoring meetings."""

    minutes: int = 0
    period_minutes: int = 0
    first_meeting: dt.date | None = None
    last_meeting: dt.date | None = None

    @property
    def hours(self):
        return round(self.minutes / 60, 1)

    @property
    def period_hours(self):
        return round(self.period_minutes / 60, 1)


def hours_mentored(enrollment_ids, *, start=None, end=None):
    """{enrollment id: Hours} of ``enrollment_ids`` (those with no meeting get an empty Hours);
    ``start``/``end`` bound the period's minutes. One query, whatever the number."""
    ids = list(enrollment_ids)
    sql = f"""
        SELECT enrollment_id, SUM(minutes),
               COALESCE(SUM(minutes) FILTER (WHERE day BETWEEN %(start)s AND %(end)s), 0),
               MIN(day), MAX(day)
          FROM ({_meetings_sql()}) AS meetings
         WHERE mentoring GROUP BY enrollment_id
    """  # noqa: S608 - the rule's SQL
    params = {"ids": ids, "tz": _tz(), "start": start or dt.date.min, "end": end or dt.date.max}
    found = {}
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = {row[0]: Hours(int(row[1]), int(row[2]), row[3], row[4]) for row in cursor.fetchall()}
    return {pk: found.get(pk, Hours()) for pk in ids}


def period_minutes(enrollment_ids, *, start, end):
    """{enrollment id: minutes mentored from ``start`` to ``end``} of ``enrollment_ids`` that have
    any (the period column of ``hours_mentored``): one query, reading the period's meetings only."""
    ids = list(enrollment_ids)
    sql = f"""
        SELECT enrollment_id, SUM(minutes) FROM ({_meetings_sql()}) AS meetings
         WHERE mentoring AND day BETWEEN %(start)s AND %(end)s GROUP BY enrollment_id
    """  # noqa: S608 - the rule's SQL
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids, "tz": _tz(), "start": start, "end": end})
        return {pk: int(minutes) for pk, minutes in cursor.fetchall()}


@dataclass(frozen=True)
class Service:
    """When a mentor enrollment served: from its first match's (or led group's) start to the end
    of the last, ``ended`` None while one goes on."""

    started: dt.date | None = None
    ended: dt.date | None = None


def service_periods(enrollment_ids):
    """{enrollment id: Service} of ``enrollment_ids``: two queries (matches, led groups)."""
    ids = list(enrollment_ids)
    starts, ends, ongoing = {}, {}, set()
    pairs = (
        Match.objects.filter(mentor_id__in=ids, started_on__isnull=False)
        .values("mentor_id")
        .annotate(
            first=Min("started_on"), last=Max("ended_on"), open=Count("pk", filter=Q(status__in=OPEN_MATCH))
        )
        .values_list("mentor_id", "first", "last", "open")
    )
    led = (
        GroupMember.objects.filter(
            enrollment_id__in=ids, role=MemberRole.LEADER, group__started_on__isnull=False
        )
        .values("enrollment_id")
        .annotate(
            first=Min(Greatest("joined_on", "group__started_on")),
            last=Max("left_on"),
            open=Count("pk", filter=Q(left_on__isnull=True) & ~Q(group__status=GroupStatus.CLOSED)),
        )
        .values_list("enrollment_id", "first", "last", "open")
    )
    for rows in (pairs, led):
        for pk, first, last, still in rows:
            starts[pk] = min(filter(None, (starts.get(pk), first)))
            if last:
                ends[pk] = max(filter(None, (ends.get(pk), last)))
            if still:
                ongoing.add(pk)
    return {pk: Service(starts.get(pk), None if pk in ongoing else ends.get(pk)) for pk in ids}


def mentoring_enrollments(programs):
    """The enrollments of ``programs`` that mentor: a mentor with a match that started, or the
    leader of a group (a group's mentor, a circle's facilitator)."""
    started = Match.objects.filter(mentor=OuterRef("pk"), started_on__isnull=False)
    leads = GroupMember.objects.filter(enrollment=OuterRef("pk"), role=MemberRole.LEADER)
    return Enrollment.objects.filter(program__in=programs).filter(
        (Q(role=Role.MENTOR) & Exists(started)) | Exists(leads)
    )


def mentors(enrollment):
    """Whether ``enrollment`` mentors (see mentoring_enrollments): one query."""
    return mentoring_enrollments([enrollment.program_id]).filter(pk=enrollment.pk).exists()


# --- Milestones -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    text: str
    reached_on: dt.date | None = None  # None: the next one, not reached yet
    to_go: str = ""  # the next one: how far it is ("12.5 hours to go", "on 3 March 2027")


def _months_reached(spans, months, today):
    """The first day any one relationship (start, end or None) lasted ``months``."""
    days = []
    for start, end in spans:
        day = add_months(start, months)
        if day <= min(end or today, today):
            days.append(day)
    return min(days, default=None)


def _months_next(spans, months, today):
    """When an ongoing relationship reaches ``months``."""
    days = (add_months(start, months) for start, end in spans if end is None)
    return min((day for day in days if day > today), default=None)


def _relationships(user):
    """The spans (start, end or None) of the person's matches and group places, and the ids of
    the mentor enrollments among those matches: two queries."""
    pairs = (
        Match.objects.filter(Q(mentor__user=user) | Q(mentee__user=user), started_on__isnull=False)
        .exclude(status=MatchStatus.PROPOSED)
        .values_list("started_on", "ended_on", "mentor_id")
    )
    spans, mentored = [], set()
    for start, end, mentor_id in pairs:
        spans.append((start, end))
        mentored.add(mentor_id)
    places = GroupMember.objects.filter(enrollment__user=user, group__started_on__isnull=False).values_list(
        "joined_on", "group__started_on", "left_on", "group__status", "group__closed_at"
    )
    for joined, started, left, status, closed_at in places:
        end = left or (timezone.localdate(closed_at) if status == GroupStatus.CLOSED and closed_at else None)
        spans.append((max(joined, started), end))
    return spans, mentored


def milestones_for(user, *, today=None):
    """The person's milestones: {"reached": [Milestone] (latest first), "next": Milestone or None,
    "mentor_enrollments": [their enrollments that mentor, with .hours and .has_met],
    "has_relationship": a match or a group place has begun}. Six queries."""
    today = today or timezone.localdate()
    enrollments = list(Enrollment.objects.filter(user=user).select_related("program").order_by("created_at"))
    if not enrollments:
        return {"reached": [], "next": None, "mentor_enrollments": [], "has_relationship": False}
    rows = meetings(e.pk for e in enrollments)
    spans, mentored = _relationships(user)
    led = set(
        GroupMember.objects.filter(enrollment__user=user, role=MemberRole.LEADER).values_list(
            "enrollment_id", flat=True
        )
    )
    events = list(
        Rsvp.objects.filter(user=user, attended=True)
        .exclude(event__status=EventStatus.CANCELLED)
        .order_by("event__starts_at")
        .values_list("event__starts_at", flat=True)
    )
    reached, upcoming = [], []
    if rows:
        reached.append(Milestone("first_meeting", "Your first meeting", "Where it all starts.", rows[0][1]))
    elif spans:
        upcoming.append(Milestone("first_meeting", "Your first meeting", "", to_go="log it after you meet"))
    waiting = None  # the next months milestone of an ongoing relationship
    for months in MONTHS:
        day = _months_reached(spans, months, today)
        title = f"{months} months of mentoring" if months < 12 else "A year of mentoring"
        if day:
            reached.append(Milestone(f"months_{months}", title, f"{months} months since it began.", day))
        elif waiting is None and (following := _months_next(spans, months, today)):
            waiting = Milestone(f"months_{months}", title, "", to_go=f"on {following:%-d %B %Y}")
            upcoming.append(waiting)
    served = [e for e in enrollments if e.pk in led or (e.role == Role.MENTOR and e.pk in mentored)]
    mentor_ids = {e.pk for e in served}
    if mentor_ids:
        reached_hours, total = _hours_milestones(rows, mentor_ids)
        reached += reached_hours
        following = next((h for h in HOURS if total < h * 60), None)
        if following:
            to_go = f"{(following * 60 - total) / 60:.1f} hours to go"
            upcoming.append(Milestone(f"hours_{following}", f"{following} hours mentored", "", to_go=to_go))
    for count in EVENTS:
        title = "Your first event" if count == 1 else f"{count} events"
        if len(events) >= count:
            day = timezone.localdate(events[count - 1])
            reached.append(Milestone(f"events_{count}", title, f"{count} community events attended.", day))
        elif not any(m.key.startswith("events") for m in upcoming):
            upcoming.append(Milestone(f"events_{count}", title, "", to_go=f"{count - len(events)} to go"))
    became = _became_mentor(enrollments)
    if became:
        text = "You were mentored; now you mentor others."
        reached.append(Milestone("mentee_to_mentor", "From mentee to mentor", text, became))
    reached.sort(key=lambda m: m.reached_on, reverse=True)
    minutes = dict.fromkeys(mentor_ids, 0)
    for pk, _day, mins, mentoring in rows:
        if mentoring:
            minutes[pk] = minutes.get(pk, 0) + mins
    for enrollment in served:
        enrollment.hours = round(minutes.get(enrollment.pk, 0) / 60, 1)
        enrollment.has_met = any(r[0] == enrollment.pk and r[3] for r in rows)
    return {
        "reached": reached,
        "next": upcoming[0] if upcoming else None,
        "mentor_enrollments": served,
        "has_relationship": bool(spans),
    }


def _hours_milestones(rows, mentor_ids):
    """The hours milestones the mentoring meetings ``rows`` (by day) reach, and the total minutes."""
    total, reached, thresholds = 0, [], list(HOURS)
    for pk, day, minutes, mentoring in rows:
        if not (mentoring and pk in mentor_ids):
            continue
        total += minutes
        while thresholds and total >= thresholds[0] * 60:
            hours = thresholds.pop(0)
            reached.append(
                Milestone(f"hours_{hours}", f"{hours} hours mentored", "Time given to others.", day)
            )
    return reached, total


def _became_mentor(enrollments):
    """The day a former mentee became a mentor: their first mentor enrollment (not declined or
    withdrawn) made after a mentee enrollment; None otherwise."""
    first_mentee = next((e for e in enrollments if e.role == Role.MENTEE), None)
    if first_mentee is None:
        return None
    for enrollment in enrollments:
        if (
            enrollment.role == Role.MENTOR
            and enrollment.created_at > first_mentee.created_at
            and enrollment.status not in (EnrollmentStatus.DECLINED, EnrollmentStatus.WITHDRAWN)
        ):
            return timezone.localdate(enrollment.created_at)
    return None


# --- Thank-you notes ------------------------------------------------------------------------------


@transaction.atomic
def thank_you_send(*, enrollment, by, text, request=None):
    """A coordinator's note to a mentor (or facilitator): on their dashboard until dismissed."""
    note = ThankYou.objects.create(program=enrollment.program, enrollment=enrollment, sent_by=by, text=text)
    audit_record(actor=by, action="thank_you.sent", target=note, summary=f"To enrollment {enrollment.pk}",
                 request=request)  # fmt: skip
    return note


def thank_you_dismiss(*, note, by):
    """The person thanked (``by``, nobody else) puts the note away; twice is the same as once."""
    notes = ThankYou.objects.filter(pk=note.pk, enrollment__user=by, dismissed_at__isnull=True)
    return notes.update(dismissed_at=timezone.now())


def thank_yous_for(user):
    """The person's notes still on their dashboard, newest first: one query."""
    return list(
        ThankYou.objects.filter(enrollment__user=user, dismissed_at__isnull=True).select_related(
            "program", "sent_by__profile"
        )
    )
