"""Emails whose task was lost: the sweep drains the whole backlog within its time budget (not 500
per run), and a reminder whose check-in was logged meanwhile is dropped, not sent late."""

import pytest

from evaluation import reminders
from mentorship.models import OutboundEmail
from mentorship.services import email_queue, email_send_pending
from tests.evaluation.reminder_helpers import (
    at,
    day,
    flush_outbox,
    log_checkin,
    reminder_world,
    start_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    flush_outbox(mailoutbox)
    return world


def queue_backlog(count):
    for n in range(count):
        email_queue(to=f"person{n}@backlog.test", template="enrollment_waitlisted",
                    context={"enrollment": None, "program": None, "note": ""})  # fmt: skip


def test_one_sweep_drains_a_backlog_larger_than_a_batch(world, mailoutbox):
    with at(day(40)):
        queue_backlog(23)
    with at(day(41)):
        sent = email_send_pending(limit=5)
    assert sent == 23
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert len(mailoutbox) == 23


def test_the_sweep_stops_at_its_time_budget_and_the_next_run_goes_on(world, mailoutbox):
    with at(day(40)):
        queue_backlog(12)
    with at(day(41)):
        first = email_send_pending(limit=5, budget_seconds=0)  # one batch, then the budget is spent
        second = email_send_pending(limit=5)
    assert (first, second) == (5, 7)


def test_a_due_reminder_whose_check_in_was_logged_meanwhile_is_dropped_not_sent_late(world, mailoutbox):
    with at(day(12)):
        reminders.reminders_sweep()  # the "due" emails are queued; their task is lost
    queued = OutboundEmail.objects.filter(kind="reminder_due")
    assert queued.count() == 2 and all(email.topic for email in queued)
    log_checkin(world.match, day(13))
    with at(day(13)):
        assert email_send_pending() == 0
    assert mailoutbox == []
    for email in queued.all():
        assert email.sent_at is None and email.dropped_at is not None
        assert email.last_error == "not needed any more: a check-in was logged"
    with at(day(13)):
        assert email_send_pending() == 0  # dropped rows are not looked at again


def test_a_late_reminder_still_needed_is_sent(world, mailoutbox):
    with at(day(12)):
        reminders.reminders_sweep()
    with at(day(13)):
        assert email_send_pending() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@matching.test", "ben@matching.test"]
