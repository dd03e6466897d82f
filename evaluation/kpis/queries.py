"""Computing a KPI report: the programs' ids, then five aggregate queries counted by PostgreSQL,
whatever the size of the programs (no Python loop over matches, check-ins or people). The rows go
to ``assemble`` (evaluation/kpis/figures.py), which makes the figures.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from evaluation import periods
from evaluation.kpis import community
from evaluation.kpis.definitions import RETENTION_MONTHS
from evaluation.kpis.figures import KpiReport, Month, assemble
from evaluation.models import CheckIn, CheckInDay, CheckInPeriod, Goal, GoalStatus, SurveyKind, SurveyResponse
from matching.models import ClosureReason, Match, MatchPause
from programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    Role,
    StatusChange,
    Training,
    TrainingRecord,
)

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
    "training": Training._meta.db_table,
    "training_record": TrainingRecord._meta.db_table,
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
    WHERE e.program_id = ANY(%(programs)s) /*people:e*/
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
WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(on)s /*people:m*/
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
        FROM {match} m WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s /*people:m*/
        UNION ALL
        SELECT GREATEST(m.ended_on, %(start)s), -1
        FROM {match} m WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s
            AND m.ended_on <= %(end)s /*people:m*/
    ) events GROUP BY day
), days AS (
    SELECT d::date AS day, SUM(COALESCE(ch.step, 0)) OVER (ORDER BY d) AS active
    FROM generate_series(%(start)s::timestamp, %(end)s::timestamp, interval '1 day') d
    LEFT JOIN changes ch ON ch.day = d::date
), months AS (
    SELECT date_trunc('month', day::timestamp) AS month, MIN(day) AS first_day, MAX(day) AS last_day,
        SUM(active) AS match_days, (array_agg(active ORDER BY day DESC))[1] AS active
    FROM days GROUP BY 1
), meetings AS (/*meetings*/
    SELECT date_trunc('month', d.day::timestamp) AS month, SUM(d.held) AS held,
        SUM(d.mentee_ratings) AS mentee_n, SUM(d.mentee_rating_sum) AS mentee_sum,
        SUM(d.mentor_ratings) AS mentor_n, SUM(d.mentor_rating_sum) AS mentor_sum
    FROM {checkin_day} d
    WHERE d.program_id = ANY(%(programs)s) AND d.day BETWEEN %(start)s AND %(end)s
    GROUP BY 1
/*end meetings*/)
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
          AND (m.ended_on IS NULL OR m.ended_on >= %(start)s) /*people:m*/
    ) m),
    (SELECT COUNT(*) FROM {checkin_period} cp
     WHERE cp.program_id = ANY(%(programs)s) AND cp.counted
       AND cp.ends_on BETWEEN %(start)s AND %(end)s AND cp.ends_on < %(on)s /*people:cp*/)
""".format(due_periods=_DUE_PERIODS, **T)  # noqa: S608 - table names from the models

# The trainings of match ``m``'s program that its mentor had to have done on the match's start date:
# for mentors, required, published by that day and not archived by then (``required`` as set now).
_REQUIRED_AT_START = """
    SELECT t.id FROM {training} t
    WHERE t.program_id = m.program_id AND t.audience = %(mentor)s AND t.required
      AND (t.published_at AT TIME ZONE %(tz)s)::date <= m.started_on
      AND (t.archived_at IS NULL OR (t.archived_at AT TIME ZONE %(tz)s)::date > m.started_on)
""".format(**T)  # noqa: S608 - table names from the models
# A mentor enrollment ``e`` approved at some time in the period: approved during it, or whose last
# status change before it was to approved.
_APPROVED_IN_PERIOD = """(
    EXISTS (SELECT 1 FROM {status_change} sc WHERE sc.enrollment_id = e.id AND sc.to_status = %(approved)s
            AND sc.changed_at >= %(start_at)s AND sc.changed_at < %(after_end_at)s)
    OR (SELECT sc.to_status FROM {status_change} sc WHERE sc.enrollment_id = e.id
        AND sc.changed_at < %(start_at)s ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1) = %(approved)s
)""".format(**T)  # noqa: S608 - table names from the models

