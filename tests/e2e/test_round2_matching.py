"""The coordinator's matching pages after the lifecycle walk (issue 12, round 2, findings 1, 6, 9
and 10), in a browser at 375 and 1280 px with axe: the recent runs set apart from the button, the
matches list, the pair's journal with the program menu and the surveys, and the message after
closing a minor's match."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import services as evaluation_services
from evaluation.models import SurveyKind
from matching import runs, services
from matching.models import MatchRun, MatchSource
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_matching_matches_journal_and_closing_read_well(page, live_server, log_in, look):
    world = scenarios.matching_world()
    runs.run_execute(
        run_id=MatchRun.objects.create(
            program=world.program, trigger="coordinator", started_by=world.coordinator
        ).pk
    )
    services.match_propose(program=world.program, mentee=world.mentees["ben"], mentor=world.mentors["ada"],
                           by=world.coordinator, source=MatchSource.MANUAL)  # fmt: skip
    active = services.match_propose(program=world.program, mentee=world.mentees["dee"],
                                    mentor=world.mentors["cy"], by=world.coordinator,
                                    source=MatchSource.MANUAL)  # fmt: skip
    for side in (active.mentee, active.mentor):
        active = services.match_confirm(match=active, by=side.user)
    evaluation_services.checkin_log(match=active, by=active.mentor.user, occurred_on=timezone.localdate())
    evaluation_services.survey_answer(
        match=active, by=active.mentee.user, kind=SurveyKind.PAIRING_FIT, rating=4
    )
    log_in(world.coordinator.email)

    # Finding 6: "Recent runs" is a heading of its own, set apart from the button.
    page.goto(live_server.url + f"/programs/{world.program.slug}/matching/")
    look(page, "r2-matching")
    page.set_viewport_size({"width": 375, "height": 900})
    button = page.get_by_role("button", name="Run matching now").bounding_box()
    heading = page.get_by_role("heading", name="Recent runs", level=3).bounding_box()
    assert heading["y"] - (button["y"] + button["height"]) >= 16
    expect(page.get_by_text(re.compile(r"mentees and \d mentors considered"))).to_be_visible()

    # Finding 10: each match is named by both people; a proposed one says who must confirm.
    page.goto(live_server.url + f"/programs/{world.program.slug}/matches/")
    look(page, "r2-program-matches")
    expect(page.get_by_role("row").filter(has_text="Ada and Ben")).to_contain_text(
        "waiting for Ada and Ben to confirm"
    )

    # Finding 1: the journal keeps the coordinator's place and shows where each side stands.
    page.get_by_role("link", name="Cy and Dee").click()
    page.get_by_role("link", name="Check-ins, goals and surveys").click()
    expect(page.get_by_role("navigation", name="Program")).to_have_count(1)
    surveys = page.get_by_role("region", name="Surveys of this pair")
    expect(surveys).to_contain_text("Answered")
    expect(surveys).to_contain_text("Open, not answered yet")
    look(page, "r2-journal-coordinator")

    # Finding 9: closing says who was told, the guardian too, and where Dee is matched again.
    page.get_by_role("link", name="About the match").click()
    page.get_by_role("link", name="Close this match").click()
    page.get_by_label("Why is the match closing?").select_option(label="Completed")
    page.get_by_role("group", name=re.compile("was the closure planned", re.I)).get_by_label(
        "Yes, planned"
    ).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the match").click()
    message = page.get_by_text(re.compile("The match is closed;"))
    expect(message).to_contain_text("Cy, Dee and Pat Parent (Dee's guardian) have been told by email.")
    expect(message).to_contain_text("Dee is back in the pool")
    look(page, "r2-match-closed")
    message.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("region", name=re.compile("Back in the pool"))).to_contain_text("Dee")
