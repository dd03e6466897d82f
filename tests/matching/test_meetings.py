"""Meetings through the services: who may propose, accept, decline, move and cancel; the transitions
refused cleanly; the times and links refused; the emails and their calendar invitations (one UID
for life, a SEQUENCE that only goes up, METHOD and STATUS as the change asks)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import meetings
from matching import services as matching_services
from matching.models import MeetingMode, MeetingStatus
from tests.matching.meeting_helpers import (
    at,
    calendar_parts,
    day,
    deliver,
    event,
    moment,
    pair_world,
    propose,
    sent_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    """An adult program (youth programs keep free text out of emails: see the end)."""
    return pair_world(mailoutbox, audience="adult")


# --- Who may do what -----------------------------------------------------------------------------


def test_either_of_the_pair_proposes_and_the_partner_is_emailed(world, mailoutbox):
    meeting = propose(world, by=world.ben)
    deliver()
    assert (meeting.status, meeting.proposed_by, meeting.sequence) == (MeetingStatus.PROPOSED, world.ben, 0)
    [email] = mailoutbox
    assert email.to == [world.ada.email]
    assert email.subject == "Ben proposed a meeting on Thu 4 Mar"
    assert "Thursday 4 March 2027, 18:00 to 19:00" in email.body
    assert "Central Library" in email.body
    assert f"/matches/{world.match.pk}/meetings/" in email.body
    assert not calendar_parts(email)  # nothing for calendars until it is accepted


def test_the_coordinator_and_strangers_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        propose(world, by=world.coordinator)
    with pytest.raises(PermissionDenied):
        propose(world, by=world.mentees["fay"].user)


def test_the_proposer_cannot_accept_or_decline_their_own_time(world):
    meeting = propose(world)
    with at(day(1)):
        with pytest.raises(PermissionDenied, match="for your partner"):
            meetings.meeting_accept(meeting=meeting, by=world.ada)
        with pytest.raises(PermissionDenied):
            meetings.meeting_decline(meeting=meeting, by=world.ada)
        with pytest.raises(PermissionDenied):
            meetings.meeting_accept(meeting=meeting, by=world.coordinator)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED


def test_the_partner_accepts_and_both_get_the_invitation(world, mailoutbox):
    meeting = propose(world)
    mailoutbox.clear()
    with at(day(1)):
        meeting = meetings.meeting_accept(meeting=meeting, by=world.ben)
    deliver()
    assert (meeting.status, meeting.invited, meeting.sequence) == (MeetingStatus.ACCEPTED, True, 1)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.ada.email, world.ben.email])
    for email in mailoutbox:
        [(content_type, text)] = calendar_parts(email)
        assert content_type == 'text/calendar; method="REQUEST"; charset="utf-8"'
        props = event(text)
        assert props["METHOD"] == "REQUEST"
        assert props["UID"] == meeting.uid
        assert props["SEQUENCE"] == "1"
        assert props["STATUS"] == "CONFIRMED"
        assert props["DTSTART"] == "20270304T180000Z"
        assert props["DTEND"] == "20270304T190000Z"
        assert props["SUMMARY"] == "Mentoring meeting: Ada and Ben"
        assert props["LOCATION"] == "Central Library"
        assert props['ORGANIZER;CN="Mentorship"'] == "mailto:noreply@localhost"
        assert "DTSTAMP" in props
        # Nobody's address, no attendees: a minor's email is in no calendar.
        assert "ATTENDEE" not in text and "@matching.test" not in text
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert sent_to(mailoutbox, world.ada)[0].subject == "Meeting planned with Ben: Thu 4 Mar, 18:00"


def test_the_partner_declines_with_a_reason(world, mailoutbox):
    meeting = propose(world)
    mailoutbox.clear()
    with at(day(1)):
        meeting = meetings.meeting_decline(meeting=meeting, by=world.ben, reason="I have football then.")
    deliver()
    assert meeting.status == MeetingStatus.DECLINED
    [email] = mailoutbox
    assert email.to == [world.ada.email]
    assert "I have football then." in email.body
    assert not calendar_parts(email)  # it was never in a calendar


def test_either_side_cancels_and_an_invited_meeting_is_taken_out_of_both_calendars(world, mailoutbox):
    meeting = propose(world)
    with at(day(1)):
        accepted = meetings.meeting_accept(meeting=meeting, by=world.ben)
        deliver()
        mailoutbox.clear()
        cancelled = meetings.meeting_cancel(meeting=accepted, by=world.ada)
    deliver()
    assert cancelled.status == MeetingStatus.CANCELLED
    assert len(mailoutbox) == 2
    for email in mailoutbox:
        [(content_type, text)] = calendar_parts(email)
        assert content_type == 'text/calendar; method="CANCEL"; charset="utf-8"'
        props = event(text)
        assert (props["METHOD"], props["STATUS"], props["UID"]) == ("CANCEL", "CANCELLED", meeting.uid)
        assert int(props["SEQUENCE"]) > accepted.sequence


def test_a_move_keeps_the_uid_and_raises_the_sequence_each_step(world, mailoutbox):
    """Proposed (0), accepted (1), moved by Ben (2, tentative), accepted by Ada (3, confirmed),
    cancelled (4): one UID throughout."""
    meeting = propose(world)
    seen = []
    with at(day(1)):
        meeting = meetings.meeting_accept(meeting=meeting, by=world.ben)
        deliver()
        mailoutbox.clear()
        meeting = meetings.meeting_move(meeting=meeting, by=world.ben, starts_at=moment(5, 17))
        deliver()
        assert (meeting.status, meeting.proposed_by) == (MeetingStatus.PROPOSED, world.ben)
        assert len(mailoutbox) == 2  # Ada is asked; Ben's own calendar gets the update too
        seen += [event(calendar_parts(m)[0][1]) for m in mailoutbox]
        assert "proposed another time" in sent_to(mailoutbox, world.ada)[0].subject
        with pytest.raises(PermissionDenied):  # Ben proposed the new time
            meetings.meeting_accept(meeting=meeting, by=world.ben)
        mailoutbox.clear()
        meeting = meetings.meeting_accept(meeting=meeting, by=world.ada)
        deliver()
        seen += [event(calendar_parts(m)[0][1]) for m in mailoutbox]
        mailoutbox.clear()
        meetings.meeting_cancel(meeting=meeting, by=world.ben)
        deliver()
        seen += [event(calendar_parts(m)[0][1]) for m in mailoutbox]
    assert {props["UID"] for props in seen} == {meeting.uid}
    steps = [(p["SEQUENCE"], p["METHOD"], p["STATUS"], p["DTSTART"]) for p in seen]
    assert steps == [
        ("2", "REQUEST", "TENTATIVE", "20270306T170000Z"),
        ("2", "REQUEST", "TENTATIVE", "20270306T170000Z"),
        ("3", "REQUEST", "CONFIRMED", "20270306T170000Z"),
        ("3", "REQUEST", "CONFIRMED", "20270306T170000Z"),
        ("4", "CANCEL", "CANCELLED", "20270306T170000Z"),
        ("4", "CANCEL", "CANCELLED", "20270306T170000Z"),
    ]


def test_a_counter_proposal_before_acceptance_sends_no_calendar(world, mailoutbox):
    meeting = propose(world)
    mailoutbox.clear()
    with at(day(1)):
        moved = meetings.meeting_move(
            meeting=meeting, by=world.ben, starts_at=moment(4, 10), mode=MeetingMode.PHONE, place=""
        )
    deliver()
    assert (moved.sequence, moved.mode, moved.place) == (1, MeetingMode.PHONE, "")
    [email] = mailoutbox
    assert email.to == [world.ada.email] and not calendar_parts(email)


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "fields", "message"),
    [
        (moment(0, 18), {}, "has passed"),  # START, before the clock (day 1)
        (moment(1, 8), {}, "has passed"),  # earlier the same day
        (moment(400), {}, "a year ahead"),
        (moment(3), {"duration_minutes": 5}, "15 minutes"),
        (moment(3), {"duration_minutes": 9 * 60}, "8 hours"),
        (moment(3), {"mode": MeetingMode.VIDEO, "place": "javascript:alert(1)"}, "https://"),
        (moment(3), {"mode": MeetingMode.VIDEO, "place": "zoom me"}, "https://"),
        (moment(3), {"place": "x" * 301}, "300 characters"),
    ],
)
def test_bad_times_lengths_and_links_are_refused_with_a_reason(world, when, fields, message):
    with pytest.raises(ValidationError, match=message):
        propose(world, when=when, **fields)
    assert not world.match.meetings.exists()


def test_a_video_link_is_kept(world):
    meeting = propose(world, mode=MeetingMode.VIDEO, place="https://meet.example.org/ada-ben")
    assert meeting.place == "https://meet.example.org/ada-ben"


@pytest.mark.parametrize("status", [MeetingStatus.DECLINED, MeetingStatus.CANCELLED])
def test_a_finished_meeting_cannot_be_answered_moved_or_cancelled_again(world, status):
    meeting = propose(world)
    with at(day(1)):
        if status == MeetingStatus.DECLINED:
            meetings.meeting_decline(meeting=meeting, by=world.ben)
        else:
            meetings.meeting_cancel(meeting=meeting, by=world.ada)
        for attempt in (
            lambda: meetings.meeting_accept(meeting=meeting, by=world.ben),
            lambda: meetings.meeting_decline(meeting=meeting, by=world.ben),
            lambda: meetings.meeting_move(meeting=meeting, by=world.ben, starts_at=moment(6)),
            lambda: meetings.meeting_cancel(meeting=meeting, by=world.ada),
        ):
            with pytest.raises(ValidationError, match="no longer possible"):
                attempt()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (status, 1)


def test_an_accepted_meeting_cannot_be_accepted_or_declined_again(world):
    meeting = propose(world)
    with at(day(1)):
        meetings.meeting_accept(meeting=meeting, by=world.ben)
        with pytest.raises(ValidationError, match="no longer possible"):
            meetings.meeting_accept(meeting=meeting, by=world.ben)
        with pytest.raises(ValidationError, match="no longer possible"):
            meetings.meeting_decline(meeting=meeting, by=world.ben)


def test_nothing_new_is_planned_unless_the_match_is_active(world):
    meeting = propose(world)
    with at(day(1)):
        matching_services.match_pause(match=world.match, by=world.coordinator)
        world.match.refresh_from_db()
        with pytest.raises(ValidationError, match="is paused"):
            propose(world)
        with pytest.raises(ValidationError, match="is paused"):
            meetings.meeting_accept(meeting=meeting, by=world.ben)
        with pytest.raises(ValidationError, match="is paused"):
            meetings.meeting_move(meeting=meeting, by=world.ben, starts_at=moment(6))
        # Taking something out of the calendars is always possible.
        assert meetings.meeting_cancel(meeting=meeting, by=world.ben).status == MeetingStatus.CANCELLED


def test_a_proposal_whose_time_has_passed_cannot_be_accepted(world):
    meeting = propose(world)
    with at(day(4)), pytest.raises(ValidationError, match="passed"):
        meetings.meeting_accept(meeting=meeting, by=world.ben)


# --- Youth programs --------------------------------------------------------------------------------


def test_in_a_youth_program_emails_carry_no_note_or_reason(mailoutbox):
    world = pair_world(mailoutbox)  # the matching world's program is for young people
    assert world.match.program.may_have_minors
    meeting = propose(world, note="Bring your CV, and call me on 07700 900123")
    with at(day(1)):
        meetings.meeting_decline(meeting=meeting, by=world.ben, reason="My mum's number is 07700 900456")
    deliver()
    assert len(mailoutbox) == 2
    for email in mailoutbox:
        assert "07700" not in email.body and "CV" not in email.body
    assert "Central Library" in mailoutbox[0].body  # the place is what they need


def test_in_an_adult_program_the_note_is_in_the_email_but_never_in_the_calendar(world, mailoutbox):
    meeting = propose(world, note="Bring your CV")
    with at(day(1)):
        meetings.meeting_accept(meeting=meeting, by=world.ben)
    deliver()
    assert "Bring your CV" in sent_to(mailoutbox, world.ben)[0].body
    assert all("CV" not in text for m in mailoutbox for _, text in calendar_parts(m))


def test_closing_the_match_cancels_its_meetings_to_come_and_takes_them_out_of_both_calendars(
    world, mailoutbox
):
    planned = propose(world)
    with at(day(1)):
        planned = meetings.meeting_accept(meeting=planned, by=world.ben)
    waiting = propose(world, when=moment(8))
    deliver()
    mailoutbox.clear()
    with at(day(2)):
        world.match.refresh_from_db()
        matching_services.match_close(
            match=world.match, by=world.coordinator, reason="moved", anticipated=False
        )
    deliver()
    planned.refresh_from_db()
    waiting.refresh_from_db()
    assert planned.status == waiting.status == MeetingStatus.CANCELLED
    called_off = [m for m in mailoutbox if calendar_parts(m)]
    assert sorted(m.to[0] for m in called_off) == sorted([world.ada.email, world.ben.email])
    for email in called_off:
        props = event(calendar_parts(email)[0][1])
        assert (props["METHOD"], props["UID"]) == ("CANCEL", planned.uid)
        assert int(props["SEQUENCE"]) > 1
    # The proposal was never in a calendar: no cancellation for it, the closure email says it all.
    assert not any(waiting.uid in calendar_parts(m)[0][1] for m in called_off)
