"""Check-ins and staff contacts: who logs them, on which matches, with which dates; the forms."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import CheckIn, CheckInMode, ContactMethod, StaffContact
from matching import services as matching_services
from matching.models import MatchSource
from tests import scenarios
from tests.evaluation.helpers import active_match, pair_world
from tests.once import once

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def pw():
    """Ada mentors Ben, active since 1 March 2027; the tests run on 15 March."""
    with time_machine.travel(START, tick=False):
        world = pair_world()
    with time_machine.travel(START + dt.timedelta(days=14), tick=False):
        yield world


def log(pw, by=None, **fields):
    fields.setdefault("occurred_on", dt.date(2027, 3, 10))
    return services.checkin_log(match=pw.match, by=by or pw.mentor, **fields)


# --- The service ---------------------------------------------------------------------------------


def test_either_person_of_the_pair_logs_a_check_in(pw):
    first = log(pw, duration_minutes=60, mode=CheckInMode.VIDEO, notes=" Talked CVs. ", rating=4)
    second = log(pw, by=pw.mentee, occurred_on=dt.date(2027, 3, 14), held=False)
    first.refresh_from_db()
    assert (first.logged_by, first.held, first.duration_minutes, first.mode, first.rating, first.notes) == (
        pw.mentor,
        True,
        60,
        "video",
        4,
        "Talked CVs.",
    )
    assert second.logged_by == pw.mentee
    assert list(pw.match.checkins.all()) == [second, first]  # newest first


@pytest.mark.parametrize("who", ["coordinator", "staff", "other_coordinator", "outsider"])
def test_only_the_pair_logs_check_ins(pw, who):
    with pytest.raises(PermissionDenied):
        log(pw, by=pw.as_role(who))
    assert not CheckIn.objects.exists()


def test_a_check_in_cannot_be_dated_in_the_future(pw):
    with pytest.raises(ValidationError) as error:
        log(pw, occurred_on=dt.date(2027, 3, 16))
    assert error.value.message_dict == {"occurred_on": ["The date cannot be in the future."]}
    log(pw, occurred_on=dt.date(2027, 3, 15))  # today is fine


def test_a_check_in_cannot_be_dated_before_the_match_started(pw):
    with pytest.raises(ValidationError) as error:
        log(pw, occurred_on=dt.date(2027, 2, 28))
    assert "started on 1 March 2027" in error.value.message_dict["occurred_on"][0]
    log(pw, occurred_on=dt.date(2027, 3, 1))  # the first day is fine


def test_a_paused_match_still_takes_check_ins(pw):
    matching_services.match_pause(match=pw.match, by=pw.coordinator)
    assert log(pw).pk


def test_a_closed_match_takes_no_check_ins(pw):
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)
    with pytest.raises(ValidationError, match="is closed"):
        log(pw)
    assert not CheckIn.objects.exists()


def test_a_proposed_match_takes_no_check_ins(pw):
    world = pw.world
    match = matching_services.match_propose(
        program=world.program,
        mentee=world.mentees["dee"],
        mentor=world.mentors["cy"],
        by=pw.coordinator,
        source=MatchSource.MANUAL,
    )
    with pytest.raises(ValidationError, match="not started"):
        services.checkin_log(match=match, by=match.mentor.user, occurred_on=dt.date(2027, 3, 15))


def test_a_missed_meeting_has_no_length_and_no_rating(pw):
    checkin = log(pw, held=False, duration_minutes=45, rating=5)
    assert (checkin.duration_minutes, checkin.rating) == (None, None)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"rating": 6}, "rating"),
        ({"rating": 0}, "rating"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"mode": "carrier pigeon"}, "mode"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_the_service_refuses_values_out_of_range(pw, fields, field):
    with pytest.raises(ValidationError) as error:
        log(pw, **fields)
    assert field in error.value.message_dict
    assert not CheckIn.objects.exists()


# --- The form ------------------------------------------------------------------------------------


def url(pw):
    return reverse("evaluation:checkin_new", args=[pw.match.pk])


def test_the_form_suggests_today(client, pw):
    client.force_login(pw.mentee)
    response = client.get(url(pw))
    assert response.status_code == 200
    assert 'value="2027-03-15"' in response.content.decode()


def test_a_check_in_logged_through_the_form(client, pw):
    client.force_login(pw.mentee)
    data = {
        "occurred_on": "2027-03-12",
        "held": "yes",
        "duration_minutes": "50",
        "mode": "phone",
        "rating": "5",
        "notes": "Planned the next steps.",
    }
    response = client.post(url(pw), once(data))
    assert response.status_code == 302
    assert response.url == reverse("evaluation:pair", args=[pw.match.pk])
    checkin = CheckIn.objects.get()
    assert (checkin.match, checkin.logged_by, checkin.occurred_on, checkin.mode, checkin.rating) == (
        pw.match,
        pw.mentee,
        dt.date(2027, 3, 12),
        "phone",
        5,
    )


def test_bad_input_comes_back_with_errors_and_what_was_typed(client, pw):
    client.force_login(pw.mentor)
    data = {
        "occurred_on": "2027-04-01",
        "held": "yes",
        "duration_minutes": "45",
        "mode": "video",
        "rating": "4",
        "notes": "We met online.",
    }
    response = client.post(url(pw), once(data))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date cannot be in the future." in page
    assert 'value="2027-04-01"' in page and 'value="45"' in page and "We met online." in page
    assert re.search(r'name="mode" value="video"[^>]*checked', page)
    assert re.search(r'name="rating" value="4"[^>]*checked', page)
    assert not CheckIn.objects.exists()


def test_a_rating_outside_1_to_5_is_refused_by_the_form(client, pw):
    client.force_login(pw.mentor)
    response = client.post(
        url(pw), {"occurred_on": "2027-03-12", "held": "yes", "mode": "video", "rating": "9"}
    )
    assert response.status_code == 400
    assert "rating" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_posting_the_match_or_the_author_changes_nothing(client, pw):
    other = active_match(program=pw.program, mentee=pw.world.mentees["dee"], mentor=pw.world.mentors["cy"])
    client.force_login(pw.mentor)
    data = {
        "occurred_on": "2027-03-12",
        "held": "yes",
        "mode": "video",
        "match": other.pk,
        "logged_by": pw.mentee.pk,
        "created_at": "2020-01-01T00:00:00Z",
    }
    assert client.post(url(pw), once(data)).status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.match_id, checkin.logged_by_id) == (pw.match.pk, pw.mentor.pk)
    assert checkin.created_at.year == 2027
    assert not other.checkins.exists()


def test_the_form_of_a_closed_match_sends_people_back_with_the_reason(client, pw):
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="moved", anticipated=False)
    client.force_login(pw.mentor)
    response = client.post(
        url(pw), {"occurred_on": "2027-03-12", "held": "yes", "mode": "video"}, follow=True
    )
    assert "This match is closed" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_coordinators_see_the_match_but_cannot_log_its_check_ins(client, pw):
    client.force_login(pw.coordinator)
    assert client.get(url(pw)).status_code == 403
    assert (
        client.post(url(pw), once({"occurred_on": "2027-03-12", "held": "yes", "mode": "video"})).status_code
        == 403
    )
    assert not CheckIn.objects.exists()


# --- Staff contacts -----------------------------------------------------------------------------


def contact(pw, by=None, **fields):
    fields.setdefault("contacted_on", dt.date(2027, 3, 8))
    return services.staff_contact_log(match=pw.match, by=by or pw.coordinator, **fields)


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_coordinators_and_staff_log_staff_contacts(pw, who):
    logged = contact(pw, by=pw.as_role(who), method=ContactMethod.EMAIL, notes="All fine.")
    assert (logged.coordinator, logged.method, logged.notes) == (pw.as_role(who), "email", "All fine.")


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_coordinator", "outsider"])
def test_nobody_else_logs_staff_contacts(pw, who):
    with pytest.raises(PermissionDenied):
        contact(pw, by=pw.as_role(who))
    assert not StaffContact.objects.exists()


@pytest.mark.parametrize(
    "day, message",
    [(dt.date(2027, 3, 16), "in the future"), (dt.date(2027, 2, 27), "started on 1 March 2027")],
)
def test_a_staff_contact_is_dated_between_the_start_and_today(pw, day, message):
    with pytest.raises(ValidationError, match=message):
        contact(pw, contacted_on=day)


def test_a_closed_match_still_takes_a_staff_contact(pw):
    # The closure conversation with the pair is a staff contact too.
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)
    assert contact(pw, contacted_on=dt.date(2027, 3, 15)).pk


def test_a_match_that_has_not_started_takes_no_staff_contact(pw):
    world = pw.world
    match = matching_services.match_propose(
        program=world.program,
        mentee=world.mentees["dee"],
        mentor=world.mentors["cy"],
        by=pw.coordinator,
        source=MatchSource.MANUAL,
    )
    with pytest.raises(ValidationError, match="not started"):
        services.staff_contact_log(match=match, by=pw.coordinator, contacted_on=dt.date(2027, 3, 15))


def test_a_staff_contact_logged_through_the_form(client, pw):
    client.force_login(pw.coordinator)
    contact_url = reverse("evaluation:contact_new", args=[pw.match.pk])
    assert 'value="2027-03-15"' in client.get(contact_url).content.decode()
    data = {
        "contacted_on": "2027-03-09",
        "method": "in_person",
        "notes": "Met both.",
        "coordinator": pw.staff.pk,
    }
    assert client.post(contact_url, once(data)).status_code == 302
    logged = StaffContact.objects.get()
    assert (logged.match, logged.coordinator, logged.contacted_on, logged.method) == (
        pw.match,
        pw.coordinator,
        dt.date(2027, 3, 9),
        "in_person",
    )
    response = client.post(
        contact_url, once({"contacted_on": "2027-02-01", "method": "phone", "notes": "Typed"})
    )
    assert response.status_code == 400
    assert "Typed" in response.content.decode()
    assert StaffContact.objects.count() == 1


# --- Staff contacts due -------------------------------------------------------------------------


def test_the_list_shows_active_pairs_with_contacts_missing_and_how_many(client):
    with time_machine.travel(START, tick=False):
        pw = pair_world()
        cy_dee = active_match(
            program=pw.program, mentee=pw.world.mentees["dee"], mentor=pw.world.mentors["cy"]
        )
    with time_machine.travel(dt.datetime(2027, 4, 15, 10, tzinfo=dt.UTC), tick=False):
        # 45 days in: two contacts expected of each pair. Ada and Ben had one; Cy and Dee both.
        services.staff_contact_log(match=pw.match, by=pw.coordinator, contacted_on=dt.date(2027, 3, 20))
        for day in (dt.date(2027, 3, 10), dt.date(2027, 4, 1)):
            services.staff_contact_log(match=cy_dee, by=pw.coordinator, contacted_on=day)
        newer = active_match(
            program=pw.program, mentee=pw.world.mentees["fay"], mentor=pw.world.mentors["gus"]
        )
        client.force_login(pw.coordinator)
        response = client.get(reverse("evaluation:contacts_due", args=[pw.program.slug]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["match"], row["expected"], row["missing"]) for row in rows] == [(pw.match, 2, 1)]
    assert rows[0]["match"].last_contact == dt.date(2027, 3, 20)
    page = response.content.decode()
    assert "1 of 2" in page and "Ada and Ben" in page and "Cy and Dee" not in page
    assert newer.pk not in [row["match"].pk for row in rows]  # started today: nothing due yet


def test_paused_and_closed_pairs_are_not_listed(client):
    with time_machine.travel(START, tick=False):
        pw = pair_world()
        cy_dee = active_match(
            program=pw.program, mentee=pw.world.mentees["dee"], mentor=pw.world.mentors["cy"]
        )
    with time_machine.travel(dt.datetime(2027, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        matching_services.match_pause(match=pw.match, by=pw.coordinator)
        matching_services.match_close(match=cy_dee, by=pw.coordinator, reason="moved", anticipated=False)
        client.force_login(pw.coordinator)
        response = client.get(reverse("evaluation:contacts_due", args=[pw.program.slug]))
    assert response.context["rows"] == []
    assert "Every active pair has had its staff contacts." in response.content.decode()


def test_other_programs_pairs_are_not_listed(client):
    with time_machine.travel(START, tick=False):
        pw = pair_world()
        other_program = scenarios.program(coordinator=pw.coordinator, name="Second Program", status="running")
        mentor = scenarios.ready_mentor(program=other_program, email="m2@pairs.test")
        mentee = scenarios.ready_mentee(program=other_program, email="e2@pairs.test")
        active_match(program=other_program, mentee=mentee, mentor=mentor)
    with time_machine.travel(dt.datetime(2027, 5, 1, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(pw.coordinator)
        response = client.get(reverse("evaluation:contacts_due", args=[pw.program.slug]))
    assert [row["match"] for row in response.context["rows"]] == [pw.match]
