"""The KPIs of the data dictionary (DESIGN.md), for one program or many, a reporting date D and a
period [start, end] (end <= D).

``DEFINITIONS`` is the dictionary itself: the definitions page renders it and every figure below
names the definition it follows, so the page and the code cannot drift apart (a test checks that
each definition has figures and each figure a definition).

Everything is counted by PostgreSQL in a fixed number of queries (the programs' ids, then five
aggregates, whatever the size of the programs): no Python loop over matches, check-ins or people.
The few sums over the report's months and the ratios are plain arithmetic in the functions at the
end, which import nothing from Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from evaluation import periods
from evaluation.models import CheckInDay, CheckInPeriod, Goal, GoalStatus, SurveyKind, SurveyResponse
from matching.models import ClosureReason, Match, MatchPause
from programs.models import Enrollment, EnrollmentStatus, Program, Role, StatusChange

# --- The data dictionary ----------------------------------------------------------------------------

PERIOD = "the period"
ON_D = "on D"
HISTORY = "all history up to D"


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    definition: str  # the data dictionary's wording (DESIGN.md)
    precisely: str  # how this code counts it: the choices the dictionary leaves open
    window: str  # PERIOD, ON_D or HISTORY
    added: bool = False  # not in the dictionary of DESIGN.md: added by the evaluation issue


DEFINITIONS = (
    Definition(
        "applicants", "Applicants", "Enrollments created, by role.",
        "Applications (enrollments) created in the period, whatever became of them.", PERIOD,
    ),
    Definition(
        "approved", "Approved", "Enrollments approved, by role.",
        "Applications approved in the period. The approval date is the first change of the application's "
        "status to “approved”; a later wait-listing or withdrawal does not undo it.", PERIOD,
    ),
    Definition(
        "mentees_matched", "Mentees matched", "Approved mentees who have had a match / approved mentees.",
        "Of the mentees approved in the period, the share whose first match had started by D. A match "
        "starts when both people confirm it; a proposal alone does not count.", PERIOD,
    ),
    Definition(
        "time_to_match", "Time to match",
        "Days from a mentee's approval to the start of their first match: median.",
        "Median over the mentees whose first match started in the period. Later re-matches do not count.",
        PERIOD,
    ),
    Definition(
        "active_matches", "Active matches", "Matches active on D.",
        "Matches started on or before D and not closed by D: a match closed on D is no longer active on "
        "D. Paused matches count as active (a pause is a break, not an end). The chart shows the same "
        "count on the last day of each month of the period.", ON_D,
    ),
    Definition(
        "match_length", "Match length", "Days from start to end (or to D if still active): median.",
        "Median over the matches active at some time in the period; a match that ended after D is "
        "measured to D.", PERIOD,
    ),
    Definition(
        "retention", "Retention at 3, 6 and 12 months",
        "Of matches started at least N months before D, the share not closed within N months.",
        "A match closed exactly N months after its start counts as retained; matches too young to have "
        "reached N months by D are left out. Every match started up to D counts, not only the period's.",
        HISTORY,
    ),
    Definition(
        "early_closure", "Early closure rate",
        "Of closed matches, the share closed before the program's minimum commitment for a reason "
        "other than “completed”.",
        "Of the matches closed in the period (that had started), those closed before their start plus "
        "the program's minimum commitment in months, for any reason but “completed”.", PERIOD,
    ),
    Definition(
        "meetings", "Meetings per match-month",
        "Check-ins with a meeting held, per active match per 30 days.",
        "Check-ins dated in the period with “the meeting took place” ticked, divided by the days the "
        "matches were active within the period, over 30. The chart shows each month of the period.",
        PERIOD,
    ),
    Definition(
        "compliance", "Check-in compliance",
        "Of the cadence periods of active matches that have ended, the share with at least one check-in.",
        "A match's cadence periods run back to back from its start, each as long as the program's "
        "check-in cadence. Counted: the periods whose last day falls in the period and before D (or "
        "before the day the match closed). A period with a day the match was paused is not due: it "
        "counts neither as missed nor as kept. Any logged check-in counts, a missed meeting too: the "
        "pair was in touch about it.", PERIOD,
    ),
    Definition(
        "satisfaction", "Satisfaction", "Mean 1–5 rating, by role.",
        "The mean of the ratings given in the period by people in that role: the rating of each check-in "
        "they logged and of each periodic satisfaction survey they answered, each rating counting once. "
        "Exit-survey ratings (given at closure, coloured by how it ended) and check-ins logged by "
        "coordinators are left out.", PERIOD,
    ),
    Definition(
        "goal_completion", "Goal completion", "Goals completed / goals set.",
        "Of the goals set in the period, the share marked done by D. Dropped goals count as set and not "
        "completed.", PERIOD,
    ),
    Definition(
        "growth", "Self-assessed growth",
        "Mean change in the mentee's self-assessed confidence from the start of a match to its closure.",
        "Over the closure self-assessments submitted in the period that have a start self-assessment by "
        "the same mentee for the same match: the mean of closure minus start confidence (each 1–5), in "
        "points. Above zero is growth.", PERIOD, added=True,
    ),
    Definition(
        "ripple", "Ripple",
        "Former mentees who later enrolled as mentors.",
        "People who were the mentee of a match of these programs that closed by D and who, on or after "
        "that closure and by D, applied to be a mentor in any program; with their share of all such "
        "former mentees.", HISTORY, added=True,
    ),
)  # fmt: skip
DEFINITIONS_BY_KEY = {d.key: d for d in DEFINITIONS}
RETENTION_MONTHS = (3, 6, 12)

# Units of a figure (how it is shown and exported).
COUNT = "count"
SHARE = "share"  # 0..1, shown as a percentage
DAYS = "days"
RATE = "per match-month"
RATING = "mean rating (1-5)"
POINTS = "points"


@dataclass(frozen=True)
class Figure:
    """One number of a report: the definition it follows, what it is and what it rests on."""

    key: str
    label: str
    value: float | int | None
    unit: str
    segment: str = ""  # e.g. "mentee", "3 months"
    numerator: float | int | None = None
    denominator: float | int | None = None
    basis: int | None = None  # how many values a median or mean rests on

    @property
    def definition(self):
        return DEFINITIONS_BY_KEY[self.key]

    @property
    def display(self):
        return format_value(self.value, self.unit)

    @property
    def detail(self):
        return describe_basis(self.unit, self.numerator, self.denominator, self.basis)


@dataclass(frozen=True)
class Month:
    """One month of the period (clipped to it): active matches on its last day, match-days and
    meetings held within it."""

    start: dt.date
    end: dt.date
    active: int
    match_days: int
    held: int

    @property
    def meetings_rate(self):
        return per_match_month(self.held, self.match_days)


@dataclass
class KpiReport:
    on: dt.date
    start: dt.date
    end: dt.date
    program_count: int
    figures: list = field(default_factory=list)
    months: list = field(default_factory=list)

    def get(self, key, segment=""):
        for figure in self.figures:
            if figure.key == key and figure.segment == segment:
                return figure
        raise KeyError((key, segment))

    def value(self, key, segment=""):
        return self.get(key, segment).value

    def grouped(self):
        """(definition, [figures]) in the dictionary's order: what the dashboard lists."""
        return [(d, [f for f in self.figures if f.key == d.key]) for d in DEFINITIONS]


