"""Situations for the meeting tests: Ada mentors Ben from Monday 1 March 2027 (the reminder
world, tests/evaluation/reminder_helpers.py), meetings proposed on chosen days, and reading the
calendar part of the emails that go out.

Times are UTC (settings.TIME_ZONE) unless a test says otherwise."""

import datetime as dt
import re

import time_machine

from matching import meetings
from matching.models import MeetingMode
from tests.evaluation.reminder_helpers import (
    START,
    at,
    day,
    deliver,
    flush_outbox,
    reminder_world,
    start_pair,
)

__all__ = ["START", "at", "day", "deliver", "flush_outbox", "reminder_world", "start_pair"]


def moment(offset_days, hour=18, minute=0):
    """An aware UTC datetime ``offset_days`` after START, at ``hour``."""
    return dt.datetime.combine(day(offset_days), dt.time(hour, minute), tzinfo=dt.UTC)


def clock(offset_days, hour, minute=0):
    """Travel to ``hour``:``minute`` UTC, ``offset_days`` after START (the clock stands still)."""
    return time_machine.travel(moment(offset_days, hour, minute), tick=False)


def pair_world(mailoutbox, **program_fields):
    """Ada mentors Ben from START (fortnightly, unless told); the introduction emails sent."""
    world = reminder_world(**{"checkin_cadence_days": 14, **program_fields})
    world.match = start_pair(world, "ben", "ada")
    world.ben, world.ada = world.match.mentee.user, world.match.mentor.user
    flush_outbox(mailoutbox)
    return world


def propose(world, *, by=None, when=None, **fields):
    """Ada (unless ``by``) proposes a meeting, on day 3 (Thursday 4 March) at 18:00 unless ``when``;
    the clock is at START + 1 day, 09:00. The email to the partner is sent (into mailoutbox)."""
    fields = {"duration_minutes": 60, "mode": MeetingMode.IN_PERSON, "place": "Central Library", **fields}
    with at(day(1)):
        meeting = meetings.meeting_propose(
            match=world.match, by=by or world.ada, starts_at=when or moment(3), **fields
        )
    deliver()
    return meeting


def plan(match, *, when, place="Central Library"):
    """The mentor proposes (on day 1) a meeting at ``when``; the mentee accepts it. Emails sent."""
    with at(day(1)):
        meeting = meetings.meeting_propose(match=match, by=match.mentor.user, starts_at=when, place=place)
        meeting = meetings.meeting_accept(meeting=meeting, by=match.mentee.user)
    deliver()
    return meeting


def calendar_parts(message):
    """(Content-Type header, text) of each text/calendar part of a sent email. Python's email
    package keeps line ends as "\n" until the message goes over SMTP (which sends CRLF); the text
    is given back with CRLF, as the outbox row holds it."""
    parts = []
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            text = re.sub(r"\r?\n", "\r\n", part.get_payload(decode=True).decode())
            parts.append((part["Content-Type"], text))
    return parts


def unfold(text):
    return text.replace("\r\n ", "")


def event(text):
    """{property (with its parameters): value} of the calendar's one VEVENT, plus "METHOD"."""
    unfolded = unfold(text)
    block = re.search(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.S).group(1)
    props = dict(line.split(":", 1) for line in block.split("\r\n") if line)
    method = re.search(r"^METHOD:(.*)\r$", unfolded, re.M)
    props["METHOD"] = method.group(1) if method else ""
    return props


def sent_to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]
