"""Guardian consent for mentees under 18: the request, the guardian's answer, withdrawal and its
consequences (the handlers in settings.CONSENT_WITHDRAWN_HANDLERS). Every write about it is here."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from mentorship.services import audit_record, email_queue
from programs.models import (
    ConsentAnswer,
    Enrollment,
    GuardianConsent,
    Role,
)

# --- Guardian consent (mentees under 18) -----------------------------------------------------------


def _consent_context(consent):
    enrollment = consent.enrollment
    return {
        "consent": consent,
        "enrollment": enrollment,
        "program": enrollment.program,
        "guardian_name": consent.guardian_name,
        "coordinators": list(enrollment.program.coordinators.select_related("profile")),
        "manage_url": settings.SITE_URL + reverse("programs:guardian", args=[consent.manage_token]),
    }


def guardian_email_queue(*, enrollment, template, context=None):
    """An email to the mentee's current guardian (when there is one who has not said no), always
    with the link to withdraw or raise a concern. Returns the email, or None."""
    consent = guardian_to_email(enrollment)
    if consent is None:
        return None
    return email_queue(
        to=consent.guardian_email, template=template, context={**_consent_context(consent), **(context or {})}
    )


def guardian_to_email(enrollment):
    """The current consent whose guardian is emailed about ``enrollment`` (one who has not said
    no), or None: the one rule for who hears, used to send and to say who was told."""
    consent = current_consent(enrollment)
    if consent is None or consent.answer in (ConsentAnswer.REFUSED, ConsentAnswer.WITHDRAWN):
        return None
    return consent


def current_consent(enrollment):
    return enrollment.consents.filter(revoked_at__isnull=True).first()


def guardian_news(enrollment):
    """What the guardian's page shows first, from the apps above (settings.GUARDIAN_PAGE_NEWS):
    a list of context dicts, each with its "template"."""
    news = (import_string(path)(enrollment) for path in settings.GUARDIAN_PAGE_NEWS)
    return [item for item in news if item]


@transaction.atomic
def guardian_request_consent(*, enrollment, name, email, by, batch=None):
    """Ask a mentee's parent or guardian for consent, revoking every earlier link.

    The applicant names the guardian once (with the application, or later if never asked); after
    that only the program's coordinators change the guardian or send the request again (the view
    checks who manages the program; this refuses the applicant)."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("program", "user").get(pk=enrollment.pk)
    )
    if enrollment.role != Role.MENTEE:
        raise ValidationError("Guardian consent is for mentees.")
    if not name or not email:
        raise ValidationError("A guardian's name and email are both needed.")
    if by is not None and by.pk == enrollment.user_id and enrollment.guardian_asked_at is not None:
        raise PermissionDenied("Once a guardian has been asked, only a coordinator can change them.")
    now = timezone.now()
    previous = current_consent(enrollment)
    if previous is not None:
        GuardianConsent.objects.filter(pk=previous.pk).update(revoked_at=now)
    consent = GuardianConsent.objects.create(
        enrollment=enrollment,
        guardian_name=name,
        guardian_email=email.strip().lower(),
        asked_by=by,
        asked_at=now,
        expires_at=now + dt.timedelta(days=enrollment.program.consent_valid_days),
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        guardian_name=name,
        guardian_email=consent.guardian_email,
        guardian_consent=None,
        guardian_answered_at=None,
        guardian_asked_at=now,
    )
    enrollment.guardian_name, enrollment.guardian_email = name, consent.guardian_email
    enrollment.guardian_consent, enrollment.guardian_answered_at = None, None
    enrollment.guardian_asked_at = now
    if previous is None:
        summary = "guardian asked"
    elif previous.guardian_email == consent.guardian_email:
        summary = "request sent again"
    else:
        summary = "guardian changed"
    audit_record(actor=by, action="consent.requested", target=enrollment, summary=summary)
    consent.enrollment = enrollment
    email_queue(
        to=consent.guardian_email,
        template="guardian_consent_request",
        context=_consent_context(consent),
        batch=batch,
    )
    return consent


