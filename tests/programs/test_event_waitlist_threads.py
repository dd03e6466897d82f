"""Wait-list promotion under concurrent cancellations (programs/events.py): several people who were
going cancel at the same moment, each in a thread with its own database connection. The event's
row lock serialises them: the event is never over capacity, each free place goes to the next
person in line, and nobody is promoted (nor emailed) twice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from mentorship.models import OutboundEmail
from programs import events
from programs.models import Rsvp
from tests import scenarios

pytestmark = pytest.mark.django_db(transaction=True)


def _people(program, prefix, n):
    made = [
        scenarios.ready_mentee(program=program, email=f"{prefix}{i}@threads.test", display_name=prefix)
        for i in range(n)
    ]
    return [enrollment.user for enrollment in made]


def _at_once(work, items):
    barrier, errors = threading.Barrier(len(items)), []

    def run(item):
        try:
            barrier.wait()
            work(item)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_cancellations_promote_each_waiting_person_once_and_never_overfill():
    world = scenarios.matching_world()
    event = events.event_create(by=world.coordinator, programs=[world.program], title="Full house",
                                description="Busy.", place="Hall", capacity=4,
                                starts_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    events.event_publish(event=event, by=world.coordinator)
    going = _people(world.program, "going", 4)
    waiting = _people(world.program, "waiting", 6)
    for user in going + waiting:
        events.rsvp(event=event, user=user)
    assert Rsvp.objects.filter(event=event, status="going").count() == 4

    errors = _at_once(lambda user: events.rsvp_cancel(event=event, user=user), going)
    assert not errors

    now_going = Rsvp.objects.filter(event=event, status="going")
    assert now_going.count() == 4  # never over capacity, and every freed place taken
    promoted = sorted(r.user_id for r in now_going)
    assert promoted == sorted(u.pk for u in waiting[:4])  # the first four in line
    assert all(r.promoted_at is not None for r in now_going)
    emails = list(OutboundEmail.objects.filter(kind="event_promoted").values_list("to", flat=True))
    assert sorted(emails) == sorted(u.email for u in waiting[:4])  # each promoted person once
    assert Rsvp.objects.filter(event=event, status="waitlisted").count() == 2


def test_concurrent_replies_for_the_last_places_never_overfill():
    world = scenarios.matching_world()
    event = events.event_create(by=world.coordinator, programs=[world.program], title="Small room",
                                description="Few seats.", place="Room 1", capacity=2,
                                starts_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    events.event_publish(event=event, by=world.coordinator)
    people = _people(world.program, "reply", 6)
    errors = _at_once(lambda user: events.rsvp(event=event, user=user), people)
    assert not errors
    assert Rsvp.objects.filter(event=event, status="going").count() == 2
    assert Rsvp.objects.filter(event=event, status="waitlisted").count() == 4
