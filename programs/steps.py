"""The steps of a person's checklist that programs know (see mentorship.steps): applying (or
accepting an invitation), a parent or guardian's consent, the trainings required before matching
(one's own, and a guardian's orientation), and screening."""

from django.urls import reverse

from mentorship.steps import Step
from programs.models import EnrollmentStatus, Role, TrainingFor
from programs.selectors import blockers_for, gating_trainings_for, missing_trainings

LABEL_APPLICATION = "Your application"
LABEL_CONSENT = "A parent or guardian’s consent"
LABEL_SCREENING = "Screening by the coordinators"
LABEL_ORIENTATION = "Your parent or guardian’s orientation"
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
    steps.extend(training_steps(enrollment, page, on=on))
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


def training_steps(enrollment, page, *, on=None):
    """A step per training required before matching: the person's own (to take), and one for the
    guardians' orientation (theirs to take: the mentee waits). Reads the prefetched trainings and
    records (programs.selectors.enrollments_of)."""
    gating = gating_trainings_for(enrollment, on)
    if not gating:
        return []
    missing = {training.pk: record for training, record in missing_trainings(enrollment, on=on)}
    steps = []
    for training in gating:
        if training.audience == TrainingFor.GUARDIAN:
            continue
        label = f"Training: “{training.title}”"
        if training.pk not in missing:
            steps.append(Step(label=label, done=True))
            continue
        record = missing[training.pk]
        again = record is not None and record.is_completed
        verb = "Take your training again" if again else "Complete your training"
        note = "" if training.is_online else "It is in person: sign up to a session."
        if again:
            note = f"It expired on {record.expires_on:%-d %b %Y}. {note}".strip()
        url = reverse("programs:training", args=[training.pk])
        steps.append(Step(label=label, done=False, todo=f"{verb}: “{training.title}”", url=url, note=note))
    guardians = [t for t in gating if t.audience == TrainingFor.GUARDIAN]
    if guardians:
        waiting = [t for t in guardians if t.pk in missing]
        if not waiting:
            steps.append(Step(label=LABEL_ORIENTATION, done=True))
        else:
            titles = ", ".join(f"“{t.title}”" for t in waiting)
            steps.append(
                Step(
                    label=LABEL_ORIENTATION,
                    done=False,
                    waiting=True,
                    see=SEE,
                    todo="Waiting for your parent or guardian to complete the orientation",
                    url=page,
                    note=f"We emailed them the link to {titles} with our request for their consent.",
                )
            )
    return steps


def _screening_step(enrollment, page, *, on=None):
    # Consent and trainings have steps of their own.
    missing = [b.text for b in blockers_for(enrollment, on=on) if b.kind not in ("consent", "training")]
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