# Satisfaction surveys by role, self-assessed growth, goal completion, the ripple figure, mentors
# trained before their match and training hours per mentor.
OUTCOMES_SQL = """
SELECT * FROM (
    SELECT
        COUNT(s.rating) FILTER (WHERE s.role = %(mentee)s),
        COALESCE(SUM(s.rating) FILTER (WHERE s.role = %(mentee)s), 0),
        COUNT(s.rating) FILTER (WHERE s.role = %(mentor)s),
        COALESCE(SUM(s.rating) FILTER (WHERE s.role = %(mentor)s), 0)
    FROM {survey} s JOIN {match} m ON m.id = s.match_id
    WHERE m.program_id = ANY(%(programs)s) AND s.kind = %(satisfaction)s /*people:m*/
      AND s.submitted_at >= %(start_at)s AND s.submitted_at < %(after_end_at)s
) satisfaction CROSS JOIN (
    SELECT AVG((fin.answers ->> 'confidence')::numeric - (beg.answers ->> 'confidence')::numeric), COUNT(*)
    FROM {survey} fin
    JOIN {match} m ON m.id = fin.match_id
    JOIN {survey} beg ON beg.match_id = fin.match_id AND beg.respondent_id = fin.respondent_id
        AND beg.kind = %(self_start)s AND beg.period = 0
        AND jsonb_typeof(beg.answers -> 'confidence') = 'number'
    WHERE m.program_id = ANY(%(programs)s) AND fin.kind = %(self_end)s AND fin.role = %(mentee)s /*people:m*/
      AND fin.submitted_at >= %(start_at)s AND fin.submitted_at < %(after_end_at)s
      AND jsonb_typeof(fin.answers -> 'confidence') = 'number'
) growth CROSS JOIN (
    SELECT COUNT(*), COUNT(*) FILTER (WHERE g.status = %(done)s
        AND (g.completed_at IS NULL OR g.completed_at < %(after_on_at)s))
    FROM {goal} g JOIN {match} m ON m.id = g.match_id
    WHERE m.program_id = ANY(%(programs)s) /*people:m*/
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
        WHERE m.program_id = ANY(%(programs)s) AND m.ended_on <= %(on)s /*people:m*/
        GROUP BY e.user_id
    ) former
) ripple CROSS JOIN (
    SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT EXISTS (
        SELECT 1 FROM ({required}) req
        WHERE NOT EXISTS (
            SELECT 1 FROM {training_record} r
            WHERE r.training_id = req.id AND r.enrollment_id = m.mentor_id
              AND r.completed_on <= m.started_on AND (r.expires_on IS NULL OR r.expires_on > m.started_on))))
    FROM {match} m
    WHERE m.program_id = ANY(%(programs)s) AND m.started_on BETWEEN %(start)s AND %(end)s /*people:m*/
      AND EXISTS ({required})
) trained CROSS JOIN (
    SELECT COALESCE(SUM(mentor.hours), 0), COUNT(*) FROM (
        SELECT h.hours
        FROM {user_enrollment} e
        LEFT JOIN (  -- each mentor's training hours in the period, in one grouped pass
            SELECT r.enrollment_id, SUM(r.hours) AS hours
            FROM {training_record} r JOIN {training} t ON t.id = r.training_id
            JOIN {user_enrollment} re ON re.id = r.enrollment_id
            WHERE re.program_id = ANY(%(programs)s) AND t.audience = %(mentor)s
              AND r.completed_on BETWEEN %(start)s AND %(end)s
            GROUP BY r.enrollment_id
        ) h ON h.enrollment_id = e.id
        WHERE e.program_id = ANY(%(programs)s) AND e.role = %(mentor)s AND {approved_in_period} /*people:e*/
    ) mentor
) hours
""".format(required=_REQUIRED_AT_START, approved_in_period=_APPROVED_IN_PERIOD, **T)  # noqa: S608 - table names from the models, values as parameters
# The outcomes, then the figures of groups and events (evaluation/kpis/community.py): one statement.
SUMMARY_SQL = community.joined(OUTCOMES_SQL)

