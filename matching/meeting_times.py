"""Suggested times for a pair's next meeting: pure (no Django), tested on plain values.

Inputs: both people's weekly availability (the profile's 21-bit mask: bit ``day * 3 + part``,
Monday morning = bit 0; mentorship.models.AVAILABILITY_SLOTS), the program's cadence in days,
the day the pair last met or planned to meet, the meetings already planned (busy), and now.

The rule:

- A suggestion starts at the beginning of a part of the day (morning 10:00, afternoon 14:00,
  evening 18:00, local time) at least ``MIN_NOTICE`` from now, and does not overlap a planned
  meeting.
- Slots free in both grids are offered. With no slot in common, the asker's own free slots are
  (``both_free`` False: "ask your partner"), never the partner's alone: a partner's grid is not
  part of what the limited profile shows, only the times the two share. With no availability at
  all, weekday evenings.
- The next meeting is due ``cadence`` days after the last one (or from today when there is none):
  times in the second half of that stretch are preferred (meeting the day after the last meeting
  is rarely what a pair wants), then earlier ones in it, then later ones (``in_period`` False).
- One suggestion per day, at most ``count``, in time order.
"""

import datetime as dt
from dataclasses import dataclass

DAY_PARTS = ("morning", "afternoon", "evening")
# Where a part of the day starts, for a suggestion: an hour most people can keep in that part.
PART_STARTS = (dt.time(10, 0), dt.time(14, 0), dt.time(18, 0))
WEEKDAY_EVENINGS = sum(1 << (day * 3 + 2) for day in range(5))
MIN_NOTICE = dt.timedelta(hours=12)  # time to arrange it
EXTRA_DAYS = 14  # how far past the due day suggestions may go when nothing fits before it
MAX_DAYS = 90


@dataclass(frozen=True)
class Suggestion:
    starts_at: dt.datetime  # aware, in the time zone of ``now``
    both_free: bool  # in both availability grids
    in_period: bool  # on or before the day the next meeting is due

    @property
    def part(self):
        return DAY_PARTS[PART_STARTS.index(self.starts_at.timetz().replace(tzinfo=None))]


def slot_of(day, part):
    """The availability bit of ``part`` (0-2) on ``day`` (a date)."""
    return day.weekday() * 3 + part


def _grid(mine, partners):
    """The slots to offer and whether both are free in them."""
    shared = (mine or 0) & (partners or 0)
    if shared:
        return shared, True
    return (mine or WEEKDAY_EVENINGS), False


def _overlaps(start, length, busy):
    return any(start < busy_end and start + length > busy_start for busy_start, busy_end in busy)


def suggest(*, mine, partners, now, cadence_days, last_met=None, busy=(), length_minutes=60, count=3):
    """Up to ``count`` Suggestions for the pair's next meeting (see the module's rule).

    ``mine``, ``partners``: availability masks (the asker's, the partner's);
    ``now``: an aware datetime in the program's local time; ``last_met``: a date or None;
    ``busy``: (start, end) aware datetimes of meetings already planned."""
    cadence = max(1, int(cadence_days))
    today = now.date()
    due = (last_met or today) + dt.timedelta(days=cadence)
    prefer_from = (last_met or today) + dt.timedelta(days=cadence // 2)
    earliest = now + MIN_NOTICE
    length = dt.timedelta(minutes=length_minutes)
    grid, both_free = _grid(mine, partners)
    last_day = min(max(due, today) + dt.timedelta(days=EXTRA_DAYS), today + dt.timedelta(days=MAX_DAYS))

    candidates = []
    day = today
    while day <= last_day:
        for part, start_time in enumerate(PART_STARTS):
            if not grid >> slot_of(day, part) & 1:
                continue
            start = dt.datetime.combine(day, start_time, tzinfo=now.tzinfo)
            if start < earliest or _overlaps(start, length, busy):
                continue
            candidates.append(start)
        day += dt.timedelta(days=1)

    def rank(start):
        # The preferred stretch first, then earlier in the period, then after the due day.
        if prefer_from <= start.date() <= due:
            return 0
        return 1 if start.date() < prefer_from else 2

    chosen, days = [], set()
    for start in sorted(candidates, key=lambda s: (rank(s), s)):
        if start.date() in days:
            continue
        chosen.append(start)
        days.add(start.date())
        if len(chosen) == count:
            break
    return [Suggestion(starts_at=s, both_free=both_free, in_period=s.date() <= due) for s in sorted(chosen)]
