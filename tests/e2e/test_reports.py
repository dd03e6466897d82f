"""A coordinator opens the program's reports, reads the charts, and downloads an Excel workbook."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluation import exports
from evaluation.models import ExportRecord
from tests.evaluation.kpi_history import D, build_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = [
    "Recruitment funnel",
    "Active matches, month by month",
    "Retention at 3, 6 and 12 months",
    "Meetings per match-month",
    "Satisfaction by role",
]


def test_a_coordinator_reads_the_dashboard_and_downloads_a_workbook(page, live_server, axe_check, log_in):
    program = build_history()
    lead = program.coordinators.get()
    log_in(lead.email)
    expect(page).to_have_url(live_server.url + reverse("dashboard"))

    # The dashboard for the reporting date D.
    page.goto(live_server.url + reverse("evaluation:program_dashboard", args=[program.slug]))
    page.get_by_label("Reporting date:", exact=True).fill(D.isoformat())
    page.get_by_label("Period from:", exact=True).fill("2025-07-01")
    page.get_by_label("Period to:", exact=True).fill(D.isoformat())
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History Program: reports")
    figures = page.get_by_role("table", name="Key figures and what each rests on")
    # 3 of 4 approved mentees matched: too few for a percentage (the smallest base of a share is 5).
    matched = figures.get_by_role("row", name=re.compile("^Mentees matched"))
    expect(matched).to_contain_text("too early to tell")
    expect(matched).to_contain_text("3 of 4")
    expect(figures.get_by_role("row", name="Active matches on D")).to_contain_text("3")
    for title in CHARTS:
        chart = page.get_by_role("img", name=title, exact=True)
        expect(chart).to_be_visible()
    # Each chart's numbers, as a table, on request.
    page.get_by_text("Show the numbers of “Retention at 3, 6 and 12 months” as a table").click()
    retention = page.get_by_role("table", name="Retention at 3, 6 and 12 months")
    expect(retention.get_by_role("row", name="6 months")).to_contain_text("80% (4 of 5)")
    expect(page.get_by_role("heading", name="Pairs at risk today")).to_be_visible()
    axe_check(page)

    # The export page, keeping the period; an Excel workbook of the matches.
    page.get_by_role("link", name="Export data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History Program: export data")
    expect(page.get_by_label("Reporting date:", exact=True)).to_have_value(D.isoformat())
    page.get_by_role("radio", name="Matches").check()
    page.get_by_role("radio", name="Excel workbook (XLSX)").check()
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export").click()
    download = download_info.value
    assert download.suggested_filename == f"{program.slug}-matches-{D}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [cell.value for cell in sheet[1]] == exports.MATCHES.header
    assert sheet.max_row == 1 + 5

    # The export is on the record, and in the coordinator's list.
    record = ExportRecord.objects.get()
    assert (record.requested_by, record.dataset, record.file_format, record.status) == (
        lead,
        "matches",
        "xlsx",
        "done",
    )
    page.goto(live_server.url + reverse("evaluation:exports"))
    expect(page.get_by_role("row", name="Matches: History Program")).to_contain_text("Ready")
    axe_check(page)
