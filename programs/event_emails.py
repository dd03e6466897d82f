"""The emails about events: an update (its time or place changed), a cancellation, a place freed
for someone on the wait-list, the day-before reminder, and the request for feedback. Queued inside
the caller's transaction (mentorship.services.email_queue): if the change is rolled back, no email.

Each goes to one person, about their own place: never who else comes. The online link is in the
emails to those going; an update and a cancellation carry the calendar event (same UID, higher
SEQUENCE) so that calendar apps update it."""

from django.conf import settings
from django.urls import reverse

from mentorship.services import email_batch, email_queue
from programs.event_calendar import event_document, event_url
from programs.models import RsvpStatus


def _send(rsvp, template, *, batch=None, calendar="", **context):
    event = rsvp.event
    user = rsvp.user
    return email_queue(
        to=user.email,
        template=template,
        context={
            "name": user.display_name,
            "event": event,
            "event_url": event_url(event),
            "going": rsvp.status == RsvpStatus.GOING,
            **context,
        },
        calendar=calendar,
        batch=batch,
    )


def event_updated_emails(event, rsvps):
    """Tell those going that the time or place changed, with the calendar update."""
    calendar = event_document(event, method="REQUEST", with_link=True)
    with email_batch() as batch:
        for rsvp in rsvps:
            _send(rsvp, "event_updated", batch=batch, calendar=calendar)


def event_cancelled_emails(event, rsvps):
    """Tell those going or on the wait-list that the event is called off."""
    calendar = event_document(event, method="CANCEL")
    with email_batch() as batch:
        for rsvp in rsvps:
            _send(
                rsvp,
                "event_cancelled",
                batch=batch,
                calendar=calendar if rsvp.status == RsvpStatus.GOING else "",
            )


def event_promoted_email(rsvp):
    return _send(
        rsvp, "event_promoted", calendar=event_document(rsvp.event, method="REQUEST", with_link=True)
    )


def event_reminder_email(rsvp):
    return _send(rsvp, "event_reminder")


def event_feedback_email(rsvp):
    url = settings.SITE_URL + reverse("programs:event_feedback", args=[rsvp.feedback_token])
    return _send(rsvp, "event_feedback", feedback_url=url)
