"""The numbers behind the charts over time (evaluation/charts.py): the recruitment funnel month by
month, and the retention curve. One aggregate query each, whatever the size of the programs, counted
by PostgreSQL with the data dictionary's definitions (evaluation/kpis/definitions.py):

- the funnel, for mentees, each month of the period (clipped to it): *applicants*, enrollments
  created in it; *approved*, enrollments whose first change of status to "approved" fell in it;
  *matched*, mentees whose first match (one started by D) started in it. Summed over the months,
  applicants and approved are the period's "Applicants" and "Approved" figures for mentees;
- the retention curve, for each month N from 0: of the matches started at least N months before D,
  the share not closed within N months (a match closed exactly N months after its start is kept).
  At N = 3, 6 and 12 it is the "Retention at N months" figure; every match started up to D counts.
  The same rows split by the year a match started give the curves by start cohort.

``people`` (enrollment ids, or None for everyone) restricts both the way ``kpis.compute`` does:
their enrollments for the funnel, the matches whose mentee or mentor is one of them for the curve.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from evaluation.kpis.definitions import DEFINITIONS_BY_KEY
from evaluation.kpis.figures import ratio
from evaluation.kpis.queries import T, query_parameters

CURVE_MONTHS = 24  # the retention curve runs from month 0 to this

FUNNEL_SQL = """
WITH people AS (
    SELECT e.id, (e.created_at AT TIME ZONE %(tz)s)::date AS applied_on
    FROM {user_enrollment} e
    WHERE e.program_id = ANY(%(programs)s) AND e.role = %(mentee)s {people}
), approvals AS (
    SELECT sc.enrollment_id, MIN((sc.changed_at AT TIME ZONE %(tz)s)::date) AS approved_on
    FROM {status_change} sc JOIN people pe ON pe.id = sc.enrollment_id
    WHERE sc.to_status = %(approved)s
    GROUP BY sc.enrollment_id
), first_matches AS (
    SELECT m.mentee_id, MIN(m.started_on) AS first_start
    FROM {match} m JOIN people pe ON pe.id = m.mentee_id
    WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(on)s
    GROUP BY m.mentee_id
), steps AS (
    SELECT applied_on AS day, 1 AS applied, 0 AS approved, 0 AS matched FROM people
    UNION ALL SELECT approved_on, 0, 1, 0 FROM approvals
    UNION ALL SELECT first_start, 0, 0, 1 FROM first_matches
), counts AS (
    SELECT date_trunc('month', day::timestamp) AS month,
        SUM(applied) AS applied, SUM(approved) AS approved, SUM(matched) AS matched
    FROM steps WHERE day BETWEEN %(start)s AND %(end)s
    GROUP BY 1
), months AS (
    SELECT mo AS month, GREATEST(mo::date, %(start)s) AS first_day,
        LEAST((mo + interval '1 month' - interval '1 day')::date, %(end)s) AS last_day
    FROM generate_series(date_trunc('month', %(start)s::timestamp), %(end)s::timestamp, interval '1 month') mo
)
SELECT mo.first_day, mo.last_day, COALESCE(c.applied, 0), COALESCE(c.approved, 0), COALESCE(c.matched, 0)
FROM months mo LEFT JOIN counts c ON c.month = mo.month
ORDER BY mo.first_day
"""


# The retention curve. Adding months to a date never goes backwards, so the months N a match
# counts in form a prefix: N <= its *age* (the most months that, added to its start, stay on or
# before D), and it is kept at N while N <= the months from its start to its closure (every N, if
# open). Each of those is one date comparison away from the difference of the calendar months
# (``_months_between``): the matches are counted once by (cohort, age, kept), a few hundred groups,
# then spread over the months, instead of joining every match to every month.
def _months_between(start, to):
    """SQL: the most whole months that, added to the date ``start``, stay on or before ``to``."""
    calendar = (
        f"((date_part('year', {to}) - date_part('year', {start})) * 12"
        f" + date_part('month', {to}) - date_part('month', {start}))::int"
    )
    return f"({calendar} - (({start}) + make_interval(months => {calendar}) > ({to}))::int)"


CURVE_SQL = """
SELECT k.n, g.cohort, SUM(g.matches)::bigint, COALESCE(SUM(g.matches) FILTER (WHERE g.kept >= k.n), 0)::bigint
FROM (
    SELECT EXTRACT(year FROM m.started_on)::int AS cohort,
        LEAST(%(months)s, {age}) AS age,
        CASE WHEN m.ended_on IS NULL THEN %(months)s
             WHEN m.ended_on < m.started_on THEN -1
             ELSE LEAST(%(months)s, {kept}) END AS kept,
        COUNT(*) AS matches
    FROM {{match}} m
    WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(on)s {{people}}
    GROUP BY 1, 2, 3
) g
JOIN generate_series(0, %(months)s) AS k(n) ON k.n <= g.age
GROUP BY k.n, g.cohort
ORDER BY k.n, g.cohort
""".format(  # noqa: S608 - our SQL, values as parameters
    age=_months_between("m.started_on", "%(on)s::date"), kept=_months_between("m.started_on", "m.ended_on")
)

_SLICES = {
    "funnel": "AND e.id = ANY(%(people)s)",
    "curve": "AND (m.mentee_id = ANY(%(people)s) OR m.mentor_id = ANY(%(people)s))",
}


def _sql(template, people, slice_name):
    return template.format(people=_SLICES[slice_name] if people is not None else "", **T)


@dataclass(frozen=True)
class FunnelMonth:
    """One month of the period (clipped to it): mentees who applied, were approved and were matched
    for the first time in it."""

    start: dt.date
    end: dt.date
    applicants: int
    approved: int
    matched: int

    @property
    def label(self):
        """ "Mar 2026", or the days it covers when the period cuts it: "10–31 Mar 2026"."""
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            return self.end.strftime("%b %Y")
        return f"{self.start:%-d}–{self.end:%-d %b %Y}"


@dataclass(frozen=True)
class CurvePoint:
    """Month ``month`` of the retention curve: ``base`` matches old enough, ``kept`` still going."""

    month: int
    base: int
    kept: int

    @property
    def share(self):
        return ratio(self.kept, self.base)

    @property
    def too_small(self):
        """Fewer matches old enough than the retention figure's smallest base: too early to tell."""
        return DEFINITIONS_BY_KEY["retention"].too_small(self.base)