@transaction.atomic
def guardian_change_request(*, enrollment, name, email, by):
    """A mentee asks to change their guardian after one was asked: the request goes to the
    coordinators, who decide (and change it on the applicant's page)."""
    if by.pk != enrollment.user_id:
        raise PermissionDenied("Only the applicant asks this.")
    audit_record(actor=by, action="consent.change_requested", target=enrollment)
    for coordinator in enrollment.program.coordinators.all():
        email_queue(
            to=coordinator.email,
            template="guardian_change_request",
            context={
                "enrollment": enrollment,
                "program": enrollment.program,
                "name": name,
                "email": email,
                "applicant_url": settings.SITE_URL
                + reverse("programs:applicant", args=[enrollment.program.slug, enrollment.pk]),
            },
        )


def _lock_consent(consent):
    return (
        GuardianConsent.objects.select_for_update(of=("self",))
        .select_related("enrollment__program", "enrollment__user__profile")
        .get(pk=consent.pk)
    )


@transaction.atomic
def guardian_answer(*, consent, given, signed_name, relationship):
    """The guardian answers on their link, signing with their typed full name. The link is used
    up; a "no" has the effects of a withdrawal."""
    consent = _lock_consent(consent)
    if not consent.can_answer():
        raise ValidationError("This link can no longer be used.")
    now = timezone.now()
    consent.answer = ConsentAnswer.GIVEN if given else ConsentAnswer.REFUSED
    consent.answered_at, consent.signed_name, consent.relationship = now, signed_name, relationship
    consent.save(update_fields=["answer", "answered_at", "signed_name", "relationship"])
    enrollment = consent.enrollment
    Enrollment.objects.filter(pk=enrollment.pk).update(guardian_consent=given, guardian_answered_at=now)
    enrollment.guardian_consent, enrollment.guardian_answered_at = given, now
    audit_record(
        action="consent.given" if given else "consent.refused",
        target=enrollment,
        actor_label=f"guardian {signed_name} ({relationship})",
    )
    if not given:
        _consent_withdrawn(consent, reason="A parent or guardian did not give consent")
    return consent


@transaction.atomic
def guardian_withdraw(*, consent):
    """The guardian withdraws the consent they gave, from the link in any guardian email."""
    consent = _lock_consent(consent)
    if not consent.can_withdraw():
        raise ValidationError("There is no consent to withdraw on this link.")
    now = timezone.now()
    consent.answer, consent.withdrawn_at = ConsentAnswer.WITHDRAWN, now
    consent.save(update_fields=["answer", "withdrawn_at"])
    enrollment = consent.enrollment
    Enrollment.objects.filter(pk=enrollment.pk).update(guardian_consent=False, guardian_answered_at=now)
    enrollment.guardian_consent, enrollment.guardian_answered_at = False, now
    audit_record(action="consent.withdrawn", target=enrollment, actor_label=f"guardian {consent.signed_name}")
    _consent_withdrawn(consent, reason="A parent or guardian withdrew consent")
    return consent


def _consent_withdrawn(consent, *, reason):
    """No consent: the mentee's active matches pause at once (the matching app does it, named in
    settings), so reminders stop; without consent they are out of matching; every coordinator is
    told now, not in a digest."""
    enrollment = consent.enrollment
    paused = []
    for path in settings.CONSENT_WITHDRAWN_HANDLERS:
        paused.extend(import_string(path)(enrollment=enrollment, by=None, reason=reason) or [])
    for coordinator in enrollment.program.coordinators.all():
        email_queue(
            to=coordinator.email,
            template="consent_withdrawn",
            context={
                "enrollment": enrollment,
                "program": enrollment.program,
                "consent": consent,
                "reason": reason,
                "paused": len(paused),
                "applicant_url": settings.SITE_URL
                + reverse("programs:applicant", args=[enrollment.program.slug, enrollment.pk]),
            },
        )
