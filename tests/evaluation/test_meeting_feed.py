"""The personal calendar feed holds the pair's planned meetings with the UID and SEQUENCE of the
invitations they were emailed; proposals are tentative; cancelled and declined ones leave it."""

import re

import pytest
from django.urls import reverse

from evaluation.models import CalendarFeed
from matching import meetings
from tests.matching.meeting_helpers import (
    at,
    calendar_parts,
    clock,
    day,
    deliver,
    event,
    moment,
    pair_world,
    plan,
    propose,
    sent_to,
    start_pair,
    unfold,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    return pair_world(mailoutbox, audience="adult")


def feed_events(client, user):
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    body = client.get(reverse("evaluation:feed", args=[feed.token])).content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    found = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfold(body), re.S):
        props = dict(line.split(":", 1) for line in block.split("\r\n") if line)
        found[props["UID"]] = props
    return found


def test_both_feeds_hold_the_planned_meeting_as_the_invitation_did(client, world, mailoutbox):
    meeting = propose(world, note="Bring your CV")
    mailoutbox.clear()
    with at(day(1)):
        meeting = meetings.meeting_accept(meeting=meeting, by=world.ben)
    deliver()
    invitation = event(calendar_parts(sent_to(mailoutbox, world.ben)[0])[0][1])
    with clock(2, 9):
        for user in (world.ben, world.ada):
            found = feed_events(client, user)[meeting.uid]
            for prop in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "STATUS"):
                assert found[prop] == invitation[prop], prop
            assert found["STATUS"] == "CONFIRMED" and found["SEQUENCE"] == "1"
            assert "CV" not in "".join(found.values())


def test_a_proposal_is_tentative_and_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(client, world):
    meeting = propose(world)
    with clock(1, 10):
        assert feed_events(client, world.ben)[meeting.uid]["STATUS"] == "TENTATIVE"
        meetings.meeting_accept(meeting=meeting, by=world.ben)
        moved = meetings.meeting_move(meeting=meeting, by=world.ada, starts_at=moment(6, 17))
        found = feed_events(client, world.ben)[meeting.uid]
    assert (found["STATUS"], found["SEQUENCE"], found["DTSTART"]) == ("TENTATIVE", "2", "20270307T170000Z")
    assert moved.uid == meeting.uid


def test_cancelled_and_declined_meetings_leave_the_feed(client, world):
    cancelled = plan(world.match, when=moment(3))
    declined = propose(world, when=moment(5))
    with clock(1, 10):
        meetings.meeting_cancel(meeting=cancelled, by=world.ben)
        meetings.meeting_decline(meeting=declined, by=world.ben)
        found = feed_events(client, world.ada)
    assert cancelled.uid not in found and declined.uid not in found


def test_another_pairs_meetings_are_not_in_the_feed(client, world, mailoutbox):
    other = plan(start_pair(world, "fay", "gus"), when=moment(3))
    mine = plan(world.match, when=moment(4))
    with clock(1, 10):
        found = feed_events(client, world.ben)
    assert mine.uid in found and other.uid not in found


def test_an_emails_calendar_part_repeats_the_method_from_its_own_line():
    from mentorship.ical import document, method_of

    invitation = document(
        ["BEGIN:VCALENDAR", "METHOD:REQUEST", "LOCATION:Room METHOD:CANCEL", "END:VCALENDAR"]
    )
    assert method_of(invitation) == "REQUEST"
    assert method_of(document(["BEGIN:VCALENDAR", "METHOD:CANCEL", "END:VCALENDAR"])) == "CANCEL"
    assert method_of("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") == ""
