"""Round 2 of issue 12, in a browser: what only layout shows. The applicant list's filters show
their options whole at 1280 px; a heading inside a card stands apart from the block above it; the
guardian's page leads with the match's news, and its withdraw button is not the biggest thing on it;
the overview's public address can be copied."""

import pytest
from playwright.sync_api import expect

from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# For each <select>: the width of its longest option's text, and the room its box leaves for text
# (its width less padding, border and the arrow, which Chromium draws about 20 px wide).
SELECT_ROOM = """sel => {
  const cs = getComputedStyle(sel);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const longest = Math.max(...[...sel.options].map(o => ctx.measureText(o.text).width));
  const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
  return {name: sel.name, longest, room};
}"""


def test_the_applicant_filters_show_their_options_whole_at_1280(page, live_server, log_in, look):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/?blocked_by=consent")
    selects = page.locator(".filter-fields select")
    assert selects.count() >= 5
    for i in range(selects.count()):
        fit = selects.nth(i).evaluate(SELECT_ROOM)
        assert fit["longest"] <= fit["room"], f"{fit['name']}: options cut off ({fit})"
    look(page, "round2-applicant-filters")


def gap_above(page, heading):
    """Pixels between a heading's box and the bottom of the element before it."""
    return page.get_by_role("heading", name=heading, exact=True).evaluate(
        "h => h.getBoundingClientRect().top - h.previousElementSibling.getBoundingClientRect().bottom"
    )


def test_headings_in_a_card_stand_apart_from_the_block_above(page, live_server, log_in):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/{world.mentor_enrollment.pk}/")
    for heading in ("Record an item", "Capacity"):
        assert gap_above(page, heading) >= 20, heading
    teen = scenarios.ready_mentee(
        program=world.program, email="tia@example.org", display_name="Tia", minor=True
    )
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/{teen.pk}/")
    for heading in ("Consent record", "Change the guardian"):
        assert gap_above(page, heading) >= 20, heading


@pytest.fixture
def active_teen_match():
    world = scenarios.role_world()
    return scenarios.teen_match(world)


def test_the_guardian_page_leads_with_the_news_and_withdrawing_is_not_its_biggest_thing(
    page, live_server, look, active_teen_match
):
    consent = active_teen_match.mentee.consents.get(revoked_at__isnull=True)
    page.goto(live_server.url + f"/guardian/{consent.manage_token}/")
    look(page, "round2-guardian-page")
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        headings = page.locator("main h2").all_inner_texts()
        assert headings[0] == "The mentoring has started", headings
        expect(page.get_by_text("their mentor, Morgan, both confirmed")).to_be_visible()
        expect(page.get_by_role("link", name="Sign up")).to_have_count(0)
        # The withdraw button waits in a closed disclosure, below the news, the concern button
        # and the coordinators.
        withdraw = page.get_by_role("link", name="Withdraw my consent…")
        expect(withdraw).to_be_hidden()
        summary = page.get_by_text("What happens if I withdraw my consent?")
        concern = page.get_by_role("link", name="Raise a safeguarding concern")
        assert summary.bounding_box()["y"] > concern.bounding_box()["y"]
        summary.click()
        expect(withdraw).to_be_visible()
        assert "button-danger" in withdraw.get_attribute("class")
        summary.click()


def test_the_public_address_is_shown_to_copy_after_opening(page, live_server, log_in, look, settings):
    settings.SITE_URL = live_server.url
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/manage/")
    field = page.get_by_label("The public page's address")
    expect(field).to_have_value(f"{live_server.url}/programs/{world.program.slug}/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert (
        page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/programs/{world.program.slug}/"
    )
    expect(page.get_by_role("button", name="Start running the program")).to_be_visible()
    look(page, "round2-program-overview")
