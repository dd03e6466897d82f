"""Breaks: a participant (or a coordinator for them) steps away until a date. Meanwhile they are
out of the matching pool and the check-in reminders, their open requests are closed politely, and
on the return date they get one welcome back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import reminders
from matching import services as matching_services
from matching.models import MatchRequest, RequestStatus
from matching.pool import pool_mentors
from mentorship.models import AuditEntry, OutboundEmail
from programs import breaks
from programs.models import Enrollment
from programs.selectors import missing_for, with_blockers
from tests import scenarios
from tests.evaluation.reminder_helpers import (
    START,
    at,
    day,
    deliver,
    flush_outbox,
    reminder_world,
    start_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with at(START):
        return scenarios.matching_world(matching_mode="participants")


def in_pool(world, enrollment):
    return pool_mentors(world.program, START).filter(pk=enrollment.pk).exists()


def test_a_mentor_on_a_break_leaves_the_pool_and_shows_the_blocker_until_they_end_it(world):
    ada = world.mentors["ada"]
    assert in_pool(world, ada)
    with at(START):
        matching_services.enrollment_break_start(enrollment=ada, until=day(20), by=ada.user)
        ada.refresh_from_db()
        assert not in_pool(world, ada)
        assert missing_for(ada) == ["to be back from a break (until 21 Mar 2027)"]
        [listed] = with_blockers(Enrollment.objects.filter(pk=ada.pk))
        assert listed.blocker_words == [("break", "on a break")]
        assert Enrollment.objects.filter(program=world.program).blocked_by("break").get() == ada
        breaks.break_end(enrollment=ada, by=ada.user)
        assert in_pool(world, ada)
        assert missing_for(ada) == []
    assert AuditEntry.objects.filter(action__in=["enrollment.break", "enrollment.break_ended"]).count() == 2


@pytest.mark.parametrize(
    ("offset", "message"), [(0, "after today"), (-3, "after today"), (200, "six months")]
)
def test_a_break_needs_a_return_date_after_today_and_within_six_months(world, offset, message):
    ada = world.mentors["ada"]
    with at(START), pytest.raises(ValidationError, match=message):
        breaks.break_start(enrollment=ada, until=day(offset), by=ada.user)


def test_the_page_refuses_a_past_date_with_a_message(world, client):
    ada = world.mentors["ada"]
    with at(START):
        client.force_login(ada.user)
        response = client.post(
            reverse("matching:own_break", args=[ada.pk]), {"until": "2027-02-01"}, follow=True
        )
    assert response.status_code == 200
    assert "Choose a return date after today." in response.content.decode()
    ada.refresh_from_db()
    assert ada.on_break_until is None


def test_the_participant_and_the_coordinator_can_start_and_end_a_break_and_a_stranger_gets_404(world, client):
    ada = world.mentors["ada"]
    own = reverse("matching:own_break", args=[ada.pk])
    managed = reverse("matching:applicant_break", args=[world.program.slug, ada.pk])
    with at(START):
        client.force_login(world.mentors["cy"].user)
        assert client.post(own, {"until": "2027-03-10"}).status_code == 404
        assert client.post(managed, {"until": "2027-03-10"}).status_code == 404
        client.force_login(ada.user)
        assert client.post(own, {"until": "2027-03-10"}).status_code == 302
        ada.refresh_from_db()
        assert ada.on_break_until == dt.date(2027, 3, 10)
        assert "on a break until 10 Mar 2027" in client.get(ada.get_absolute_url()).content.decode()
        client.force_login(world.coordinator)
        assert client.post(managed, {"end": "1"}).status_code == 302
        ada.refresh_from_db()
        assert ada.on_break_until is None


def test_open_requests_are_declined_politely_when_a_break_starts(world):
    ada, ben = world.mentors["ada"], world.mentees["ben"]
    with at(START):
        request = matching_services.request_create(mentee=ben, mentor=ada, by=ben.user)
        matching_services.enrollment_break_start(enrollment=ada, until=day(20), by=ada.user)
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    [email] = OutboundEmail.objects.filter(kind="match_request_declined")
    assert email.to == ben.user.email
    assert "cannot take you on at the moment" in email.body


def test_a_mentees_own_request_is_withdrawn_when_they_take_a_break(world):
    ada, ben = world.mentors["ada"], world.mentees["ben"]
    with at(START):
        request = matching_services.request_create(mentee=ben, mentor=ada, by=ben.user)
        matching_services.enrollment_break_start(enrollment=ben, until=day(20), by=ben.user)
    assert MatchRequest.objects.get(pk=request.pk).status == RequestStatus.WITHDRAWN


def test_reminders_skip_a_pair_while_one_of_them_is_on_a_break(mailoutbox, send_queued_emails):
    world = reminder_world(checkin_cadence_days=14)
    match = start_pair(world, "ben", "ada")
    flush_outbox(mailoutbox)
    ada = world.mentors["ada"]
    with at(START):
        breaks.break_start(enrollment=ada, until=day(13), by=ada.user)
    with at(day(12)):
        report = reminders.reminders_sweep()
    deliver(send_queued_emails)
    assert report.sent.skipped == {"one of the pair is on a break": 1}
    assert mailoutbox == []
    assert match.pk


def test_the_welcome_back_goes_out_once_on_the_return_date(world, mailoutbox, send_queued_emails):
    ada = world.mentors["ada"]
    with at(START):
        breaks.break_start(enrollment=ada, until=day(5), by=ada.user)
    with at(day(4)):
        assert breaks.breaks_welcome_back() == 0
    with at(day(5)):
        assert breaks.breaks_welcome_back() == 1
        assert breaks.breaks_welcome_back() == 0
    ada.refresh_from_db()
    assert ada.on_break_until is None
    assert OutboundEmail.objects.filter(kind="break_welcome_back", to=ada.user.email).count() == 1
