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


def _entries(matches, user):
    return [MyMatch(m, m.partner_of(user), m.awaits_confirmation_from(user)) for m in matches]


def my_matches(request):
    current, past = selectors.split_current_and_past(list(selectors.matches_of(request.user)))
    return {
        "template": "matching/_panel_my_matches.html",
        "current": _entries(current, request.user),
        "past": _entries(past, request.user),
    }
