"""What follows an event without anyone asking: the reminder the day before and, once it is over,
the request for feedback to those who came (with the link that is its own key), and the feedback
itself.

Both are background jobs that are safe to run twice or at once: each RSVP is claimed by a
conditional update (``reminded_at``, ``feedback_sent_at`` still empty) before its email is queued in
the same transaction, so whoever wins the claim sends, and nobody else."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programs.event_emails import event_feedback_email, event_reminder_email
from programs.models import EventFeedback, EventStatus, Rsvp, RsvpStatus

REMINDER_AHEAD = dt.timedelta(hours=24)
# Feedback is asked for events that ended in the last FEEDBACK_WINDOW (a late attendance list still
# counts; a year-old one does not).
FEEDBACK_WINDOW = dt.timedelta(days=14)


def _claim_and_send(rsvp, field, send):
    """Claim ``rsvp`` on ``field`` (set it now if still empty) and send; True if this call won."""
    with transaction.atomic():
        claimed = Rsvp.objects.filter(pk=rsvp.pk, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
        if claimed:
            send(rsvp)
        return bool(claimed)


def event_reminders_send(*, now=None):
    """Remind everyone going to a published event that starts within the next 24 hours, once
    each. Returns how many were sent by this call."""
    now = now or timezone.now()
    due = Rsvp.objects.filter(
        status=RsvpStatus.GOING,
        reminded_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("event", "user")
    return sum(_claim_and_send(rsvp, "reminded_at", event_reminder_email) for rsvp in due)


def event_feedback_requests_send(*, now=None, event=None):
    """Ask everyone marked present at an event that is over (not cancelled) for feedback, once
    each. Returns how many were asked by this call."""
    now = now or timezone.now()
    due = Rsvp.objects.filter(
        status=RsvpStatus.GOING,
        attended=True,
        feedback_sent_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gte=now - FEEDBACK_WINDOW,
        event__starts_at__lte=now,
    ).select_related("event", "user")
    if event is not None:
        due = due.filter(event=event)
    asked = 0
    for rsvp in due:
        if rsvp.event.ends_at <= now:
            asked += _claim_and_send(rsvp, "feedback_sent_at", event_feedback_email)
    return asked


@transaction.atomic
def event_feedback_give(*, rsvp, rating, text=""):
    """The feedback of someone who came (from their emailed link): given once, changed after."""
    if rsvp.attended is not True:
        raise ValidationError("Feedback is for those who came.")
    feedback, _ = EventFeedback.objects.update_or_create(
        rsvp=rsvp, defaults={"rating": rating, "text": text, "submitted_at": timezone.now()}
    )
    return feedback
