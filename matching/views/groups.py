"""A group's page (members by their limited profile, sessions, shared goals, the way to the
conversation and the board), its goals, and the link that opens its conversation.

Who sees and who runs a group is matching.group_access (404 for anyone else, former members
included); the writes and their rules are matching/group_sessions.py. Sessions' own pages are
matching/views/group_sessions.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from matching import group_sessions as services
from matching.group_access import current_membership, get_group_for
from matching.group_session_forms import GoalForm
from matching.messaging.services import conversation_for_group
from matching.models import GroupGoal, GroupGoalStatus, GroupMember, GroupSession
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import act, form_errors
from programs.access import can_manage
from programs.limited import limited_name

PAST_SHOWN = 20


def url_or_none(name, *args):
    """The URL of ``name`` if that page exists (other parts of the site add some), else None."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _url_maker(name, *first):
    """``reverse(name, args=[*first, pk])`` for many pks at the cost of one reverse; None if the
    page does not exist."""
    pattern = url_or_none(name, *first, 987654321)
    if pattern is None:
        return None
    return lambda pk: pattern.replace("987654321", str(pk))


class Viewer:
    """What the person is in this group: ``manages`` (the program's coordinators and staff),
    ``membership`` (their current one, or None) and ``runs``."""

    def __init__(self, user, group):
        self.manages = can_manage(user, group.program)
        self.membership = current_membership(user, group)
        self.runs = self.manages or (self.membership is not None and self.membership.is_leader)
        self.is_member = self.membership is not None and not self.membership.is_leader


def with_counts(sessions):
    """Sessions with ``present_count`` and ``marked_count`` (attendance rows), in the same query."""
    return sessions.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True)),
        marked_count=Count("attendance"),
    )


def _people(group, viewer):
    """The current leaders and members: (membership, name, applicant url or None)."""
    rows = GroupMember.objects.current().filter(group=group).select_related("enrollment__user__profile")
    applicant = _url_maker("programs:applicant", group.program.slug) if viewer.manages else None
    people = []
    for membership in rows:
        url = applicant(membership.enrollment_id) if applicant else None
        people.append((membership, limited_name(membership.enrollment), url))
    return people


def _manage_links(group, viewer):
    """The coordinators' links to the group's list and to placing, moving and removing people
    (pages of the group-matching part: only those that exist are shown)."""
    if not viewer.manages:
        return {}
    return {
        "groups": url_or_none("matching:groups", group.program.slug),
        "place": url_or_none("matching:group_member_place", group.pk),
        "leader_add": url_or_none("matching:group_leader_add", group.pk),
        "start": url_or_none("matching:group_start", group.pk),
        "close": url_or_none("matching:group_close", group.pk),
        "move": _url_maker("matching:group_member_move"),
        "remove": _url_maker("matching:group_member_remove"),
    }


def group_context(request, group):
    viewer = Viewer(request.user, group)
    now = timezone.now()
    sessions = with_counts(GroupSession.objects.filter(group=group))
    upcoming = list(sessions.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past = list(sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    links = _manage_links(group, viewer)
    people = []
    for membership, name, url in _people(group, viewer):
        move = links["move"](membership.pk) if links.get("move") else None
        remove = links["remove"](membership.pk) if links.get("remove") else None
        people.append({"membership": membership, "name": name, "url": url, "move": move, "remove": remove})
    return {
        "group": group,
        "viewer": viewer,
        "leaders": [p for p in people if p["membership"].is_leader],
        "members": [p for p in people if not p["membership"].is_leader],
        "upcoming": upcoming,
        "past": past,
        "goals": list(GroupGoal.objects.filter(group=group)),
        "goal_statuses": GroupGoalStatus.choices,
        "board_url": url_or_none("matching:group_board", group.pk),
        "links": links,
        "program": group.program if viewer.manages else None,
        "leader_word": "facilitator" if group.is_circle else "mentor",
    }


@login_required
def group(request, pk):
    group = get_group_for(request.user, pk)
    return render(request, "matching/groups/group_page.html", group_context(request, group))


@login_required
def group_messages(request, pk):
    """The group's conversation (made on first use), for its people and its coordinators."""
    group = get_group_for(request.user, pk)
    conversation = conversation_for_group(group=group)
    return redirect(reverse("matching:conversation", args=[conversation.pk]))


@login_required
def group_goal_new(request, pk):
    group = get_group_for(request.user, pk, run=True)
    form = GoalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                submit_once(
                    form,
                    request.user,
                    lambda: services.goal_add(group=group, by=request.user, **form.cleaned_data),
                )
            except AlreadySubmitted:
                return redirect(group.get_absolute_url() + "#goals")
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "The goal is added: the whole group sees it.")
                return redirect(group.get_absolute_url() + "#goals")
    context = {
        "group": group,
        "form": form,
        "program": group.program if can_manage(request.user, group.program) else None,
    }
    return render(request, "matching/groups/group_goal_new.html", context, status=status)


@login_required
@require_POST
def group_goal_status(request, pk):
    goal = get_object_or_404(GroupGoal.objects.only("group_id"), pk=pk)
    group = get_group_for(request.user, goal.group_id, run=True)
    goal = GroupGoal.objects.get(pk=pk)
    goal.group = group
    act(
        request,
        lambda: services.goal_set_status(goal=goal, by=request.user, status=request.POST.get("status", "")),
        done=lambda g: f"“{g.title}”: {g.get_status_display().lower()}.",
    )
    return redirect(group.get_absolute_url() + "#goals")