def _parameters(program_ids, *, on, start, end, people):
    params = query_parameters(program_ids, on=on, start=start, end=end)
    if people is not None:
        params["people"] = sorted({int(pk) for pk in people})
    return params


def funnel_months(program_ids, *, on, start, end, people=None):
    """[FunnelMonth] for each month of [start, end], for the programs ``program_ids``. One query."""
    params = _parameters(program_ids, on=on, start=start, end=end, people=people)
    with connection.cursor() as cursor:
        cursor.execute(_sql(FUNNEL_SQL, people, "funnel"), params)
        return [FunnelMonth(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in cursor.fetchall()]


def funnel_of(report):
    """[FunnelMonth] of a KpiReport made by ``kpis.compute`` (its ``funnel``, counted with the
    enrollments in the same statement: the same numbers as ``funnel_months``, no query)."""
    return [FunnelMonth(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in report.funnel]


@dataclass
class RetentionCurve:
    """The retention curve overall (``points``) and by the year the matches started (``cohorts``:
    {year: [CurvePoint]}), each from month 0 to ``months``."""

    on: dt.date
    months: int
    points: list
    cohorts: dict

    @property
    def drawn(self):
        """The points up to the last month any match is old enough for (the curve ends there)."""
        last = max((p.month for p in self.points if p.base), default=-1)
        return self.points[: last + 1]


def retention_curve(program_ids, *, on, months=CURVE_MONTHS, people=None):
    """The RetentionCurve of the programs ``program_ids`` on D = ``on``. One query."""
    params = _parameters(program_ids, on=on, start=on, end=on, people=people)
    params["months"] = months
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(_sql(CURVE_SQL, people, "curve"), params)
        for month, cohort, base, kept in cursor.fetchall():
            counts[(month, cohort)] = (base, kept)
    years = sorted({cohort for _, cohort in counts})
    cohorts = {
        year: [CurvePoint(n, *counts.get((n, year), (0, 0))) for n in range(months + 1)] for year in years
    }
    points = [
        CurvePoint(n, sum(c[n].base for c in cohorts.values()), sum(c[n].kept for c in cohorts.values()))
        for n in range(months + 1)
    ]
    return RetentionCurve(on=on, months=months, points=points, cohorts=cohorts)
