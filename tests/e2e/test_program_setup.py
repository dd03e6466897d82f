"""A first-time coordinator sets a program up in a real browser: starts from a template, sees the
dates only when the program has fixed dates, adds an area with its point, duplicates the program;
a teenager then applies choosing an area and is never asked for coordinates."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Enrollment, Program, ProgramStatus
from programs.services import program_set_status
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_sets_a_program_up_and_a_teenager_picks_an_area(
    page, live_server, log_in, log_out, look
):
    coordinator = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    log_in(coordinator.email)
    page.goto(live_server.url + "/programs/new")
    look(page, "program-create")

    # A template fills the form in; "Rolling" hides the dates, unticking shows them.
    page.get_by_role("link", name="Youth one-to-one").click()
    expect(page.get_by_text("filled in from the “Youth one-to-one” template")).to_be_visible()
    rolling = page.get_by_label("Rolling: people join at any time")
    expect(rolling).to_be_checked()
    expect(page.get_by_label("Start date")).to_be_hidden()
    rolling.uncheck()
    expect(page.get_by_label("Start date")).to_be_visible()
    rolling.check()
    expect(page.get_by_label("Start date")).to_be_hidden()
    expect(page.get_by_role("combobox", name=re.compile("Format"))).to_have_value("one_to_one")
    page.get_by_label("Name:", exact=True).fill("Riverside Youth Mentoring")
    page.get_by_label("Areas people choose from").fill("Old Town, 51.455, -2.592\nHarbour, 51.447, -2.615")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Youth Mentoring")
    program = Program.objects.get(name="Riverside Youth Mentoring")
    assert program.areas == ["Old Town", "Harbour"]
    assert program.questions.filter(required=True).exists()

    # The settings page: a bad area is summed up at the top and re-shown; a good one is added.
    page.goto(live_server.url + f"/programs/{program.slug}/settings/")
    look(page, "program-settings")
    add = page.get_by_role("form", name="Add an area")
    add.get_by_label("Area name").fill("Eastgate")
    add.get_by_label("Latitude").fill("north")
    add.get_by_label("Longitude").fill("-2.555")
    add.get_by_role("button", name="Add the area").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Latitude")
    look(page, "program-settings-area-error")
    add = page.get_by_role("form", name="Add an area")
    add.get_by_label("Latitude").fill("51.462")
    add.get_by_role("button", name="Add the area").click()
    expect(page.get_by_text("Area “Eastgate” saved.")).to_be_visible()
    assert program.areas == ["Old Town", "Harbour", "Eastgate"]

    # Duplicating: a new draft, prefilled.
    page.get_by_role("link", name="Duplicate this program").click()
    expect(page.get_by_label("Name:", exact=True)).to_have_value("Riverside Youth Mentoring (copy)")
    expect(page.get_by_label("Areas people choose from")).to_contain_text("Eastgate")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(copy)")
    program_set_status(program=program, status=ProgramStatus.OPEN, by=coordinator)
    log_out()

    # A teenager: no coordinates on the profile; the area is chosen when applying.
    teen = scenarios.person(email="sam@example.org", display_name="Sam")
    log_in(teen.email)
    page.goto(live_server.url + "/profile/")
    expect(page.get_by_label(re.compile("latitude|longitude", re.I))).to_have_count(0)
    page.goto(live_server.url + f"/programs/{program.slug}/apply/mentee/")
    page.get_by_label("Which area are you in?").select_option("Harbour")
    look(page, "apply-with-area")
    assert Enrollment.objects.filter(user=teen).count() == 0
