"""A mentor opens their active match's journal, logs a check-in and a goal, sees both there, and
answers the pairing-fit survey the first meeting made due."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from evaluation.models import CheckIn, Goal, SurveyResponse
from tests.evaluation.helpers import pair_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mentor_logs_a_check_in_and_a_goal_and_sees_both_on_the_journal(
    page, live_server, axe_check, log_in
):
    pw = pair_world()
    today = dt.date.today()
    log_in(pw.mentor.email)

    page.goto(live_server.url + f"/matches/{pw.match.pk}/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-ins, goals and surveys")
    expect(page.get_by_text("No check-ins yet.")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Log a check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a check-in")
    expect(page.get_by_label("Date:", exact=True)).to_have_value(today.isoformat())
    page.get_by_role("group", name="Did the meeting take place?").get_by_label("Yes, we met").check()
    page.get_by_label("Length (minutes)").fill("45")
    page.get_by_role("group", name="How did you meet?").get_by_label("Video call").check()
    page.get_by_role("group", name="How did it go?").get_by_label("5: very well").check()
    page.get_by_label("Short notes").fill("Went through Ben's CV line by line.")
    axe_check(page)
    page.get_by_role("button", name="Log the check-in").click()

    expect(page.get_by_text("Your check-in is logged.")).to_be_visible()
    checkins = page.get_by_role("table", name="Check-ins, newest first")
    expect(checkins).to_contain_text("Went through Ben's CV line by line.")
    expect(checkins).to_contain_text("45 min")
    expect(checkins).to_contain_text("Video call")

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Goal:", exact=True).fill("Send three job applications")
    page.get_by_label("Target date (optional)").fill((today + dt.timedelta(days=30)).isoformat())
    axe_check(page)
    page.get_by_role("button", name="Add the goal").click()

    expect(page.get_by_text("The goal is added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Send three job applications")).to_be_visible()
    expect(checkins).to_contain_text("Went through Ben's CV line by line.")
    axe_check(page)

    # The first meeting held makes the pairing-fit survey due: answered once from the journal.
    page.get_by_role("link", name=re.compile(r"^How is it going with ")).click()
    page.get_by_role("group", name="How well does this pairing fit?").get_by_label("4", exact=True).check()
    axe_check(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^How is it going with "))).to_have_count(0)

    checkin = CheckIn.objects.get()
    assert (checkin.match_id, checkin.logged_by_id, checkin.rating, checkin.mode) == (
        pw.match.pk,
        pw.mentor.pk,
        5,
        "video",
    )
    assert Goal.objects.get().created_by_id == pw.mentor.pk
    assert SurveyResponse.objects.get().rating == 4
