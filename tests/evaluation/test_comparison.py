"""The programs compared (staff): a row per program with every figure of the data dictionary and its
trend on the previous period of equal length, sorted by any column, exported as CSV and XLSX, in a
constant number of queries; nobody else sees it."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import comparison, kpis
from evaluation.models import ExportRecord
from programs.models import Program
from tests import scenarios
from tests.evaluation.kpi_history import enrolled, pair

pytestmark = pytest.mark.django_db
URL = reverse("evaluation:programs_compared")
EXPORT = reverse("evaluation:programs_compared_export")
D = dt.date(2026, 6, 30)
START = dt.date(2025, 7, 1)  # the 12 months up to D; the previous period: the 12 months up to 30 June 2025
PERIOD = {"on": D.isoformat(), "start": START.isoformat(), "end": D.isoformat()}


@pytest.fixture
def staff(db):
    return scenarios.person(email="staff@compare.test", display_name="Sam Staff", is_staff=True)


def a_program(name, *, now, before, matches=0):
    """A program with ``now`` mentees applying in the period, ``before`` in the previous one, and
    ``matches`` pairs started in the period (still going on D)."""
    lead = scenarios.coordinator(email=f"lead@{name.lower()}.test", display_name=f"{name} Lead")
    program = scenarios.program(coordinator=lead, name=name)
    for k in range(now):
        enrolled(program, "mentee", f"now{k}@{name.lower()}.test", applied_on=dt.date(2025, 9, 1))
    for k in range(before):
        enrolled(program, "mentee", f"before{k}@{name.lower()}.test", applied_on=dt.date(2024, 9, 1))
    for k in range(matches):
        mentee = enrolled(program, "mentee", f"m{k}@{name.lower()}.test", applied_on=dt.date(2025, 8, 1),
                          approved_on=dt.date(2025, 8, 5))  # fmt: skip
        mentor = enrolled(program, "mentor", f"t{k}@{name.lower()}.test", applied_on=dt.date(2025, 8, 1))
        pair(program, mentee, mentor, started_on=dt.date(2025, 9, 1))
    return program


def test_the_previous_period_is_as_long_and_just_before():
    assert comparison.previous_period(on=D, start=START, end=D) == {
        "on": dt.date(2025, 6, 30), "start": dt.date(2024, 7, 1), "end": dt.date(2025, 6, 30),
    }  # fmt: skip
    week = {"on": dt.date(2026, 3, 10), "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 7)}
    assert comparison.previous_period(**week) == {
        "on": dt.date(2026, 3, 3), "start": dt.date(2026, 2, 22), "end": dt.date(2026, 2, 28),
    }  # fmt: skip


def trend(key, now, before, *, unit, segment="", basis=10, denominator=10):
    def made(value):
        numerator = None if value is None or unit != kpis.SHARE else round(value * denominator)
        return kpis.Figure(
            key, key, value, unit, segment, numerator=numerator, denominator=denominator, basis=basis
        )

    return comparison.Trend(made(now), made(before))


@pytest.mark.parametrize(
    ("made", "text", "direction", "better", "spoken"),
    [
        (trend("mentees_matched", 0.8, 0.7, unit=kpis.SHARE), "▲ 10 pts", "up", True,
         "up 10 percentage points on the previous period (70%): better"),
        (trend("early_closure", 0.3, 0.1, unit=kpis.SHARE), "▲ 20 pts", "up", False,
         "up 20 percentage points on the previous period (10%): worse"),
        (trend("time_to_match", 10.0, 12.0, unit=kpis.DAYS), "▼ 2 days", "down", True,
         "down 2 days on the previous period (12 days): better"),
        (trend("time_to_match", 13.0, 12.0, unit=kpis.DAYS), "▲ 1 day", "up", False,
         "up 1 day on the previous period (12 days): worse"),
        (trend("active_matches", 4, 7, unit=kpis.COUNT), "▼ 3", "down", False,
         "down 3 on the previous period (7): worse"),
        (trend("satisfaction", 4.25, 4.0, unit=kpis.RATING, segment="mentee"), "▲ 0.2", "up", True,
         "up 0.2 rating points on the previous period (4.0 of 5): better"),
        (trend("training_hours", 2.5, 1.0, unit=kpis.HOURS), "▲ 1.5 h", "up", True,
         "up 1.5 hours on the previous period (1.0 h): better"),
        (trend("growth", 0.5, 0.75, unit=kpis.POINTS), "▼ 0.25 pts", "down", False,
         "down 0.25 points on the previous period (+0.75 points): worse"),
        (trend("compliance", 0.501, 0.499, unit=kpis.SHARE), "= no change", "same", None,
         "no change on the previous period (50%)"),
    ],
)  # fmt: skip
def test_a_trend_says_how_much_which_way_and_whether_better(made, text, direction, better, spoken):
    assert (made.text, made.direction, made.better, made.spoken) == (text, direction, better, spoken)


def test_no_trend_where_either_period_has_nothing_or_too_few():
    assert trend("active_matches", 3, None, unit=kpis.COUNT).direction == ""
    # 2 of 3: too early to tell in the previous period.
    small = trend("mentees_matched", 0.9, 0.66, unit=kpis.SHARE)
    small = comparison.Trend(
        small.current, kpis.Figure("mentees_matched", "x", 2 / 3, kpis.SHARE, numerator=2, denominator=3)
    )
    assert (small.change, small.text, small.direction) == (None, "", "")
    assert small.spoken.startswith("no trend")


def test_every_figure_of_the_dictionary_is_a_column_with_its_trend(client, staff):
    north = a_program("North", now=3, before=1, matches=2)
    client.force_login(staff)
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    compared = response.context["compared"]
    report = kpis.compute(Program.objects.all(), on=D, start=START, end=D)
    assert [(c.key, c.segment) for c in compared.columns] == [
        (f.key, f.segment) for d in kpis.DEFINITIONS for f in report.figures if f.key == d.key
    ]
    sections = (kpis.PAIRS, kpis.GROUPS, kpis.EVENTS)  # the dashboards' figures, every one
    assert {c.key for c in compared.columns} >= {d.key for d in kpis.DEFINITIONS if d.section in sections}
    slugs = {c.slug for c in compared.columns}
    assert {"retention-3-months", "retention-12-months", "group_retention-6-months", "applicants-mentor",
            "satisfaction-mentee", "event_newcomers"} <= slugs  # fmt: skip
    page = response.text
    for column in compared.columns:
        assert f">{column.label}</a></th>" in page, column.label
    (row,) = compared.rows
    assert row.program == north
    applicants = row.trends[[c.slug for c in compared.columns].index("applicants-mentee")]
    # Three who just applied and the two matched mentees (applied 1 August 2025), against one.
    assert (applicants.current.value, applicants.previous.value, applicants.change) == (5, 1, 4)
    assert applicants.text == "▲ 4" and "up 4 on the previous period (1): better" in page
    # The total row: all programs together, here North alone.
    assert [t.current.value for t in compared.total.trends] == [t.current.value for t in row.trends]
    assert "All programs" in page and 'aria-sort="ascending"' in page


def test_the_table_sorts_by_any_column_with_nothing_to_sort_by_last(client, staff):
    busy = a_program("Busy", now=1, before=0, matches=3)
    quiet = a_program("Quiet", now=0, before=0, matches=1)
    empty = a_program("Empty", now=0, before=0)
    middle = a_program("Middle", now=1, before=0, matches=2)
    client.force_login(staff)

    def order(**query):
        response = client.get(URL, {**PERIOD, **query})
        return [row.program for row in response.context["compared"].rows], response

    assert order()[0] == [busy, empty, middle, quiet]  # by name
    assert order(sort="program", dir="desc")[0] == [quiet, middle, empty, busy]
    assert order(sort="active_matches", dir="desc")[0] == [busy, middle, quiet, empty]
    assert order(sort="active_matches", dir="asc")[0] == [empty, quiet, middle, busy]  # 0 is a number
    # The time to match: none for Empty (nothing to count); under five matched everywhere: too early
    # to tell, so nothing to sort by either, and by name.
    assert order(sort="time_to_match", dir="asc")[0] == [busy, empty, middle, quiet]
    # Mentees matched: 3 of 3, 1 of 1, 2 of 2 all too early; applicants: numbers.
    rows, response = order(sort="applicants-mentee", dir="desc")
    assert rows == [busy, middle, quiet, empty]
    page = response.text
    assert 'aria-sort="descending"' in page
    # The sorted column's link reverses it; another column's sorts from the largest.
    assert "sort=applicants-mentee&amp;dir=asc" in page and "sort=active_matches&amp;dir=desc" in page
    # An unknown column sorts by name.
    assert order(sort="nonsense")[0] == [busy, empty, middle, quiet]


def test_none_comes_last_both_ways(client, staff):
    a_program("Alpha", now=0, before=0)
    big = a_program("Big", now=0, before=0, matches=6)
    small = a_program("Small", now=0, before=0, matches=5)
    client.force_login(staff)
    for direction in ("asc", "desc"):
        rows = client.get(URL, {**PERIOD, "sort": "time_to_match", "dir": direction}).context["compared"].rows
        assert [r.program.name for r in rows][-1] == "Alpha", direction  # no match: no time to match
        assert {r.program for r in rows[:2]} == {big, small}


def test_the_export_holds_the_table_in_its_order_formula_safe(client, staff):
    a_program("=HYPERLINK(1)", now=2, before=1)
    plain_program = a_program("Plain", now=5, before=5)
    client.force_login(staff)
    response = client.post(
        EXPORT, {**PERIOD, "file_format": "csv", "sort": "applicants-mentee", "dir": "desc"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="programs-compared-2026-06-30.csv"'
    text = response.content.decode("utf-8-sig")
    header, plain, formula, total = list(csv.reader(io.StringIO(text)))
    applicants = "Applicants (mentees)"
    assert header[:5] == [
        "Program",
        "Status",
        applicants,
        f"{applicants}: previous period",
        f"{applicants}: change",
    ]
    assert "Mentees matched (%)" in header and "Mentees matched: change (percentage points)" in header
    assert header[-5:] == [
        "Reporting date",
        "Period from",
        "Period to",
        "Previous period from",
        "Previous period to",
    ]
    assert plain[:5] == ["Plain", plain_program.get_status_display(), "5", "5", "0"]
    assert formula[0] == "'=HYPERLINK(1)" and formula[2:5] == ["2", "1", "1"]
    assert total[0] == "All programs" and total[2:5] == ["7", "6", "1"]
    assert plain[-5:] == ["2026-06-30", "2025-07-01", "2026-06-30", "2024-07-01", "2025-06-30"]
    assert (
        len(header) == 2 + 3 * len(kpis.compute(Program.objects.none(), on=D, start=START, end=D).figures) + 5
    )

    response = client.post(EXPORT, {**PERIOD, "file_format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Program", "Status", "Applicants (mentees)")
    assert [r[0] for r in rows[1:]] == ["=HYPERLINK(1)", "Plain", "All programs"]  # by name
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1)"  # text, never a formula
    assert rows[2][2:5] == (5, 5, 0)

    records = ExportRecord.objects.filter(dataset=comparison.DATASET).order_by("created_at")
    assert [(r.file_format, r.row_count, r.requested_by) for r in records] == [
        ("csv", 3, staff),
        ("xlsx", 3, staff),
    ]
    page = client.get(reverse("evaluation:exports")).text
    assert "Programs compared" in page


def test_an_export_without_a_format_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(EXPORT, PERIOD)
    assert response.status_code == 400
    assert "Choose CSV or Excel (XLSX)." in response.text
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "mentee"])
def test_only_staff_see_or_export_it(client, who):
    program = a_program("Secret", now=1, before=0)
    user = (
        program.coordinators.get()
        if who == "coordinator"
        else scenarios.person(email="m@x.test", display_name="M")
    )
    client.force_login(user)
    assert client.get(URL, PERIOD).status_code == 404
    assert client.post(EXPORT, {**PERIOD, "file_format": "csv"}).status_code == 404
    assert not ExportRecord.objects.exists()


def test_anonymous_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
    assert client.post(EXPORT, {"file_format": "csv"}).status_code == 302


def count_queries(client, **query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {**PERIOD, **query}).status_code == 200
    return len(queries)


def test_the_same_queries_however_many_programs(client, staff):
    a_program("One", now=1, before=1, matches=1)
    client.force_login(staff)
    single = count_queries(client, sort="active_matches")
    a_program("Two", now=2, before=1, matches=2)
    few = count_queries(client, sort="active_matches")
    for name in ("Three", "Four", "Five"):
        a_program(name, now=2, before=1, matches=2)
    assert count_queries(client, sort="active_matches") == few
    # One program: its total is its own row, not counted a second time (the total's queries saved).
    assert single < few


def test_a_single_programs_total_is_what_the_report_counts_for_it(staff):
    """The total of one program is taken from its row: the very figures ``kpis.compute`` gives,
    this period and the previous one, value and base alike."""
    a_program("Only", now=3, before=2, matches=2)
    compared = comparison.compare(Program.objects.all(), on=D, start=START, end=D)
    for period, side in ((compared.period, "current"), (compared.previous, "previous")):
        report = kpis.compute(Program.objects.all(), **period)
        shown = [getattr(t, side) for t in compared.total.trends]
        assert shown == [report.get(c.key, c.segment) for c in compared.columns]
        assert any(f.value for f in shown)


def test_the_staff_dashboard_links_to_it(client, staff):
    a_program("Linked", now=1, before=0)
    client.force_login(staff)
    page = client.get(reverse("evaluation:staff_dashboard"), PERIOD).text
    assert f'href="{URL}?' in page


def test_the_table_scrolls_in_its_own_region_with_a_caption(client, staff):
    a_program("Wide", now=1, before=0)
    client.force_login(staff)
    page = client.get(URL, PERIOD).text
    assert (
        'class="table-scroll compare-scroll" tabindex="0" role="region" aria-labelledby="compare-caption"'
        in page
    )
    assert '<caption id="compare-caption">' in page
