"""The coordinators' pages made fast for city scale (issue 17) keep their figures and their rules:
the retention curve counted by each match's age, pairs at risk in two queries, the staff contacts
due a page at a time, and the volunteer-hours page's first rows from the period's meetings."""

import calendar
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import recognition_documents as documents
from evaluation import services
from evaluation.kpis import trends
from evaluation.selectors import pairs_at_risk
from evaluation.views import pairs as pair_views
from matching.models import Match
from programs.models import Program
from tests import scenarios
from tests.evaluation.helpers import more_active_matches, pair_world
from tests.evaluation.kpi_history import enrolled, pair

pytestmark = pytest.mark.django_db

START = dt.date(2027, 3, 1)


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


# --- The retention curve --------------------------------------------------------------------------


def plus_months(day, months):
    """PostgreSQL's ``date + interval 'N months'``: the same day N months on, or that month's last."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def curve_by_hand(spans, on_day, months):
    """{(month, cohort): (base, kept)} straight from the definition, for the matches ``spans``."""
    counts = {}
    for started, ended in spans:
        for n in range(months + 1):
            if started <= on_day and plus_months(started, n) <= on_day:
                base, kept = counts.get((n, started.year), (0, 0))
                stayed = ended is None or ended >= plus_months(started, n)
                counts[(n, started.year)] = (base + 1, kept + stayed)
    return counts


MONTH_ENDS = [
    (dt.date(2024, 1, 31), None),
    (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),  # a month to the day, in a leap year: kept at 1
    (dt.date(2024, 1, 31), dt.date(2024, 2, 28)),
    (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # twelve months on is 28 February
    (dt.date(2024, 3, 31), dt.date(2024, 4, 30)),
    (dt.date(2024, 8, 31), None),
    (dt.date(2024, 12, 31), dt.date(2025, 6, 30)),
    (dt.date(2025, 5, 15), dt.date(2025, 5, 15)),  # closed the day it started
    (dt.date(2025, 10, 1), None),
]


@pytest.mark.parametrize(
    "on_day",
    [
        dt.date(2024, 2, 29),
        dt.date(2024, 4, 30),
        dt.date(2025, 2, 28),
        dt.date(2025, 6, 30),
        dt.date(2025, 12, 31),
    ],
)
def test_the_retention_curve_counts_month_ends_as_postgresql_adds_months(on_day):
    lead = scenarios.coordinator(email="lead@ends.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Month Ends")
    mentor = enrolled(
        program, "mentor", "t@ends.test", applied_on=dt.date(2023, 1, 1), approved_on=dt.date(2023, 1, 2)
    )
    for k, (started, ended) in enumerate(MONTH_ENDS):
        mentee = enrolled(program, "mentee", f"m{k}@ends.test", applied_on=dt.date(2023, 1, 1))
        pair(program, mentee, mentor, started_on=started, ended_on=ended, reason="moved" if ended else "")
    curve = trends.retention_curve([program.pk], on=on_day, months=24)
    found = {
        (point.month, year): (point.base, point.kept)
        for year, points in curve.cohorts.items()
        for point in points
        if point.base
    }
    assert found == curve_by_hand(MONTH_ENDS, on_day, 24)


# --- Pairs at risk and the staff contacts due -----------------------------------------------------


def test_pairs_at_risk_take_two_queries_however_many_pairs():
    with on(START):
        pw = pair_world()
    later = START + dt.timedelta(days=60)  # no meeting, no staff contact: every pair is at risk
    with CaptureQueriesContext(connection) as few:
        assert pairs_at_risk(Match.objects.filter(program=pw.program), on=later).total == 1
    with on(START):
        more_active_matches(program=pw.program, count=5)
    with CaptureQueriesContext(connection) as many:
        found = pairs_at_risk(Match.objects.filter(program=pw.program), on=later, limit=3)
    assert (found.total, len(found)) == (6, 3)
    assert len(few) == len(many) == 2


def test_the_staff_contacts_due_come_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(pair_views, "CONTACTS_PAGE_SIZE", 2)
    with on(START):
        pw = pair_world()
        more_active_matches(program=pw.program, count=2)
    url = reverse("evaluation:contacts_due", args=[pw.program.slug])
    with on(dt.date(2027, 5, 1)):
        # Three contacts due by 1 May; the first pair had one: it misses two, the others three.
        services.staff_contact_log(match=pw.match, by=pw.coordinator, contacted_on=dt.date(2027, 3, 20))
        client.force_login(pw.coordinator)
        with CaptureQueriesContext(connection) as few:
            first = client.get(url)
        second = client.get(url, {"page": 2})
    assert "3 pairs need a contact (2 a page)" in first.text
    assert [row["missing"] for row in first.context["rows"]] == [3, 3]
    assert [(row["match"], row["missing"]) for row in second.context["rows"]] == [(pw.match, 2)]
    assert second.context["rows"][0]["match"].last_contact == dt.date(2027, 3, 20)
    with on(START):
        more_active_matches(program=pw.program, count=4, prefix="more")
    with on(dt.date(2027, 5, 1)), CaptureQueriesContext(connection) as many:
        assert "7 pairs need a contact" in client.get(url).text
    assert len(many) == len(few)


# --- The volunteer-hours page ---------------------------------------------------------------------


def test_the_volunteer_hours_page_shows_the_statements_first_rows():
    with on(START):
        pw = pair_world()
        extra = more_active_matches(program=pw.program, count=3)
    with on(dt.date(2027, 10, 1)):
        for k, match in enumerate([pw.match, *extra]):
            for day in (dt.date(2027, 3, 10), dt.date(2027, 6, 10 + k)):
                services.checkin_log(
                    match=match, by=match.mentor.user, occurred_on=day, duration_minutes=30 + k
                )
        programs = Program.objects.filter(pk=pw.program.pk)
        start, end = dt.date(2027, 6, 1), dt.date(2027, 9, 30)
        everything = documents.statement_rows(programs, start=start, end=end)
        rows, total, minutes = documents.statement_page(programs, start=start, end=end, limit=2)
    assert total == len(everything) == 4
    assert minutes == sum(row.hours.period_minutes for row in everything) == 30 + 31 + 32 + 33
    assert [row.values() for row in rows] == [row.values() for row in everything[:2]]
