"""Check-in periods: which period a day falls in, and which periods are due. The one definition.

The rule
========

Periods. A match's check-in periods run back to back from the day it started (``started_on``),
each as long as its program's check-in cadence c (in days): period k covers the days
``started_on + k*c`` to ``started_on + (k+1)*c - 1``. The cadence is the program's current one: a
new cadence divides the whole match again (the rollup triggers recount its periods), so that every
figure, old or new, uses one division of the match.

Pauses. A pause covers the days from the day the pair was paused up to the day before it resumed
(while still paused: every day from then on). A period with a paused day is **not due**: the pair
was not expected to meet in it, so it is neither missed nor kept, wherever periods are counted
(reminders, the compliance KPI, pairs at risk, the calendar feed). A pause does not move the periods
after it: they keep their place in the division from the start.

Kept, over. A period is *kept* when a check-in is dated in it (held or missed: logging a missed
meeting is contact); it is *over* on day D when its last day is before D.

Where it is used
================

This module holds the rule twice, side by side: in Python (the reference; the calendar feed and
pairs at risk call it) and as the SQL pieces that every query and trigger needing it is built from
(the reminders' sweep, the compliance KPI, and the check-in rollup trigger, whose function body a
migration installs from ``evaluation.rollups.checkin_facts_function_sql``). A change of the rule is
made here, with a new migration re-installing the trigger function; tests/evaluation/test_periods.py
checks every implementation against the Python on random histories, and that the installed trigger
is the one built from here.

Pure: imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# --- The rule in Python ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """Paused from ``start`` (a paused day) until ``end``, the day the pair resumed (not paused);
    ``end`` None: still paused."""

    start: dt.date
    end: dt.date | None = None

    def covers_any(self, first_day, last_day):
        """Whether a day of [first_day, last_day] is paused (a pause that ended the day it began
        covers no day)."""
        return self.start <= last_day and (self.end is None or self.end > max(first_day, self.start))


@dataclass(frozen=True)
class Period:
    index: int
    first_day: dt.date
    last_day: dt.date

    def __contains__(self, day):
        return self.first_day <= day <= self.last_day


def period(started_on, cadence, index):
    """Period ``index`` (0, 1, ...) of a match started on ``started_on``."""
    first = started_on + dt.timedelta(days=index * cadence)
    return Period(index, first, first + dt.timedelta(days=cadence - 1))


def period_of(started_on, cadence, day):
    """The period ``day`` falls in; None before the start (or for a match not started)."""
    if started_on is None or day < started_on:
        return None
    return period(started_on, cadence, (day - started_on).days // cadence)


def is_due(a_period, pauses):
    """A period is due (a check-in is expected in it) unless one of its days is paused."""
    return not any(pause.covers_any(a_period.first_day, a_period.last_day) for pause in pauses)


def paused_days(after, until, pauses):
    """How many of the days after ``after`` up to and including ``until`` were paused (pauses
    that overlap count their shared days once)."""
    # Each pause as a half-open range of days clipped to [after + 1, until + 1), merged in order.
    low, high = after + dt.timedelta(days=1), until + dt.timedelta(days=1)
    ranges = sorted((max(pause.start, low), min(pause.end or high, high)) for pause in pauses)
    total, reached = 0, None
    for first, stop in ranges:
        if reached is not None:
            first = max(first, reached)
        if stop > first:
            total += (stop - first).days
        reached = stop if reached is None else max(reached, stop)
    return total


def lead_days(cadence):
    """How many days before a period ends the reminders' "due" nudge goes out: two days for a
    fortnightly cadence, six for a monthly one, never on a period's first day."""
    return min(max(2, cadence // 5), cadence - 1)


@dataclass(frozen=True)
class History:
    """What the rule needs to know of a match: its start, its program's cadence, its pauses, its
    closure and the days of its check-ins."""

    started_on: dt.date | None
    cadence: int
    pauses: tuple = ()
    ended_on: dt.date | None = None
    checkins: tuple = ()

    @property
    def active(self):
        """Started, not closed and not paused now (what the reminders and the feed look at)."""
        return (
            self.started_on is not None
            and self.ended_on is None
            and not any(pause.end is None for pause in self.pauses)
        )

    def period(self, index):
        return period(self.started_on, self.cadence, index)

    def period_of(self, day):
        return period_of(self.started_on, self.cadence, day)

    def is_due(self, a_period):
        return is_due(a_period, self.pauses)

    def is_kept(self, a_period):
        return any(day in a_period for day in self.checkins)

    def is_met(self, since, until):
        """Whether a check-in is dated in [since, until)."""
        return any(since <= day < until for day in self.checkins)


def compliance(history, *, on, start, end):
    """(due, kept) of the compliance KPI: the due periods of the match that are over by ``on``,
    whose last day falls in [start, end] and before the match closed; and those of them kept."""
    due = kept = 0
    if history.started_on is None:
        return due, kept
    stop = min(on, history.ended_on or on)  # a period counts when its last day is before this
    index = 0
    while (current := history.period(index)).last_day < stop and current.last_day <= end:
        if current.last_day >= start and history.is_due(current):
            due += 1
            kept += history.is_kept(current)
        index += 1
    return due, kept


@dataclass(frozen=True)
class PeriodRow:
    """What the check-in rollup (CheckInPeriod) holds for a period with check-ins."""

    ends_on: dt.date
    counted: bool  # due and over before the match closed: the compliance KPI counts it
    checkins: int


def rollup(history):
    """{period index: PeriodRow} for each period with at least one check-in (check-ins dated
    before the start belong to no period)."""
    rows = {}
    for day in history.checkins:
        current = history.period_of(day)
        if current is None:
            continue
        counted = history.is_due(current) and (
            history.ended_on is None or current.last_day < history.ended_on
        )
        before = rows.get(current.index)
        rows[current.index] = PeriodRow(current.last_day, counted, (before.checkins if before else 0) + 1)
    return rows


DUE, OVERDUE = "due", "overdue"


def reminders(history, *, on):
    """{(kind, first day of the period)} of the reminders due for an active match on ``on``:

    - due: the current period is due, ends within ``lead_days`` and has no check-in yet;
    - overdue: the previous period was due and ended with no check-in, and none since.
    """
    found = set()
    current = history.period_of(on) if history.active else None
    if current is None:
        return found
    if (
        (current.last_day - on).days + 1 <= lead_days(history.cadence)
        and history.is_due(current)
        and not history.is_met(current.first_day, current.last_day + dt.timedelta(days=1))
    ):
        found.add((DUE, current.first_day))
    if current.index > 0:
        previous = history.period(current.index - 1)
        if history.is_due(previous) and not history.is_met(
            previous.first_day, current.last_day + dt.timedelta(days=1)
        ):
            found.add((OVERDUE, previous.first_day))
    return found


def next_due(history, *, on, last_checkin):
    """The period the calendar shows a check-in due for on ``on``: the current period, or the
    next one once this one has a check-in (``last_checkin``: the latest), skipping the periods
    that are not due; the first period for a match that starts later. None when no period will be
    due (the pair is paused with no end in sight)."""
    if history.started_on is None:
        return None
    current = history.period_of(on) or history.period(0)
    if last_checkin is not None and last_checkin >= current.first_day:
        current = history.period(current.index + 1)
    while not history.is_due(current):
        if any(pause.end is None and pause.start <= current.last_day for pause in history.pauses):
            return None
        current = history.period(current.index + 1)
    return current


def days_without_meeting(since, on, pauses):
    """(unpaused, calendar) days from ``since`` (the last meeting, or the start) to ``on``: pairs at
    risk count only the days the pair was expected to meet."""
    calendar = (on - since).days
    return calendar - paused_days(since, on, pauses), calendar


# --- The rule in SQL -------------------------------------------------------------------------------
#
# Pieces of PostgreSQL, each argument an SQL expression (a column, a parameter): the queries and the
# trigger are built from these, so they divide and pause periods exactly as the Python above.
# Qualify the columns passed in (``m.id``, not ``id``): inside the pieces' subqueries an unqualified
# name may be a column of the pauses table (``match_id``, ``started_on``) and silently mean that.
# Dates are PostgreSQL ``date`` values: ``date - date`` is a number of days, ``date + integer`` a
# date. Integer division truncates towards zero, so a period index is asked only for days on or
# after the start, as in Python.


def period_index_sql(day, started_on, cadence):
    """The index of the period ``day`` (on or after ``started_on``) falls in."""
    return f"(({day}) - ({started_on})) / ({cadence})"


def period_first_day_sql(index, started_on, cadence):
    """The first day of period ``index``."""
    return f"(({started_on}) + ({index}) * ({cadence}))"


def period_start_sql(day, started_on, cadence):
    """The first day of the period ``day`` (on or after ``started_on``) falls in."""
    return period_first_day_sql(period_index_sql(day, started_on, cadence), started_on, cadence)


def is_due_sql(match_id, first_day, cadence, *, pause_table):
    """Whether the period of match ``match_id`` that begins on ``first_day`` is due: none of its
    days in a pause of the match (rows of ``pause_table``: match_id, started_on, ended_on)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {pause_table} pause_ WHERE pause_.match_id = ({match_id})"  # noqa: S608
        f" AND pause_.started_on <= ({first_day}) + ({cadence}) - 1"
        f" AND (pause_.ended_on IS NULL OR pause_.ended_on > GREATEST(({first_day}), pause_.started_on)))"
    )


def has_pauses_sql(match_id, *, pause_table):
    """Whether match ``match_id`` was ever paused (so that its periods need checking one by one)."""
    return f"EXISTS (SELECT 1 FROM {pause_table} pause_ WHERE pause_.match_id = ({match_id}))"  # noqa: S608


def due_periods_sql(match_id, started_on, cadence, first_index, last_index, *, pause_table):
    """How many of periods ``first_index`` to ``last_index`` of a match are due. A match never
    paused has them all due (no row per period is made); a paused one is checked period by
    period."""
    every = f"GREATEST(0, ({last_index}) - ({first_index}) + 1)"
    first_day = period_first_day_sql("k_", started_on, cadence)
    every_due = (
        f"SELECT COUNT(*) FROM generate_series(({first_index}), ({last_index})) k_"  # noqa: S608
        f" WHERE {is_due_sql(match_id, first_day, cadence, pause_table=pause_table)}"
    )
    never_paused = f"NOT {has_pauses_sql(match_id, pause_table=pause_table)}"
    return f"(CASE WHEN {never_paused} THEN {every} ELSE ({every_due}) END)"


def lead_days_sql(cadence):
    """``lead_days`` in SQL."""
    return f"LEAST(GREATEST(2, ({cadence}) / 5), ({cadence}) - 1)"
