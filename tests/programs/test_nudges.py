"""Nudges: a coordinator's one-click friendly email to someone inactive. Recorded, at most once a
week per person (two coordinators at once send one), refused with a clear message, and only for
the program's coordinators and staff."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from mentorship.models import OutboundEmail
from programs.models import Enrollment, EnrollmentStatus, Nudge
from programs.nudges import nudge_send
from tests import scenarios
from tests.evaluation.reminder_helpers import at, day, deliver, reminder_world, start_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    return world


def nudge_url(world, who="ben"):
    enrollment = world.mentees.get(who) or world.mentors[who]
    return reverse("programs:applicant_nudge", args=[world.program.slug, enrollment.pk])


def nudges_to(email):
    return OutboundEmail.objects.filter(kind="nudge", to=email)


def test_a_nudge_is_a_friendly_email_from_the_coordinator_and_is_recorded(world, mailoutbox):
    ben = world.mentees["ben"]
    with at(day(30)):
        nudge_send(enrollment=ben, by=world.coordinator)
        deliver()
    [email] = [m for m in mailoutbox if m.subject.startswith("We haven't")]
    assert email.to == [ben.user.email]
    assert email.subject == "We haven't seen you in a while (Matching Test Program)"
    assert email.body.startswith("Hello Ben,\n\nThis is Lead, from Matching Test Program.")
    assert "/dashboard/" in email.body  # their match is there
    assert ben.get_absolute_url() in email.body  # where a break is taken
    nudge = Nudge.objects.get()
    assert (nudge.enrollment, nudge.sent_by) == (ben, world.coordinator)
    ben.refresh_from_db()
    assert ben.nudged_at == nudge.created_at


def test_a_second_nudge_within_a_week_is_refused_saying_when_it_is_allowed_again(world):
    ben = world.mentees["ben"]
    with at(day(30)):
        nudge_send(enrollment=ben, by=world.coordinator)
    with at(day(36)), pytest.raises(ValidationError) as refused:
        nudge_send(enrollment=ben, by=world.coordinator)
    assert refused.value.messages == ["Ben was nudged on 31 Mar; you can nudge again from 7 Apr."]
    with at(day(37)):  # seven days on
        nudge_send(enrollment=ben, by=world.coordinator)
    assert Nudge.objects.count() == 2
    assert nudges_to(ben.user.email).count() == 2


def test_the_page_says_why_a_second_click_did_nothing(world, client):
    with at(day(30)):
        client.force_login(world.coordinator)
        client.post(nudge_url(world))
        page = client.post(nudge_url(world), follow=True).content.decode()
    assert "Ben was nudged on 31 Mar; you can nudge again from 7 Apr." in page
    assert nudges_to(world.mentees["ben"].user.email).count() == 1


def test_only_someone_taking_part_can_be_nudged(world):
    dee = world.mentees["dee"]
    Enrollment.objects.filter(pk=dee.pk).update(status=EnrollmentStatus.WITHDRAWN)
    dee.refresh_from_db()
    with pytest.raises(ValidationError, match="taking part"):
        nudge_send(enrollment=dee, by=world.coordinator)
    assert not Nudge.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_clicking_at_once_send_one_nudge():
    world = reminder_world(checkin_cadence_days=14)
    start_pair(world, "ben", "ada")
    second = scenarios.coordinator(email="second@nudge.test", display_name="Sam Second")
    world.program.coordinators.add(second)
    barrier, statuses = threading.Barrier(2), []

    def click(user):
        client = Client()
        client.force_login(user)
        barrier.wait()
        statuses.append(client.post(nudge_url(world)).status_code)
        connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in (world.coordinator, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Nudge.objects.count() == 1
    assert nudges_to(world.mentees["ben"].user.email).count() == 1


def test_staff_may_nudge(world, client):
    staff = scenarios.person(email="staff@nudge.test", is_staff=True)
    with at(day(30)):
        client.force_login(staff)
        assert client.post(nudge_url(world)).status_code == 302
    assert Nudge.objects.get().sent_by == staff


def test_others_get_404_and_strangers_are_sent_to_sign_in(world, client):
    other = scenarios.coordinator(email="other@nudge.test", display_name="Other Lead")
    scenarios.program(coordinator=other, name="Another Program")
    url = nudge_url(world)
    assert client.post(url).status_code == 302
    assert client.post(url).url.startswith("/accounts/login/")
    for user in (other, world.mentees["ben"].user, world.mentors["ada"].user, world.mentees["fay"].user):
        client.force_login(user)
        assert client.post(url).status_code == 404, user
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 405  # a POST only
    assert not Nudge.objects.exists()
    other_program = scenarios.program(coordinator=world.coordinator, name="Lead's Other Program")
    wrong_program = reverse("programs:applicant_nudge", args=[other_program.slug, world.mentees["ben"].pk])
    assert client.post(wrong_program).status_code == 404  # Ben is not in that program


def test_the_click_goes_back_where_it_came_from_if_that_is_this_site(world, client):
    with at(day(30)):
        client.force_login(world.coordinator)
        back = reverse("programs:applicant", args=[world.program.slug, world.mentees["ben"].pk])
        assert client.post(nudge_url(world), {"next": back}).url == back
        response = client.post(nudge_url(world, "ada"), {"next": "https://evil.example/"})
    assert response.url == reverse("dashboard")


def test_the_applicant_page_says_when_they_were_last_nudged(world, client):
    with at(day(30)):
        nudge_send(enrollment=world.mentees["ben"], by=world.coordinator)
    with at(day(31)):
        client.force_login(world.coordinator)
        page = client.get(reverse("programs:applicant", args=[world.program.slug, world.mentees["ben"].pk]))
    assert "Last nudged on 31 Mar 2027" in page.content.decode()


def test_a_week_is_seven_days_to_the_minute(world):
    ben = world.mentees["ben"]
    with at(day(30), hour=9):
        nudge_send(enrollment=ben, by=world.coordinator)
    with at(day(37), hour=8), pytest.raises(ValidationError):
        nudge_send(enrollment=ben, by=world.coordinator)
    with at(day(37), hour=9):
        nudge_send(enrollment=ben, by=world.coordinator)
    first, second = Nudge.objects.order_by("pk")
    assert second.created_at - first.created_at == dt.timedelta(days=7)
