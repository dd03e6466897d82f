"""A group session as a calendar event: the invitation, update or cancellation emailed to the group's
members and leaders, and the same event in each one's calendar feed (evaluation/views/feeds.py),
with the session's one UID and SEQUENCE.

The same habits as a pair's meetings (matching/meeting_calendar.py, whose ORGANIZER line is used
here): the summary names the group, never a person; the place or link and a link to the session's
page; never the agenda (written by a leader, it may be personal) in a program that may have
minors; no ATTENDEE lines, so nobody's address is in anyone's calendar.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from matching import meeting_calendar
from matching.group_access import groups_of
from matching.models import GroupSession, SessionStatus
from mentorship import ical

EVENT_STATUS = {SessionStatus.PLANNED: "CONFIRMED", SessionStatus.CANCELLED: "CANCELLED"}
FEED_LIMIT = 500  # the most recent sessions in a feed


def session_title(group):
    return f"Group session: {group.name}"


def session_url(session):
    return settings.SITE_URL + reverse("matching:group_session", args=[session.pk])


def event_lines(session, *, stamp):
    """The VEVENT of ``session`` (its group loaded). ``stamp``: the DTSTAMP (now for an email; a
    fixed time for a feed, so that a re-read changes nothing)."""
    where = session.place or session.link
    description = "See it on the site: " + session_url(session)
    if session.link:
        description = f"Online: {session.link}\n{description}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session.uid}",
        f"SEQUENCE:{session.sequence}",
        f"DTSTAMP:{ical.utc_stamp(stamp)}",
        f"DTSTART:{ical.utc_stamp(session.starts_at)}",
        f"DTEND:{ical.utc_stamp(session.ends_at)}",
        f"SUMMARY:{ical.escape(session_title(session.group))}",
    ]
    if where:
        lines.append(f"LOCATION:{ical.escape(where)}")
    lines += [
        f"DESCRIPTION:{ical.escape(description)}",
        f"STATUS:{EVENT_STATUS[SessionStatus(session.status)]}",
        meeting_calendar._organizer(),  # the site's own address, as for a pair's meetings
        "END:VEVENT",
    ]
    return lines


def invitation(session, *, method):
    """An iCalendar document for an email: METHOD:REQUEST (new or updated) or METHOD:CANCEL."""
    assert method in ("REQUEST", "CANCEL")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical.escape(settings.SITE_NAME)}//Group sessions//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *event_lines(session, stamp=timezone.now()),
        "END:VCALENDAR",
    ]
    return ical.document(lines)


def feed_lines(user):
    """The VEVENTs of the sessions of ``user``'s current groups, for their calendar feed: planned
    ones CONFIRMED, cancelled ones CANCELLED (so a calendar that holds the emailed copy drops it)."""
    sessions = (
        GroupSession.objects.filter(group__in=groups_of(user).values("pk"))
        .select_related("group")
        .order_by("-starts_at", "-pk")[:FEED_LIMIT]
    )
    lines = []
    for session in sessions:
        lines += event_lines(session, stamp=session.created_at)
    return lines
