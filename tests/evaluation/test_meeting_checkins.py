"""After a planned meeting, each of the pair is asked to log it: a prompt on the journal and the
dashboard, the check-in form filled in from the meeting, "we didn't meet" in one click; once each,
and the check-in reminders count it."""

import pytest
from django.urls import reverse

from evaluation import reminders
from evaluation.models import CheckIn, CheckInMode, Reminder
from matching.models import MeetingMode
from tests.evaluation.reminder_helpers import at, day, deliver, log_checkin
from tests.matching.meeting_helpers import clock, moment, pair_world, plan
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    """Ada and Ben (fortnightly) planned a 90-minute video call on Thursday 4 March, 18:00 UTC."""
    world = pair_world(mailoutbox)
    world.meeting = plan(world.match, when=moment(3))
    world.meeting.duration_minutes = 90
    world.meeting.mode = MeetingMode.VIDEO
    world.meeting.save(update_fields=["duration_minutes", "mode"])
    return world


def journal(client, world):
    return client.get(reverse("evaluation:pair", args=[world.match.pk])).text


def log_url(world, meeting=None):
    url = reverse("evaluation:checkin_new", args=[world.match.pk])
    return f"{url}?meeting={(meeting or world.meeting).pk}"


PROMPT = "How did your meeting with"


def test_no_prompt_before_the_meeting_ends(client, world):
    with clock(3, 19, 15):  # it is still going on
        client.force_login(world.ben)
        assert PROMPT not in journal(client, world)


def test_after_the_meeting_both_are_asked_on_the_journal_and_the_dashboard(client, world):
    with clock(3, 20):
        for user, partner in ((world.ben, "Ada"), (world.ada, "Ben")):
            client.force_login(user)
            page = journal(client, world)
            assert f"{PROMPT} {partner} on Thu 4 Mar go?" in page
            assert f'href="{log_url(world)}"' in page
            dashboard = client.get(reverse("dashboard")).text
            assert f"{PROMPT} {partner} on Thu 4 Mar go?" in dashboard
        client.force_login(world.coordinator)
        assert PROMPT not in journal(client, world)  # the pair's to log, not the coordinator's


def test_the_form_is_filled_in_from_the_meeting_and_saving_links_it(client, world):
    with clock(4, 9):
        client.force_login(world.ben)
        form = client.get(log_url(world)).context["form"]
        assert form.initial == {
            "occurred_on": moment(3).date(),
            "held": "yes",
            "duration_minutes": 90,
            "mode": CheckInMode.VIDEO,
        }
        data = {
            "occurred_on": "2027-03-04",
            "held": "yes",
            "duration_minutes": "80",
            "mode": "video",
            "rating": "4",
        }
        response = client.post(log_url(world), once(data))
        assert response.status_code == 302
        checkin = CheckIn.objects.get()
        assert (checkin.meeting, checkin.logged_by, checkin.duration_minutes) == (
            world.meeting,
            world.ben,
            80,
        )
        # The prompt is gone for Ben, not for Ada.
        assert PROMPT not in journal(client, world)
        client.force_login(world.ada)
        assert PROMPT in journal(client, world)


def test_a_second_log_of_the_same_meeting_is_told_not_refused_with_an_error(client, world):
    data = {"occurred_on": "2027-03-04", "held": "yes", "mode": "video"}
    with clock(4, 9):
        client.force_login(world.ben)
        assert client.post(log_url(world), once(data)).status_code == 302
        again = client.post(log_url(world), once(data))  # another tab, a fresh form
        assert again.status_code == 400
        assert "You have already logged this meeting" in again.text
        # Following the prompt's link again says so too.
        response = client.get(log_url(world), follow=True)
        assert "You have already logged this meeting" in response.text
    assert CheckIn.objects.count() == 1


def test_we_did_not_meet_logs_a_missed_check_in_once(client, world):
    url = reverse("evaluation:meeting_missed", args=[world.meeting.pk])
    pair_url = reverse("evaluation:pair", args=[world.match.pk])
    with clock(4, 9):
        client.force_login(world.ada)
        response = client.post(url, {"next": pair_url}, follow=True)
        assert "Logged as missed" in response.text and PROMPT not in response.text
        checkin = CheckIn.objects.get()
        assert (checkin.held, checkin.meeting, checkin.occurred_on) == (
            False,
            world.meeting,
            moment(3).date(),
        )
        assert checkin.mode == CheckInMode.VIDEO and checkin.duration_minutes is None
        again = client.post(url, {"next": pair_url}, follow=True)
        assert "You have already logged this meeting" in again.text
    assert CheckIn.objects.count() == 1


def test_a_meeting_not_yet_held_or_of_another_pair_cannot_be_logged(client, world, mailoutbox):
    from tests.evaluation.reminder_helpers import start_pair

    other = plan(start_pair(world, "fay", "gus"), when=moment(3))
    with clock(3, 10):
        client.force_login(world.ben)
        response = client.post(reverse("evaluation:meeting_missed", args=[world.meeting.pk]), follow=True)
        assert "has not taken place" in response.text
        assert client.get(log_url(world, other)).status_code == 404
        assert client.get(log_url(world) + "x").status_code == 404
        # A stranger to the meeting gets 404; the coordinator is refused (check-ins are the pair's).
        assert client.post(reverse("evaluation:meeting_missed", args=[other.pk])).status_code == 404
    with clock(4, 9):
        client.force_login(world.coordinator)
        response = client.post(reverse("evaluation:meeting_missed", args=[world.meeting.pk]), follow=True)
        assert "Only the two people in the match" in response.text
    assert not CheckIn.objects.exists()


def test_a_logged_meeting_stops_the_due_check_in_reminder(world, mailoutbox):
    """Periods start on 1 and 15 March; the due nudge for the first would go on 13 March."""
    with clock(4, 9):
        from evaluation import services

        services.checkin_log(
            match=world.match, by=world.ben, occurred_on=moment(3).date(), meeting=world.meeting
        )
    with at(day(12)):
        reminders.reminders_sweep()
    assert not Reminder.objects.exists()


def test_without_the_logged_meeting_the_due_reminder_goes(world, mailoutbox):
    """The control of the test above: a planned meeting alone is not a check-in."""
    with at(day(12)):
        reminders.reminders_sweep()
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["due"]
    deliver()


def test_an_earlier_check_in_does_not_hide_the_prompt(client, world):
    log_checkin(world.match, day(2))  # logged by hand before the meeting, not from it
    with clock(4, 9):
        client.force_login(world.ben)
        assert PROMPT in journal(client, world)


def test_the_dashboard_lists_proposals_to_answer_and_the_next_meetings(client, world, mailoutbox):
    from matching import meetings as meeting_services

    with clock(1, 10):
        meeting_services.meeting_propose(match=world.match, by=world.ada, starts_at=moment(5), place="Park")
        client.force_login(world.ben)
        page = client.get(reverse("dashboard")).text
        assert "Ada proposed Sat 6 Mar, 18:00" in page
        assert "Thu 4 Mar, 18:00 with Ada" in page  # the one they planned
        client.force_login(world.ada)
        page = client.get(reverse("dashboard")).text
        assert "proposed Sat 6 Mar" not in page  # hers: nothing to answer
        assert "Thu 4 Mar, 18:00 with Ben" in page
        client.force_login(world.mentees["fay"].user)  # no meetings: no panel
        assert 'id="my-meetings-heading"' not in client.get(reverse("dashboard")).text
