"""The only way evaluation views load objects: fetch and check access in one call (404 otherwise).

A pair's own pages load the match through ``matching.access.get_match_for``; what hangs off a
pair (a goal) is loaded here and then its match through that same check, so a stranger gets the
same 404 as for a missing row.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluation.models import CalendarFeed, ExportRecord, Goal, ThankYou
from matching.access import get_match_for
from matching.models import GroupMember, MemberRole
from mentorship.access import require_staff
from mentorship.models import User
from programs.access import can_manage
from programs.models import Enrollment, Role


def get_goal_for(user, pk):
    """A goal and its match, for the pair and the program's coordinators and staff."""
    goal = get_object_or_404(Goal.objects.select_related("created_by__profile"), pk=pk)
    goal.match = get_match_for(user, goal.match_id)
    return goal


def get_export_for(user, pk):
    """An export record for the person who asked for it, or staff; 404 for anyone else."""
    record = get_object_or_404(ExportRecord, pk=pk)
    if not (user.is_staff or (record.requested_by_id is not None and record.requested_by_id == user.pk)):
        raise Http404("No such export.")
    return record


def get_feed_by_token(token):
    """A calendar feed by its secret address (no login: calendar apps cannot log in)."""
    return get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)


def get_person_for(user, pk):
    """A person, for staff; 404 for anyone else, whether or not the person exists."""
    require_staff(user)
    return get_object_or_404(User.objects.select_related("profile"), pk=pk)


def _mentors(enrollment):
    """A mentor enrollment, or the leader of a group (a group's mentor, a circle's facilitator)."""
    if enrollment.role == Role.MENTOR:
        return True
    return GroupMember.objects.filter(enrollment=enrollment, role=MemberRole.LEADER).exists()


def get_mentor_enrollment_for(user, pk):
    """A mentor's enrollment (recognition: the certificate), for the mentor themself, the program's
    coordinators and staff; 404 for anyone else and for an enrollment that does not mentor."""
    if not user.is_authenticated:
        raise Http404("No such enrollment.")
    enrollment = get_object_or_404(Enrollment.objects.select_related("user__profile", "program"), pk=pk)
    allowed = enrollment.user_id == user.pk or can_manage(user, enrollment.program)
    if not allowed or not _mentors(enrollment):
        raise Http404("No such enrollment.")
    return enrollment


def get_thank_you_recipient_for(user, program, pk):
    """An enrollment of ``program`` that may be thanked (it mentors), for someone who manages the
    program (check with get_program_for)."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("user__profile", "program"), pk=pk, program=program
    )
    if not _mentors(enrollment):
        raise Http404("No such mentor.")
    return enrollment


def get_thank_you_for(user, pk):
    """A thank-you note, for the person it thanks; 404 for anyone else."""
    return get_object_or_404(ThankYou, pk=pk, enrollment__user=user.pk)
