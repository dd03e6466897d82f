"""The KPI rollups of check-ins: CheckInDay (a program's check-ins per day) and CheckInPeriod (the
cadence periods of a match that had a check-in).

PostgreSQL keeps them, with triggers created by migration 0002: every insert, update or delete of
check-ins (the services, bulk inserts, COPY, the admin, cascades), every change of a match's start or
end and of a program's cadence updates them in the same transaction. So the dashboards read a few
hundred rows instead of scanning every check-in, and nothing in Python has to remember to do it.

``rollups_rebuild`` recounts both from the check-ins: after restoring data with triggers disabled,
or to check that nothing has drifted (``manage.py rebuild_kpi_rollups --check``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from evaluation.models import CheckInDay, CheckInPeriod

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
