"""A coordinator runs matching (on a real worker), reads a pair's reasons and accepts it; the mentee
and the mentor see each other on their dashboards and confirm."""

import pytest
from playwright.sync_api import expect

from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_run_review_accept_and_both_confirm(page, live_server, axe_check, celery_worker_process, log_in):
    world = scenarios.matching_world()
    log_in(world.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/matching/")
    page.get_by_role("button", name="Run matching now").click()
    # The worker runs it; the page follows the progress, then shows the suggestions.
    suggestion = page.get_by_role("article").filter(has_text="Cy")
    expect(suggestion).to_be_visible(timeout=30_000)
    unmatched = page.get_by_role("region", name="Left unmatched by the last run")
    expect(unmatched).to_contain_text("Eve: no mentor shares a language")
    suggestion.get_by_text("Why this pair").click()
    expect(suggestion.get_by_text("Goals")).to_be_visible()
    axe_check(page)
    suggestion.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("are matched")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    for email, partner in (("dee@matching.test", "Cy"), ("cy@matching.test", "Dee")):
        log_in(email)
        panel = page.get_by_role("region", name="My matches")
        expect(panel).to_contain_text(partner)
        panel.get_by_role("link", name=partner).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(partner)
        axe_check(page)
        page.get_by_role("button", name="I agree: confirm the match").click()
        page.get_by_role("button", name="Log out").click()

    log_in("dee@matching.test")
    expect(page.get_by_role("region", name="My matches")).to_contain_text("Active")
