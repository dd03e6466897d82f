"""The dashboard tells each person which surveys are waiting for them, and links to them."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluation import services
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db


def test_due_surveys_appear_on_the_dashboard_of_the_person_they_are_for(client):
    world = pair_world()
    services.checkin_log(match=world.match, by=world.mentor, occurred_on=dt.date.today(), held=True,
                         duration_minutes=45, mode="video", notes="", rating=4)  # fmt: skip
    client.force_login(world.mentor)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Surveys to answer" in content
    assert reverse("evaluation:survey", args=[world.match.pk, "pairing_fit"]) in content
    client.force_login(world.outsider)
    assert "Surveys to answer" not in client.get(reverse("dashboard")).content.decode()
