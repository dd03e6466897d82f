"""Situations for the reminder and calendar tests: pairs of the matching world made active on a
known day, check-ins on chosen days, and travel in time.

START is a Monday; with the default 14-day cadence a pair started on START has periods beginning
on 1, 15 and 29 March 2027, and its "due" nudge goes out on the period's last two days.
"""

import datetime as dt

import time_machine

from evaluation.models import CheckIn
from matching import services as matching_services
from matching.models import MatchSource
from mentorship.models import OutboundEmail
from mentorship.services import email_send, email_send_pending
from tests import scenarios

START = dt.date(2027, 3, 1)


def day(offset):
    """The date ``offset`` days after START."""
    return START + dt.timedelta(days=offset)


def at(date, hour=9):
    """Travel to ``date`` at ``hour`` UTC (the clock stands still)."""
    return time_machine.travel(dt.datetime.combine(date, dt.time(hour), tzinfo=dt.UTC), tick=False)


def reminder_world(**program_fields):
    """The matching world (Lead runs the program; Ada, Cy, Gus mentor; Ben, Dee, Eve, Fay are
    mentees), built on START."""
    with at(START):
        return scenarios.matching_world(**program_fields)


def start_pair(world, mentee, mentor, *, on=START):
    """Propose ``mentee`` + ``mentor`` and have both confirm on ``on``: an active match from then."""
    with at(on):
        match = matching_services.match_propose(
            program=world.program,
            mentee=world.mentees[mentee],
            mentor=world.mentors[mentor],
            by=world.coordinator,
            source=MatchSource.MANUAL,
        )
        matching_services.match_confirm(match=match, by=match.mentee.user)
        match = matching_services.match_confirm(match=match, by=match.mentor.user)
    return match


def log_checkin(match, on, *, held=True, notes=""):
    """A check-in row (what the check-in form stores; the reminders only read it)."""
    return CheckIn.objects.create(
        match=match, logged_by=match.mentee.user, occurred_on=on, held=held, notes=notes
    )


def deliver(send_queued_emails=None):
    """Send the outbox as a worker does with the task each email is queued with (on time, by id:
    the late sweep's "is it still needed?" check is not this path; test_email_recovery has it)."""
    for pk in OutboundEmail.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True):
        email_send(email_id=pk)


def flush_outbox(mailoutbox):
    """Send the match introductions and "your match has started" emails, then forget them, so a
    test sees only the emails it causes."""
    deliver(email_send_pending)
    mailoutbox.clear()


def set_reminders(user, enabled):
    user.profile.email_reminders = enabled
    user.profile.save(update_fields=["email_reminders"])
