"""The day-before reminder (programs/event_followups.py): everyone going to an event in the next 24
hours is reminded exactly once, however often the job runs, and when two runs happen at the same
moment (threads with their own database connections)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from mentorship.models import OutboundEmail
from programs import events
from programs.event_followups import event_reminders_send
from programs.models import Rsvp
from programs.tasks import send_event_reminders
from tests import scenarios


def _event(world, *, hours, title="Tomorrow's meet-up", capacity=2):
    event = events.event_create(by=world.coordinator, programs=[world.program], title=title,
                                description="See you.", place="Hall", capacity=capacity,
                                starts_at=timezone.now() + dt.timedelta(hours=hours))  # fmt: skip
    events.event_publish(event=event, by=world.coordinator)
    return event


def _reminders():
    return sorted(OutboundEmail.objects.filter(kind="event_reminder").values_list("to", flat=True))


@pytest.mark.django_db
def test_those_going_are_reminded_once_however_often_it_runs():
    world = scenarios.matching_world()
    soon = _event(world, hours=20)
    later = _event(world, hours=24 * 4, title="Next week")
    ben, dee, eve = (world.mentees[n].user for n in ("ben", "dee", "eve"))
    for user in (ben, dee, eve):  # eve is wait-listed: no reminder
        events.rsvp(event=soon, user=user)
    events.rsvp(event=later, user=ben)
    assert event_reminders_send() == 2
    send_event_reminders()  # the beat's task, again: nothing more
    assert event_reminders_send() == 0
    assert _reminders() == sorted([ben.email, dee.email])
    assert Rsvp.objects.filter(event=soon, reminded_at__isnull=False).count() == 2
    email = OutboundEmail.objects.get(kind="event_reminder", to=ben.email)
    assert "Tomorrow" in email.subject and "Hall" in email.body and "Dee" not in email.body


@pytest.mark.django_db
def test_a_cancelled_event_is_not_reminded():
    world = scenarios.matching_world()
    soon = _event(world, hours=10)
    events.rsvp(event=soon, user=world.mentees["ben"].user)
    events.event_cancel(event=soon, by=world.coordinator)
    assert event_reminders_send() == 0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once():
    world = scenarios.matching_world()
    soon = _event(world, hours=12, capacity=None)
    people = [world.mentees[n].user for n in ("ben", "dee", "eve", "fay")]
    for user in people:
        events.rsvp(event=soon, user=user)
    barrier, counts = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            counts.append(event_reminders_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 4
    assert _reminders() == sorted(u.email for u in people)
