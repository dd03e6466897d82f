"""The only way views load programs and enrollments: fetch and check access in one call.

Something the user may not see answers 404, so that its existence does not leak.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.models import Enrollment, Invitation, Program, ProgramStatus


def can_manage(user, program):
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return program.coordinators.filter(pk=user.pk).exists()


def get_program_for(user, slug, *, manage=False):
    """A program by slug. ``manage``: only its coordinators and staff. Otherwise drafts are
    visible to those alone, and anything else to everyone (the public page)."""
    program = get_object_or_404(Program, slug=slug)
    if (manage or program.status == ProgramStatus.DRAFT) and not can_manage(user, program):
        raise Http404("No such program.")
    return program


def get_applicant_for(user, program, pk):
    """An enrollment of ``program``, for someone who manages it (check with get_program_for)."""
    return get_object_or_404(
        Enrollment.objects.select_related("user__profile", "program"), pk=pk, program=program
    )


def get_own_enrollment_for(user, pk):
    """The applicant's own enrollment; anybody else's answers 404."""
    if not user.is_authenticated:
        raise Http404("No such application.")
    return get_object_or_404(Enrollment.objects.select_related("program"), pk=pk, user=user)


def get_enrollment_by_guardian_token(token):
    return get_object_or_404(
        Enrollment.objects.select_related("program", "user__profile"), guardian_token=token
    )


def get_invitation_by_token(token):
    return get_object_or_404(Invitation.objects.select_related("program"), token=token)