# --- A slice: the same queries restricted to some people ------------------------------------------
# Each query marks, with a comment, where a scope may be narrowed to ``%(people)s`` (enrollment
# ids): ``people:X`` names the alias the condition is on. A match is in a slice when its mentee or
# its mentor is; the check-ins (read from the check-ins themselves through the rollup's own rule,
# ``evaluation_checkin_facts``, since the daily rollup cannot be split by person), compliance
# periods, surveys and goals are those of the slice's matches.
_MATCH_OF_PEOPLE = "(m.mentee_id = ANY(%(people)s) OR m.mentor_id = ANY(%(people)s))"
_USER_OF_PEOPLE = "IN (SELECT pe.user_id FROM {t} pe WHERE pe.id = ANY(%(people)s))".format(  # noqa: S608
    t=T["user_enrollment"]
)
SLICES = {
    "/*people:e*/": "AND e.id = ANY(%(people)s)",
    "/*people:m*/": f"AND {_MATCH_OF_PEOPLE}",
    "/*people:cp*/": f"AND cp.match_id IN (SELECT m.id FROM {T['match']} m "  # noqa: S608 - our SQL
    f"WHERE m.program_id = ANY(%(programs)s) AND {_MATCH_OF_PEOPLE})",
    "/*people:gm*/": "AND gm.enrollment_id = ANY(%(people)s)",
    "/*people:a*/": "AND a.enrollment_id = ANY(%(people)s)",
    "/*people:f*/": "AND f.enrollment_id = ANY(%(people)s)",
    "/*people:r*/": f"AND r.user_id {_USER_OF_PEOPLE}",
}
_SLICED_MEETINGS = """
    SELECT date_trunc('month', f.day::timestamp) AS month, COUNT(*) FILTER (WHERE f.held) AS held,
        COUNT(*) FILTER (WHERE f.role = 'mentee' AND f.rating IS NOT NULL) AS mentee_n,
        COALESCE(SUM(f.rating) FILTER (WHERE f.role = 'mentee'), 0) AS mentee_sum,
        COUNT(*) FILTER (WHERE f.role = 'mentor' AND f.rating IS NOT NULL) AS mentor_n,
        COALESCE(SUM(f.rating) FILTER (WHERE f.role = 'mentor'), 0) AS mentor_sum
    FROM evaluation_checkin_facts(ARRAY(
        SELECT ROW(c.match_id, c.logged_by_id, c.occurred_on, c.held, c.rating, 1)::evaluation_checkin_delta
        FROM {checkin} c JOIN {match} m ON m.id = c.match_id
        WHERE m.program_id = ANY(%(programs)s) AND c.occurred_on BETWEEN %(start)s AND %(end)s
          AND {people})) f
    GROUP BY 1
""".format(checkin=CheckIn._meta.db_table, people=_MATCH_OF_PEOPLE, **T)  # noqa: S608 - our SQL


def sliced(sql):
    """``sql`` restricted to the people ``%(people)s`` at every marked scope (see SLICES)."""
    if "/*meetings*/" in sql:
        head, rest = sql.split("/*meetings*/", 1)
        sql = head + _SLICED_MEETINGS + rest.split("/*end meetings*/", 1)[1]
    for mark, condition in SLICES.items():
        sql = sql.replace(mark, condition)
    return sql


# The enrollments' query, with the mentees' funnel month by month (evaluation/kpis/trends.py
# FUNNEL_SQL: the same first approval and first match, counted by month) from its ``people`` in the
# same statement, for ``compute``: the dashboard's funnel chart costs no second pass. Role rows have
# no days; month rows no role.
_HEAD, _BY_ROLE = ENROLLMENTS_SQL.split("\nSELECT role,", 1)
WITH_FUNNEL_SQL = f"""{_HEAD}, funnel_steps AS (
    SELECT applied_on AS day, 1 AS applied, 0 AS approved, 0 AS matched FROM people WHERE role = %(mentee)s
    UNION ALL SELECT approved_on, 0, 1, 0 FROM people WHERE role = %(mentee)s AND approved_on IS NOT NULL
    UNION ALL SELECT first_start, 0, 0, 1 FROM people WHERE role = %(mentee)s AND first_start IS NOT NULL
), funnel_counts AS (
    SELECT date_trunc('month', day::timestamp) AS month,
        SUM(applied) AS applied, SUM(approved) AS approved, SUM(matched) AS matched
    FROM funnel_steps WHERE day BETWEEN %(start)s AND %(end)s
    GROUP BY 1
)
SELECT role, NULL::date, NULL::date,{_BY_ROLE.replace("FROM people GROUP BY role", "")}
FROM people GROUP BY role
UNION ALL
SELECT NULL, GREATEST(mo::date, %(start)s),
    LEAST((mo + interval '1 month' - interval '1 day')::date, %(end)s),
    COALESCE(c.applied, 0), COALESCE(c.approved, 0), COALESCE(c.matched, 0), NULL, NULL
FROM generate_series(date_trunc('month', %(start)s::timestamp), %(end)s::timestamp, interval '1 month') mo
LEFT JOIN funnel_counts c ON c.month = mo
"""  # noqa: S608 - our SQL, values as parameters


QUERIES = {
    "enrollments": ENROLLMENTS_SQL,
    "matches": MATCHES_SQL,
    "months": MONTHS_SQL,
    "compliance": COMPLIANCE_SQL,
    "outcomes": SUMMARY_SQL,
}
SLICED_QUERIES = {name: sliced(sql) for name, sql in QUERIES.items()}
# compute's first query: the enrollments, and the funnel months (``KpiReport.funnel``).
FIRST = {False: WITH_FUNNEL_SQL, True: sliced(WITH_FUNNEL_SQL)}


