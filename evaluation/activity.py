"""Inactive people: participants of an active match who have not been seen for two check-in
periods, for their coordinators' to-do list (evaluation/todo.py), each with a one-click nudge
(programs.nudges).

"Seen" is ``User.last_active`` (the later of the last sign-in and the last thing done: a message,
a check-in; SQL twin ``mentorship.models.last_active_sql``). Someone never seen counts from the
start of their match, so that a new account in a new match is not flagged; someone on a break is
left out (``Enrollment.is_on_break``), as they are from reminders.
"""

import datetime as dt

from django.db.models import Count, F, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from matching.models import Match, MatchStatus
from mentorship.models import last_active_sql
from programs.models import Enrollment, EnrollmentStatus
from programs.nudges import nudged_recently

# Inactive after this many check-in periods (Program.checkin_cadence_days) without being seen.
INACTIVE_PERIODS = 2


def quiet_since(program, on):
    """The first day someone must have been seen on (or been in a match since) not to count as
    inactive on ``on``: more than two cadence periods before is inactive."""
    return on - dt.timedelta(days=INACTIVE_PERIODS * program.checkin_cadence_days)


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class People(list):
    """The inactive people of a program that were loaded (all, or the first ``shown``) and, in
    ``total``, how many there are in all."""

    total = 0

    @property
    def more(self):
        """How many were not loaded."""
        return self.total - len(self)


def inactive_people(programs, *, on, shown=None):
    """{program id: People} of ``programs``: the people of their active matches inactive on ``on``,
    longest unseen first (never seen first), each with ``last_active`` (None: never),
    ``in_match_since`` (the start of their earliest active match) and ``nudged_recently``; only the
    first ``shown`` of each program when given (the dashboard lists twenty), with how many there
    are in all. Three queries however many programs and people: the people, then the profiles
    (their names) and the starts of the matches of those loaded."""
    programs = list(programs)
    if not programs:
        return {}
    quiet = Q()
    for program in programs:
        since = quiet_since(program, on)
        # In an active match that started before then (the earliest start is before it): two
        # hashed sets of the matches, not a probe per person.
        started = Match.objects.filter(status=MatchStatus.ACTIVE, started_on__lt=since)
        in_match = Q(pk__in=started.values("mentor")) | Q(pk__in=started.values("mentee"))
        unseen = Q(seen__isnull=True) | Q(seen__lt=_midnight(since))
        quiet |= Q(program=program) & in_match & unseen
    order = (F("seen").asc(nulls_first=True), F("pk").asc())
    rows = (
        Enrollment.objects.filter(status=EnrollmentStatus.APPROVED)
        # Left out while on a break, as from the reminders (the SQL of ``Enrollment.is_on_break``).
        .exclude(on_break_until__gt=on)
        .annotate(seen=last_active_sql("user__"))
        .filter(quiet)
        .select_related("user")
        .order_by(*order)
    )
    if shown is not None:  # each program's first ``shown`` (one at least, for the count) and count
        rows = rows.annotate(
            place=Window(RowNumber(), partition_by=F("program"), order_by=order),
            everyone=Window(Count("pk"), partition_by=F("program")),
        ).filter(place__lte=max(shown, 1))
    now = timezone.now()
    found = {}
    for enrollment in rows:
        people = found.setdefault(enrollment.program_id, People())
        people.total = enrollment.everyone if shown is not None else people.total + 1
        if shown is not None and len(people) >= shown:
            continue
        enrollment.last_active = enrollment.seen
        enrollment.nudged_recently = nudged_recently(enrollment, now=now)
        people.append(enrollment)
    loaded = [person for people in found.values() for person in people]
    prefetch_related_objects(loaded, "user__profile")  # their names: for those loaded only
    _add_in_match_since(loaded)
    return found


def _add_in_match_since(enrollments):
    """Set ``in_match_since`` (the start of their earliest active match) on ``enrollments``, in one
    query (none for nobody)."""
    if not enrollments:
        return
    ids = {enrollment.pk for enrollment in enrollments}
    earliest = {}
    matches = Match.objects.filter(Q(mentor__in=ids) | Q(mentee__in=ids), status=MatchStatus.ACTIVE)
    for mentor, mentee, started_on in matches.values_list("mentor", "mentee", "started_on"):
        for person in (mentor, mentee):
            if person in ids and started_on is not None:
                earliest[person] = min(started_on, earliest.get(person, started_on))
    for enrollment in enrollments:
        enrollment.in_match_since = earliest.get(enrollment.pk)
