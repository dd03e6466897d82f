"""The matchable rule: approved; mentors fully and currently screened; minors with consent."""

import datetime as dt

import pytest
import time_machine

from programs import guardians, services
from programs.models import Audience, Enrollment, Role
from tests import scenarios

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2027, 3, 15, 12, 0), tick=False):
        yield


def matchable(enrollment, on=TODAY):
    return Enrollment.objects.filter(pk=enrollment.pk).matchable(on=on).exists()


def set_dob(user, dob):
    user.profile.date_of_birth = dob
    user.profile.save()


@pytest.fixture
def program(people):
    return scenarios.program(coordinator=people.coordinator, audience=Audience.YOUTH)


def test_an_approved_mentor_with_no_screening_is_not_matchable(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    assert not matchable(mentor)


def test_an_approved_mentor_with_every_item_current_is_matchable(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    scenarios.screen_fully(enrollment=mentor, by=people.coordinator, on=TODAY)
    assert matchable(mentor)


def test_a_missing_item_makes_a_mentor_unmatchable(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    scenarios.screen_fully(enrollment=mentor, by=people.coordinator, on=TODAY)
    mentor.screening_records.filter(item__key="training").delete()
    assert not matchable(mentor)


def test_an_expired_background_check_makes_a_mentor_unmatchable_from_its_expiry_day(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    scenarios.screen_fully(enrollment=mentor, by=people.coordinator, on=TODAY - dt.timedelta(days=100))
    check = program.checklist_items.get(key="background_check")
    services.screening_record(
        enrollment=mentor,
        item=check,
        completed_on=TODAY - dt.timedelta(days=10),
        expires_on=TODAY + dt.timedelta(days=1),
        by=people.coordinator,
    )
    assert matchable(mentor, on=TODAY)
    assert not matchable(mentor, on=TODAY + dt.timedelta(days=1))


def test_the_expiry_defaults_from_the_items_validity(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    check = program.checklist_items.get(key="background_check")
    record = services.screening_record(
        enrollment=mentor, item=check, completed_on=TODAY, by=people.coordinator
    )
    assert record.expires_on == TODAY + dt.timedelta(days=730)


def test_a_screened_mentor_who_is_not_approved_is_not_matchable(program, people):
    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="in_screening")
    scenarios.screen_fully(enrollment=mentor, by=people.coordinator, on=TODAY)
    assert not matchable(mentor)


def test_an_approved_adult_mentee_is_matchable(program, people):
    set_dob(people.mentee, dt.date(2000, 5, 1))
    mentee = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE, status="approved")
    assert matchable(mentee)


def test_a_minor_mentee_needs_a_guardians_consent(program, people):
    set_dob(people.mentee, dt.date(2012, 5, 1))
    mentee = scenarios.enroll(
        program=program,
        user=people.mentee,
        role=Role.MENTEE,
        status="approved",
        guardian_name="Pat Parent",
        guardian_email="pat@example.org",
    )
    assert not matchable(mentee)
    first = mentee.consents.get()
    guardians.guardian_answer(consent=first, given=False, signed_name="Pat Parent", relationship="Father")
    assert not matchable(mentee)
    # A "no" is final on that link; the coordinator can ask again, and a yes counts.
    again = guardians.guardian_request_consent(
        enrollment=mentee, name="Pat Parent", email="pat@example.org", by=program.coordinators.first()
    )
    guardians.guardian_answer(consent=again, given=True, signed_name="Pat Parent", relationship="Father")
    assert matchable(mentee)


def test_a_mentee_turning_18_needs_no_consent_from_that_day(program, people):
    set_dob(people.mentee, dt.date(2009, 3, 16))
    mentee = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE, status="approved")
    assert not matchable(mentee, on=TODAY)
    assert matchable(mentee, on=TODAY + dt.timedelta(days=1))


def test_an_unknown_age_counts_as_a_minor_in_youth_programs_but_not_in_adult_ones(people):
    youth = scenarios.program(coordinator=people.coordinator, name="Youth", audience=Audience.YOUTH)
    adults = scenarios.program(coordinator=people.coordinator, name="Adults", audience=Audience.ADULT)
    in_youth = scenarios.enroll(program=youth, user=people.mentee, role=Role.MENTEE, status="approved")
    in_adults = scenarios.enroll(program=adults, user=people.mentor, role=Role.MENTEE, status="approved")
    assert not matchable(in_youth)
    assert matchable(in_adults)


def test_a_new_consent_request_resets_an_earlier_answer(program, people, mailoutbox, send_queued_emails):
    set_dob(people.mentee, dt.date(2012, 5, 1))
    mentee = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE, status="approved")
    lead = program.coordinators.first()
    first = guardians.guardian_request_consent(
        enrollment=mentee, name="Pat", email="pat@example.org", by=lead
    )
    guardians.guardian_answer(consent=first, given=True, signed_name="Pat Smith", relationship="Mother")
    assert matchable(mentee)
    second = guardians.guardian_request_consent(
        enrollment=mentee, name="Sam", email="sam@example.org", by=lead
    )
    assert not matchable(mentee)
    send_queued_emails()
    assert [m.to for m in mailoutbox] == [["pat@example.org"], ["sam@example.org"]]
    assert f"/consent/{second.token}/" in mailoutbox[1].body
    assert f"/consent/{first.token}/" not in mailoutbox[1].body


def test_screening_refuses_future_dates_and_backwards_expiry(program, people):
    from django.core.exceptions import ValidationError

    mentor = scenarios.enroll(program=program, user=people.mentor, role=Role.MENTOR, status="approved")
    item = program.checklist_items.first()
    with pytest.raises(ValidationError, match="future"):
        services.screening_record(
            enrollment=mentor, item=item, completed_on=TODAY + dt.timedelta(days=1), by=people.coordinator
        )
    with pytest.raises(ValidationError, match="after the completion"):
        services.screening_record(
            enrollment=mentor, item=item, completed_on=TODAY, expires_on=TODAY, by=people.coordinator
        )
