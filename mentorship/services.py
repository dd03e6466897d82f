"""Writes for the site and its people."""

import contextlib
import logging
import threading

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Lower
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from mentorship.models import AuditEntry, Heartbeat, Language, OutboundEmail, Tag
from mentorship.queue import enqueue

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def heartbeat_record(*, name):
    """Record that the periodic job ``name`` ran now. Safe to run at once on many workers."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    return now


def profile_set_date_of_birth(*, profile, date_of_birth):
    """Every change of a date of birth comes here (profile form, application form), so that the
    programs see it: an approved enrollment is flagged for its coordinators to look again."""
    if profile.date_of_birth == date_of_birth:
        return profile
    profile.date_of_birth = date_of_birth
    profile.date_of_birth_changed_at = timezone.now()
    profile.save(update_fields=["date_of_birth", "date_of_birth_changed_at", "updated_at"])
    if profile.user_id:
        audit_record(actor=profile.user, action="profile.date_of_birth", target=profile, summary="changed")
    return profile


def audit_record(*, actor=None, action, target, summary="", actor_label=""):
    """One row of the audit trail, in the caller's transaction (rolled back with the change)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:200],
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        summary=summary[:300],
    )


def audit_trail(target):
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).select_related("actor__profile")


# --- Email outbox ------------------------------------------------------------------------------


_batch = threading.local()


def _render_text(name, context):
    # Plain-text email: no HTML escaping ("Jo's Mum" must not arrive as "Jo&#x27;s Mum").
    template = get_template(name).template
    return template.render(Context(context, autoescape=False))


def email_queue(*, to, template, context):
    """Render templates/emails/<template>_subject.txt and .txt and queue the message.

    The row is part of the caller's transaction: if the change is rolled back, no email.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_text(f"emails/{template}_subject.txt", context).split())
    body = _render_text(f"emails/{template}.txt", context)
    email = OutboundEmail(to=to, subject=subject[:200], body=body, kind=template)
    if getattr(_batch, "emails", None) is not None:
        _batch.emails.append(email)  # inserted in bulk when the batch ends
    else:
        email.save()
        from mentorship.tasks import send_queued_emails  # tasks import services; avoid the cycle

        enqueue(send_queued_emails, [email.pk])
    return email


@contextlib.contextmanager
def email_batch():
    """Emails queued inside are inserted in bulk and go to the worker as one task (after commit):
    an import of a thousand people, or a reminder sweep, sends one message to the broker."""
    if getattr(_batch, "emails", None) is not None:  # already batching
        yield
        return
    _batch.emails = []
    try:
        yield
        emails = _batch.emails
    finally:
        _batch.emails = None
    if emails:
        OutboundEmail.objects.bulk_create(emails, batch_size=1000)
        from mentorship.tasks import send_queued_emails

        enqueue(send_queued_emails, [email.pk for email in emails])


def email_send(*, email_id):
    """Send one queued email unless it went already or another worker holds it."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS)
            .first()
        )
        if email is None:
            return False
        try:
            send_mail(email.subject, email.body, None, [email.to])
        except Exception as exc:  # SMTP trouble: keep the row for the sweep
            email.attempts += 1
            email.last_error = type(exc).__name__
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("email %s not sent (%s); attempt %s", email.pk, type(exc).__name__, email.attempts)
            return False
        email.sent_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["sent_at", "attempts"])
        return True


def email_send_pending(*, older_than_seconds=0, limit=500):
    """The sweep: send what is still unsent (a lost task, an outage). Returns how many went."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS, created_at__lte=cutoff
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_send(email_id=pk) for pk in ids)


# --- Tags and languages: pick or add -------------------------------------------------------------


def tags_get_or_create(*, names):
    """Tags for these names, creating the new ones; "Python" and "python " are one tag."""
    return _vocabulary_get_or_create(Tag, names)


def languages_get_or_create(*, names):
    return _vocabulary_get_or_create(Language, names)


def _vocabulary_get_or_create(model, names):
    wanted = {}
    for name in names:
        clean = " ".join(str(name).split())[:60]
        if clean:
            wanted.setdefault(clean.lower(), clean)
    if not wanted:
        return []

    def lookup():
        matches = model.objects.annotate(key=Lower("name")).filter(key__in=list(wanted))
        return {obj.key: obj for obj in matches}

    existing = lookup()
    missing = [model(name=name) for key, name in wanted.items() if key not in existing]
    if missing:
        # ignore_conflicts: another request may add the same tag at the same moment.
        model.objects.bulk_create(missing, ignore_conflicts=True)
        existing = lookup()
    return [existing[key] for key in wanted]
