"""The pair's space in a browser (issue 13), through the UI, looked at on a phone and a laptop:
a 15-year-old mentee proposes a meeting, his mentor accepts it and both get the .ics invitation;
they exchange messages and the phone number he writes is held back from her; the meeting happens
and the mentor logs it from the dashboard's prompt, the form filled in from the meeting; the
coordinator reads the thread, with the number, and releases it.

Each page is looked at with ``look`` (375 px and 1280 px: no sideways scroll, nothing serious for
axe). With ``SCREENSHOTS=docs/screenshots`` the looks are saved as ``pair-NN-<step>-<width>.png``.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import CheckIn
from matching.messaging.contact import HELD_TEXT
from matching.models import Match, Meeting, Message
from mentorship.models import OutboundEmail
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "07700 900123"


def test_a_meeting_proposed_accepted_talked_about_and_logged_and_the_coordinator_reads_it(
    page, live_server, log_in, log_out, look
):
    mw = scenarios.messages_world(domain="e2e-pair.test")
    ada, ben, cora = mw.ada.user, mw.ben.user, mw.cora
    # The pair started a month ago (the meeting they log is then within the match, whatever the hour).
    Match.objects.filter(pk=mw.match.pk).update(started_on=timezone.localdate() - dt.timedelta(days=30))
    seen = []

    def looked(name):
        seen.append(name)
        look(page, f"pair-{len(seen):02d}-{name}")

    # The mentee proposes a meeting from his match page.
    log_in(ben.email)
    page.goto(live_server.url + mw.match.get_absolute_url())
    page.get_by_role("link", name="Plan a meeting").click()
    looked("meetings-propose")
    day = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("16:30")
    page.get_by_label("Place or video link").fill("Central Library, study room 2")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("Waiting for an answer").first).to_be_visible()
    meeting = Meeting.objects.get(match=mw.match)
    assert meeting.status == "proposed" and meeting.proposed_by == ben
    log_out()

    # The mentor accepts it on her match page; both get the invitation with the meeting's UID.
    log_in(ada.email)
    page.goto(live_server.url + mw.match.get_absolute_url())
    expect(page.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
    looked("match-meeting-to-answer")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", name="Next meeting")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == "accepted"
    for person in (ada, ben):
        invitation = OutboundEmail.objects.filter(to=person.email, kind="meeting_accepted").get()
        assert "METHOD:REQUEST" in invitation.calendar and f"UID:{meeting.uid}" in invitation.calendar
        assert PHONE not in invitation.body

    # She writes to him; he answers with his phone number, which she does not get to see.
    page.get_by_role("link", name="Messages with your mentee").click()
    page.get_by_label("Your message").fill("See you on the day! I'll be by the front desk.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#thread")).to_contain_text("front desk")
    log_out()

    log_in(ben.email)
    page.goto(live_server.url + mw.match.get_absolute_url())
    page.get_by_role("link", name="Messages with your mentor").click()
    expect(page.locator("#thread")).to_contain_text("front desk")
    expect(page.get_by_text("Your program's coordinators can read every message")).to_be_visible()
    page.get_by_label("Your message").fill(f"Great! If I'm late, text me on {PHONE}")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("held back").first).to_be_visible()
    looked("conversation-mentee")
    assert Message.objects.get(sender=ben).held
    log_out()

    log_in(ada.email)
    page.goto(live_server.url + mw.match.get_absolute_url())
    page.get_by_role("link", name="Messages with your mentee").click()
    thread = page.locator("#thread")
    expect(thread.get_by_text(HELD_TEXT)).to_be_visible()
    assert PHONE not in thread.inner_text()
    looked("conversation-mentor")

    # The meeting happens (two hours ago, now); the dashboard asks her to log it, and the form is
    # filled in from the meeting.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text("How did your meeting with")).to_be_visible()
    looked("dashboard-meeting-to-log")
    page.get_by_role("link", name="Log it").first.click()
    expect(page.get_by_label("Length (minutes)")).to_have_value("60")
    looked("checkin-from-meeting")
    page.get_by_role("button", name="Log the check-in").click()
    expect(page.get_by_role("button", name="Log the check-in")).to_have_count(0)
    checkin = CheckIn.objects.get(meeting=meeting)
    assert checkin.logged_by == ada and checkin.held and checkin.duration_minutes == 60
    assert checkin.occurred_on == timezone.localdate(timezone.now() - dt.timedelta(hours=2))
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text("How did your meeting with")).to_have_count(0)
    log_out()

    # The coordinator reads the thread in the program's inbox, with the number, and releases it.
    log_in(cora.email)
    page.goto(live_server.url + f"/programs/{mw.program.slug}/messages/")
    looked("inbox-coordinator")
    page.get_by_role("link", name="Ada Mentor and Ben Mentee").click()
    expect(page.locator("#thread")).to_contain_text(PHONE)
    looked("conversation-coordinator")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Release contact details").click()
    expect(page.get_by_role("button", name="Release contact details")).to_have_count(0)
    assert Message.objects.get(sender=ben).released_by == cora