# --- Computing a report ----------------------------------------------------------------------------

T = {
    "user_enrollment": Enrollment._meta.db_table,
    "status_change": StatusChange._meta.db_table,
    "match": Match._meta.db_table,
    "program": Program._meta.db_table,
    "checkin_day": CheckInDay._meta.db_table,
    "checkin_period": CheckInPeriod._meta.db_table,
    "pause": MatchPause._meta.db_table,
    "survey": SurveyResponse._meta.db_table,
    "goal": Goal._meta.db_table,
}

# Applicants, approvals, mentees matched and time to match, by role. ``approved_on`` is the first
# approval; ``first_start`` the start of the mentee's first match that had started by D.
ENROLLMENTS_SQL = """
WITH approvals AS (
    SELECT sc.enrollment_id, MIN((sc.changed_at AT TIME ZONE %(tz)s)::date) AS approved_on
    FROM {status_change} sc JOIN {user_enrollment} e ON e.id = sc.enrollment_id
    WHERE sc.to_status = %(approved)s AND e.program_id = ANY(%(programs)s)
    GROUP BY sc.enrollment_id
), first_matches AS (
    SELECT m.mentee_id, MIN(m.started_on) AS first_start
    FROM {match} m
    WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(on)s
    GROUP BY m.mentee_id
), people AS (
    SELECT e.role, (e.created_at AT TIME ZONE %(tz)s)::date AS applied_on, a.approved_on, f.first_start
    FROM {user_enrollment} e
    LEFT JOIN approvals a ON a.enrollment_id = e.id
    LEFT JOIN first_matches f ON f.mentee_id = e.id
    WHERE e.program_id = ANY(%(programs)s)
)
SELECT role,
    COUNT(*) FILTER (WHERE applied_on BETWEEN %(start)s AND %(end)s),
    COUNT(*) FILTER (WHERE approved_on BETWEEN %(start)s AND %(end)s),
    COUNT(*) FILTER (WHERE approved_on BETWEEN %(start)s AND %(end)s AND first_start IS NOT NULL),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY first_start - approved_on)
        FILTER (WHERE first_start BETWEEN %(start)s AND %(end)s AND approved_on IS NOT NULL),
    COUNT(*) FILTER (WHERE first_start BETWEEN %(start)s AND %(end)s AND approved_on IS NOT NULL)
FROM people GROUP BY role
""".format(**T)  # noqa: S608 - table names from the models, values as parameters

