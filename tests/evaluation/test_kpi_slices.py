"""A report restricted to some people (``kpis.compute(..., people=...)``: a partner's people, a
group of the equity report) follows the same definitions: the slice of everyone is the whole report,
and a slice of two mentees counts only them and their matches (hand counts on the history of
tests/evaluation/kpi_history.py)."""

import pytest

from evaluation import kpis
from programs.models import Enrollment, Program
from tests.evaluation.kpi_history import END, START, D, build_history, report_for

pytestmark = pytest.mark.django_db


def _values(report):
    return [(f.key, f.segment, f.value, f.numerator, f.denominator, f.basis) for f in report.figures]


def _sliced(program, people):
    return kpis.compute(Program.objects.filter(pk=program.pk), on=D, start=START, end=END, people=people)


def test_the_slice_of_everyone_is_the_whole_report():
    program = build_history()
    everyone = list(Enrollment.objects.filter(program=program).values_list("pk", flat=True))
    assert _values(_sliced(program, everyone)) == _values(report_for(program))


def test_a_slice_counts_its_people_and_their_matches_only():
    program = build_history()
    m1, m2 = (Enrollment.objects.get(program=program, user__email=f"{n}@kpi.test") for n in ("m1", "m2"))
    report = _sliced(program, [m1.pk, m2.pk])
    # Both applied as mentees; only m2 in the period (m1 on 20 June 2025). Both approved in it.
    assert report.value("applicants", "mentee") == 1
    assert report.value("approved", "mentee") == 2
    assert report.value("applicants", "mentor") == 0
    # Their matches: A (m1, open) and B (m2, closed 15 January 2026, "moved").
    assert report.value("active_matches") == 1
    closure = report.get("early_closure")
    assert (closure.numerator, closure.denominator) == (1, 1)
    # Held check-ins in the period: A's 15 Aug, 30 Aug, 1 Oct, 29 Jun (10 Sep was missed).
    assert report.get("meetings").numerator == 4
    # Mentees' satisfaction: A's check-in rating 4 by m1 and m1's survey 5.
    satisfaction = report.get("satisfaction", "mentee")
    assert (satisfaction.value, satisfaction.basis) == (4.5, 2)
    # Growth: m2 +1 (m1 has no closing answer).
    growth = report.get("growth")
    assert (growth.value, growth.basis) == (1.0, 1)
    # Goals set in the period on A and B: 4, two done.
    goals = report.get("goal_completion")
    assert (goals.numerator, goals.denominator) == (2, 4)


def test_an_empty_slice_counts_nothing():
    program = build_history()
    report = _sliced(program, [])
    assert report.value("applicants", "mentee") == 0
    assert report.value("active_matches") == 0
    assert report.get("meetings").numerator == 0


def test_a_slice_takes_the_same_number_of_queries(django_assert_num_queries):
    program = build_history()
    people = list(Enrollment.objects.values_list("pk", flat=True))
    with django_assert_num_queries(6):
        _sliced(program, people)
