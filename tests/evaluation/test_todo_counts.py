"""The to-do list counts the surveys due in the database (evaluation/todo_counts.py): always the
number ``surveys_due`` (the definition) finds, whatever the pairs, their meetings, answers and day."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import CheckIn, SurveyResponse
from evaluation.selectors import surveys_due
from evaluation.todo_counts import surveys_due_counts
from matching.models import Match, MatchStatus
from tests import scenarios

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STATUSES = [MatchStatus.ACTIVE, MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.CLOSED, MatchStatus.CLOSED]


def random_pairs(program, rng, count, domain):
    mentors = [scenarios.ready_mentor(program=program, email=f"mentor{n}@{domain}") for n in range(3)]
    mentees = [scenarios.ready_mentee(program=program, email=f"mentee{n}@{domain}") for n in range(count)]
    for n, mentee in enumerate(mentees):
        status = rng.choice([*STATUSES, "proposed"])
        started = None if status == "proposed" and rng.random() < 0.7 else TODAY - dt.timedelta(rng.randint(-5, 500))
        ended = None
        if status == MatchStatus.CLOSED:
            ended = min(TODAY + dt.timedelta(5), (started or TODAY) + dt.timedelta(rng.randint(0, 450)))
            started = started if rng.random() < 0.9 else None  # a closed pair that never started
        match = Match.objects.create(
            program=program, mentee=mentee, mentor=mentors[n % 3], source="manual",
            status=status, started_on=started, ended_on=ended,
        )  # fmt: skip
        for _ in range(rng.randint(0, 4)):
            day = (started or TODAY) + dt.timedelta(rng.randint(0, 120))
            CheckIn.objects.create(match=match, logged_by=mentee.user, occurred_on=day, held=rng.random() < 0.7)


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


def test_one_query_and_nothing_for_no_program():
    lead = scenarios.coordinator(email="lead@counts.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Quiet")
    with CaptureQueriesContext(connection) as queries:
        assert surveys_due_counts([program.pk], on=TODAY) == {}
        assert surveys_due_counts([], on=TODAY) == {}
    assert len(queries) == 1
