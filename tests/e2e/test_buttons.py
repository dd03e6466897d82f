"""Buttons look like what they do: a secondary button is outlined, an irreversible action is red and
asks first, saying what will happen; and a confirmation the person dismisses changes nothing."""

import pytest
from playwright.sync_api import expect

from programs.models import EnrollmentStatus, ProgramStatus
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# site.css: --brand, --paper and --err-ink.
BRAND = "rgb(29, 90, 166)"
WHITE = "rgb(255, 255, 255)"
RED = "rgb(155, 28, 28)"


def looks(locator):
    return locator.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return {background: s.backgroundColor, color: s.color, border: s.borderTopColor}; }"
    )


def dismiss_the_confirmation(page, button):
    """Clicks ``button``, answers "Cancel" to the browser's confirmation and returns what it said."""
    said = []

    def dismiss(dialog):
        said.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    page.wait_for_timeout(300)  # a form sent regardless would be on its way by now
    assert said, f"{button} asked nothing before acting"
    return said[0]


def test_secondary_and_danger_buttons_are_not_filled_primary_buttons(page, live_server, log_in):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/settings/")
    primary = looks(page.get_by_role("button", name="Save settings"))
    assert primary == {"background": BRAND, "color": WHITE, "border": BRAND}
    secondary = looks(page.get_by_role("button", name="Add to the checklist"))
    assert secondary == {"background": WHITE, "color": BRAND, "border": BRAND}
    danger = looks(page.get_by_role("button", name="Remove").first)
    assert danger == {"background": RED, "color": WHITE, "border": RED}

    # Every kind of element the classes go on: a link, a button, a submit input.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p><a id="t-a2" class="button button-secondary" href="#">a</a>'
        + '<a id="t-a3" class="button button-danger" href="#">b</a>'
        + '<input id="t-i2" type="submit" class="button-secondary" value="c">'
        + '<input id="t-i3" type="submit" class="button-danger" value="d">'
        + '<button id="t-b2" class="button-secondary button-small">e</button></p>')"""
    )
    for selector, expected in (
        ("#t-a2", secondary),
        ("#t-i2", secondary),
        ("#t-b2", secondary),
        ("#t-a3", danger),
        ("#t-i3", danger),
    ):
        assert looks(page.locator(selector)) == expected, selector

    # On the program's overview "Close the program for good" is red; "Start running the program"
    # is not filled.
    page.goto(live_server.url + f"/programs/{world.program.slug}/manage/")
    assert looks(page.get_by_role("button", name="Close the program for good")) == danger
    assert looks(page.get_by_role("button", name="Start running the program")) == secondary


def test_closing_a_program_asks_first_and_cancelling_changes_nothing(page, live_server, log_in):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/manage/")

    said = dismiss_the_confirmation(page, page.get_by_role("button", name="Close the program for good"))
    assert "Closing is final" in said
    assert "cannot be reopened" in said
    assert "no more applications" in said
    world.program.refresh_from_db()
    assert world.program.status == ProgramStatus.OPEN
    expect(page.get_by_role("button", name="Close the program for good")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the program for good").click()
    expect(page.get_by_role("button", name="Close the program for good")).to_have_count(0)
    world.program.refresh_from_db()
    assert world.program.status == ProgramStatus.CLOSED


def test_withdrawing_is_tucked_away_asks_first_and_cancelling_changes_nothing(page, live_server, log_in):
    world = scenarios.role_world()
    enrollment = world.mentee_enrollment
    log_in(world.people.mentee.email)
    page.goto(live_server.url + f"/applications/{enrollment.pk}/")
    withdraw = page.get_by_role("button", name="Withdraw my application")
    # Not the page's most prominent button: hidden until the person says they want to withdraw.
    expect(withdraw).to_be_hidden()
    page.get_by_text("I want to withdraw my application").click()
    expect(withdraw).to_be_visible()
    assert looks(withdraw)["background"] == RED

    said = dismiss_the_confirmation(page, withdraw)
    assert "This is final" in said
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPLIED

    page.once("dialog", lambda dialog: dialog.accept())
    withdraw.click()
    expect(page.get_by_text(f"You have withdrawn from {world.program.name}.")).to_be_visible()
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.WITHDRAWN


def test_removing_a_checklist_item_or_a_coordinator_asks_first(page, live_server, log_in):
    world = scenarios.role_world()
    program = world.program
    program.coordinators.add(world.people.other_coordinator)
    items = list(program.checklist_items.current().values_list("name", flat=True))
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{program.slug}/settings/")

    remove_item = page.get_by_role("button", name=f"Remove {items[0]}", exact=True)
    said = dismiss_the_confirmation(page, remove_item)
    assert f"Take “{items[0]}” off the checklist?" in said
    assert list(program.checklist_items.current().values_list("name", flat=True)) == items

    remove_person = page.get_by_role("button", name="Remove Other Coordinator", exact=True)
    assert looks(remove_person)["background"] == RED
    said = dismiss_the_confirmation(page, remove_person)
    assert "Remove Other Coordinator as a coordinator?" in said
    assert program.coordinators.filter(pk=world.people.other_coordinator.pk).exists()
