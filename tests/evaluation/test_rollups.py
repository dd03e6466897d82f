"""The KPI rollups of check-ins (evaluation/rollups.py), kept by database triggers.

Two kinds of proof: after every kind of write the rollups equal a recount from the check-ins, and
the KPIs read from them equal the same KPIs counted straight from the check-ins (the queries the
dashboard ran before the rollups, kept below as the reference), on random histories.
"""

import datetime as dt
import random
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from evaluation import kpis, services
from evaluation.models import CheckIn, CheckInDay, CheckInPeriod
from evaluation.rollups import rollups_rebuild
from matching.models import Match
from mentorship.models import User
from programs.models import Program
from tests import scenarios
from tests.evaluation.helpers import active_match, more_active_matches, pair_world

# The reference: meetings held and ratings by role per month, and compliance, counted from every
# check-in (what kpis.py did before the rollups; slow at city scale, plain to read).
REFERENCE_MONTHS_SQL = """
SELECT date_trunc('month', c.occurred_on::timestamp)::date,
    COUNT(*) FILTER (WHERE c.held),
    COUNT(c.rating) FILTER (WHERE c.logged_by_id = mentee.user_id),
    COALESCE(SUM(c.rating) FILTER (WHERE c.logged_by_id = mentee.user_id), 0),
    COUNT(c.rating) FILTER (WHERE c.logged_by_id = mentor.user_id),
    COALESCE(SUM(c.rating) FILTER (WHERE c.logged_by_id = mentor.user_id), 0)
FROM evaluation_checkin c
JOIN matching_match m ON m.id = c.match_id
JOIN programs_enrollment mentee ON mentee.id = m.mentee_id
JOIN programs_enrollment mentor ON mentor.id = m.mentor_id
WHERE m.program_id = ANY(%(programs)s) AND c.occurred_on BETWEEN %(start)s AND %(end)s
GROUP BY 1 ORDER BY 1
"""
REFERENCE_COMPLIANCE_SQL = """
WITH m AS (
    SELECT m.id, m.started_on AS s, p.checkin_cadence_days AS c,
        GREATEST(0, (%(start)s - m.started_on + p.checkin_cadence_days) / p.checkin_cadence_days - 1) AS k_lo,
        LEAST((LEAST(COALESCE(m.ended_on, %(on)s), %(on)s) - m.started_on) / p.checkin_cadence_days,
              (%(end)s - m.started_on + 1) / p.checkin_cadence_days) - 1 AS k_hi
    FROM matching_match m JOIN programs_program p ON p.id = m.program_id
    WHERE m.program_id = ANY(%(programs)s) AND m.started_on <= %(end)s
      AND (m.ended_on IS NULL OR m.ended_on >= %(start)s)
)
SELECT
    (SELECT COUNT(*) FROM m, generate_series(m.k_lo, m.k_hi) AS k),
    (SELECT COUNT(*) FROM (
        SELECT DISTINCT c.match_id, (c.occurred_on - m.s) / m.c
        FROM evaluation_checkin c JOIN m ON m.id = c.match_id
        WHERE c.occurred_on >= m.s + m.k_lo * m.c AND c.occurred_on < m.s + (m.k_hi + 1) * m.c
    ) kept)
"""


def assert_rollups_match_a_recount():
    drift = rollups_rebuild(dry_run=True)
    assert drift.clean, drift


def assert_kpis_match_the_reference(programs, *, on, start, end):
    report = kpis.compute(programs, on=on, start=start, end=end)
    params = kpis.query_parameters(list(programs.values_list("pk", flat=True)), on=on, start=start, end=end)
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_MONTHS_SQL, params)
        months = cursor.fetchall()
        cursor.execute(REFERENCE_COMPLIANCE_SQL, params)
        periods, kept = cursor.fetchone()
    held = {month: row[0] for month, *row in months}
    assert [m.held for m in report.months] == [held.get(m.start.replace(day=1), 0) for m in report.months]
    compliance = report.get("compliance")
    assert (compliance.numerator, compliance.denominator) == (kept, periods)
    for role, (n, total) in {"mentee": (2, 3), "mentor": (4, 5)}.items():
        count, rating_sum = sum(row[n] for row in months), sum(row[total] for row in months)
        satisfaction = report.get("satisfaction", role)
        # No satisfaction surveys in these worlds: the figure is the check-ins' ratings alone.
        assert satisfaction.basis == count
        assert satisfaction.value == (rating_sum / count if count else None)


