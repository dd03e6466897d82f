"""An event as a calendar event: the same VEVENT in the person's calendar feed
(evaluation/views/feeds.py), in the emails about it (an update, a cancellation) and in the single
event's download, with one UID and SEQUENCE for life (Event.uid, Event.sequence), so a calendar
holding several copies sees one event.

What it says: the title, the time in UTC, the place, and the event's page. The online link only
for someone going (``with_link``); never who else comes. The ORGANIZER is the site's own address
and there are no ATTENDEE lines. The text rules are mentorship/ical.py's.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from mentorship import ical
from programs.models import EventStatus, Rsvp, RsvpStatus

MAX_EVENTS = 200  # the most recent a feed lists


def event_url(event):
    return settings.SITE_URL + event.get_absolute_url()


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = (name or settings.SITE_NAME).replace('"', "")
    return f'ORGANIZER;CN="{name}":mailto:{address}'


def event_lines(event, *, stamp, with_link=False):
    """The VEVENT of ``event``; ``stamp`` the DTSTAMP (its last change, for a feed)."""
    description = f"{event.get_kind_display()}. Details and your place: {event_url(event)}"
    if with_link and event.link:
        description += f"\nJoin online: {event.link}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{ical.utc_stamp(stamp)}",
        f"DTSTART:{ical.utc_stamp(event.starts_at)}",
        f"DTEND:{ical.utc_stamp(event.ends_at)}",
        f"SUMMARY:{ical.escape(event.title)}",
    ]
    if event.place:
        lines.append(f"LOCATION:{ical.escape(event.place)}")
    lines += [
        f"DESCRIPTION:{ical.escape(description)}",
        f"URL:{event_url(event)}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
        _organizer(),
        "END:VEVENT",
    ]
    return lines


def event_document(event, *, method="PUBLISH", with_link=False):
    """A whole calendar of the one event: METHOD PUBLISH (a download), REQUEST (an update
    emailed) or CANCEL."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical.escape(settings.SITE_NAME)}//Events//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *event_lines(event, stamp=timezone.now(), with_link=with_link),
        "END:VCALENDAR",
    ]
    return ical.document(lines)


def feed_lines(user):
    """The VEVENTs of the events ``user`` is going to (a cancelled event stays, as CANCELLED, so
    calendars that hold it mark it called off), most recent first."""
    rsvps = (
        Rsvp.objects.filter(user=user, status=RsvpStatus.GOING)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")[:MAX_EVENTS]
    )
    lines = []
    for rsvp in rsvps:
        lines += event_lines(rsvp.event, stamp=rsvp.event.updated_at, with_link=True)
    return lines