# Matches: active on D, median length, retention at 3/6/12 months, early closures.
MATCHES_SQL = """
SELECT
    COUNT(*) FILTER (WHERE m.ended_on IS NULL OR m.ended_on > %(on)s),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY LEAST(COALESCE(m.ended_on, %(on)s), %(on)s) - m.started_on)
        FILTER (WHERE m.started_on <= %(end)s AND (m.ended_on IS NULL OR m.ended_on >= %(start)s)),
    COUNT(*) FILTER (WHERE m.started_on <= %(end)s AND (m.ended_on IS NULL OR m.ended_on >= %(start)s)),
    {retention}
    COUNT(*) FILTER (WHERE m.ended_on BETWEEN %(start)s AND %(end)s),
    COUNT(*) FILTER (WHERE m.ended_on BETWEEN %(start)s AND %(end)s AND m.closure_reason <> %(completed)s
                     AND m.ended_on < m.started_on + make_interval(months => p.min_commitment_months))
FROM {match} m JOIN {program} p ON p.id = m.program_id
WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(on)s
""".format(
    retention="".join(
        f"COUNT(*) FILTER (WHERE m.started_on + interval '{n} months' <= %(on)s), "
        f"COUNT(*) FILTER (WHERE m.started_on + interval '{n} months' <= %(on)s "
        f"AND (m.ended_on IS NULL OR m.ended_on >= m.started_on + interval '{n} months')),\n    "
        for n in RETENTION_MONTHS
    ),
    **T,
)

# Each month of the period (clipped to it): matches active on its last day, the days matches were
# active within it (from a daily running count: +1 the day a match starts, -1 the day it closes,
# starts before the period counted on its first day), the check-ins held in it, and the ratings
# each role gave in it. The check-ins are read from their daily rollup (CheckInDay: one row per
# program and day, kept by triggers), not scanned one by one.
MONTHS_SQL = """
WITH changes AS (
    SELECT day, SUM(step) AS step FROM (
        SELECT GREATEST(m.started_on, %(start)s) AS day, 1 AS step
        FROM {match} m WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s
        UNION ALL
        SELECT GREATEST(m.ended_on, %(start)s), -1
        FROM {match} m WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s
            AND m.ended_on <= %(end)s
    ) events GROUP BY day
), days AS (
    SELECT d::date AS day, SUM(COALESCE(ch.step, 0)) OVER (ORDER BY d) AS active
    FROM generate_series(%(start)s::timestamp, %(end)s::timestamp, interval '1 day') d
    LEFT JOIN changes ch ON ch.day = d::date
), months AS (
    SELECT date_trunc('month', day::timestamp) AS month, MIN(day) AS first_day, MAX(day) AS last_day,
        SUM(active) AS match_days, (array_agg(active ORDER BY day DESC))[1] AS active
    FROM days GROUP BY 1
), meetings AS (
    SELECT date_trunc('month', d.day::timestamp) AS month, SUM(d.held) AS held,
        SUM(d.mentee_ratings) AS mentee_n, SUM(d.mentee_rating_sum) AS mentee_sum,
        SUM(d.mentor_ratings) AS mentor_n, SUM(d.mentor_rating_sum) AS mentor_sum
    FROM {checkin_day} d
    WHERE d.program_id = ANY(%(programs)s) AND d.day BETWEEN %(start)s AND %(end)s
    GROUP BY 1
)
SELECT mo.first_day, mo.last_day, mo.active, mo.match_days, COALESCE(mt.held, 0),
    COALESCE(mt.mentee_n, 0), COALESCE(mt.mentee_sum, 0), COALESCE(mt.mentor_n, 0), COALESCE(mt.mentor_sum, 0)
FROM months mo LEFT JOIN meetings mt ON mt.month = mo.month
ORDER BY mo.first_day
""".format(**T)  # noqa: S608 - table names from the models, values as parameters

