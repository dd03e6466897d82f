"""Staff find the cross-program reports from the menu and compare programs row by row; a
coordinator's dashboard says what needs them. Both read at 375 px and 1280 px (no sideways scroll,
axe finds nothing serious)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import scenarios
from tests.evaluation.kpi_history import D, build_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_reports_from_the_menu_and_compare_programs(page, live_server, log_in, look):
    history = build_history()
    scenarios.program(coordinator=history.coordinators.get(), name="Second Program")
    staff = scenarios.person(email="staff@e2e-reports.test", display_name="Sam Staff", is_staff=True)
    log_in(staff.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports across all programs")
    page.get_by_label("Reporting date:", exact=True).fill(D.isoformat())
    page.get_by_label("Period from:", exact=True).fill("2025-07-01")
    page.get_by_label("Period to:", exact=True).fill(D.isoformat())
    page.get_by_role("button", name="Show figures").click()
    table = page.get_by_role("table", name="Key figures of each program, then all programs together")
    expect(table.get_by_role("row", name="History Program")).to_contain_text("3 of 4")
    expect(table.get_by_role("row", name="All programs")).to_be_visible()
    look(page, "reports-across-programs")
    table.get_by_role("link", name="History Program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History Program: reports")


def test_a_coordinator_sees_what_needs_them(page, live_server, log_in, look):
    lead = scenarios.coordinator(email="lead@e2e-todo.test", display_name="Lee Lead")
    program = scenarios.program(coordinator=lead, name="Todo Program")
    applicant = scenarios.person(email="new@e2e-todo.test", display_name="Nia New")
    scenarios.enroll(program=program, user=applicant, role="mentee")
    log_in(lead.email)
    panel = page.get_by_role("region", name="To do")
    expect(panel).to_contain_text("1 new application awaiting a decision")
    look(page, "dashboard-coordinator-todo")
    panel.get_by_role("link", name="1 new application awaiting a decision").click()
    expect(page).to_have_url(
        live_server.url + reverse("programs:applicants", args=[program.slug]) + "?status=applied"
    )
    expect(page.get_by_role("link", name="Nia New")).to_be_visible()