def rows(model):
    return model.objects.order_by().count()


@pytest.mark.django_db
def test_rollups_follow_every_kind_of_write():
    world = pair_world(checkin_cadence_days=14)
    match, ben, ada = world.match, world.mentee, world.mentor
    today = dt.date.today()
    Match.objects.filter(pk=match.pk).update(started_on=today - dt.timedelta(days=100))
    match.refresh_from_db()
    assert_rollups_match_a_recount()

    # The service, one at a time.
    services.checkin_log(match=match, by=ben, occurred_on=today - dt.timedelta(days=3), rating=4)
    services.checkin_log(match=match, by=ada, occurred_on=today - dt.timedelta(days=3), rating=2)
    services.checkin_log(match=match, by=ada, occurred_on=today - dt.timedelta(days=40), held=False)
    day = CheckInDay.objects.get(program=world.program, day=today - dt.timedelta(days=3))
    assert (day.checkins, day.held, day.mentee_ratings, day.mentee_rating_sum) == (2, 2, 1, 4)
    assert (day.mentor_ratings, day.mentor_rating_sum) == (1, 2)
    assert_rollups_match_a_recount()

    # Many in one statement, a coordinator's among them, and one dated before the match started.
    CheckIn.objects.bulk_create(
        [
            CheckIn(match=match, logged_by=who, occurred_on=today - dt.timedelta(days=d), rating=d % 5 + 1)
            for d in range(1, 100, 7)
            for who in (ben, ada, world.coordinator)
        ]
        + [CheckIn(match=match, logged_by=ben, occurred_on=today - dt.timedelta(days=150), rating=5)]
    )
    assert_rollups_match_a_recount()
    assert not CheckInPeriod.objects.filter(period__lt=0).exists()

    # Edits: one saved (a new date, rating and held), then a queryset update of many.
    checkin = CheckIn.objects.filter(logged_by=ben).first()
    checkin.occurred_on, checkin.rating, checkin.held = today - dt.timedelta(days=60), 1, False
    checkin.save()
    CheckIn.objects.filter(logged_by=ada).update(rating=3)
    assert_rollups_match_a_recount()

    # Deletions: one, then every check-in of a period, whose row goes.
    CheckIn.objects.filter(logged_by=world.coordinator).first().delete()
    assert_rollups_match_a_recount()
    period = CheckInPeriod.objects.filter(match=match).order_by("period").first()
    ends = period.ends_on
    CheckIn.objects.filter(
        match=match, occurred_on__gt=ends - dt.timedelta(days=14), occurred_on__lte=ends
    ).delete()
    assert not CheckInPeriod.objects.filter(pk=period.pk).exists()
    assert_rollups_match_a_recount()

    # The pair's dates and the program's cadence move the periods.
    match.started_on = today - dt.timedelta(days=90)
    match.save()
    assert_rollups_match_a_recount()
    match.ended_on, match.status = today - dt.timedelta(days=10), "closed"
    match.save()
    assert CheckInPeriod.objects.filter(match=match, counted=False).exists()
    assert_rollups_match_a_recount()
    world.program.checkin_cadence_days = 30
    world.program.save()
    assert CheckInPeriod.objects.filter(match=match).count() <= 4
    assert_rollups_match_a_recount()

    # A coordinator's account removed: their check-ins stay, logged by nobody.
    User.objects.filter(pk=world.coordinator.pk).delete()
    assert CheckIn.objects.filter(match=match, logged_by=None).exists()
    assert_rollups_match_a_recount()

    # The match deleted: its check-ins go, and with them everything they counted.
    match.delete()
    assert rows(CheckInPeriod) == 0
    assert not CheckInDay.objects.exclude(checkins=0).exists()
    assert_rollups_match_a_recount()


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kpis_from_the_rollups_equal_the_kpis_counted_from_every_checkin(seed):
    rng = random.Random(seed)
    world = pair_world(checkin_cadence_days=rng.choice([7, 14, 30]))
    extra = more_active_matches(program=world.program, count=5, prefix=f"seed{seed}")
    other = scenarios.program(coordinator=world.coordinator, name="Second Program", status="running")
    Program.objects.filter(pk=other.pk).update(checkin_cadence_days=10)
    mentor = scenarios.ready_mentor(program=other, email=f"o-mentor{seed}@pairs.test")
    mentee = scenarios.ready_mentee(program=other, email=f"o-mentee{seed}@pairs.test")
    extra.append(active_match(program=other, mentee=mentee, mentor=mentor))
    today = dt.date(2026, 6, 30)
    checkins = []
    for match in [world.match, *extra]:
        started = today - dt.timedelta(days=rng.randint(20, 500))
        ended = started + dt.timedelta(days=rng.randint(0, 600)) if rng.random() < 0.5 else None
        if ended and ended > today:
            ended = None
        Match.objects.filter(pk=match.pk).update(
            started_on=started, ended_on=ended, status="closed" if ended else "active"
        )
        people = [match.mentee.user, match.mentor.user, world.coordinator]
        last = ended or today
        for _ in range(rng.randint(0, 40)):
            # Mostly within the match; a few before its start or after its end, as imports may hold.
            day = started + dt.timedelta(days=rng.randint(-10, (last - started).days + 10))
            checkins.append(
                CheckIn(
                    match=match,
                    logged_by=rng.choice(people),
                    occurred_on=day,
                    held=rng.random() < 0.8,
                    rating=rng.choice([None, 1, 2, 3, 4, 5]),
                )
            )
    CheckIn.objects.bulk_create(checkins)
    assert_rollups_match_a_recount()
    both = Program.objects.filter(pk__in=[world.program.pk, other.pk])
    for _ in range(6):
        on = today - dt.timedelta(days=rng.randint(0, 200))
        start = on - dt.timedelta(days=rng.randint(0, 400))
        end = on - dt.timedelta(days=rng.randint(0, (on - start).days))
        for programs in (both, Program.objects.filter(pk=world.program.pk)):
            assert_kpis_match_the_reference(programs, on=on, start=start, end=end)


