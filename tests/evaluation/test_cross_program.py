"""The cross-program reports: staff find them (dashboard, programs list, main menu), and they compare
programs: a row per program with the key figures, then the total, in queries that do not grow with
the number of programs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import kpis
from programs.models import Program
from tests import scenarios
from tests.evaluation.kpi_history import START, D, build_history, checkin, enrolled, pair

pytestmark = pytest.mark.django_db
URL = reverse("evaluation:staff_dashboard")


@pytest.fixture
def history():
    return build_history()


@pytest.fixture
def staff(db):
    return scenarios.person(email="staff@cross.test", display_name="Sam Staff", is_staff=True)


def another_program(name, pairs):
    """A running program with ``pairs`` pairs, started in the period, each with check-ins."""
    lead = scenarios.coordinator(email=f"lead@{name.lower()}.test", display_name=f"{name} Lead")
    program = scenarios.program(coordinator=lead, name=f"{name} Program")
    for k in range(pairs):
        mentee = enrolled(program, "mentee", f"mentee{k}@{name.lower()}.test", applied_on=dt.date(2025, 8, 1),
                          approved_on=dt.date(2025, 8, 5))  # fmt: skip
        mentor = enrolled(program, "mentor", f"mentor{k}@{name.lower()}.test", applied_on=dt.date(2025, 8, 1))
        match = pair(program, mentee, mentor, started_on=dt.date(2025, 9, 1) + dt.timedelta(days=k))
        for day in (dt.date(2025, 9, 20), dt.date(2026, 2, 3)):
            checkin(match, day, by=mentee.user, rating=3 + k % 3)
    return program


def figures(report):
    return [
        (f.key, f.segment, f.value, f.numerator, f.denominator, f.basis, f.match_days) for f in report.figures
    ]


def test_each_program_row_is_that_programs_own_report(history):
    another_program("North", 3)
    another_program("South", 6)
    scenarios.program(coordinator=history.coordinators.get(), name="Empty Program")
    by_program = kpis.compute_by_program(Program.objects.all(), on=D, start=START, end=D)
    assert set(by_program) == set(Program.objects.values_list("pk", flat=True))
    for program in Program.objects.all():
        alone = kpis.compute(Program.objects.filter(pk=program.pk), on=D, start=START, end=D)
        assert figures(by_program[program.pk]) == figures(alone), program.name
        assert [(m.start, m.active, m.match_days, m.held) for m in by_program[program.pk].months] == [
            (m.start, m.active, m.match_days, m.held) for m in alone.months
        ]


def test_staff_compare_programs_row_by_row_with_the_total(client, history, staff):
    north = another_program("North", 6)
    client.force_login(staff)
    response = client.get(URL, {"on": D.isoformat()})
    comparison = response.context["comparison"]
    assert [program for program, _ in comparison["rows"]] == list(Program.objects.order_by("name"))
    assert "Active matches on D" in comparison["headings"]
    row = dict(comparison["rows"])
    active = [f for f in row[north] if f.key == "active_matches"][0]
    assert active.value == 6
    total = [f for f in comparison["total"] if f.key == "active_matches"][0]
    assert total.value == response.context["report"].value("active_matches") == 9
    page = response.text
    assert "Each program side by side" in page and "All programs" in page
    assert page.count('<th scope="row"><a href="/programs/') >= 2  # a row per program, each a link
    assert reverse("evaluation:program_dashboard", args=[north.slug]) in page


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_table_takes_the_same_queries_however_many_programs(client, history, staff):
    client.force_login(staff)
    few = count_queries(client, URL)
    for name in ("East", "West", "Central"):
        another_program(name, 2)
    assert count_queries(client, URL) == few


@pytest.mark.parametrize("url_name", ["dashboard", "programs:list"])
def test_staff_find_the_reports_from_their_dashboard_the_programs_and_the_menu(client, staff, url_name):
    client.force_login(staff)
    page = client.get(reverse(url_name)).text
    assert page.count(f'href="{URL}"') >= 2  # the page's own link and the main menu's


def test_others_get_no_link_to_them(client, db):
    lead = scenarios.coordinator(email="lead@nolink.test", display_name="Lead")
    scenarios.program(coordinator=lead, name="Lead's Program")
    client.force_login(lead)
    for url_name in ("dashboard", "programs:list"):
        assert f'href="{URL}"' not in client.get(reverse(url_name)).text


def test_a_single_programs_row_is_its_own_report_counted_once(client, staff):
    """One program: its row is the total's report (the same queries scoped to it), not counted a
    second time; the figures are those ``compute_by_program`` gives it."""
    another_program("Only", 3)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as single:
        response = client.get(URL, {"on": D.isoformat()})
    comparison = response.context["comparison"]
    ((program, row),) = comparison["rows"]
    own = kpis.compute_by_program(Program.objects.all(), on=D, start=START, end=D)[program.pk]
    assert row == [own.get(f.key, f.segment) for f in row] and row == comparison["total"]
    assert any(f.value for f in row)
    another_program("North", 1)
    assert count_queries(client, URL) > len(single)
    assert response.context["report"].value("active_matches") == 3
