"""Check-in periods: which period a day falls in, and which periods are due, with pauses.

One definition (evaluation/periods.py); the reminders, the KPI compliance, the rollup trigger,
pairs at risk and the calendar feed follow it. A paused pair is not expected to meet: a period
with a paused day is not due, so it is neither missed nor kept.
"""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evaluation import kpis, periods, reminders
from evaluation.models import CheckIn, CheckInPeriod
from evaluation.rollups import checkin_facts_body_sql, rollups_rebuild
from evaluation.selectors import pairs_at_risk
from evaluation.views.feeds import calendar_for
from matching import services as matching_services
from matching.models import ClosureReason, Match
from programs.models import Program
from tests.evaluation.reminder_helpers import START, at, day, log_checkin, reminder_world, start_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Ada mentors Ben from START, fortnightly (periods from days 0, 14, 28, 42, 56, 70, 84);
    a meeting on day 3; paused on day 20, back on day 50: periods 1, 2 and 3 have paused days."""
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    log_checkin(world.match, day(3))
    with at(day(20)):
        matching_services.match_pause(match=world.match, by=world.coordinator)
    with at(day(50)):
        matching_services.match_resume(match=world.match, by=world.coordinator)
    return world


def test_a_paused_pairs_periods_are_not_missed_in_the_compliance_kpi(world):
    log_checkin(world.match, day(60))
    report = kpis.compute(Program.objects.filter(pk=world.program.pk), on=day(90), start=START, end=day(90))
    # Ended by day 90: periods 0 to 5. Due: 0 (kept, day 3), 4 (kept, day 60) and 5 (missed).
    figure = report.get("compliance")
    assert (figure.numerator, figure.denominator) == (2, 3)


def test_a_check_in_while_paused_neither_keeps_nor_misses_a_period(world):
    log_checkin(world.match, day(30))  # a paused period: not due, so not counted either way
    report = kpis.compute(Program.objects.filter(pk=world.program.pk), on=day(70), start=START, end=day(70))
    figure = report.get("compliance")
    assert (figure.numerator, figure.denominator) == (1, 2)  # periods 0 (kept) and 4 (missed)


def test_a_pair_still_paused_has_no_missed_periods(world):
    with at(day(60)):
        matching_services.match_pause(match=world.match, by=world.coordinator)
    report = kpis.compute(Program.objects.filter(pk=world.program.pk), on=day(120), start=START, end=day(120))
    figure = report.get("compliance")
    assert (figure.numerator, figure.denominator) == (1, 1)  # only period 0 was due


def test_paused_days_do_not_count_towards_pairs_at_risk(world):
    # Last meeting on day 3; 52 days later, 30 of them paused: 22 days without a meeting.
    at_risk = pairs_at_risk(Match.objects.filter(pk=world.match.pk), on=day(55))
    assert not any(reason.startswith("no meeting") for pair in at_risk for reason in pair.reasons)
    # By day 62 the pair has gone 29 unpaused days without meeting: twice the cadence and more.
    at_risk = pairs_at_risk(Match.objects.filter(pk=world.match.pk), on=day(62))
    assert [r for r in at_risk[0].reasons if r.startswith("no meeting")] == [
        "no meeting for 29 days (59 days, 30 of them paused)"
    ]


def test_the_calendar_feed_skips_the_period_the_pair_came_back_in(world):
    # Back on day 50, in the period of days 42-55 (paused until 50): the next due period is 56-69.
    body = calendar_for(world.match.mentee.user, on=day(51))
    assert f"UID:due-{world.match.pk}-{day(56):%Y%m%d}@" in body
    assert f"DTSTART;VALUE=DATE:{day(69):%Y%m%d}" in body
    assert f"due-{world.match.pk}-{day(42):%Y%m%d}" not in body


# --- Every implementation against the rule, on random histories -----------------------------------
#
# A history: the program's cadence (changed up to twice along the way), two pairs, each started on
# a day, paused and resumed (the last pause perhaps still open), perhaps closed, with check-ins (held
# or not, a few dated before the start) logged as time goes by and one perhaps moved later (an
# edit). It is played through the services day by day, then every implementation is asked about a
# day D after it and compared with the Python rule of evaluation/periods.py:
#
# - the rollup of periods, kept by the triggers as the history was written (and equal to a recount);
# - the compliance KPI (its SQL, over a random reporting period);
# - the reminders' sweep (its SQL: what it would record on D);
# - pairs at risk ("no meeting" for twice the cadence, paused days left out);
# - the calendar feed's next due date.

CADENCES = [1, 2, 3, 5, 7, 14, 30]


@st.composite
def pair_histories(draw):
    """A pair's start and pauses (short ones often: a pause inside one period is where the rule
    bites), the last one perhaps still open. Its closure and check-ins come once D is known."""
    start = draw(st.integers(0, 100))
    pauses, last = [], start
    steps = st.tuples(st.integers(0, 40), st.one_of(st.integers(0, 6), st.integers(0, 40)))  # gap, length
    for gap, length in draw(st.lists(steps, max_size=3)):
        pauses.append((last + gap, last + gap + length))
        last += gap + length
    if pauses and draw(st.integers(0, 2)) == 0:
        pauses[-1] = (pauses[-1][0], None)  # still paused
    return {"start": start, "pauses": pauses, "last": last}


@st.composite
def histories(draw):
    pairs = [draw(pair_histories()) for _ in range(2)]
    end = max(pair["last"] for pair in pairs)
    on = end + draw(st.one_of(st.integers(0, 3), st.integers(0, 40)))  # D, often just after the end
    for pair in pairs:  # every event is on or before D
        closing = draw(st.integers(0, 2)) == 0
        pair["closed_on"] = draw(st.integers(pair.pop("last"), on)) if closing else None
        days = st.integers(pair["start"] - 5, on)  # a few check-ins dated before the start
        pair["checkins"] = draw(st.lists(st.tuples(days, st.booleans()), max_size=10))  # (day, held)
        pair["edit"] = None
        if pair["checkins"] and draw(st.booleans()):
            pair["edit"] = (draw(st.integers(0, len(pair["checkins"]) - 1)), draw(days))
    report_start = draw(st.integers(-10, on))
    return {
        "cadence": draw(st.sampled_from(CADENCES)),
        "changes": draw(st.lists(st.tuples(st.integers(0, on), st.sampled_from(CADENCES)), max_size=2)),
        "pairs": pairs,
        "on": on,
        "report": (report_start, draw(st.integers(report_start, on))),
    }


def play(world, history):
    """Write ``history`` through the services, in the order of its days; returns the matches and,
    for each, what the rule needs (a periods.History) and the days of its held meetings."""
    world.program.checkin_cadence_days = history["cadence"]
    world.program.save(update_fields=["checkin_cadence_days"])
    events = [(day_, 3, n, "cadence", cadence) for n, (day_, cadence) in enumerate(history["changes"])]
    for k, pair in enumerate(history["pairs"]):
        events.append((pair["start"], 0, k, "start", k))
        lifecycle = [
            step
            for when, until in pair["pauses"]
            for step in [(when, "pause"), *([(until, "resume")] if until is not None else [])]
        ]
        if pair["closed_on"] is not None:
            lifecycle.append((pair["closed_on"], "close"))
        events += [(when, 1, n, action, k) for n, (when, action) in enumerate(lifecycle)]
        # A check-in is logged once the pair exists, whatever day it is dated.
        events += [
            (max(when, pair["start"]), 2, n, "checkin", (k, n))
            for n, (when, _) in enumerate(pair["checkins"])
        ]
    matches, checkins = {}, {}
    for when, _, _, action, what in sorted(events, key=lambda event: event[:3]):
        with at(day(when)):
            if action == "cadence":
                world.program.checkin_cadence_days = what
                world.program.save(update_fields=["checkin_cadence_days"])
            elif action == "start":
                mentee, mentor = PAIRS[what]
                matches[what] = start_pair(world, mentee, mentor, on=day(when))
            elif action == "pause":
                matches[what] = matching_services.match_pause(match=matches[what], by=world.coordinator)
            elif action == "resume":
                matches[what] = matching_services.match_resume(match=matches[what], by=world.coordinator)
            elif action == "close":
                matches[what] = matching_services.match_close(
                    match=matches[what],
                    by=world.coordinator,
                    reason=ClosureReason.COMPLETED,
                    anticipated=True,
                )
            else:
                k, n = what
                dated, held = history["pairs"][k]["checkins"][n]
                checkins[what] = log_checkin(matches[k], day(dated), held=held)
    for k, pair in enumerate(history["pairs"]):
        if pair["edit"]:  # an edit moves a check-in to another day
            n, dated = pair["edit"]
            CheckIn.objects.filter(pk=checkins[(k, n)].pk).update(occurred_on=day(dated))
    # The cadence now: the last one set (changes on one day apply in their order).
    cadence = history["cadence"]
    for _, _, new in sorted((when, n, new) for n, (when, new) in enumerate(history["changes"])):
        cadence = new
    rules, held = {}, {}
    for k, match in matches.items():
        dated = dict(CheckIn.objects.filter(match=match).values_list("pk", "occurred_on"))
        pair = history["pairs"][k]
        rules[match.pk] = periods.History(
            started_on=day(pair["start"]),
            cadence=cadence,
            pauses=tuple(
                periods.Pause(day(when), day(until) if until is not None else None)
                for when, until in with_closure(pair["pauses"], pair["closed_on"])
            ),
            ended_on=day(pair["closed_on"]) if pair["closed_on"] is not None else None,
            checkins=tuple(dated.values()),
        )
        held[match.pk] = [dated[c.pk] for (j, _), c in checkins.items() if j == k and c.held]
    return matches, rules, held


def with_closure(pauses, closed_on):
    """Closing a paused pair ends its pause on the day it closes."""
    if pauses and pauses[-1][1] is None and closed_on is not None:
        return [*pauses[:-1], (pauses[-1][0], closed_on)]
    return pauses


PAIRS = [("ben", "ada"), ("fay", "gus")]


@pytest.fixture
def property_world():
    return reminder_world(checkin_cadence_days=14)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
@example(  # a pause inside the current period: the period before it was due, and missed
    history={
        "cadence": 14,
        "changes": [],
        "pairs": [
            {"start": 0, "pauses": [(16, 18)], "closed_on": None, "checkins": [], "edit": None},
            {
                "start": 3,
                "pauses": [(5, 9), (12, None)],
                "closed_on": 15,
                "checkins": [(4, True)],
                "edit": None,
            },
        ],
        "on": 20,
        "report": (0, 20),
    }
)
def test_every_implementation_of_the_periods_follows_the_one_rule(property_world, history):
    world = property_world
    # One transaction per example, rolled back: each history starts from the same world.
    with transaction.atomic():
        matches, rules, held = play(world, history)
        on = day(history["on"])

        # The rollup the triggers kept, row for row, and a recount of it.
        for pk, rule in rules.items():
            stored = {
                row.period: periods.PeriodRow(row.ends_on, row.counted, row.checkins)
                for row in CheckInPeriod.objects.filter(match_id=pk)
            }
            assert stored == periods.rollup(rule), f"rollup of match {pk}"
        assert rollups_rebuild(dry_run=True).clean

        # The compliance KPI over the reporting period.
        start, end = (day(n) for n in history["report"])
        figure = kpis.compute(Program.objects.filter(pk=world.program.pk), on=on, start=start, end=end).get(
            "compliance"
        )
        counts = [periods.compliance(rule, on=on, start=start, end=end) for rule in rules.values()]
        assert (figure.denominator, figure.numerator) == tuple(map(sum, zip(*counts, strict=True)))

        # The reminders' sweep on D.
        found = {(d.pair.match_id, d.kind, d.period_start) for d in reminders.reminders_preview(on=on)}
        expected = {
            (pk, kind, first) for pk, rule in rules.items() for kind, first in periods.reminders(rule, on=on)
        }
        assert found == expected

        # Pairs at risk: "no meeting" for more than twice the cadence, paused days left out.
        at_risk = {
            risky.match.pk
            for risky in pairs_at_risk(Match.objects.filter(pk__in=rules), on=on)
            if any(reason.startswith("no meeting") for reason in risky.reasons)
        }
        expected = set()
        for pk, rule in rules.items():
            if rule.active:
                since = max(held[pk], default=rule.started_on)
                if periods.days_without_meeting(since, on, rule.pauses)[0] > 2 * rule.cadence:
                    expected.add(pk)
        assert at_risk == expected

        # The calendar feed: each active pair's next due date.
        for match in matches.values():
            pk, rule = match.pk, rules[match.pk]
            body = calendar_for(match.mentee.user, on=on).replace("\r\n ", "")  # unfolded
            due = re.findall(r"UID:due-(\d+)-(\d{8})@.*?\r\nDTSTAMP:.*?\r\nDTSTART;VALUE=DATE:(\d{8})", body)
            expected = []
            if rule.active:
                period = periods.next_due(rule, on=on, last_checkin=max(rule.checkins, default=None))
                if period:
                    expected = [(str(pk), f"{period.first_day:%Y%m%d}", f"{period.last_day:%Y%m%d}")]
            assert due == expected

        transaction.set_rollback(True)


def test_the_installed_trigger_function_is_the_one_built_from_the_rule():
    """A change of the rule without a migration installing the function again fails here."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'evaluation_checkin_facts'")
        (installed,) = cursor.fetchone()
    assert installed == checkin_facts_body_sql()


# --- The Python rule against plain counting, day by day ------------------------------------------

days = st.integers(0, 60).map(day)


@settings(max_examples=300)
@given(
    pauses=st.lists(st.tuples(days, st.one_of(st.none(), days)), max_size=4),
    since=days,
    until=days,
    started_on=days,
    cadence=st.sampled_from(CADENCES),
    index=st.integers(0, 20),
)
def test_the_python_rule_agrees_with_counting_day_by_day(pauses, since, until, started_on, cadence, index):
    spans = [periods.Pause(start, end if end is None else max(start, end)) for start, end in pauses]

    def paused(d):
        return any(p.start <= d and (p.end is None or d < p.end) for p in spans)

    span_days = [since + dt.timedelta(days=n) for n in range(1, (until - since).days + 1)]
    assert periods.paused_days(since, until, spans) == sum(map(paused, span_days))
    current = periods.period(started_on, cadence, index)
    every_day = [current.first_day + dt.timedelta(days=n) for n in range(cadence)]
    assert periods.is_due(current, spans) == (not any(map(paused, every_day)))
    assert all(periods.period_of(started_on, cadence, d) == current for d in every_day)
