"""Breaks and the people around them: a partner in an active match is told (their check-in
reminders pause), a break a coordinator sets is told to the person, a manual match with someone
on a break is refused naming the break, and a mentor can stop taking new mentees without leaving."""

import pytest
from django.urls import reverse

from matching import services as matching_services
from matching.models import Match, MatchStatus
from mentorship.models import OutboundEmail
from tests.evaluation.reminder_helpers import START, at, day, reminder_world, start_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    return world


def emails(kind):
    return list(OutboundEmail.objects.filter(kind=kind))


def test_the_partner_hears_that_their_reminders_pause_until_the_return_date(world):
    ada = world.mentors["ada"]
    with at(day(3)):
        matching_services.enrollment_break_start(enrollment=ada, until=day(33), by=ada.user)
    [email] = emails("break_partner")
    assert email.to == world.mentees["ben"].user.email
    assert email.subject == "Ada is taking a break until 3 Apr"
    assert "Ada is taking a break from Matching Test Program until 3 April 2027." in email.body
    assert "Your check-in reminders for your match pause until then" in email.body
    assert world.match.get_absolute_url() in email.body
    assert "ada@" not in email.body  # nothing of Ada beyond her name
    assert emails("break_set_for_you") == []  # her own break: she knows


def test_nobody_else_hears_of_a_break_outside_an_active_match(world):
    gus = world.mentors["gus"]
    with at(day(3)):
        matching_services.enrollment_break_start(enrollment=gus, until=day(33), by=gus.user)
        matching_services.match_pause(match=world.match, by=world.coordinator)
        ben = world.mentees["ben"]
        matching_services.enrollment_break_start(enrollment=ben, until=day(33), by=ben.user)
    assert emails("break_partner") == []


def test_a_break_set_by_a_coordinator_is_told_to_the_person_and_the_partner(world, client):
    ben = world.mentees["ben"]
    with at(day(3)):
        client.force_login(world.coordinator)
        url = reverse("matching:applicant_break", args=[world.program.slug, ben.pk])
        assert client.post(url, {"until": day(20).isoformat()}).status_code == 302
    [own] = emails("break_set_for_you")
    assert own.to == ben.user.email
    assert own.subject == "You are on a break from Matching Test Program until 21 Mar"
    assert (
        "Lead, a coordinator of Matching Test Program, has put you on a break until 21 March 2027" in own.body
    )
    assert ben.get_absolute_url() in own.body  # where to end it
    [partner] = emails("break_partner")
    assert partner.to == world.mentors["ada"].user.email
    assert partner.body.startswith("Hello Ada,\n\nBen is taking a break")


def test_a_manual_match_with_someone_on_a_break_is_refused_naming_the_break(world, client):
    cy = world.mentors["cy"]
    with at(START):
        matching_services.enrollment_break_start(enrollment=cy, until=day(20), by=cy.user)
        broken, _ = matching_services.pair_check(
            program=world.program, mentee=world.mentees["dee"], mentor=cy
        )
        assert broken == ["Cy is on a break until 21 Mar 2027"]
        client.force_login(world.coordinator)
        response = client.post(
            reverse("matching:manual", args=[world.program.slug]),
            {"mentee": world.mentees["dee"].pk, "mentor": cy.pk},
            follow=True,
        )
    assert "This pair breaks a rule: Cy is on a break until 21 Mar 2027." in response.content.decode()
    assert not Match.objects.filter(mentor=cy).exists()


def test_a_mentor_stops_taking_new_mentees_and_keeps_the_one_they_have(world, client):
    ada = world.mentors["ada"]
    with at(day(3)):
        client.force_login(ada.user)
        page = client.get(ada.get_absolute_url()).content.decode()
        assert "Pause new matches" in page
        assert "keeps your place in the program and any mentees you have now" in page
        client.post(reverse("matching:availability", args=[ada.pk]), {"accepting": "no"})
        page = client.get(ada.get_absolute_url()).content.decode()
    assert "You are not taking new matches at the moment." in page
    assert "I am open to new matches again" in page
    ada.refresh_from_db()
    assert ada.accepting_new_matches is False
    assert ada.status == "approved"
    assert Match.objects.get(pk=world.match.pk).status == MatchStatus.ACTIVE
