"""The dashboard's "My matches" panel (see settings.DASHBOARD_PANELS)."""

from dataclasses import dataclass

from matching import selectors
from matching.models import Match
from programs.models import Enrollment


@dataclass(frozen=True)
class MyMatch:
    """One of the person's matches as the panel shows it: the partner and what is asked of them."""

    match: Match
    partner: Enrollment
    awaits_me: bool
    back_in_pool: bool = False  # a closed match whose mentee may be matched again, and is waiting


def _entries(matches, user):
    return [MyMatch(m, m.partner_of(user), m.awaits_confirmation_from(user)) for m in matches]


def _back_in_pool(match, user, current):
    """After a closure, is ``user`` (the mentee) waiting for a new mentor in that program?"""
    mentee = match.mentee
    return (
        mentee.user_id == getattr(user, "pk", None)
        and mentee.is_approved
        and mentee.accepting_new_matches
        and not any(m.mentee_id == mentee.pk for m in current)
    )


def my_matches(request):
    current, past = selectors.split_current_and_past(list(selectors.matches_of(request.user)))
    past_entries, told = [], set()
    for entry in _entries(past, request.user):
        # Only the latest closed match per program says what comes next.
        waiting = entry.match.mentee_id not in told and _back_in_pool(entry.match, request.user, current)
        told.add(entry.match.mentee_id)
        past_entries.append(MyMatch(entry.match, entry.partner, entry.awaits_me, back_in_pool=waiting))
    return {
        "template": "matching/_panel_my_matches.html",
        "current": _entries(current, request.user),
        "past": past_entries,
        "back_in_pool": [entry for entry in past_entries if entry.back_in_pool],
    }
