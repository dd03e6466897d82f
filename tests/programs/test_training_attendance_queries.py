"""A session's attendance page offers everyone the training is for in its "add someone who came"
list, by name: their names come with them (the profiles joined), not one query per person, so the
page takes the same queries for 2 mentors or 8 (a city's program has thousands)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import trainings
from tests import scenarios

pytestmark = pytest.mark.django_db


def test_the_attendance_page_takes_the_same_queries_however_many_could_be_added(client, people):
    program = scenarios.program(coordinator=people.coordinator, name="Northside Mentoring")
    training = trainings.training_create(
        program=program, by=people.coordinator, title="Induction evening", audience="mentor", kind="in_person"
    )
    start = timezone.now() - dt.timedelta(days=1)
    session = trainings.session_add(
        training=training, starts_at=start, ends_at=start + dt.timedelta(hours=2), place="Library", capacity=8
    )
    url = reverse("programs:training_attendance", args=[program.slug, training.pk, session.pk])
    client.force_login(people.coordinator)

    def page_with(mentors, start):
        for n in range(start, start + mentors):
            name = f"Mentor {n:02d}"
            scenarios.ready_mentor(program=program, email=f"m{n}@trainings.test", display_name=name)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return len(queries), page

    few, page = page_with(2, 0)
    assert "Mentor 00" in page and "Mentor 01" in page
    many, page = page_with(6, 2)
    assert "Mentor 07" in page
    assert many == few
