"""/healthz says the process is alive; /readyz says whether it can do its work, and what is not."""

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import services
from mentorship.models import Heartbeat

pytestmark = pytest.mark.django_db


def closed_port_url():
    # Port 1 on loopback: nothing listens there, so a connection is refused at once.
    return "redis://127.0.0.1:1/0"


def test_healthz_answers_200_always(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_when_database_redis_and_heartbeat_are_fine(client):
    services.heartbeat_record(name="beat")
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"
    assert body["checks"]["heartbeat"].startswith("ok")


def test_readyz_is_503_naming_redis_when_redis_is_down(client, settings):
    services.heartbeat_record(name="beat")
    settings.CELERY_BROKER_URL = closed_port_url()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]
    assert response.json()["checks"]["redis"].startswith("unreachable")


def test_readyz_is_503_when_the_beat_has_never_run(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["heartbeat"]


def test_readyz_is_503_when_the_heartbeat_is_stale(client, settings):
    settings.HEARTBEAT_MAX_AGE = 120
    Heartbeat.objects.create(name="beat", last_seen=timezone.now() - dt.timedelta(seconds=121))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "stale" in response.json()["checks"]["heartbeat"]


def test_the_heartbeat_task_records_its_run_and_is_safe_to_repeat():
    from mentorship.tasks import heartbeat

    heartbeat()
    first = Heartbeat.objects.get(name="beat").last_seen
    heartbeat()
    assert Heartbeat.objects.filter(name="beat").count() == 1
    assert Heartbeat.objects.get(name="beat").last_seen >= first
