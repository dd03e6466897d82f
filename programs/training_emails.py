"""The emails about in-person training sessions: a place confirmed (the person signed up, or a
coordinator gave them a place) and a session called off. Queued inside the caller's transaction
(mentorship.services.email_queue): if the change is rolled back, no email.

Whoever takes the training hears, and only them: a participant at their own address (a mentee,
whatever their age, signed up themselves); for the guardians' orientation, the mentee's current
guardian (one who has not said no), with their link to the training page."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentorship.services import email_batch, email_queue
from programs.guardians import guardian_to_email
from programs.models import TrainingFor


def _recipient(training, enrollment):
    """(address, name, training page URL, is a guardian) of whoever takes ``training`` on
    ``enrollment``, or None when there is nobody to tell."""
    if training.audience == TrainingFor.GUARDIAN:
        consent = guardian_to_email(enrollment)
        if consent is None:
            return None
        path = reverse("programs:guardian_training", args=[consent.manage_token, training.pk])
        return consent.guardian_email, consent.guardian_name, path, True
    user = enrollment.user
    return user.email, user.display_name, reverse("programs:training", args=[training.pk]), False


def _send(session, enrollment, template, context=None, batch=None):
    training = session.training
    recipient = _recipient(training, enrollment)
    if recipient is None:
        return None
    to, name, path, guardian = recipient
    return email_queue(
        to=to,
        template=template,
        context={
            "name": name,
            "training": training,
            "program": training.program,
            "session": session,
            "training_url": settings.SITE_URL + path,
            "guardian": guardian,
            **(context or {}),
        },
        batch=batch,
    )


def session_place_email(signup, *, by_coordinator=False):
    """Confirm a place at a session still to come (a place given at or after the session, when
    attendance is taken, is not announced)."""
    session = signup.session
    if session.starts_at <= timezone.now():
        return None
    return _send(session, signup.enrollment, "training_session_place", {"by_coordinator": by_coordinator})


def session_cancelled_emails(session):
    """Tell everyone signed up to ``session`` that it is called off, and where to choose another."""
    signups = session.signups.select_related("enrollment__user", "enrollment__program")
    with email_batch() as batch:
        for signup in signups:
            _send(session, signup.enrollment, "training_session_cancelled", batch=batch)
