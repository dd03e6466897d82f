"""Inactive people: participants of active matches not seen (signed in, messaged, logged a
check-in) for two check-in periods show in their coordinators' to-do, with a one-click nudge.
Someone never seen counts from the start of their match, and someone on a break is left out."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import digests, todo
from evaluation.activity import inactive_people
from matching import services as matching_services
from mentorship.models import User
from mentorship.services import user_seen
from programs import breaks
from tests import scenarios
from tests.evaluation.reminder_helpers import START, at, day, deliver, reminder_world, start_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Ada mentors Ben from START, fortnightly check-ins: inactive after 28 days unseen."""
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    return world


def names(world, on):
    found = inactive_people([world.program], on=on)
    return [e.user.display_name for e in found.get(world.program.pk, [])]


def test_people_never_seen_count_from_the_start_of_their_match(world):
    assert names(world, day(28)) == []  # exactly two periods: not yet
    assert sorted(names(world, day(29))) == ["Ada", "Ben"]


def test_someone_seen_within_two_periods_is_not_inactive(world):
    with at(day(20)):
        user_seen(user=world.mentees["ben"].user)
    assert names(world, day(30)) == ["Ada"]
    assert names(world, day(48)) == ["Ada"]  # seen 28 days before: not yet
    assert names(world, day(49)) == ["Ada", "Ben"]  # never seen first, then the longest unseen


def test_a_sign_in_counts_as_being_seen(world):
    User.objects.filter(pk=world.mentors["ada"].user_id).update(
        last_login=timezone.make_aware(dt.datetime.combine(day(25), dt.time(12)))
    )
    assert names(world, day(30)) == ["Ben"]


def test_the_cadence_sets_how_long_is_too_long():
    world = reminder_world(checkin_cadence_days=30)
    start_pair(world, "ben", "ada")
    assert names(world, day(45)) == []
    assert sorted(names(world, day(61))) == ["Ada", "Ben"]


def test_someone_on_a_break_is_left_out_until_they_are_back(world):
    ada = world.mentors["ada"]
    with at(day(25)):
        breaks.break_start(enrollment=ada, until=day(40), by=ada.user)
    assert names(world, day(30)) == ["Ben"]
    assert sorted(names(world, day(40))) == ["Ada", "Ben"]  # back on the return date


def test_a_new_match_is_not_flagged_and_a_paused_one_is_not_counted(world):
    with at(day(30)):
        start_pair(world, "fay", "gus", on=day(30))
        matching_services.match_pause(match=world.match, by=world.coordinator)
    assert names(world, day(31)) == []
    assert sorted(names(world, day(59))) == ["Fay", "Gus"]


def quiet_pairs(world, count, prefix):
    """``count`` more pairs started on START, nobody ever seen."""
    with at(START):
        for n in range(count):
            scenarios.active_match(
                program=world.program,
                mentee=scenarios.ready_mentee(program=world.program, email=f"{prefix}{n}-mentee@x.test"),
                mentor=scenarios.ready_mentor(program=world.program, email=f"{prefix}{n}-mentor@x.test"),
                by=world.coordinator,
            )


def test_the_list_takes_three_queries_however_many_people(world):
    with CaptureQueriesContext(connection) as few:
        assert len(inactive_people([world.program], on=day(30))[world.program.pk]) == 2
    quiet_pairs(world, 3, "more")
    with CaptureQueriesContext(connection) as many:
        assert len(inactive_people([world.program], on=day(30))[world.program.pk]) == 8
    assert len(few) == len(many) == 3  # the people, then their profiles and the starts of their matches


def test_the_dashboard_loads_the_first_ones_and_counts_them_all(world):
    quiet_pairs(world, 3, "more")
    everyone = inactive_people([world.program], on=day(30))[world.program.pk]
    with CaptureQueriesContext(connection) as queries:
        first = inactive_people([world.program], on=day(30), shown=3)[world.program.pk]
    assert (len(first), first.total, first.more) == (3, 8, 5)
    assert [e.pk for e in first] == [e.pk for e in everyone[:3]]
    assert [e.in_match_since for e in first] == [e.in_match_since for e in everyone[:3]]
    assert len(queries) == 3
    counted = inactive_people([world.program], on=day(30), shown=0)[world.program.pk]
    assert (len(counted), counted.total) == (0, 8)


def test_the_to_do_panel_lists_them_with_a_nudge_button_then_when_they_were_nudged(world, client):
    ben = world.mentees["ben"]
    nudge_url = reverse("programs:applicant_nudge", args=[world.program.slug, ben.pk])
    with at(day(30)):
        client.force_login(world.coordinator)
        page = client.get(reverse("dashboard")).content.decode()
        assert "2 people inactive for two check-in periods" in page
        assert f'id="inactive-{world.program.slug}"' in page
        assert ">Ben</a> (mentee)" in page
        assert "last active never, in a match since 1 Mar." in page
        assert f'action="{nudge_url}"' in page
        assert "Send a nudge" in page
        response = client.post(nudge_url, {"next": f"/dashboard/#inactive-{world.program.slug}"})
        assert response.status_code == 302
        assert response.url == f"/dashboard/#inactive-{world.program.slug}"
        page = client.get(reverse("dashboard")).content.decode()
    assert "Ben is nudged" in page
    assert "Nudged on 31 Mar." in page
    assert f'action="{nudge_url}"' not in page
    ada_url = reverse("programs:applicant_nudge", args=[world.program.slug, world.mentors["ada"].pk])
    assert f'action="{ada_url}"' in page  # Ada still has her button
    with at(day(37)):  # a week later the button is back
        client.force_login(world.coordinator)
        assert f'action="{nudge_url}"' in client.get(reverse("dashboard")).content.decode()


def test_the_to_do_and_the_daily_email_count_them_with_a_link_to_the_list(world, mailoutbox):
    with at(day(30), hour=7):
        [section] = todo.coordinator_todo(world.coordinator, on=day(30))
        assert [e.user.display_name for e in section.inactive] == ["Ada", "Ben"]
        [item] = [item for item in section.items if item.key == "inactive"]
        assert item.url == f"/dashboard/#inactive-{world.program.slug}"
        assert digests.coordinator_digests_send().sent == 1
        deliver()
    [email] = [m for m in mailoutbox if m.to == [world.coordinator.email]]
    assert "2 people inactive for two check-in periods" in email.body
    assert item.url in email.body
    assert email.subject.endswith("2 people inactive (31 March)")


def test_nobody_else_sees_the_list(world, client):
    other = scenarios.coordinator(email="other@inactive.test", display_name="Other Lead")
    scenarios.program(coordinator=other, name="Another Program")
    with at(day(30)):
        client.force_login(other)
        assert "Ben</a>" not in client.get(reverse("dashboard")).content.decode()
        client.force_login(world.mentors["ada"].user)
        page = client.get(reverse("dashboard")).content.decode()
    assert "inactive" not in page and "Send a nudge" not in page
