"""The KPIs against the hand-built history of tests/evaluation/kpi_history.py, whose answers are
worked out below, date by date."""

import datetime as dt

import pytest

from evaluation import kpis
from programs.models import Program
from tests.evaluation.kpi_history import END, START, D, build_history, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    return build_history()


def test_applicants_and_approvals_count_the_period_by_role(history):
    report = report_for(history)
    # Applied in the period: m2, m4, m5, m6 and t2, t3 (m1 applied on 20 June 2025, before it).
    assert report.value("applicants", "mentee") == 4
    assert report.value("applicants", "mentor") == 2
    # Approved in the period: m1, m2, m4, m6 and t2.
    assert report.value("approved", "mentee") == 4
    assert report.value("approved", "mentor") == 1


def test_mentees_matched_and_time_to_match(history):
    report = report_for(history)
    matched = report.get("mentees_matched")
    # Of m1, m2, m4, m6 all but m4 have a match started by D (m6's starts on D).
    assert (matched.numerator, matched.denominator, matched.value) == (3, 4, 0.75)
    # First matches started in the period: m1 after 30 days, m2 after 10, m6 after 258
    # (15 Oct 2025 to 30 Jun 2026); m3's and m7's first matches started earlier.
    assert (D - dt.date(2025, 10, 15)).days == 258
    time_to_match = report.get("time_to_match")
    assert (time_to_match.value, time_to_match.basis) == (30, 3)


def test_active_matches_on_d_leave_out_the_match_closed_on_d(history):
    # A, C2 and E (starting on D); F closed on D.
    assert report_for(history).value("active_matches") == 3
    # The day before, F was still active and E had not started.
    assert (
        report_for(history, on=D - dt.timedelta(days=1), end=D - dt.timedelta(days=1)).value("active_matches")
        == 3
    )


def test_match_length_is_the_median_over_the_matches_of_the_period(history):
    # A 325 days to D, B 126, C2 333, E 0, F 486; C ended before the period.
    lengths = sorted([(D - dt.date(2025, 8, 9)).days, 126, (D - dt.date(2025, 8, 1)).days, 0, 486])
    assert lengths == [0, 126, 325, 333, 486]
    figure = report_for(history).get("match_length")
    assert (figure.value, figure.basis) == (325, 5)


def test_retention_counts_only_matches_old_enough(history):
    report = report_for(history)
    three, six, twelve = (report.get("retention", f"{n} months") for n in (3, 6, 12))
    # 3 months: A, B, C, C2, F are old enough (E is not); none closed within 3 months.
    assert (three.numerator, three.denominator) == (5, 5)
    # 6 months: the same five; B closed after 4 months.
    assert (six.numerator, six.denominator) == (4, 5)
    # 12 months: only C and F started by 30 June 2025; C closed exactly 12 months on: retained.
    assert (twelve.numerator, twelve.denominator) == (2, 2)


def test_early_closure_rate(history):
    # Closed in the period: B (moved after 4 months: early) and F (completed, on D).
    figure = report_for(history).get("early_closure")
    assert (figure.numerator, figure.denominator, figure.value) == (1, 2, 0.5)


def test_meetings_per_match_month(history):
    # Held in the period: A 4 (the missed one does not count; the coordinator's does), C2 2, F 1.
    # Match-days within the period: A 326, B 126, C2 334, E 1 (D itself), F 364 (to 29 June).
    match_days = 326 + 126 + 334 + 1 + 364
    figure = report_for(history).get("meetings")
    assert figure.numerator == 7
    assert figure.value == pytest.approx(7 * 30 / match_days)
    assert sum(m.match_days for m in report_for(history).months) == match_days


def test_check_in_compliance_counts_ended_cadence_periods(history):
    # A (from 9 Aug 2025): 325 days to D make 23 ended periods; check-ins in periods 0, 1, 2 (a
    # missed meeting still counts) and 3; the one on 29 June is in period 23, not over yet.
    # B: 126 days, 9 periods, no check-ins. C2: 333 days, 23 periods, the check-in of 1 June is
    # in period 21. E: none ended. F (from 1 Mar 2025, closed on D): periods 8 to 33 end in the
    # period (26); its check-in of 5 July is in period 9.
    figure = report_for(history).get("compliance")
    assert (figure.numerator, figure.denominator) == (4 + 0 + 1 + 1, 23 + 9 + 23 + 0 + 26)