# Check-in compliance. Period k of a match runs from start + k*c to start + (k+1)*c - 1 (c: the
# program's cadence), and is due unless one of its days was paused: the rule of
# evaluation/periods.py, which builds the SQL for it. Counted: of the k from k_lo (the first period
# whose last day is in the reporting period) to k_hi (the last one that is over: (k+1)*c <=
# stop - started_on, stop being D or the closure date, and whose last day is by the period's end),
# those due. The periods that had a check-in are rows of the CheckInPeriod rollup (kept by triggers
# built from the same rule, ``counted`` when due and over before the closure); the same bounds on
# their last day pick them: in [start, end] and before D.
_DUE_PERIODS = periods.due_periods_sql(
    "m.id", "m.started_on", "m.cadence", "m.k_lo", "m.k_hi", pause_table=T["pause"]
)
COMPLIANCE_SQL = """
SELECT
    (SELECT COALESCE(SUM({due_periods}), 0) FROM (
        SELECT m.id, m.started_on, p.checkin_cadence_days AS cadence,
            GREATEST(0, (%(start)s - m.started_on + p.checkin_cadence_days) / p.checkin_cadence_days - 1)
                AS k_lo,
            LEAST((LEAST(COALESCE(m.ended_on, %(on)s), %(on)s) - m.started_on) / p.checkin_cadence_days,
                  (%(end)s - m.started_on + 1) / p.checkin_cadence_days) - 1 AS k_hi
        FROM {match} m JOIN {program} p ON p.id = m.program_id
        WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s
          AND (m.ended_on IS NULL OR m.ended_on >= %(start)s)
    ) m),
    (SELECT COUNT(*) FROM {checkin_period} cp
     WHERE cp.program_id = ANY(%(programs)s) AND cp.counted
       AND cp.ends_on BETWEEN %(start)s AND %(end)s AND cp.ends_on < %(on)s)
""".format(due_periods=_DUE_PERIODS, **T)  # noqa: S608 - table names from the models

