"""The KPI rollups of check-ins: CheckInDay (a program's check-ins per day) and CheckInPeriod (the
cadence periods of a match that had a check-in).

PostgreSQL keeps them, with triggers created by migration 0002 (and 0006, for pauses): every insert,
update or delete of check-ins (the services, bulk inserts, COPY, the admin, cascades), every change
of a match's start or end, of its pauses and of a program's cadence updates them in the same
transaction. So the dashboards read a few
hundred rows instead of scanning every check-in, and nothing in Python has to remember to do it.

``rollups_rebuild`` recounts both from the check-ins: after restoring data with triggers disabled,
or to check that nothing has drifted (``manage.py rebuild_kpi_rollups --check``).

Which period a check-in falls in, and whether that period counts for compliance, is the rule of
evaluation/periods.py: the triggers' ``evaluation_checkin_facts`` is built from it here
(``checkin_facts_function_sql``) and installed by a migration (0006 first). A change of the rule
needs a new migration that installs the function again; a test checks that the installed one is
the one built here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from evaluation import periods
from evaluation.models import CheckInDay, CheckInPeriod
from matching.models import Match, MatchPause
from programs.models import Enrollment, Program

COUNTS = "checkins, held, mentee_ratings, mentee_rating_sum, mentor_ratings, mentor_rating_sum"
DAY_COLUMNS = f"program_id, day, {COUNTS}"
PERIOD_COLUMNS = "match_id, period, program_id, ends_on, counted, checkins"
# Days whose check-ins were all removed keep a row of zeros; a recount has no row for them.
NOT_EMPTY = f"({COUNTS}) <> (0, 0, 0, 0, 0, 0)"


@dataclass(frozen=True)
class Drift:
    """Rows of each rollup that differed from a recount (missing, extra or with other numbers)."""

    days: int
    periods: int

    @property
    def clean(self):
        return not (self.days or self.periods)


@transaction.atomic
def rollups_rebuild(*, dry_run=False):
    """Recount both rollups from the check-ins and say how far they had drifted. With ``dry_run``
    the recount is rolled back: only the comparison is made. Check-in writes wait meanwhile."""
    day_table, period_table = CheckInDay._meta.db_table, CheckInPeriod._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE before_days ON COMMIT DROP AS "  # noqa: S608 - names from the models
            f"SELECT {DAY_COLUMNS} FROM {day_table} WHERE {NOT_EMPTY}"
        )
        cursor.execute(
            f"CREATE TEMP TABLE before_periods ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {PERIOD_COLUMNS} FROM {period_table}"
        )
        cursor.execute("SELECT evaluation_rebuild_checkin_rollups()")
        days_now = f"SELECT {DAY_COLUMNS} FROM {day_table} WHERE {NOT_EMPTY}"  # noqa: S608
        periods_now = f"SELECT {PERIOD_COLUMNS} FROM {period_table}"  # noqa: S608
        drift = Drift(
            days=_difference(cursor, "before_days", days_now, key="program_id, day"),
            periods=_difference(cursor, "before_periods", periods_now, key="match_id, period"),
        )
        # Dropped now, not only at commit: the caller's transaction may go on (tests, scripts).
        cursor.execute("DROP TABLE before_days, before_periods")
    if dry_run:
        transaction.set_rollback(True)
    return drift


def _difference(cursor, before, now, *, key):
    """How many rows (by ``key``) were missing, extra or had other numbers."""
    cursor.execute(
        f"SELECT COUNT(*) FROM (SELECT DISTINCT {key} FROM ("  # noqa: S608
        f"(TABLE {before} EXCEPT ALL {now}) UNION ALL ({now} EXCEPT ALL TABLE {before})) d) keys"
    )
    return cursor.fetchone()[0]


# --- The trigger's period facts, built from the rule ---------------------------------------------


def checkin_facts_body_sql():
    """The body of ``evaluation_checkin_facts(deltas)``: for each check-in added (sign +1) or removed
    (-1), its program and day, who logged it (the pair's mentee or mentor, else null), its period
    (null before the start), the period's last day, and whether compliance counts the period: due
    (no paused day) and over before the match closed (or the match is open)."""
    index = periods.period_index_sql("x.occurred_on", "m.started_on", "p.checkin_cadence_days")
    after_last = periods.period_first_day_sql(f"{index} + 1", "m.started_on", "p.checkin_cadence_days")
    first_day = periods.period_first_day_sql("f.period", "f.started_on", "f.cadence")
    pause_table = MatchPause._meta.db_table
    due = periods.is_due_sql("f.match_id", first_day, "f.cadence", pause_table=pause_table)
    return f"""
    SELECT f.match_id, f.program_id, f.day, f.sign, f.held, f.rating, f.role, f.period, f.ends_on,
        (f.ended_on IS NULL OR f.ends_on < f.ended_on) AND {due}
    FROM (
        SELECT x.match_id, m.program_id, x.occurred_on AS day, x.sign, x.held, x.rating, m.ended_on,
            m.started_on, p.checkin_cadence_days AS cadence,
            CASE x.logged_by_id WHEN mentee.user_id THEN 'mentee' WHEN mentor.user_id THEN 'mentor' END
                AS role,
            CASE WHEN x.occurred_on >= m.started_on THEN {index} END AS period,
            CASE WHEN x.occurred_on >= m.started_on THEN {after_last} - 1 END AS ends_on
        FROM unnest(deltas) x
        JOIN {Match._meta.db_table} m ON m.id = x.match_id
        JOIN {Program._meta.db_table} p ON p.id = m.program_id
        JOIN {Enrollment._meta.db_table} mentee ON mentee.id = m.mentee_id
        JOIN {Enrollment._meta.db_table} mentor ON mentor.id = m.mentor_id
    ) f
"""  # noqa: S608 - table names from the models, no values


def checkin_facts_function_sql():
    """``CREATE OR REPLACE FUNCTION evaluation_checkin_facts`` with the body above (the signature of
    migration 0002, which the rollup triggers call)."""
    return f"""
CREATE OR REPLACE FUNCTION evaluation_checkin_facts(deltas evaluation_checkin_delta[])
RETURNS TABLE (
    match_id bigint, program_id bigint, day date, sign integer, held boolean, rating integer, role text,
    period integer, ends_on date, counted boolean
) LANGUAGE sql STABLE AS $facts${checkin_facts_body_sql()}$facts$;
"""
