"""The only way views load programs and enrollments: fetch and check access in one call.

Something the user may not see answers 404, so that its existence does not leak.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.models import (
    OPEN_STATUSES,
    ConsentAnswer,
    Enrollment,
    GuardianConsent,
    Invitation,
    Program,
    ProgramStatus,
    Role,
    Training,
    TrainingFor,
)


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


def get_consent_by_token(token):
    """The guardian's answer link: any request ever sent (the page says when it is used up,
    expired or replaced); nobody else's."""
    consents = GuardianConsent.objects.select_related("enrollment__program", "enrollment__user__profile")
    return get_object_or_404(consents, token=token)


def get_current_consent_by_manage_token(token):
    """The link in every guardian email: valid while that guardian is the current one (a change of
    guardian or a resend replaces it; then 404)."""
    return get_object_or_404(
        GuardianConsent.objects.select_related("enrollment__program", "enrollment__user__profile"),
        manage_token=token,
        revoked_at__isnull=True,
    )


def get_invitation_for(user, program, pk):
    """An invitation of ``program``, for someone who manages it (check with get_program_for)."""
    return get_object_or_404(Invitation, pk=pk, program=program)


def get_training_for(user, program, pk):
    """A training of ``program`` (not archived), for someone who manages it (check with
    get_program_for)."""
    return get_object_or_404(program.trainings.current(), pk=pk)


def get_training_session_for(user, training, pk):
    """A session of ``training``, for someone who manages its program (see get_training_for)."""
    return get_object_or_404(training.sessions.select_related("training"), pk=pk)


def get_invitation_by_token(token):
    return get_object_or_404(Invitation.objects.select_related("program"), token=token)


def get_training_to_take(user, pk):
    """A training from a participant's own pages: (training, enrollment) for someone with an open
    enrollment in its program whose role is its audience, once it is published; (training, None)
    for the program's coordinators and staff, who preview it (nothing is recorded). Everyone
    else 404."""
    training = get_object_or_404(Training.objects.current().select_related("program"), pk=pk)
    if user.is_authenticated and training.is_published and training.audience in Role.values:
        enrollment = (
            Enrollment.objects.filter(
                program=training.program, user=user, role=training.audience, status__in=OPEN_STATUSES
            )
            .select_related("program", "user")
            .first()
        )
        if enrollment is not None:
            return training, enrollment
    if can_manage(user, training.program):
        return training, None
    raise Http404("No such training.")


def guardian_said_no(consent):
    """The guardian refused or withdrew their consent: their link still opens their page (to see
    it, raise a concern), but not the orientation or the guardians' resources."""
    return consent.answer in (ConsentAnswer.REFUSED, ConsentAnswer.WITHDRAWN)


def get_guardian_training(token, pk):
    """The orientation a mentee's current guardian takes from their emailed link: (consent,
    training), a published guardians' training of the mentee's program, unless the guardian
    refused or withdrew their consent. Any other 404."""
    consent = get_current_consent_by_manage_token(token)
    if guardian_said_no(consent):
        raise Http404("No such training.")
    training = get_object_or_404(
        Training.objects.published().select_related("program"),
        pk=pk,
        program=consent.enrollment.program_id,
        audience=TrainingFor.GUARDIAN,
    )
    return consent, training