def test_satisfaction_by_role_from_check_ins_and_satisfaction_surveys(history):
    report = report_for(history)
    # Mentees: check-ins 4 (A) and 2 (F), survey 5. Mentors: check-in 5 (C2), survey 3.
    # Left out: the coordinator's 1, the exit survey's 1, and the ratings before the period.
    mentee, mentor = report.get("satisfaction", "mentee"), report.get("satisfaction", "mentor")
    assert (mentee.value, mentee.basis) == (pytest.approx(11 / 3), 3)
    assert (mentor.value, mentor.basis) == (4.0, 2)


def test_goal_completion_growth_and_ripple(history):
    report = report_for(history)
    goals = report.get("goal_completion")
    assert (goals.numerator, goals.denominator) == (2, 4)  # dropped goals count as set
    growth = report.get("growth")
    assert (growth.value, growth.basis) == (1.5, 2)  # B +1, F +2
    ripple = report.get("ripple")
    # Former mentees by D: m2, m3, m7. Only m3 applied as a mentor after their match closed.
    assert (ripple.value, ripple.denominator) == (1, 3)


def test_months_show_active_matches_at_each_month_end(history):
    months = report_for(history).months
    assert [m.start for m in months][:2] == [dt.date(2025, 7, 1), dt.date(2025, 8, 1)]
    assert len(months) == 12 and months[-1].end == D
    by_end = {m.end: m.active for m in months}
    assert by_end[dt.date(2025, 7, 31)] == 1  # F
    assert by_end[dt.date(2025, 8, 31)] == 3  # F, A, C2
    assert by_end[dt.date(2025, 9, 30)] == 4  # and B
    assert by_end[dt.date(2026, 1, 31)] == 3  # B closed
    assert by_end[D] == 3  # A, C2, E


def test_a_program_with_no_matches_reports_nothing_to_count(world):
    report = report_for(world.program)
    assert report.value("active_matches") == 0
    for key in (
        "mentees_matched",
        "time_to_match",
        "match_length",
        "early_closure",
        "meetings",
        "compliance",
    ):
        assert report.value(key) is None, key
    for n in kpis.RETENTION_MONTHS:
        assert report.value("retention", f"{n} months") is None
    assert report.get("compliance").detail == "none to count"
    assert report.value("applicants", "mentee") == 0  # they applied today, after the period


def test_all_programs_add_up_and_other_programs_stay_out(history, world):
    alone = report_for(history)
    together = kpis.compute(Program.objects.all(), on=D, start=START, end=END)
    assert together.program_count == Program.objects.count()
    assert together.value("active_matches") == alone.value("active_matches")
    # The role world's applications are dated today, outside the period.
    assert together.value("applicants", "mentee") == alone.value("applicants", "mentee")
    today = dt.date.today()
    now = kpis.compute(Program.objects.filter(pk=world.program.pk), on=today, start=today, end=today)
    assert now.value("applicants", "mentee") == 1


def test_the_report_takes_a_fixed_number_of_queries(
    history, django_assert_num_queries, django_assert_max_num_queries
):
    # The programs' ids, then five aggregates, whatever the size.
    with django_assert_num_queries(6):
        report_for(history)
    with django_assert_num_queries(6):
        kpis.compute(Program.objects.all(), on=D, start=START, end=END)
    with django_assert_max_num_queries(6):
        kpis.compute(Program.objects.none(), on=D, start=START, end=END)


def test_every_definition_has_figures_and_every_figure_a_definition(history):
    report = report_for(history)
    keys = {figure.key for figure in report.figures}
    assert keys == {definition.key for definition in kpis.DEFINITIONS}
    assert [d for d, figures in report.grouped() if not figures] == []
    added = {"growth", "ripple", "trained_before_match", "training_hours"}
    # The figures of groups and events are all added too (tests/evaluation/test_kpis_community.py).
    community = {d.key for d in kpis.DEFINITIONS if d.section}
    assert len(community) == 10
    assert added | community == {d.key for d in kpis.DEFINITIONS if d.added}


def test_a_period_after_the_reporting_date_is_refused():
    with pytest.raises(ValueError):
        kpis.compute(Program.objects.none(), on=D, start=START, end=D + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2026, 1, 15), -12, dt.date(2025, 1, 15)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert kpis.add_months(day, months) == expected


def test_the_default_period_is_the_twelve_months_up_to_d():
    assert kpis.default_period(D) == (START, D)


def test_figures_print_their_basis():
    share = kpis.Figure("compliance", "x", 0.625, kpis.SHARE, numerator=5, denominator=8)
    assert (share.display, share.detail) == ("62%", "5 of 8")
    assert kpis.Figure("growth", "x", -0.5, kpis.POINTS, basis=5).display == "-0.50 points"
    assert kpis.Figure("time_to_match", "x", None, kpis.DAYS).display == "–"
