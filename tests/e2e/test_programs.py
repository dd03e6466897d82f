"""A coordinator sets a program up and opens it; a newcomer applies as a mentee; the coordinator
approves them and records a mentor's screening."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from programs.models import Program, Role
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_program_from_creation_to_an_approved_mentee_and_a_screened_mentor(
    page, live_server, axe_check, log_in, log_out
):
    coordinator = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    scenarios.person(email="jordan@example.org", display_name="Jordan Miles")
    mentor = scenarios.person(email="amara@example.org", display_name="Amara Okafor")

    # The coordinator creates the program and opens it.
    log_in(coordinator.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="Create a program").click()
    page.get_by_label("Name").fill("Riverside Mentoring")
    page.get_by_label("Description").fill("One-to-one mentoring for young people in Riverside.")
    axe_check(page)
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Mentoring")
    page.get_by_role("button", name="Make it open for applications").click()
    expect(page.get_by_text("is now open for applications")).to_be_visible()
    axe_check(page)
    log_out()

    # A newcomer finds it and applies as a mentee.
    program = Program.objects.get(name="Riverside Mentoring")
    page.goto(live_server.url + program.get_absolute_url())
    page.get_by_role("link", name="Apply as a mentee").click()
    page.get_by_label("Email:", exact=True).fill("jordan@example.org")
    page.get_by_label("Password:", exact=True).fill(scenarios.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to Riverside Mentoring as a mentee")
    page.get_by_label("Your date of birth").fill("2001-04-02")
    page.get_by_label("Why do you want to take part?").fill("I want help finding my first job.")
    page.get_by_label("How did you hear about the program?").select_option("school")
    axe_check(page)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application to Riverside Mentoring is in")).to_be_visible()
    expect(page.get_by_text("Applied", exact=True)).to_be_visible()
    log_out()

    # A mentor applied too (by another route); the coordinator reviews both.
    mentor_enrollment = scenarios.enroll(
        program=program, user=mentor, role=Role.MENTOR, status="in_screening", by=coordinator
    )
    log_in(coordinator.email)
    page.goto(live_server.url + f"/programs/{program.slug}/applicants/")
    page.get_by_role("link", name="Jordan Miles").click()
    page.get_by_label("New status").select_option("in_screening")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Jordan Miles is now in screening")).to_be_visible()
    page.get_by_label("New status").select_option("approved")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Ready to match.")).to_be_visible()

    page.goto(live_server.url + f"/programs/{program.slug}/applicants/{mentor_enrollment.pk}/")
    page.get_by_label("Checklist item").select_option(label="Background check")
    page.get_by_label("Completed on").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("“Background check” recorded.")).to_be_visible()
    row = page.get_by_role("row", name="Background check")
    expect(row).to_contain_text(dt.date.today().strftime("%-d %b %Y"))
    axe_check(page)
