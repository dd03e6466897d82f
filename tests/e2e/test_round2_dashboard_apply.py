"""Round 2 of issue 12, in a browser: the dashboard of people who run programs (no participant
panels; staff see "All programs"), the apply page's "Complete your profile first" and its "How did
you hear" with nothing chosen, and the participant's survey title; each page at 375 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Role
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_people_who_run_programs_see_no_participant_panels(page, live_server, log_in, log_out, look):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Programs you run")).to_be_visible()
    expect(main).not_to_contain_text("You have not applied")
    expect(main.get_by_role("heading", name="My matches")).to_have_count(0)
    look(page, "round2-coordinator-dashboard")
    log_out()
    log_in(world.people.staff.email)
    expect(main.get_by_role("heading", name="All programs")).to_be_visible()
    expect(main.get_by_role("heading", name="Programs you run")).to_have_count(0)
    look(page, "round2-staff-dashboard")


def test_the_apply_page_asks_for_the_profile_first(page, live_server, log_in, look):
    lead = scenarios.coordinator(email="lead@apply.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Riverside Mentoring")
    kid = scenarios.person(email="kid@apply.test", display_name="Sam")
    log_in(kid.email)
    page.goto(live_server.url + f"/programs/{program.slug}/apply/{Role.MENTEE}/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Complete your profile first")).to_be_visible()
    heard = main.get_by_label("How did you hear about the program?")
    expect(heard).to_have_value("")
    expect(heard.locator("option:checked")).to_have_text("Choose one…")
    look(page, "round2-apply-profile-first")
    main.get_by_role("link", name="Complete your profile", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    assert re.search(r"next=/programs/riverside-mentoring/apply/mentee/", page.url)
