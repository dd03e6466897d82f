"""A parent or guardian who refused or withdrew their consent keeps their page (their answer, the
safeguarding concern form) but no longer opens the orientation or the guardians' resources: 404."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs import guardians, resources
from programs.models import ResourceAudience, Training, TrainingRecord
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return scenarios.matching_world()


def orientation(world):
    training = Training.objects.create(
        program=world.program, title="Parents' orientation", audience="guardian", published_at=timezone.now()
    )
    training.pages.create(order=1, title="Welcome", body="How the program works.")
    return training


def guide(world, audience=ResourceAudience.GUARDIANS, title="A guide for parents"):
    return resources.resource_create(
        program=world.program, by=world.coordinator, title=title, topic="guides", audience=audience,
        kind="page", body="Read this.",
    )  # fmt: skip


def links(token, training, resource):
    return {
        "training": reverse("programs:guardian_training", args=[token, training.pk]),
        "page": reverse("programs:guardian_training_page", args=[token, training.pk, 1]),
        "quiz": reverse("programs:guardian_training_quiz", args=[token, training.pk]),
        "resource": reverse("programs:guardian_resource", args=[token, resource.pk]),
    }


def test_a_guardian_who_withdrew_gets_404_for_the_orientation_and_resources(world):
    dee = world.mentees["dee"]  # 15, her guardian consented
    consent = dee.consents.get(revoked_at__isnull=True)
    training, resource = orientation(world), guide(world)
    urls, guardian = links(consent.manage_token, training, resource), Client()
    assert guardian.get(urls["training"]).status_code == 200
    assert guardian.get(urls["resource"]).status_code == 200

    guardians.guardian_withdraw(consent=consent)
    for name, link in urls.items():
        assert guardian.get(link).status_code == 404, name
    assert guardian.post(urls["page"]).status_code == 404
    assert not TrainingRecord.objects.filter(training=training).exists()
    home = guardian.get(reverse("programs:guardian", args=[consent.manage_token]))
    page = home.content.decode()
    assert home.status_code == 200 and "You withdrew your consent" in page
    assert urls["training"] not in page and resource.title not in page
    consent.refresh_from_db()
    assert not resources.resources_for_guardian(consent).exists()


def test_a_guardian_who_refused_gets_404_and_one_still_to_answer_may_read(world):
    dee = world.mentees["dee"]
    training = orientation(world)
    resource = guide(world, audience=ResourceAudience.PUBLIC, title="About the program")
    consent = guardians.guardian_request_consent(
        enrollment=dee, name="Pat Parent", email="pat@example.test", by=world.coordinator
    )
    urls, guardian = links(consent.manage_token, training, resource), Client()
    assert guardian.get(urls["training"]).status_code == 200  # not answered yet: may read first
    assert guardian.get(urls["resource"]).status_code == 200

    guardians.guardian_answer(consent=consent, given=False, signed_name="Pat Parent", relationship="Father")
    for name, link in urls.items():
        assert guardian.get(link).status_code == 404, name
    page = guardian.get(reverse("programs:guardian", args=[consent.manage_token])).content.decode()
    assert "You did not give your consent" in page and urls["training"] not in page
    assert resource.title not in page
