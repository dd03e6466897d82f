"""The charts over time: the recruitment funnel month by month and the retention curve. Their numbers
are hand counts of small histories, they follow the data dictionary (summed, the funnel is the
period's applicants and approvals; the curve at 3, 6 and 12 months is the retention figure), each
keeps its numbers for the PDF and a table with every point, and the dashboards show them."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluation import charts, kpis
from evaluation.kpis import trends
from programs.models import Program
from tests import scenarios
from tests.evaluation.kpi_history import enrolled, pair

pytestmark = pytest.mark.django_db

START, D = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture
def recruiting():
    """Mentees applying, approved and matched over January to March 2026:

    mentee  applied      approved     first match
    a       5 Jan        20 Jan       10 Feb
    b       15 Jan       3 Feb        25 Feb (and a second match, 10 Mar: not a first)
    c       20 Dec 2025  2 Jan        –
    d       2 Mar        –            –
    A mentor (applied and approved in January) and a mentee of another program do not count.
    """
    lead = scenarios.coordinator(email="lead@funnel.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Funnel Program")
    other = scenarios.program(coordinator=lead, name="Other Program")
    jan, feb, mar = (dt.date(2026, month, 1) for month in (1, 2, 3))
    a = enrolled(
        program, "mentee", "a@funnel.test", applied_on=jan.replace(day=5), approved_on=jan.replace(day=20)
    )
    b = enrolled(
        program, "mentee", "b@funnel.test", applied_on=jan.replace(day=15), approved_on=feb.replace(day=3)
    )
    enrolled(
        program, "mentee", "c@funnel.test", applied_on=dt.date(2025, 12, 20), approved_on=jan.replace(day=2)
    )
    enrolled(program, "mentee", "d@funnel.test", applied_on=mar.replace(day=2))
    mentor = enrolled(
        program, "mentor", "t@funnel.test", applied_on=jan.replace(day=3), approved_on=jan.replace(day=4)
    )
    enrolled(
        other, "mentee", "e@funnel.test", applied_on=jan.replace(day=10), approved_on=jan.replace(day=11)
    )
    pair(program, a, mentor, started_on=feb.replace(day=10))
    pair(program, b, mentor, started_on=feb.replace(day=25), ended_on=mar.replace(day=5), reason="moved")
    pair(program, b, mentor, started_on=mar.replace(day=10))
    return program


def test_the_funnel_counts_each_month_by_hand(recruiting, django_assert_num_queries):
    with django_assert_num_queries(1):
        months = trends.funnel_months([recruiting.pk], on=D, start=START, end=D)
    assert [(m.label, m.applicants, m.approved, m.matched) for m in months] == [
        ("Jan 2026", 2, 2, 0),
        ("Feb 2026", 0, 1, 2),
        ("Mar 2026", 1, 0, 0),
    ]
    # Summed over the months: the period's applicants and approvals of mentees.
    report = kpis.compute(Program.objects.filter(pk=recruiting.pk), on=D, start=START, end=D)
    assert sum(m.applicants for m in months) == report.value("applicants", "mentee") == 3
    assert sum(m.approved for m in months) == report.value("approved", "mentee") == 3


def test_a_month_cut_by_the_period_says_which_days_it_covers(recruiting):
    months = trends.funnel_months([recruiting.pk], on=D, start=dt.date(2026, 1, 10), end=dt.date(2026, 2, 20))
    assert [(m.label, m.applicants, m.approved, m.matched) for m in months] == [
        ("10–31 Jan 2026", 1, 1, 0),
        ("1–20 Feb 2026", 0, 1, 1),
    ]


def test_the_funnel_of_some_people_counts_only_them(recruiting):
    a = recruiting.enrollments.get(user__email="a@funnel.test")
    months = trends.funnel_months([recruiting.pk], on=D, start=START, end=D, people=[a.pk])
    assert [(m.applicants, m.approved, m.matched) for m in months] == [(1, 1, 0), (0, 0, 1), (0, 0, 0)]


def test_the_funnel_chart_keeps_its_numbers_and_a_table(recruiting):
    chart = charts.funnel_chart(Program.objects.filter(pk=recruiting.pk), on=D, start=START, end=D)
    assert chart.kind == "lines"
    assert chart.series == (
        ("Applied", (("Jan", 2), ("Feb", 0), ("Mar", 1))),
        ("Approved", (("Jan", 2), ("Feb", 1), ("Mar", 0))),
        ("Matched", (("Jan", 0), ("Feb", 2), ("Mar", 0))),
    )
    assert chart.columns == ("Month", "Applied", "Approved", "Matched for the first time")
    assert chart.rows == [
        ("Jan 2026", "2", "2", "0"),
        ("Feb 2026", "0", "1", "2"),
        ("Mar 2026", "1", "0", "0"),
        ("Whole period", "3", "3", "2"),
    ]
    svg = chart.svg
    assert f'<title id="{chart.id}-title">Recruitment month by month</title>' in svg
    assert f'<desc id="{chart.id}-desc">' in svg and 'role="img"' in svg
    for name in ("Applied", "Approved", "Matched"):  # each line named at its end
        assert f">{name}</text>" in svg
    assert 'stroke-dasharray="8 4"' in svg and "<polygon" in svg  # told apart without colour


@pytest.fixture
def matches():
    """Matches of one program on D = 30 June 2026:

    five     started 30 Jun 2025, still going
    m1       started 30 Jun 2025, still going
    m2       started 30 Jun 2025, closed 15 Aug 2025
    m3       started 31 Dec 2025, closed 31 Mar 2026 (exactly three months: kept at 3)
    m4       started 15 May 2026, still going
    """
    lead = scenarios.coordinator(email="lead@curve.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Curve Program")
    mentor = enrolled(
        program, "mentor", "t@curve.test", applied_on=dt.date(2025, 1, 1), approved_on=dt.date(2025, 1, 2)
    )
    starts = [(dt.date(2025, 6, 30), None)] * 6 + [
        (dt.date(2025, 6, 30), dt.date(2025, 8, 15)),
        (dt.date(2025, 12, 31), dt.date(2026, 3, 31)),
        (dt.date(2026, 5, 15), None),
    ]
    for k, (started, ended) in enumerate(starts):
        mentee = enrolled(
            program,
            "mentee",
            f"m{k}@curve.test",
            applied_on=dt.date(2025, 1, 1),
            approved_on=dt.date(2025, 1, 2),
        )
        pair(program, mentee, mentor, started_on=started, ended_on=ended, reason="moved" if ended else "")
    return program


CURVE_D = dt.date(2026, 6, 30)


def test_the_retention_curve_counts_each_month_by_hand(matches, django_assert_num_queries):
    with django_assert_num_queries(1):
        curve = trends.retention_curve([matches.pk], on=CURVE_D)
    points = {p.month: (p.base, p.kept) for p in curve.points}
    assert points[0] == (9, 9)
    assert points[1] == (9, 9)  # m4 is a month old on 15 June; m2 closed after one month and a half
    assert points[2] == (8, 7)  # m4 too young; m2 closed
    assert points[3] == (8, 7)  # m3 closed exactly three months after its start: kept
    assert points[4] == (8, 6)
    assert points[6] == (8, 6)  # m3 is six months old on D
    assert points[7] == (7, 6)
    assert points[12] == (7, 6)
    assert points[13] == (0, 0)
    assert [p.month for p in curve.drawn] == list(range(13))
    # By the year the matches started.
    assert (curve.cohorts[2026][0].base, curve.cohorts[2026][1].base, curve.cohorts[2026][2].base) == (
        1,
        1,
        0,
    )
    assert curve.cohorts[2025][3].base == 8
    # At 3, 6 and 12 months it is the retention figure.
    report = kpis.compute(
        Program.objects.filter(pk=matches.pk), on=CURVE_D, start=dt.date(2026, 1, 1), end=CURVE_D
    )
    for months in (3, 6, 12):
        figure = report.get("retention", f"{months} months")
        assert (figure.denominator, figure.numerator) == points[months], months


def test_the_retention_curve_chart_has_every_point_in_its_table(matches):
    chart = charts.retention_curve_chart(Program.objects.filter(pk=matches.pk), on=CURVE_D)
    assert chart.kind == "lines" and chart.maximum == 100
    ((name, points),) = chart.series
    assert name == "Still active"
    assert points[:5] == (("0", 100.0), ("1", 100.0), ("2", 87.5), ("3", 87.5), ("4", 75.0))
    assert len(points) == 13 and points[12] == ("12", 85.7)
    assert len(chart.rows) == 13
    assert chart.rows[2] == ("2", "88%", "7 of 8 matches old enough")
    assert chart.columns == ("Months since the start", "Still active", "Based on")
    assert f'<title id="{chart.id}-title">Retention curve</title>' in chart.svg
    assert ">100%</text>" in chart.svg and ">Still active</text>" in chart.svg


def test_a_curve_on_too_few_matches_draws_no_point(db):
    lead = scenarios.coordinator(email="lead@few.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Few Program")
    mentor = enrolled(
        program, "mentor", "t@few.test", applied_on=dt.date(2025, 1, 1), approved_on=dt.date(2025, 1, 2)
    )
    mentee = enrolled(
        program, "mentee", "m@few.test", applied_on=dt.date(2025, 1, 1), approved_on=dt.date(2025, 1, 2)
    )
    pair(program, mentee, mentor, started_on=dt.date(2025, 12, 1))
    chart = charts.retention_curve_chart([program.pk], on=CURVE_D)
    assert all(value is None for _, value in chart.series[0][1])
    assert chart.rows[0] == ("0", kpis.TOO_EARLY, "1 of 1 match old enough")


def test_no_match_at_all_still_makes_a_chart(db):
    chart = charts.retention_curve_chart([], on=CURVE_D)
    assert chart.rows == [("0", "–", "no matches old enough")]
    assert 'role="img"' in chart.svg


def test_the_dashboards_show_both_charts_with_their_tables(client, recruiting):
    lead = recruiting.coordinators.first()
    client.force_login(lead)
    query = {"on": D.isoformat(), "start": START.isoformat(), "end": D.isoformat()}
    response = client.get(reverse("evaluation:program_dashboard", args=[recruiting.slug]), query)
    page = response.text
    assert page.count('role="img"') == 7
    for title in ("Recruitment month by month", "Retention curve"):
        assert f">{title}</title>" in page
    assert '<th scope="col">Matched for the first time</th>' in page
    assert '<th scope="row">Whole period</th><td>3</td><td>3</td><td>2</td>' in page
    staff = scenarios.person(email="staff@funnel.test", display_name="Staff", is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("evaluation:staff_dashboard"), query).text
    # Across programs: the other program's mentee counts too.
    assert '<th scope="row">Jan 2026</th><td>3</td><td>3</td><td>0</td>' in page
