"""Suggested meeting times (matching/meeting_times.py): pure, on plain values."""

import datetime as dt
from zoneinfo import ZoneInfo

from matching.meeting_times import MIN_NOTICE, WEEKDAY_EVENINGS, slot_of, suggest

LONDON = ZoneInfo("Europe/London")
# Wednesday 3 March 2027, 09:00 in London.
NOW = dt.datetime(2027, 3, 3, 9, 0, tzinfo=LONDON)
MORNING, AFTERNOON, EVENING = range(3)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def mask(*slots):
    """An availability mask from (weekday, part) pairs."""
    return sum(1 << (day * 3 + part) for day, part in slots)


def starts(suggestions):
    return [(s.starts_at.strftime("%a %d %H:%M"), s.both_free, s.in_period) for s in suggestions]


def test_only_slots_both_are_free_in_one_per_day_in_time_order():
    ada = mask((TUE, EVENING), (THU, EVENING), (SAT, MORNING), (SAT, AFTERNOON))
    ben = mask((THU, EVENING), (SAT, MORNING), (SAT, AFTERNOON), (MON, MORNING))
    found = suggest(mine=ada, partners=ben, now=NOW, cadence_days=14)
    # Both free: Thursday evening, Saturday morning and afternoon (one a day). The second half of
    # the fortnight (from 10 March) is preferred, then earlier days; shown in time order.
    assert starts(found) == [
        ("Thu 04 18:00", True, True),
        ("Thu 11 18:00", True, True),
        ("Sat 13 10:00", True, True),
    ]
    assert all(s.starts_at.tzinfo == LONDON for s in found)
    assert [s.part for s in found] == ["evening", "evening", "morning"]


def test_times_fall_in_the_second_half_of_the_cadence_after_the_last_meeting():
    both = mask(*((day, EVENING) for day in range(7)))
    found = suggest(mine=both, partners=both, now=NOW, cadence_days=14, last_met=dt.date(2027, 3, 2))
    # Due by 16 March; preferred from 9 March.
    assert [s.starts_at.date().day for s in found] == [9, 10, 11]
    assert all(s.in_period and s.both_free for s in found)


def test_an_overdue_pair_gets_the_soonest_times_marked_late():
    both = mask((FRI, AFTERNOON), (MON, AFTERNOON))
    found = suggest(mine=both, partners=both, now=NOW, cadence_days=7, last_met=dt.date(2027, 2, 1))
    assert starts(found) == [
        ("Fri 05 14:00", True, False),
        ("Mon 08 14:00", True, False),
        ("Fri 12 14:00", True, False),
    ]


def test_nothing_sooner_than_the_notice_and_nothing_over_a_planned_meeting():
    now = dt.datetime(2027, 3, 3, 7, 0, tzinfo=LONDON)  # Wednesday morning
    both = mask((WED, EVENING), (THU, MORNING), (THU, EVENING), (FRI, MORNING))
    busy = [(dt.datetime(2027, 3, 4, 9, 30, tzinfo=LONDON), dt.datetime(2027, 3, 4, 10, 30, tzinfo=LONDON))]
    found = suggest(mine=both, partners=both, now=now, cadence_days=2, busy=busy, count=2)
    # Wednesday 18:00 is 11 hours away (less than the notice); Thursday 10:00 overlaps.
    assert dt.timedelta(hours=11) < MIN_NOTICE
    assert starts(found) == [("Thu 04 18:00", True, True), ("Fri 05 10:00", True, True)]


def test_with_no_time_in_common_the_askers_own_slots_are_offered_never_the_partners_alone():
    ada = mask((MON, MORNING), (MON, AFTERNOON))
    ben = mask((SUN, EVENING))
    found = suggest(mine=ada, partners=ben, now=NOW, cadence_days=14)
    assert found and all(not s.both_free for s in found)
    assert {s.starts_at.weekday() for s in found} == {MON}
    assert all(s.starts_at.weekday() != SUN for s in found)


def test_with_no_availability_at_all_weekday_evenings():
    found = suggest(mine=0, partners=0, now=NOW, cadence_days=14)
    assert len(found) == 3
    assert all(s.starts_at.weekday() < SAT and s.starts_at.hour == 18 for s in found)
    assert all(WEEKDAY_EVENINGS >> slot_of(s.starts_at.date(), EVENING) & 1 for s in found)


def test_suggestions_stop_at_a_bounded_horizon():
    once = mask((SUN, MORNING))
    found = suggest(mine=once, partners=once, now=NOW, cadence_days=1, count=10)
    # Due tomorrow; at most two weeks past that: Sundays 7 and 14 March.
    assert [s.starts_at.date().day for s in found] == [7, 14]
