"""The dashboard's "My matches" panel (see settings.DASHBOARD_PANELS)."""

from dataclasses import dataclass

from matching import inbox, selectors
from matching.models import Match
from programs.models import Enrollment


@dataclass(frozen=True)
class MyMatch:
    """One of the person's matches as the panel shows it: the partner and what is asked of them."""

    match: Match
    partner: Enrollment
    awaits_me: bool
    back_in_pool: bool = False  # a closed match whose mentee may be matched again, and is waiting
    unread: int = 0  # messages in the pair's conversation the person has not read


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
    """The person's matches. Hidden for someone who runs programs and takes part in none: "Once
    you are paired..." is a participant's promise, not theirs."""
    user = request.user
    current, past = selectors.split_current_and_past(list(selectors.matches_of(user)))
    if not (current or past) and user.runs_programs() and not Enrollment.objects.filter(user=user).exists():
        return {"template": "matching/_panel_my_matches.html", "hidden": True}
    unread = inbox.unread_by_match(user, [m.pk for m in current]) if current else {}
    past_entries, seen = [], set()
    for match in past:  # newest first: only the latest closed match per mentee says what comes next
        waiting = match.mentee_id not in seen and _back_in_pool(match, user, current)
        seen.add(match.mentee_id)
        past_entries.append(MyMatch(match, match.partner_of(user), False, back_in_pool=waiting))
    return {
        "template": "matching/_panel_my_matches.html",
        "current": [
            MyMatch(m, m.partner_of(user), m.awaits_confirmation_from(user), unread=unread[m.pk])
            for m in current
        ],
        # The person's conversations with coordinators that have messages (with their unread counts).
        "coordinator_conversations": inbox.coordinator_conversations_of(user),
        "past": past_entries,
        "back_in_pool": [entry for entry in past_entries if entry.back_in_pool],
    }