@pytest.mark.django_db(transaction=True)
def test_checkins_logged_at_once_while_the_cadence_changes_are_all_counted():
    world = pair_world(checkin_cadence_days=14)
    matches = [world.match, *more_active_matches(program=world.program, count=3, prefix="busy")]
    today = dt.date.today()
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(started_on=today - dt.timedelta(days=60))
    barrier = threading.Barrier(len(matches) + 1)
    errors = []

    def log(match):
        try:
            barrier.wait()
            for days_ago in (0, 1, 15, 30):
                services.checkin_log(
                    match=match,
                    by=match.mentee.user,
                    occurred_on=today - dt.timedelta(days=days_ago),
                    rating=4,
                )
        except Exception as error:  # reported below, with the thread's own traceback lost otherwise
            errors.append(error)
        finally:
            connection.close()

    def change_cadence():
        try:
            barrier.wait()
            for cadence in (7, 30, 10):
                program = Program.objects.get(pk=world.program.pk)
                program.checkin_cadence_days = cadence
                program.save()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(m,)) for m in matches]
    threads.append(threading.Thread(target=change_cadence))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    day = CheckInDay.objects.get(program=world.program, day=today)
    assert (day.checkins, day.mentee_ratings, day.mentee_rating_sum) == (4, 4, 16)
    assert_rollups_match_a_recount()


@pytest.mark.django_db
def test_the_command_checks_and_recounts():
    world = pair_world()
    services.checkin_log(match=world.match, by=world.mentee, occurred_on=dt.date.today(), rating=5)
    call_command("rebuild_kpi_rollups", "--check")
    # Drift, as a restore with triggers off would leave it.
    CheckInDay.objects.update(checkins=7)
    CheckInPeriod.objects.all().delete()
    with pytest.raises(CommandError, match="1 day rows and 1 period rows differed"):
        call_command("rebuild_kpi_rollups", "--check")
    call_command("rebuild_kpi_rollups")
    assert CheckInDay.objects.get().checkins == 1
    call_command("rebuild_kpi_rollups", "--check")
