"""The coordinators' events list: the upcoming events, then the past ones 25 a page, newest first
(a program runs events for years), in the same queries whichever page and however many."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Event
from programs.views.events import PAST_PAGE_SIZE
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return scenarios.matching_world()


def _past_events(world, count, *, start=0):
    now = timezone.now()
    for n in range(start, start + count):
        event = Event.objects.create(
            title=f"Past meet-up {n:03d}", description="Met the others.", status="published",
            starts_at=now - dt.timedelta(days=1000 - n), created_by=world.coordinator,
        )  # fmt: skip
        event.programs.add(world.program)


def test_the_past_events_are_listed_a_page_at_a_time_newest_first(world, client):
    _past_events(world, PAST_PAGE_SIZE + 5)
    client.force_login(world.coordinator)
    url = reverse("programs:events", args=[world.program.slug])
    first = client.get(url).content.decode()
    assert first.count("Past meet-up") == PAST_PAGE_SIZE
    assert "Past meet-up 029" in first and "Past meet-up 000" not in first
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("Past meet-up") == 5
    assert "Past meet-up 000" in second and "Past meet-up 029" not in second


def test_a_page_of_past_events_takes_the_same_queries_for_30_or_90(world, client):
    client.force_login(world.coordinator)
    url = reverse("programs:events", args=[world.program.slug])
    _past_events(world, 30)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"page": 2}).status_code == 200
    _past_events(world, 60, start=30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"page": 2}).status_code == 200
    assert len(many) == len(few)
