"""/healthz says the process is alive; /readyz says whether it can do its work, and what is not."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone

from mentorship import services
from mentorship.models import Heartbeat
from tests.worker import database_url_of_test_database

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def closed_port_url():
    # Port 1 on loopback: nothing listens there, so a connection is refused at once.
    return "redis://127.0.0.1:1/0"


def test_healthz_answers_200_always(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def seen(time_machine):
    """seen(beat_ago=s, worker_ago=s) records heartbeats that many seconds old; the clock stands
    still, so that the ages /readyz reports are exact."""
    time_machine.move_to(timezone.now(), tick=False)

    def record(*, beat_ago=0, worker_ago=0):
        now = timezone.now()
        Heartbeat.objects.create(name="beat", last_seen=now - dt.timedelta(seconds=beat_ago))
        Heartbeat.objects.create(name="worker", last_seen=now - dt.timedelta(seconds=worker_ago))

    return record


def test_readyz_is_200_when_database_redis_beat_and_worker_are_fine(client, seen):
    seen(beat_ago=10, worker_ago=10)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"
    assert body["checks"]["beat"] == "ok (last seen 10 s ago)"
    assert body["checks"]["worker"] == "ok (last seen 10 s ago)"


def test_readyz_is_503_naming_redis_when_redis_is_down(client, settings, seen):
    seen()
    settings.CELERY_BROKER_URL = closed_port_url()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]
    assert response.json()["checks"]["redis"].startswith("unreachable")


def test_readyz_is_503_naming_beat_when_only_beat_is_stale(client, settings, seen):
    settings.HEARTBEAT_MAX_AGE = 120
    seen(beat_ago=300, worker_ago=10)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["beat"]
    assert body["checks"]["beat"] == "stale: last seen 5 min ago (limit 120 s)"
    assert body["checks"]["worker"].startswith("ok")


def test_readyz_is_503_naming_the_worker_when_only_the_worker_is_stale(client, settings, seen):
    settings.HEARTBEAT_MAX_AGE = 120
    seen(beat_ago=10, worker_ago=121)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"] == "stale: last seen 2 min ago (limit 120 s)"
    assert body["checks"]["beat"].startswith("ok")


def test_readyz_blames_only_beat_when_beat_stopped_and_so_the_worker_got_nothing_to_run(client, seen):
    # Beat stopped 5 minutes ago; the worker ran its last heartbeat then, and nothing since.
    seen(beat_ago=300, worker_ago=300)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]
    assert response.json()["checks"]["worker"] == "unknown (beat is not sending the heartbeat)"


def test_readyz_is_503_when_beat_has_never_run(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]
    assert response.json()["checks"]["beat"] == "never seen (is beat running?)"


def test_readyz_is_503_naming_the_worker_when_beat_runs_but_no_worker_ever_did(client):
    services.heartbeat_record(name="beat")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"] == "never seen (is a worker running?)"


def test_the_heartbeat_task_records_the_worker_and_is_safe_to_repeat():
    from mentorship.tasks import heartbeat

    heartbeat()
    first = Heartbeat.objects.get(name="worker").last_seen
    heartbeat()
    assert Heartbeat.objects.filter(name="worker").count() == 1
    assert Heartbeat.objects.get(name="worker").last_seen >= first
    assert not Heartbeat.objects.filter(name="beat").exists()  # only beat says that beat is alive


def wait_for(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_real_beat_records_its_own_heartbeat_with_no_worker_and_readyz_names_the_worker(client, tmp_path):
    queue = f"test-beat-{uuid.uuid4().hex[:12]}"  # nobody consumes it; deleted below
    log_path = tmp_path / "beat.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": django_settings.REDIS_URL,
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    with open(log_path, "w") as log:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorship", "beat", "--loglevel", "INFO",
             "--schedule", str(tmp_path / "schedule")],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    try:
        # Beat records its heartbeat as it sends the task: wait for both (the publish may land a
        # moment after the row on a busy machine).
        wait_for(
            lambda: (
                (Heartbeat.objects.filter(name="beat").exists() and broker.llen(queue) >= 1)
                or beat.poll() is not None
            ),
            timeout=60,
            what="beat's heartbeat and the task it sends for a worker to run",
        )
        assert beat.poll() is None, log_path.read_text()
    finally:
        beat.terminate()
        beat.wait(timeout=30)
        broker.delete(queue)
        broker.close()

    assert not Heartbeat.objects.filter(name="worker").exists()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["beat"].startswith("ok")