# Satisfaction surveys by role, self-assessed growth, goal completion and the ripple figure.
OUTCOMES_SQL = """
SELECT * FROM (
    SELECT
        COUNT(s.rating) FILTER (WHERE s.role = %(mentee)s),
        COALESCE(SUM(s.rating) FILTER (WHERE s.role = %(mentee)s), 0),
        COUNT(s.rating) FILTER (WHERE s.role = %(mentor)s),
        COALESCE(SUM(s.rating) FILTER (WHERE s.role = %(mentor)s), 0)
    FROM {survey} s JOIN {match} m ON m.id = s.match_id
    WHERE m.program_id = ANY(%(programs)s) AND s.kind = %(satisfaction)s
      AND s.submitted_at >= %(start_at)s AND s.submitted_at < %(after_end_at)s
) satisfaction CROSS JOIN (
    SELECT AVG((fin.answers ->> 'confidence')::numeric - (beg.answers ->> 'confidence')::numeric), COUNT(*)
    FROM {survey} fin
    JOIN {match} m ON m.id = fin.match_id
    JOIN {survey} beg ON beg.match_id = fin.match_id AND beg.respondent_id = fin.respondent_id
        AND beg.kind = %(self_start)s AND beg.period = 0
        AND jsonb_typeof(beg.answers -> 'confidence') = 'number'
    WHERE m.program_id = ANY(%(programs)s) AND fin.kind = %(self_end)s AND fin.role = %(mentee)s
      AND fin.submitted_at >= %(start_at)s AND fin.submitted_at < %(after_end_at)s
      AND jsonb_typeof(fin.answers -> 'confidence') = 'number'
) growth CROSS JOIN (
    SELECT COUNT(*), COUNT(*) FILTER (WHERE g.status = %(done)s
        AND (g.completed_at IS NULL OR g.completed_at < %(after_on_at)s))
    FROM {goal} g JOIN {match} m ON m.id = g.match_id
    WHERE m.program_id = ANY(%(programs)s)
      AND g.created_at >= %(start_at)s AND g.created_at < %(after_end_at)s
) goals CROSS JOIN (
    SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM {user_enrollment} later
        WHERE later.user_id = former.user_id AND later.role = %(mentor)s
          AND (later.created_at AT TIME ZONE %(tz)s)::date >= former.closed_on
          AND later.created_at < %(after_on_at)s))
    FROM (
        SELECT e.user_id, MIN(m.ended_on) AS closed_on
        FROM {match} m JOIN {user_enrollment} e ON e.id = m.mentee_id
        WHERE m.program_id = ANY(%(programs)s) AND m.ended_on <= %(on)s
        GROUP BY e.user_id
    ) former
) ripple
""".format(**T)  # noqa: S608 - table names from the models, values as parameters


def compute(programs, *, on, start, end):
    """The report for ``programs`` (a Program queryset), reporting date ``on`` and the period
    [start, end]. Six queries whatever the size: the programs' ids, then five aggregates."""
    if not start <= end <= on:
        raise ValueError("The period must end on or before the reporting date, and start before it ends.")
    ids = list(programs.order_by().values_list("pk", flat=True))
    params = query_parameters(ids, on=on, start=start, end=end)
    with connection.cursor() as cursor:
        cursor.execute(ENROLLMENTS_SQL, params)
        enrollments = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(MATCHES_SQL, params)
        matches = cursor.fetchone()
        cursor.execute(MONTHS_SQL, params)
        month_rows = cursor.fetchall()
        cursor.execute(COMPLIANCE_SQL, params)
        compliance = cursor.fetchone()
        cursor.execute(OUTCOMES_SQL, params)
        outcomes = cursor.fetchone()
    report = KpiReport(on=on, start=start, end=end, program_count=len(ids))
    report.months = [
        Month(start=r[0], end=r[1], active=int(r[2]), match_days=int(r[3]), held=r[4]) for r in month_rows
    ]
    report.figures = assemble(
        enrollments=enrollments,
        matches=matches,
        months=month_rows,
        compliance=compliance,
        outcomes=outcomes,
    )
    return report


def query_parameters(program_ids, *, on, start, end):
    """The named parameters of the queries above."""
    return {
        "programs": list(program_ids),
        "on": on,
        "start": start,
        "end": end,
        "tz": timezone.get_current_timezone_name(),
        # Timestamps compared with the local midnights around the dates: ranges an index can use.
        "start_at": local_midnight(start),
        "after_end_at": local_midnight(end + dt.timedelta(days=1)),
        "after_on_at": local_midnight(on + dt.timedelta(days=1)),
        "approved": EnrollmentStatus.APPROVED,
        "completed": ClosureReason.COMPLETED,
        "mentee": Role.MENTEE,
        "mentor": Role.MENTOR,
        "satisfaction": SurveyKind.SATISFACTION,
        "self_start": SurveyKind.SELF_START,
        "self_end": SurveyKind.SELF_END,
        "done": GoalStatus.DONE,
    }


def local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Pure arithmetic (no Django below this line) ----------------------------------------------------


def share(key, label, numerator, denominator, segment=""):
    return Figure(key, label, ratio(numerator, denominator), SHARE, segment, numerator, denominator)


