"""The invite page lists the program's invitations a page at a time (at city scale a program has
sent thousands): newest first, 50 a page, the same queries whichever page and however many."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.invitations import INVITATIONS_PAGE_SIZE
from programs.models import Invitation, Role

pytestmark = pytest.mark.django_db


def _invitations(program, count, *, start=0):
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            program=program,
            email=f"person{n:03d}@example.org",
            role=Role.MENTEE,
            sent_at=now,
            expires_at=now + dt.timedelta(days=30),
        )  # fmt: skip
        for n in range(start, start + count)
    )


def _listed(response):
    return response.text.count("@example.org</th>")


def test_the_invitations_are_listed_a_page_at_a_time_newest_first(client, world):
    _invitations(world.program, INVITATIONS_PAGE_SIZE + 10)
    client.force_login(world.people.coordinator)
    url = reverse("programs:invite", args=[world.program.slug])
    first = client.get(url)
    assert _listed(first) == INVITATIONS_PAGE_SIZE
    assert "person059@example.org" in first.text and "person000@example.org" not in first.text
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = client.get(url, {"page": 2})
    assert _listed(second) == 10
    assert "person000@example.org" in second.text and "person059@example.org" not in second.text


def test_a_page_of_invitations_takes_the_same_queries_for_60_or_600(client, world):
    client.force_login(world.people.coordinator)
    url = reverse("programs:invite", args=[world.program.slug])
    _invitations(world.program, 60)
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert _listed(client.get(url, {"page": 2})) == 10
    _invitations(world.program, 540, start=60)
    with CaptureQueriesContext(connection) as many:
        assert _listed(client.get(url, {"page": 2})) == INVITATIONS_PAGE_SIZE
    assert len(many) == len(few)
