"""The dashboard's to-do list counts the surveys due and the pairs at risk without loading them
(evaluation/todo_counts.py): always the numbers ``surveys_due`` and ``pairs_at_risk`` (the
definitions) find, whatever the pairs, their meetings, ratings, contacts, pauses, answers and day."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import CheckIn, StaffContact, SurveyResponse
from evaluation.selectors import pairs_at_risk, surveys_due
from evaluation.todo_counts import surveys_due_counts
from matching.models import Match, MatchPause, MatchStatus
from tests import scenarios

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ACTIVE, PAUSED, CLOSED = MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.CLOSED
STATUSES = [ACTIVE, ACTIVE, PAUSED, CLOSED, CLOSED]


def random_pairs(program, rng, count, domain):
    mentors = [scenarios.ready_mentor(program=program, email=f"mentor{n}@{domain}") for n in range(3)]
    mentees = [scenarios.ready_mentee(program=program, email=f"mentee{n}@{domain}") for n in range(count)]
    for n, mentee in enumerate(mentees):
        status = rng.choice([*STATUSES, "proposed"])
        started = TODAY - dt.timedelta(rng.randint(-5, 500))
        if status == "proposed" and rng.random() < 0.7:
            started = None
        ended = None
        if status == CLOSED:
            ended = min(TODAY + dt.timedelta(5), (started or TODAY) + dt.timedelta(rng.randint(0, 450)))
            started = started if rng.random() < 0.9 else None  # a closed pair that never started
        match = Match.objects.create(
            program=program, mentee=mentee, mentor=mentors[n % 3], source="manual",
            status=status, started_on=started, ended_on=ended,
        )  # fmt: skip
        for _ in range(rng.randint(0, 4)):
            day = (started or TODAY) + dt.timedelta(rng.randint(0, 120))
            held = rng.random() < 0.7
            CheckIn.objects.create(match=match, logged_by=mentee.user, occurred_on=day, held=held)


def answer_some(programs, rng, days):
    """Answer about half of the surveys due on some of ``days`` (and one for a wrong period)."""
    matches = Match.objects.filter(program__in=programs)
    for day in rng.sample(days, 6):
        for due in surveys_due(matches, on=day):
            if rng.random() < 0.5:
                SurveyResponse.objects.get_or_create(
                    match=due.match, respondent_id=due.respondent_id, kind=due.kind,
                    period=due.period + (1 if rng.random() < 0.1 else 0), defaults={"role": due.role},
                )  # fmt: skip


def test_the_counts_are_those_of_surveys_due_on_every_day():
    rng = random.Random(17)
    lead = scenarios.coordinator(email="lead@counts.test", display_name="Lead")
    monthly = scenarios.program(coordinator=lead, name="Monthly", satisfaction_survey_days=30)
    quarterly = scenarios.program(coordinator=lead, name="Quarterly")
    elsewhere = scenarios.program(coordinator=lead, name="Not asked about")
    random_pairs(monthly, rng, 14, "monthly.test")
    random_pairs(quarterly, rng, 14, "quarterly.test")
    random_pairs(elsewhere, rng, 3, "elsewhere.test")
    days = [TODAY + dt.timedelta(n) for n in range(-30, 430, 7)]
    answer_some([monthly, quarterly], rng, days)
    asked = [monthly.pk, quarterly.pk]
    compared = 0
    for day in days:
        due = surveys_due(Match.objects.filter(program__in=asked), on=day)
        expected = Counter(survey.match.program_id for survey in due)
        assert surveys_due_counts(asked, on=day) == dict(expected), day
        compared += len(due)
    assert compared > 100  # the days did have surveys due


def test_one_query_each_and_nothing_for_no_program():
    lead = scenarios.coordinator(email="lead@counts.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Quiet")
    with CaptureQueriesContext(connection) as queries:
        assert surveys_due_counts([program.pk], on=TODAY) == {}
        assert surveys_due_counts([], on=TODAY) == {}
        assert pairs_at_risk(Match.objects.filter(program=program), on=TODAY, limit=0).by_program == {}
    assert len(queries) == 2


def risky_histories(program, rng, count, domain):
    """Active pairs with random meetings held or missed, low ratings, staff contacts and pauses."""
    mentor = scenarios.ready_mentor(program=program, email=f"mentor@{domain}")
    for n in range(count):
        mentee = scenarios.ready_mentee(program=program, email=f"mentee{n}@{domain}")
        started = TODAY - dt.timedelta(rng.randint(0, 200))
        match = Match.objects.create(
            program=program, mentee=mentee, mentor=mentor, source="manual", started_on=started,
            status=rng.choice([ACTIVE, ACTIVE, ACTIVE, PAUSED]),
        )  # fmt: skip
        for _ in range(rng.randint(0, 3)):
            day = started + dt.timedelta(rng.randint(0, 200))
            held = rng.random() < 0.6
            rating = rng.choice([None, 1, 2, 3, 5]) if held else None
            CheckIn.objects.create(
                match=match, logged_by=mentee.user, occurred_on=day, held=held, rating=rating
            )
        for _ in range(rng.randint(0, 4)):
            StaffContact.objects.create(match=match, contacted_on=started + dt.timedelta(rng.randint(0, 100)))
        if rng.random() < 0.4:
            first = started + dt.timedelta(rng.randint(0, 120))
            ended = None if rng.random() < 0.3 else first + dt.timedelta(rng.randint(0, 60))
            MatchPause.objects.create(match=match, started_on=first, ended_on=ended)
            if ended and rng.random() < 0.5:  # and an overlapping one
                MatchPause.objects.create(match=match, started_on=first + dt.timedelta(3), ended_on=ended)


def test_the_pairs_at_risk_counted_without_loading_them_are_those_it_lists():
    rng = random.Random(71)
    lead = scenarios.coordinator(email="lead@risk.test", display_name="Lead")
    weekly = scenarios.program(coordinator=lead, name="Weekly", checkin_cadence_days=7)
    monthly = scenarios.program(coordinator=lead, name="Monthly", checkin_cadence_days=30)
    risky_histories(weekly, rng, 14, "weekly.test")
    risky_histories(monthly, rng, 14, "monthly.test")
    ids = [weekly.pk, monthly.pk]
    found = {"not met": 0, "other": 0}
    for day in [TODAY + dt.timedelta(n) for n in range(-60, 200, 9)]:
        expected = {}
        for pair in pairs_at_risk(Match.objects.filter(program__in=ids), on=day):
            not_met = any(reason.startswith("no meeting for") for reason in pair.reasons)
            met, others = expected.get(pair.match.program_id, (0, 0))
            expected[pair.match.program_id] = (met + not_met, others + (not not_met))
            found["not met" if not_met else "other"] += 1
        counted = pairs_at_risk(Match.objects.filter(program__in=ids), on=day, limit=0)
        assert counted.by_program == expected and counted == [], day
    assert found["not met"] > 20 and found["other"] > 20  # both kinds were compared
