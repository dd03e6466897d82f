"""Reads about matching, scoped to who is asking."""

from django.db.models import Q

from matching.models import OPEN_MATCH_STATUSES, Match, MatchStatus


def matches_of(user):
    """The person's matches in any role, current first."""
    return (
        Match.objects.filter(Q(mentee__user=user) | Q(mentor__user=user))
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
