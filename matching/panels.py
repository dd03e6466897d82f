"""The dashboard's "My matches" and "My groups" panels (see settings.DASHBOARD_PANELS)."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from matching import inbox, selectors
from matching.group_access import groups_of
from matching.models import GroupMember, GroupSession, Match, MemberRole, SessionStatus
from programs.models import Enrollment, Format


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


def _only_in_groups(user):
    formats = set(Enrollment.objects.filter(user=user).values_list("program__format", flat=True))
    return bool(formats) and formats <= {Format.GROUP, Format.PEER_CIRCLES}


def my_matches(request):
    """The person's matches. Hidden for someone who runs programs and takes part in none: "Once
    you are paired..." is a participant's promise, not theirs."""
    user = request.user
    current, past = selectors.split_current_and_past(list(selectors.matches_of(user)))
    if not (current or past) and user.runs_programs() and not Enrollment.objects.filter(user=user).exists():
        return {"template": "matching/_panel_my_matches.html", "hidden": True}
    if not (current or past) and _only_in_groups(user) and not inbox.coordinator_conversations_of(user):
        # Someone in group or peer-circle programs only: "My groups" is their panel.
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


def my_groups(request):
    """The dashboard's "My groups" panel: the person's open groups and circles, each with the next
    session and, for a leader, the latest past session whose attendance is not taken yet. Hidden
    for someone in no group. A constant number of queries however many groups."""
    user = request.user
    now = timezone.now()
    sessions = GroupSession.objects.filter(group=OuterRef("pk"), status=SessionStatus.PLANNED)
    mine = GroupMember.objects.current().filter(group=OuterRef("pk"), enrollment__user=user).order_by("role")
    untaken = sessions.filter(starts_at__lt=now, attendance_taken_at__isnull=True).order_by("-starts_at")
    coming = sessions.filter(starts_at__gte=now).order_by("starts_at")
    groups = list(
        groups_of(user)
        .annotate(
            my_role=Subquery(mine.values("role")[:1]),
            next_session_at=Subquery(coming.values("starts_at")[:1]),
            next_session_id=Subquery(coming.values("pk")[:1]),
            untaken_session_id=Subquery(untaken.values("pk")[:1]),
        )
        .order_by("name", "pk")
    )
    if not groups:
        return {"template": "matching/_panel_my_groups.html", "hidden": True}
    for group in groups:
        group.leads = group.my_role == MemberRole.LEADER
    return {"template": "matching/_panel_my_groups.html", "groups": groups}
