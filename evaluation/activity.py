"""Inactive people: participants of an active match who have not been seen for two check-in
periods, for their coordinators' to-do list (evaluation/todo.py), each with a one-click nudge
(programs.nudges).

"Seen" is ``User.last_active`` (the later of the last sign-in and the last thing done: a message,
a check-in; SQL twin ``mentorship.models.last_active_sql``). Someone never seen counts from the
start of their match, so that a new account in a new match is not flagged; someone on a break is
left out (``Enrollment.is_on_break``), as they are from reminders.
"""

import datetime as dt

from django.db.models import F, OuterRef, Q, Subquery
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


def inactive_people(programs, *, on):
    """{program id: [Enrollment]} of ``programs``: the people of their active matches inactive on
    ``on``, longest unseen first (never seen first), each with ``last_active`` (None: never),
    ``in_match_since`` (the start of their earliest active match) and ``nudged_recently``. One
    query however many programs and people (their names come along: user and profile)."""
    programs = list(programs)
    if not programs:
        return {}
    in_match = Match.objects.filter(
        Q(mentor=OuterRef("pk")) | Q(mentee=OuterRef("pk")), status=MatchStatus.ACTIVE
    ).order_by("started_on")
    quiet = Q()
    for program in programs:
        since = quiet_since(program, on)
        unseen = Q(seen__isnull=True) | Q(seen__lt=_midnight(since))
        quiet |= Q(program=program, in_match_since__lt=since) & unseen
    rows = (
        Enrollment.objects.filter(status=EnrollmentStatus.APPROVED)
        .annotate(
            seen=last_active_sql("user__"),
            in_match_since=Subquery(in_match.values("started_on")[:1]),
        )
        .filter(quiet)
        .select_related("user__profile")
        .order_by(F("seen").asc(nulls_first=True), "pk")
    )
    now = timezone.now()
    found = {}
    for enrollment in rows:
        if enrollment.is_on_break(on):
            continue  # left out while on a break, as from the reminders
        enrollment.last_active = enrollment.seen
        enrollment.nudged_recently = nudged_recently(enrollment, now=now)
        found.setdefault(enrollment.program_id, []).append(enrollment)
    return found
