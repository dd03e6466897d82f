"""Writes for the site and its people."""

import contextlib
import datetime as dt
import ipaddress
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.module_loading import import_string

from mentorship import ical
from mentorship.models import AuditEntry, Heartbeat, Language, OutboundEmail, Tag, User
from mentorship.queue import enqueue

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def heartbeat_record(*, name):
    """Record that the periodic job ``name`` ran now. Safe to run at once on many workers."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    return now


# A person active within this long is not written again: a burst of messages costs one UPDATE.
SEEN_RESOLUTION = dt.timedelta(minutes=5)


def user_seen(*, user, at=None):
    """Record that ``user`` did something that shows they are around (signed in, sent a message,
    logged a check-in): ``User.last_active_at``, what coordinators see as "last active". A
    conditional update, so many requests at once write it once."""
    at = at or timezone.now()
    user_id = getattr(user, "pk", user)
    User.objects.filter(pk=user_id).filter(
        Q(last_active_at__isnull=True) | Q(last_active_at__lt=at - SEEN_RESOLUTION)
    ).update(last_active_at=at)


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


def profile_set_name(*, profile, name):
    """The name a person gives when they sign up: what the site calls them from the start."""
    profile.display_name = name
    profile.save(update_fields=["display_name", "updated_at"])
    return profile


def audit_record(*, actor=None, action, target, summary="", actor_label="", request=None):
    """One row of the audit trail, in the caller's transaction (rolled back with the change).

    With ``request``, the row keeps the client's address (REMOTE_ADDR, which the trusted-proxy
    handling corrects before any view runs). Never wrapped in a try: a view whose audit row cannot
    be written fails rather than show a record nobody would know was seen."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:200],
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        summary=summary[:300],
        ip=_client_address(request),
    )


def _client_address(request):
    # An address that is not one (a misconfigured proxy) is kept as unknown: the row still counts.
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def audit_trail(target):
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).select_related("actor__profile")


# --- Email outbox ------------------------------------------------------------------------------


def _render_text(name, context):
    # Plain-text email: no HTML escaping ("Jo's Mum" must not arrive as "Jo&#x27;s Mum").
    template = get_template(name).template
    return template.render(Context(context, autoescape=False))


def email_queue(*, to, template, context, topic="", batch=None, calendar=""):
    """Render templates/emails/<template>_subject.txt and .txt and queue the message.

    ``calendar``: an iCalendar text (a meeting's invitation, update or cancellation), attached as
    text/calendar so that mail programs offer to add it.

    The row is part of the caller's transaction: if the change is rolled back, no email. With
    ``batch`` (an ``EmailBatch``, see ``email_batch``) the row joins the batch, inserted in bulk
    and sent to the worker as one task when the batch ends; without, it is saved now and its task
    sent after commit.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_text(f"emails/{template}_subject.txt", context).split())
    body = _render_text(f"emails/{template}.txt", context)
    email = OutboundEmail(
        to=to, subject=subject[:200], body=body, kind=template, topic=topic, calendar=calendar
    )
    if batch is not None:
        batch.emails.append(email)
        return email
    email.save()
    from mentorship.tasks import send_queued_emails  # tasks import services; avoid the cycle

    enqueue(send_queued_emails, [email.pk])
    return email


class EmailBatch:
    """Emails gathered by ``email_queue(..., batch=...)``, inserted together by ``email_batch``."""

    def __init__(self):
        self.emails = []


@contextlib.contextmanager
def email_batch():
    """A batch for ``email_queue(..., batch=batch)``: the emails queued with it are inserted in
    bulk and go to the worker as one task (after commit) when the block ends without an error: an
    import of a thousand people, or a reminder sweep, sends one message to the broker. Nothing
    else changes behaviour inside the block: only the calls given the batch join it."""
    batch = EmailBatch()
    yield batch
    if batch.emails:
        OutboundEmail.objects.bulk_create(batch.emails, batch_size=1000)
        from mentorship.tasks import send_queued_emails

        enqueue(send_queued_emails, [email.pk for email in batch.emails])


def email_send(*, email_id):
    """Send one queued email unless it went already or another worker holds it."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(
                pk=email_id, sent_at__isnull=True, dropped_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS
            )
            .first()
        )
        if email is None:
            return False
        try:
            headers = {"Message-ID": email_message_id(email)}
            message = EmailMessage(email.subject, email.body, None, [email.to], headers=headers)
            if email.calendar:
                # The part repeats the calendar's METHOD (RFC 6047), read from its own line: a
                # place called "METHOD:CANCEL" must not turn an invitation into a cancellation.
                method = ical.method_of(email.calendar) or "PUBLISH"
                message.attach("invite.ics", email.calendar, f"text/calendar; method={method}; charset=utf-8")
            message.send()
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


def email_message_id(email):
    """The Message-ID of an outbox row, the same on every send: a worker killed after the mail
    server took the message but before the row was marked sent leaves it for the sweep, and the
    copy the sweep sends then carries the same id, so mail servers and clients can drop it."""
    created = email.created_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox-{email.pk}.{created}@{domain}>"


def email_send_pending(*, older_than_seconds=0, limit=500, budget_seconds=None):
    """The sweep: send what is still unsent (a lost task, an outage), batch after batch until none
    is left or ``budget_seconds`` (settings.EMAIL_SWEEP_SECONDS) is spent: a backlog of thousands
    drains in one run, and the next run goes on where this one stopped. Before each batch, the apps
    that queued the emails (settings.OUTBOX_CHECKS) say which are not needed any more (a reminder
    whose check-in was logged meanwhile): those are dropped, not sent late. Returns how many went."""
    budget = settings.EMAIL_SWEEP_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    pending = OutboundEmail.objects.filter(
        sent_at__isnull=True, dropped_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS, created_at__lte=cutoff
    ).order_by("pk")  # oldest first: ids grow with time
    sent, after = 0, None
    while True:
        batch = list((pending.filter(pk__gt=after) if after else pending).only("pk", "topic")[:limit])
        if not batch:
            return sent
        after = batch[-1].pk  # keyset: a row that failed this run is not read again in it
        moot = _outbox_moot(batch)
        if moot:
            for pk, reason in moot.items():
                OutboundEmail.objects.filter(pk=pk, sent_at__isnull=True, dropped_at__isnull=True).update(
                    dropped_at=timezone.now(), last_error=f"not needed any more: {reason}"[:200]
                )
        sent += sum(email_send(email_id=email.pk) for email in batch if email.pk not in moot)
        if len(batch) < limit or time.monotonic() >= deadline:
            return sent


def _outbox_moot(emails):
    moot = {}
    for path in settings.OUTBOX_CHECKS:
        moot.update(import_string(path)(emails))
    return moot


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