def compute(programs, *, on, start, end, people=None):
    """The report for ``programs`` (a Program queryset), reporting date ``on`` and the period
    [start, end]. Six queries whatever the size: the programs' ids, then five aggregates.

    ``people``: enrollment ids, to restrict the report to them (a partner's people, a group of the
    equity report); None for everyone. The definitions are the same; the slice counts their
    enrollments, the matches where one of them is the mentee or the mentor (with those matches'
    check-ins, compliance, surveys and goals), their group places, attendance and ratings, and
    their event replies. Counts of things rather than people (groups running, sessions and events
    held) stay the programs'. Pass mentees only for mentee-centred outcomes."""
    if not start <= end <= on:
        raise ValueError("The period must end on or before the reporting date, and start before it ends.")
    ids = list(programs.order_by().values_list("pk", flat=True))
    params = query_parameters(ids, on=on, start=start, end=end)
    queries = QUERIES
    if people is not None:
        params["people"] = sorted({int(pk) for pk in people})
        queries = SLICED_QUERIES
    with connection.cursor() as cursor:
        cursor.execute(FIRST[people is not None], params)
        first = cursor.fetchall()
        enrollments = {row[0]: row[3:] for row in first if row[1] is None}
        funnel = sorted(row[1:6] for row in first if row[1] is not None)
        cursor.execute(queries["matches"], params)
        matches = cursor.fetchone()
        cursor.execute(queries["months"], params)
        month_rows = cursor.fetchall()
        cursor.execute(queries["compliance"], params)
        compliance = cursor.fetchone()
        cursor.execute(queries["outcomes"], params)
        outcomes = cursor.fetchone()
    report = KpiReport(on=on, start=start, end=end, program_count=len(ids), funnel=funnel)
    report.months = [
        Month(start=r[0], end=r[1], active=int(r[2]), match_days=int(r[3]), held=r[4]) for r in month_rows
    ]
    report.figures = assemble(
        enrollments=enrollments,
        matches=matches,
        months=month_rows,
        compliance=compliance,
        outcomes=outcomes,
    ) + community.assemble(outcomes[-community.COLUMNS :])
    return report


def per_program(sql):
    """``sql`` run for each program at once: the same query (so the same definitions), scoped to one
    program (``pid.id``) instead of the list, inside a LATERAL join over the list's ids. Its rows
    come back with the program's id first. One query, whatever the number of programs."""
    scoped = sql.replace("= ANY(%(programs)s)", "= pid.id")
    assert "%(programs)s" not in scoped, "every scope of the query must be a program_id = ANY(...)"
    return (
        "SELECT pid.id, q.* FROM unnest(%(programs)s::bigint[]) AS pid(id) "  # noqa: S608 - our SQL
        f"CROSS JOIN LATERAL ({scoped}) AS q"
    )


def compute_by_program(programs, *, on, start, end):
    """{program id: report} for each program of ``programs``: the figures ``compute`` gives for that
    program alone, in six queries whatever the number of programs (the ids, then the five
    aggregates, each run per program in one query by ``per_program``)."""
    if not start <= end <= on:
        raise ValueError("The period must end on or before the reporting date, and start before it ends.")
    ids = list(programs.order_by().values_list("pk", flat=True))
    params = query_parameters(ids, on=on, start=start, end=end)
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in QUERIES.items():
            cursor.execute(per_program(sql), params)
            for row in cursor.fetchall():
                rows.setdefault((name, row[0]), []).append(row[1:])
    reports = {}
    for pk in ids:
        month_rows = sorted(rows.get(("months", pk), []), key=lambda r: r[0])
        report = KpiReport(on=on, start=start, end=end, program_count=1)
        report.months = [
            Month(start=r[0], end=r[1], active=int(r[2]), match_days=int(r[3]), held=r[4]) for r in month_rows
        ]
        report.figures = assemble(
            enrollments={r[0]: r[1:] for r in rows.get(("enrollments", pk), [])},
            matches=rows[("matches", pk)][0],
            months=month_rows,
            compliance=rows[("compliance", pk)][0],
            outcomes=rows[("outcomes", pk)][0],
        ) + community.assemble(rows[("outcomes", pk)][0][-community.COLUMNS :])
        reports[pk] = report
    return reports


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
        **community.PARAMETERS,
    }


def local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
