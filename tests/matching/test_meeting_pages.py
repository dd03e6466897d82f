"""The meeting pages: who sees and does what (404 for strangers, the pair acts, coordinators look),
the proposal form with its suggested times and its refusals, the answers from the match page, and
the coordinators' list of matches with each pair's next and last meeting."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.models import Meeting, MeetingStatus
from tests import scenarios
from tests.evaluation.helpers import more_active_matches
from tests.matching.meeting_helpers import clock, moment, pair_world, propose
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    """Ada mentors Ben; both are free on Thursday evenings and Saturday mornings."""
    world = pair_world(mailoutbox)
    thursday_evening, saturday_morning = 1 << (3 * 3 + 2), 1 << (5 * 3 + 0)
    for user in (world.ada, world.ben):
        user.profile.availability = thursday_evening | saturday_morning | (1 << 0)
        user.profile.save(update_fields=["availability"])
    world.ada.profile.availability ^= 1 << 0  # Monday morning: Ben's alone
    world.ada.profile.save(update_fields=["availability"])
    return world


def meetings_url(world):
    return reverse("matching:meetings", args=[world.match.pk])


def form_data(**fields):
    return once({"date": "2027-03-04", "time": "18:00", "duration_minutes": "60", "mode": "in_person",
                 "place": "Central Library", "note": "", **fields})  # fmt: skip


# --- Who sees what -------------------------------------------------------------------------------


def test_strangers_get_404_everywhere(client, world):
    meeting = propose(world)
    stranger = world.mentees["fay"].user
    with clock(1, 10):
        client.force_login(stranger)
        assert client.get(meetings_url(world)).status_code == 404
        assert client.post(meetings_url(world), form_data()).status_code == 404
        for name in ("meeting_accept", "meeting_decline", "meeting_cancel", "meeting_move"):
            assert client.post(reverse(f"matching:{name}", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED


def test_the_coordinator_sees_the_meetings_but_cannot_propose_or_answer(client, world):
    meeting = propose(world)
    with clock(1, 10):
        client.force_login(world.coordinator)
        page = client.get(meetings_url(world)).text
        assert "Thu 4 Mar 2027, 18:00" in page and "Propose a meeting" not in page
        assert 'id="meeting-form"' not in page and "Accept</button>" not in page
        assert client.post(meetings_url(world), form_data()).status_code == 403
        response = client.post(reverse("matching:meeting_accept", args=[meeting.pk]), follow=True)
        assert "Only the two people in the match" in response.text
    assert Meeting.objects.get().status == MeetingStatus.PROPOSED


# --- Proposing -------------------------------------------------------------------------------------


def test_suggested_times_are_links_that_fill_in_the_form(client, world):
    with clock(1, 10):  # Tuesday 2 March
        client.force_login(world.ben)
        page = client.get(meetings_url(world)).text
        assert "Suggested times" in page and "When you are both free" in page
        assert f'href="{meetings_url(world)}?start=2027-03-04T18:00#meeting-form"' in page
        assert "Mon 8 Mar" not in page  # Ben's alone: not a time they share
        form = client.get(meetings_url(world) + "?start=2027-03-06T10:00").context["form"]
        assert (form.initial["date"], form.initial["time"]) == (dt.date(2027, 3, 6), dt.time(10, 0))
        assert client.get(meetings_url(world) + "?start=nonsense").status_code == 200


def test_proposing_from_the_page_emails_the_partner(client, world, mailoutbox):
    with clock(1, 10):
        client.force_login(world.ben)
        response = client.post(meetings_url(world), form_data(note="See you there"), follow=True)
    assert "Your proposal is sent to Ada" in response.text
    meeting = Meeting.objects.get()
    assert (meeting.starts_at, meeting.proposed_by, meeting.note) == (moment(3), world.ben, "See you there")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2027-03-01"}, "That time has passed: choose a date and time in the future."),
        ({"mode": "video", "place": "ftp://example.org/x"}, "A video link is a web address"),
        ({"duration_minutes": "5"}, "greater than or equal to 15"),
        ({"date": "4 March"}, "Enter a valid date."),
    ],
)
def test_bad_input_is_shown_again_with_the_reason(client, world, fields, message):
    with clock(1, 10):
        client.force_login(world.ben)
        response = client.post(meetings_url(world), form_data(**fields))
    assert response.status_code == 400
    assert message in response.text
    assert not Meeting.objects.exists()


def test_a_double_click_proposes_once(client, world):
    data = form_data()
    with clock(1, 10):
        client.force_login(world.ben)
        client.post(meetings_url(world), data)
        client.post(meetings_url(world), data)
    assert Meeting.objects.count() == 1


# --- Answering from the match page -----------------------------------------------------------------


def test_the_partner_answers_from_the_match_page_and_the_next_meeting_shows(client, world):
    meeting = propose(world)
    match_url = world.match.get_absolute_url()
    with clock(1, 10):
        client.force_login(world.ben)
        page = client.get(match_url).text
        assert "Waiting for your answer" in page and "Accept</button>" in page
        response = client.post(
            reverse("matching:meeting_accept", args=[meeting.pk]), {"next": match_url}, follow=True
        )
        assert response.redirect_chain[-1][0] == match_url
        assert "Accepted: you will both get a calendar invitation" in response.text
        assert "Next meeting" in response.text and "Waiting for your answer" not in response.text
        # Ada sees the planned meeting with the danger-styled cancel, which asks first.
        client.force_login(world.ada)
        page = client.get(match_url).text
        assert "Next meeting" in page and "Thu 4 Mar 2027, 18:00" in page
        assert (
            'class="button-small button-danger" data-confirm="Cancel the meeting on Thu 4 Mar, 18:00?' in page
        )


def test_the_proposer_cannot_accept_their_own_time(client, world):
    meeting = propose(world)
    with clock(1, 10):
        client.force_login(world.ada)
        assert "Accept</button>" not in client.get(world.match.get_absolute_url()).text
        response = client.post(reverse("matching:meeting_accept", args=[meeting.pk]), follow=True)
    assert "it is for your partner to accept it" in response.text
    assert Meeting.objects.get().status == MeetingStatus.PROPOSED


def test_declining_with_a_reason_and_a_second_answer_is_refused_cleanly(client, world):
    meeting = propose(world)
    with clock(1, 10):
        client.force_login(world.ben)
        url = reverse("matching:meeting_decline", args=[meeting.pk])
        client.post(url, {"reason": "Football practice"})
        response = client.post(reverse("matching:meeting_accept", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert "This meeting is declined: that is no longer possible." in response.text
    assert Meeting.objects.get().status == MeetingStatus.DECLINED


def test_moving_a_meeting_from_its_page(client, world):
    meeting = propose(world)
    url = reverse("matching:meeting_move", args=[meeting.pk])
    with clock(1, 10):
        client.force_login(world.ben)
        form = client.get(url).context["form"]
        assert (form.initial["date"], form.initial["time"], form.initial["place"]) == (
            dt.date(2027, 3, 4),
            dt.time(18, 0),
            "Central Library",
        )
        assert client.post(url, form_data(date="2027-03-01")).status_code == 400
        response = client.post(url, form_data(date="2027-03-06", time="10:00"), follow=True)
    assert "The new time is sent to Ada to accept." in response.text
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.proposed_by, meeting.sequence) == (moment(5, 10), world.ben, 1)


def test_cancelling_from_the_meetings_page(client, world):
    meeting = propose(world)
    with clock(1, 10):
        client.force_login(world.ada)
        response = client.post(reverse("matching:meeting_cancel", args=[meeting.pk]), follow=True)
    assert "The meeting is cancelled" in response.text
    assert Meeting.objects.get().status == MeetingStatus.CANCELLED


# --- The coordinators' list of matches ---------------------------------------------------------------


def test_the_matches_list_shows_the_next_and_last_meeting_in_constant_queries(client, db):
    world = scenarios.matching_world()
    lead, program = world.coordinator, world.program
    now = timezone.now()

    def meet(match, days, status=MeetingStatus.ACCEPTED):
        return Meeting.objects.create(
            match=match, proposed_by=match.mentor.user, starts_at=now + dt.timedelta(days=days), status=status
        )

    def visit():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("matching:matches", args=[program.slug])).text
        return page, len(queries)

    first = more_active_matches(program=program, count=2, prefix="a")
    for match in first:
        meet(match, -10)
        meet(match, -3)
        meet(match, 4)
        meet(match, 2, status=MeetingStatus.PROPOSED)  # not planned yet
        meet(match, -1, status=MeetingStatus.CANCELLED)  # not held
    client.force_login(lead)
    page, few = visit()
    next_day = timezone.localtime(now + dt.timedelta(days=4))
    last_day = timezone.localdate(now - dt.timedelta(days=3))
    assert '<th scope="col">Next meeting</th>' in page and '<th scope="col">Last meeting</th>' in page
    assert f"{next_day:%a} {next_day.day} {next_day:%b}, {next_day:%H:%M}" in page
    assert f"{last_day.day} {last_day:%b %Y}" in page
    more = more_active_matches(program=program, count=5, prefix="b")
    for match in more:
        meet(match, -3)
        meet(match, 4)
    _, many = visit()
    assert many == few
