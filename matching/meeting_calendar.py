"""A meeting as a calendar event: the invitation, update or cancellation emailed to the pair, and the
same event in each person's calendar feed (evaluation/views/feeds.py), with one UID and SEQUENCE.

What an event says, in every copy: "Mentoring meeting: <both first names>", the time in UTC, the
place or video link, how they meet and a link to the pair's meetings page. Never the note (it may
be personal), an email address of the pair or a phone number: the ORGANIZER is the site's own
address (settings.DEFAULT_FROM_EMAIL) and there are no ATTENDEE lines, so a minor's address is in
no calendar. A calendar app that replies to the organizer reaches nobody; answers are given on the
site, which the event links to.

The text rules (escaping, folding, CRLF) are mentorship/ical.py's.
"""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from matching.models import MeetingMode, MeetingStatus
from mentorship import ical
from programs.limited import limited_first_name

# How an event's STATUS follows the meeting's (RFC 5545, 3.8.1.11).
EVENT_STATUS = {
    MeetingStatus.ACCEPTED: "CONFIRMED",
    MeetingStatus.PROPOSED: "TENTATIVE",  # moved after it was accepted: waiting for the partner
    MeetingStatus.DECLINED: "CANCELLED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_title(match):
    """The event's SUMMARY (and the reminder's words): both first names, from the limited profile."""
    return f"Mentoring meeting: {limited_first_name(match.mentor)} and {limited_first_name(match.mentee)}"


def meetings_url(match):
    return settings.SITE_URL + reverse("matching:meetings", args=[match.pk])


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = (name or settings.SITE_NAME).replace('"', "")
    return f'ORGANIZER;CN="{name}":mailto:{address}'


def event_lines(meeting, *, stamp):
    """The VEVENT of ``meeting`` (its match, program and both people loaded). ``stamp`` is the
    DTSTAMP: now for an email, the last change for a feed (so a re-read changes nothing)."""
    match = meeting.match
    description = f"{MeetingMode(meeting.mode).label}. See or change it: {meetings_url(match)}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{ical.utc_stamp(stamp)}",
        f"DTSTART:{ical.utc_stamp(meeting.starts_at)}",
        f"DTEND:{ical.utc_stamp(meeting.ends_at)}",
        f"SUMMARY:{ical.escape(meeting_title(match))}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{ical.escape(meeting.place)}")
    lines += [
        f"DESCRIPTION:{ical.escape(description)}",
        f"STATUS:{EVENT_STATUS[MeetingStatus(meeting.status)]}",
        _organizer(),
        "END:VEVENT",
    ]
    return lines


def invitation(meeting, *, method):
    """An iCalendar document for an email: METHOD:REQUEST (an invitation, or an update of one: the
    same UID with a higher SEQUENCE) or METHOD:CANCEL."""
    assert method in ("REQUEST", "CANCEL")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical.escape(settings.SITE_NAME)}//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *event_lines(meeting, stamp=timezone.now()),
        "END:VCALENDAR",
    ]
    return ical.document(lines)