def assemble(*, enrollments, matches, months, compliance, outcomes):
    """The figures, from the rows of the aggregate queries above (plain tuples)."""
    empty = (0, 0, 0, None, 0)
    mentee, mentor = enrollments.get("mentee", empty), enrollments.get("mentor", empty)
    figures = [
        Figure(key, f"{label} ({role}s)", row[k], COUNT, segment=role)
        for k, (key, label) in enumerate([("applicants", "Applicants"), ("approved", "Approved")])
        for role, row in (("mentee", mentee), ("mentor", mentor))
    ]
    figures.append(share("mentees_matched", "Mentees matched", mentee[2], mentee[1]))
    figures.append(Figure("time_to_match", "Time to match", _float(mentee[3]), DAYS, basis=mentee[4]))

    figures.append(Figure("active_matches", "Active matches on D", matches[0], COUNT))
    figures.append(Figure("match_length", "Match length", _float(matches[1]), DAYS, basis=matches[2]))
    for k, n in enumerate(RETENTION_MONTHS):
        base, kept = matches[3 + 2 * k], matches[4 + 2 * k]
        figures.append(share("retention", f"Retention at {n} months", kept, base, segment=f"{n} months"))
    closed, early = matches[3 + 2 * len(RETENTION_MONTHS)], matches[4 + 2 * len(RETENTION_MONTHS)]
    figures.append(share("early_closure", "Early closure rate", early, closed))

    held = sum(row[4] for row in months)
    match_days = sum(int(row[3]) for row in months)
    match_months = round(match_days / 30, 1) if match_days else 0
    rate = per_match_month(held, match_days)
    figures.append(
        Figure("meetings", "Meetings per match-month", rate, RATE, numerator=held, denominator=match_months)
    )
    periods, kept = compliance
    figures.append(share("compliance", "Check-in compliance", kept, periods))

    # Ratings: (count, sum) from check-ins (summed over the months) and from satisfaction surveys.
    ratings = {
        "mentee": (sum(row[5] for row in months) + outcomes[0], sum(row[6] for row in months) + outcomes[1]),
        "mentor": (sum(row[7] for row in months) + outcomes[2], sum(row[8] for row in months) + outcomes[3]),
    }
    for role, (count, total) in ratings.items():
        figures.append(
            Figure(
                "satisfaction",
                f"Satisfaction ({role}s)",
                mean(total, count),
                RATING,
                segment=role,
                basis=count,
            )
        )
    growth_mean, growth_n, goals_set, goals_done, former, mentoring = outcomes[4:10]
    figures.append(share("goal_completion", "Goal completion", goals_done, goals_set))
    figures.append(Figure("growth", "Self-assessed growth", _float(growth_mean), POINTS, basis=growth_n))
    figures.append(
        Figure(
            "ripple", "Former mentees now mentors", mentoring, COUNT, numerator=mentoring, denominator=former
        )
    )
    return figures


def ratio(numerator, denominator):
    """numerator / denominator, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / denominator


def mean(total, count):
    if not count:
        return None
    return total / count


def per_match_month(count, match_days):
    """Events per match per 30 days of activity."""
    if not match_days:
        return None
    return count * 30 / match_days


def add_months(day, months):
    """``day`` moved by whole months (negative: back), the day of the month clamped to the
    month's length (31 March - 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def default_period(on):
    """The last 12 months up to and including ``on``."""
    return add_months(on, -12) + dt.timedelta(days=1), on


def _float(value):
    return None if value is None else float(value)


def format_value(value, unit):
    if value is None:
        return "–"
    if unit == SHARE:
        return f"{value * 100:.0f}%"
    if unit == DAYS:
        return f"{value:,.0f} days" if value != 1 else "1 day"
    if unit == RATE:
        return f"{value:.2f}"
    if unit == RATING:
        return f"{value:.1f} of 5"
    if unit == POINTS:
        return f"{value:+.2f} points"
    return f"{value:,}"


def describe_basis(unit, numerator, denominator, basis):
    if unit == SHARE and denominator is not None:
        return f"{numerator:,} of {denominator:,}" if denominator else "none to count"
    if unit == RATE:
        return (
            f"{numerator:,} meetings in {denominator:,} match-months" if denominator else "no active matches"
        )
    if unit == DAYS and basis is not None:
        return f"median of {basis:,}"
    if unit in (RATING, POINTS) and basis is not None:
        return f"mean of {basis:,}" if basis else "no answers yet"
    if unit == COUNT and denominator is not None:
        return f"of {denominator:,} former mentees"
    return ""
