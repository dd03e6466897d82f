"""A person's checklists (settings.NEXT_STEPS; see mentorship.steps): each app's steps put
together here, in the app at the top, which may import them all. A handful of queries, however
many programs, invitations and matches the person has."""

from django.urls import reverse
from django.utils import timezone

from evaluation.models import CheckIn
from matching.selectors import matches_of
from matching.steps import current_match, match_step
from mentorship.steps import Checklist, Step, profile_step, profiles_with_gaps
from programs.invitations import invitations_waiting_for
from programs.models import OPEN_STATUSES
from programs.selectors import enrollments_of
from programs.steps import apply_step, enrollment_steps, invitation_step

LABEL_FIRST_MEETING = "Your first meeting"


def first_meeting_step(match, *, met):
    """``met``: whether the pair has logged a meeting that took place. Before there is a match
    (``match`` None) the step is shown as one to come."""
    if met:
        return Step(label=LABEL_FIRST_MEETING, done=True)
    if match is None:
        return Step(label=LABEL_FIRST_MEETING, done=False)
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

    lists = [
        Checklist(
            title=f"Your invitation to {invitation.program.name}",
            steps=(profile_step(profile, role=invitation.role), invitation_step(invitation)),
            url=invitation.get_absolute_url(),
        )
        for invitation in invitations
    ]
    for enrollment in enrollments:
        match = current_match(enrollment, matches)
        steps = [
            profile_step(profile, role=enrollment.role),
            *enrollment_steps(enrollment, on=today),
            match_step(enrollment, match, user=user),
        ]
        if match is None or match.is_open:  # (after a closure, no first meeting to ask for)
            steps.append(first_meeting_step(match, met=match is not None and match.pk in met))
        role = enrollment.get_role_display().lower()
        title = f"{enrollment.program.name}, as a {role}"
        lists.append(Checklist(title=title, steps=tuple(steps), url=enrollment.get_absolute_url()))
    if not enrollments and not invitations and not user.runs_programs():
        lists.append(Checklist(title="Getting started", steps=(profile_step(profile), apply_step())))
    return [checklist for checklist in lists if checklist.next is not None]
