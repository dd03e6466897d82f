"""A person's checklists (settings.NEXT_STEPS; see mentorship.steps): each app's steps put
together here, in the app at the top, which may import them all. A handful of queries, however
many programs, invitations and matches the person has."""

from django.urls import reverse
from django.utils import timezone

from evaluation.models import CheckIn
from matching.meetings import first_open_meetings
from matching.models import GroupAttendance, GroupSession
from matching.selectors import matches_of
from matching.steps import current_match, current_memberships, first_session_step, group_step, match_step
from mentorship.steps import Checklist, Step, profile_step, profiles_with_gaps
from programs.invitations import invitations_waiting_for
from programs.models import OPEN_STATUSES
from programs.selectors import enrollments_of
from programs.steps import apply_step, enrollment_steps, invitation_step

LABEL_FIRST_MEETING = "Your first meeting"


def first_meeting_step(match, *, met, planned=None, now=None):
    """``met``: whether the pair has logged a meeting that took place. ``planned``: the start of the
    pair's first meeting still open (proposed or accepted), if any. Before there is a match
    (``match`` None) the step is shown as one to come; an active pair with nothing planned is asked
    to plan it, one with a meeting to come is told when, and after it to log it."""
    if met:
        return Step(label=LABEL_FIRST_MEETING, done=True)
    if match is None:
        return Step(label=LABEL_FIRST_MEETING, done=False)
    now = now or timezone.now()
    if match.is_active and (planned is None or planned > now):
        meetings_url = reverse("matching:meetings", args=[match.pk])
        if planned is None:
            note = "Pick a time when you are both free: the site suggests some; your partner answers there."
            return Step(
                label=LABEL_FIRST_MEETING,
                done=False,
                todo="Plan your first meeting",
                url=meetings_url,
                note=note,
            )
        when = timezone.localtime(planned)
        note = f"On {when:%a} {when.day} {when:%b}, {when:%H:%M}. Afterwards, say how it went: a minute."
        return Step(
            label=LABEL_FIRST_MEETING, done=False, todo="See your first meeting", url=meetings_url, note=note
        )
    return Step(
        label=LABEL_FIRST_MEETING,
        done=False,
        todo="Log your first meeting",
        url=reverse("evaluation:checkin_new", args=[match.pk]),
        note="When you have met, say how it went: it takes a minute.",
    )


def checklists(user):
    """One checklist per open application and per waiting invitation; for someone with neither
    (who does not run programs), one that leads to applying. Fully done checklists are left out."""
    today = timezone.localdate()
    profile = profiles_with_gaps().get(user=user)  # each checklist asks what its role needs
    enrollments = list(enrollments_of(user).filter(status__in=OPEN_STATUSES))
    invitations = list(invitations_waiting_for(user))
    matches = list(matches_of(user)) if enrollments else []
    held = CheckIn.objects.filter(match__in=[m.pk for m in matches], held=True)
    met = set(held.values_list("match_id", flat=True))
    planned = first_open_meetings([m.pk for m in matches]) if matches else {}

    lists = [
        Checklist(
            title=f"Your invitation to {invitation.program.name}",
            steps=(profile_step(profile, role=invitation.role), invitation_step(invitation)),
            url=invitation.get_absolute_url(),
        )
        for invitation in invitations
    ]
    groups = _group_facts(user) if any(e.program.has_groups for e in enrollments) else None
    for enrollment in enrollments:
        if enrollment.program.has_groups:
            memberships, came, upcoming = groups
            membership = memberships.get(enrollment.pk)
            steps = [
                profile_step(profile, role=enrollment.role),
                *enrollment_steps(enrollment, on=today),
                group_step(enrollment, membership),
                first_session_step(
                    membership,
                    met=membership is not None and membership.group_id in came,
                    next_session=upcoming.get(membership.group_id) if membership else None,
                ),
            ]
            role = enrollment.get_role_display().lower()
            title = f"{enrollment.program.name}, as a {role}"
            lists.append(Checklist(title=title, steps=tuple(steps), url=enrollment.get_absolute_url()))
            continue
        match = current_match(enrollment, matches)
        steps = [
            profile_step(profile, role=enrollment.role),
            *enrollment_steps(enrollment, on=today),
            match_step(enrollment, match, user=user),
        ]
        if match is None or match.is_open:  # (after a closure, no first meeting to ask for)
            steps.append(
                first_meeting_step(
                    match,
                    met=match is not None and match.pk in met,
                    planned=planned.get(match.pk) if match is not None else None,
                )
            )
        role = enrollment.get_role_display().lower()
        title = f"{enrollment.program.name}, as a {role}"
        lists.append(Checklist(title=title, steps=tuple(steps), url=enrollment.get_absolute_url()))
    if not enrollments and not invitations and not user.runs_programs():
        lists.append(Checklist(title="Getting started", steps=(profile_step(profile), apply_step())))
    return [checklist for checklist in lists if checklist.next is not None]


def _group_facts(user):
    """The person's current groups (by enrollment), the groups of which they came to (or led) a
    held session, and each group's next planned session: three queries."""
    memberships = current_memberships(user)
    group_ids = [m.group_id for m in memberships.values()]
    led = {m.group_id for m in memberships.values() if m.is_leader}
    came = set(
        GroupAttendance.objects.filter(
            enrollment__user=user, present=True, session__held=True, session__group_id__in=group_ids
        ).values_list("session__group_id", flat=True)
    )
    upcoming = {}
    sessions = GroupSession.objects.filter(
        group_id__in=group_ids, status="planned", starts_at__gte=timezone.now()
    ).order_by("starts_at", "pk")
    held = GroupSession.objects.filter(group_id__in=led, held=True).values_list("group_id", flat=True)
    came |= set(held)
    for session in sessions:
        upcoming.setdefault(session.group_id, session)
    return memberships, came, upcoming
