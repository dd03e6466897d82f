"""The steps of a person's checklist that programs know (see mentorship.steps): applying (or
accepting an invitation), a parent or guardian's consent, and screening."""

from django.urls import reverse

from mentorship.steps import Step
from programs.models import EnrollmentStatus, Role
from programs.selectors import CONSENT_MISSING, missing_for

LABEL_APPLICATION = "Your application"
LABEL_CONSENT = "A parent or guardian’s consent"
LABEL_SCREENING = "Screening by the coordinators"
SEE = "See your application"


def apply_step():
    """For someone with no application and no invitation: find a program."""
    return Step(
        label=LABEL_APPLICATION,
        done=False,
        todo="Choose a program and apply",
        url=reverse("programs:list"),
    )


def invitation_step(invitation):
    return Step(
        label=LABEL_APPLICATION,
        done=False,
        todo=f"Accept your invitation to {invitation.program.name}",
        url=invitation.get_absolute_url(),
        note=f"The coordinators invite you to take part as a {invitation.get_role_display().lower()}.",
    )


def enrollment_steps(enrollment, *, on=None):
    """Application sent, consent (a mentee who needs it), screening: for an open enrollment."""
    page = enrollment.get_absolute_url()
    steps = [Step(label=LABEL_APPLICATION, done=True)]
    if enrollment.needs_guardian_consent(on):
        steps.append(_consent_step(enrollment, page))
    steps.append(_screening_step(enrollment, page, on=on))
    return steps


def _consent_step(enrollment, page):
    if enrollment.guardian_consent is True:
        return Step(label=LABEL_CONSENT, done=True)
    if enrollment.guardian_asked_at is None:
        return Step(
            label=LABEL_CONSENT,
            done=False,
            todo="Ask a parent or guardian for their consent",
            url=f"{page}#guardian-heading",
            note="Give their name and email address: we email them a link to say yes.",
        )
    if enrollment.guardian_consent is False:
        return Step(
            label=LABEL_CONSENT,
            done=False,
            waiting=True,
            see=SEE,
            todo="Your parent or guardian did not give their consent",
            url=page,
            note="The coordinators know and will be in touch.",
        )
    return Step(
        label=LABEL_CONSENT,
        done=False,
        waiting=True,
        see=SEE,
        todo="Waiting for your parent or guardian to answer our email",
        url=page,
        note="You can ask us to email someone else on your application page.",
    )


def _screening_step(enrollment, page, *, on=None):
    missing = [item for item in missing_for(enrollment, on=on) if item != CONSENT_MISSING]
    if enrollment.is_approved and not missing:
        return Step(label=LABEL_SCREENING, done=True)
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        todo = "You are on the waiting list: the coordinators will email you when a place opens"
    elif enrollment.is_approved:
        todo = "The coordinators are finishing your screening"
    else:
        todo = "The coordinators are reviewing your application"
    note = f"Still needed: {'; '.join(missing)}." if missing and enrollment.role == Role.MENTOR else ""
    return Step(label=LABEL_SCREENING, done=False, waiting=True, todo=todo, url=page, note=note, see=SEE)
