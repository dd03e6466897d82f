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
    # The reasons are words (what the pair shares), the score breakdown a detail behind them.
    expect(suggestion).to_contain_text("Cy can help with Nursing")
    expect(suggestion).to_contain_text("guardian consent given")  # Dee is 15
    suggestion.get_by_text("Score breakdown").click()
    expect(suggestion.get_by_text("Goals", exact=True)).to_be_visible()
    axe_check(page)
    # Declining asks first, saying what it does; saying no leaves the suggestion waiting.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    suggestion.get_by_role("button", name="Decline").click()
    assert asked and "never be suggested again" in asked[0]
    expect(suggestion).to_be_visible()
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


def test_the_coordinators_matching_pages_read_well_on_a_phone_and_a_laptop(page, live_server, log_in, look):
    """Reasons in words, a rematch badge, and a match page with the program menu and the pair's
    summary: nothing scrolls sideways at 375 px and axe finds nothing serious at either width."""
    import datetime as dt

    from django.utils import timezone

    from evaluation import services as evaluation_services
    from matching import runs, services
    from matching.models import Match, MatchRun, MatchSource

    world = scenarios.matching_world()
    first = services.match_propose(
        program=world.program,
        mentee=world.mentees["fay"],
        mentor=world.mentors["gus"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    for person in (first.mentee, first.mentor):
        first = services.match_confirm(match=first, by=person.user)
    services.match_close(
        match=first, by=world.coordinator, reason="moved", anticipated=False, rematch_eligible=True
    )
    active = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    for person in (active.mentee, active.mentor):
        active = services.match_confirm(match=active, by=person.user)
    today = timezone.localdate()
    Match.objects.filter(pk=active.pk).update(started_on=today - dt.timedelta(days=20))
    active.refresh_from_db()
    evaluation_services.checkin_log(
        match=active, by=active.mentee.user, occurred_on=today - dt.timedelta(days=6)
    )
    runs.run_execute(run_id=MatchRun.objects.create(program=world.program, trigger="coordinator").pk)

    log_in(world.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/matching/")
    expect(page.get_by_role("region", name="Back in the pool after a closure (1)")).to_contain_text("Rematch")
    expect(page.get_by_role("article").filter(has_text="Cy").first).to_contain_text("Under 18")
    look(page, "matching-reasons")
    page.get_by_role("link", name="Mentors for Fay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentors for Fay")
    look(page, "matching-mentee-options")
    page.goto(live_server.url + active.get_absolute_url())
    expect(page.get_by_role("navigation", name="Program")).to_be_visible()
    expect(page.get_by_text("Last meeting")).to_be_visible()
    look(page, "match-page-coordinator")
