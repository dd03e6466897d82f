""" "Last active": when a person last signed in or did something (a check-in, a message), shown to
their coordinators and staff (the applicant list and page, the matches list, staff's person page)
and never to a partner or anyone else."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from mentorship.models import User, last_active_sql
from mentorship.services import user_seen
from mentorship.words import ago
from tests import scenarios
from tests.evaluation.reminder_helpers import at, day, reminder_world, start_pair

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)


def seen_at(user):
    return User.objects.values_list("last_active_at", flat=True).get(pk=user.pk)


@pytest.fixture
def world():
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    return world


def test_signing_in_writes_it(client):
    user = scenarios.person(email="ann@seen.test", display_name="Ann")
    assert seen_at(user) is None
    with time_machine.travel(NOON, tick=False):
        response = client.post(
            reverse("account_login"), {"login": "ann@seen.test", "password": scenarios.DEMO_PASSWORD}
        )
    assert response.status_code == 302
    assert seen_at(user) == NOON


def test_two_quick_calls_write_once_and_a_later_one_again():
    user = scenarios.person(email="ann@seen.test")
    with time_machine.travel(NOON, tick=False):
        user_seen(user=user)
    soon = NOON + dt.timedelta(minutes=2)
    with time_machine.travel(soon, tick=False), CaptureQueriesContext(connection) as queries:
        user_seen(user=user)
    assert seen_at(user) == NOON  # the conditional update matched no row
    assert len(queries) == 1
    later = NOON + dt.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        user_seen(user=user)
    assert seen_at(user) == later


def test_logging_a_check_in_writes_it_for_who_logged_it(world):
    ben, ada = world.mentees["ben"].user, world.mentors["ada"].user
    with at(day(9)):
        evaluation_services.checkin_log(match=world.match, by=ben, occurred_on=day(8))
    assert timezone.localdate(seen_at(ben)) == day(9)
    assert seen_at(ada) is None


@pytest.mark.parametrize(
    ("active", "login", "expected"),
    [(None, None, None), (1, None, 1), (None, 2, 2), (1, 2, 2), (3, 2, 3)],
)
def test_last_active_is_the_later_of_the_sign_in_and_the_last_thing_done_in_python_and_sql(
    active, login, expected
):
    def when(n):
        return None if n is None else NOON + dt.timedelta(days=n)

    user = scenarios.person(email="ann@seen.test")
    User.objects.filter(pk=user.pk).update(last_active_at=when(active), last_login=when(login))
    user.refresh_from_db()
    assert user.last_active == when(expected)
    assert User.objects.annotate(seen=last_active_sql()).get(pk=user.pk).seen == when(expected)


def test_it_reads_in_days():
    today = dt.date(2027, 3, 10)
    assert ago(None, today) == "never"
    assert ago(NOON, today) == "today"
    assert ago(NOON - dt.timedelta(days=1), today) == "yesterday"
    assert ago(NOON - dt.timedelta(days=3), today) == "3 days ago"
    assert ago(NOON - dt.timedelta(days=14), today) == "2 weeks ago"


def text(client, url):
    return client.get(url).content.decode()


def coordinator_pages(world):
    return [
        reverse("programs:applicants", args=[world.program.slug]),
        reverse("programs:applicant", args=[world.program.slug, world.mentees["ben"].pk]),
        reverse("matching:matches", args=[world.program.slug]),
    ]


def test_coordinators_and_staff_see_it(world, client):
    with at(day(7)):
        user_seen(user=world.mentees["ben"].user)
    staff = scenarios.person(email="staff@seen.test", is_staff=True, is_superuser=True)
    with at(day(10)):
        client.force_login(world.coordinator)
        applicants, applicant, matches = (text(client, url) for url in coordinator_pages(world))
        client.force_login(staff)
        person = text(client, reverse("evaluation:person", args=[world.mentees["ben"].user_id]))
        staff_matches = text(client, coordinator_pages(world)[2])
    assert "Last active: 3 days ago" in applicants
    assert "Last active: never" in applicants  # Ada has not been seen
    assert "<dt>Last active</dt><dd>3 days ago" in applicant
    assert "Last active: Ada never; Ben 3 days ago" in matches
    assert "<dt>Last active</dt><dd>3 days ago" in person
    assert "Last active: Ada never; Ben 3 days ago" in staff_matches


def test_a_partner_and_others_never_see_it(world, client):
    with at(day(7)):
        user_seen(user=world.mentees["ben"].user)
    other = scenarios.coordinator(email="other@seen.test", display_name="Other Lead")
    scenarios.program(coordinator=other, name="Another Program")
    with at(day(10)):
        client.force_login(world.mentors["ada"].user)  # Ben's partner
        pages = [
            client.get(world.match.get_absolute_url()),
            client.get(reverse("dashboard")),
            client.get(world.mentors["ada"].get_absolute_url()),
        ]
        client.force_login(world.mentees["ben"].user)
        pages += [client.get(world.match.get_absolute_url()), client.get(reverse("dashboard"))]
        for page in pages:
            assert page.status_code == 200
            assert "last active" not in page.content.decode().lower()
        client.force_login(other)
        for url in coordinator_pages(world):
            assert client.get(url).status_code == 404


def test_the_applicant_list_takes_the_same_queries_however_many_rows(world, client):
    url = reverse("programs:applicants", args=[world.program.slug])
    with at(day(10)):
        client.force_login(world.coordinator)
        client.get(url)  # the session and caches warm
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(4):
            user_seen(user=scenarios.ready_mentee(program=world.program, email=f"more{n}@seen.test").user)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url).content.decode()
    assert page.count("Last active: today") == 4  # the four new ones; nobody else was seen
    assert len(many) == len(few)
