"""Reads about matching, scoped to who is asking."""

from django.db.models import Exists, Max, OuterRef, Q

from matching.models import OPEN_MATCH_STATUSES, Match, MatchStatus
from programs.models import Enrollment, EnrollmentStatus


def in_pair(user, prefix=""):
    """A filter: ``user`` is one of the pair of a match (or, with ``prefix="match__"``, of a row's
    match). Their enrollment ids are read first (one small query) because PostgreSQL cannot use an
    index for an OR across two joins ("mentee's user or mentor's user") and reads every match: 50 ms
    at city scale, against a fraction of a millisecond through the mentee and mentor indexes."""
    ids = list(Enrollment.objects.filter(user=user).values_list("pk", flat=True))
    return Q(**{f"{prefix}mentee_id__in": ids}) | Q(**{f"{prefix}mentor_id__in": ids})


def matches_of(user):
    """The person's matches in any role, current first."""
    return (
        Match.objects.filter(in_pair(user))
        .select_related("program", "mentee__user__profile", "mentor__user__profile")
        .order_by("-proposed_at", "-pk")
    )


def split_current_and_past(matches):
    current = [m for m in matches if m.status in OPEN_MATCH_STATUSES]
    past = [m for m in matches if m.status == MatchStatus.CLOSED]
    return current, past


def matched_counts(program):
    """Mentees and mentors with an open (proposed, active or paused) match: the funnel's "matched"."""
    open_matches = Match.objects.filter(program=program, status__in=OPEN_MATCH_STATUSES)
    return {
        "mentee": open_matches.values("mentee").distinct().count(),
        "mentor": open_matches.values("mentor").distinct().count(),
    }


def rematch_waiting(program):
    """Mentees of ``program`` back in the pool after a closure: approved, open to new matches, with
    a closed match and no open one (the mentee's dashboard says the same: matching/panels.py).
    {mentee enrollment id: the day their last match closed}, in one query."""
    open_match = Match.objects.filter(mentee=OuterRef("mentee"), status__in=OPEN_MATCH_STATUSES)
    rows = (
        Match.objects.filter(
            program=program,
            status=MatchStatus.CLOSED,
            mentee__status=EnrollmentStatus.APPROVED,
            mentee__accepting_new_matches=True,
        )
        .exclude(Exists(open_match))
        .values("mentee_id")
        .annotate(closed_on=Max("ended_on"))
        .values_list("mentee_id", "closed_on")
    )
    return dict(rows)
