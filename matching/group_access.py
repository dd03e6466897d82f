"""Who may see and run a group (matching/models/groups.py): the one rule, asked by the group pages,
the group's conversation and board, the calendar feed and the dashboard.

- The program's coordinators and staff see and run every group of the program.
- A current leader (a group's mentor or co-mentor, a circle's facilitator) sees the group and runs
  it: plans sessions, takes attendance, writes the session check-ins, sets shared goals.
- A current member (a mentee) sees the group: its members by their limited profile, its sessions,
  goals, conversation and board; they rate sessions they came to.
- Anyone else, former members included, gets 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.models import Group, GroupMember, GroupSession
from programs.access import can_manage


def current_membership(user, group):
    """The user's current membership of ``group`` (leader or member), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        GroupMember.objects.current()
        .filter(group=group, enrollment__user=user)
        .select_related("enrollment")
        .first()
    )


def sees_group(user, group):
    return can_manage(user, group.program) or current_membership(user, group) is not None


def runs_group(user, group):
    """Coordinators and staff of the program, and the group's current leaders."""
    if can_manage(user, group.program):
        return True
    membership = current_membership(user, group)
    return membership is not None and membership.is_leader


def get_group_for(user, pk, *, run=False):
    """A group, for those who see it (``run``: those who run it); 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such group.")
    group = get_object_or_404(Group.objects.select_related("program"), pk=pk)
    allowed = runs_group(user, group) if run else sees_group(user, group)
    if not allowed:
        raise Http404("No such group.")
    return group


def get_group_to_manage(user, pk):
    """A group, for the program's coordinators and staff only (placing and moving people)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such group.")
    group = get_object_or_404(Group.objects.select_related("program"), pk=pk)
    if not can_manage(user, group.program):
        raise Http404("No such group.")
    return group


def get_session_for(user, pk, *, run=False):
    """A group session, for those who see (``run``: run) its group; 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such session.")
    session = get_object_or_404(GroupSession.objects.select_related("group__program"), pk=pk)
    allowed = runs_group(user, session.group) if run else sees_group(user, session.group)
    if not allowed:
        raise Http404("No such session.")
    return session


def groups_of(user):
    """The open groups the user is currently in (as leader or member), with their program."""
    if not getattr(user, "is_authenticated", False):
        return Group.objects.none()
    return (
        Group.objects.open()
        .filter(memberships__enrollment__user=user, memberships__left_on__isnull=True)
        .select_related("program")
        .distinct()
    )
