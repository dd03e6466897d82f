"""Tasks leave only after commit, run on a real worker, and a dead broker never breaks a request."""

import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction

from mentorship.celery import app as celery_app
from mentorship.models import Heartbeat
from mentorship.queue import broker_failure_forget, enqueue, enqueue_with_options
from mentorship.tasks import heartbeat
from tests.worker import database_url_of_test_database

BASE_DIR = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def worker_queue(transactional_db, tmp_path):
    """A real Celery worker process on the real Redis, consuming a queue of this test's own."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--queues", queue,
             "--pool", "solo", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            lambda: "ready." in log_path.read_text() or worker.poll() is not None, timeout=60, what="worker"
        )
        assert worker.poll() is None, log_path.read_text()
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.worker
def test_a_task_sent_inside_a_transaction_leaves_on_commit_and_runs_on_a_real_worker(worker_queue):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with transaction.atomic():
        enqueue_with_options(heartbeat, queue=worker_queue)
        time.sleep(0.5)
        assert broker.llen(worker_queue) == 0  # nothing sent before the commit
    wait_for(lambda: Heartbeat.objects.filter(name="worker").exists(), timeout=30, what="the task to run")


@pytest.mark.worker
def test_a_task_in_a_rolled_back_transaction_is_never_sent(worker_queue):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_options(heartbeat, queue=worker_queue)
        raise RuntimeError("the request failed")
    time.sleep(1)
    assert broker.llen(worker_queue) == 0
    assert not Heartbeat.objects.exists()


@pytest.fixture
def dead_broker():
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    celery_app.conf.broker_url = original
    broker_failure_forget()  # a failed send mutes this thread's later ones until a new request


@pytest.mark.django_db
def test_enqueueing_with_the_broker_down_logs_and_carries_on(
    dead_broker, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING, logger="mentorship.queue")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(heartbeat)
    assert "could not send task mentorship.tasks.heartbeat" in caplog.text


@pytest.mark.django_db
def test_the_outbox_command_shows_then_sends_what_is_waiting(mailoutbox, capsys):
    from django.core.management import call_command

    from mentorship.services import email_queue
    from tests import scenarios

    program = scenarios.program(coordinator=scenarios.coordinator(email="c@outbox.test"))
    email_queue(to="someone@outbox.test", template="suggestions_digest",
                context={"program": program, "new": 2, "pending": 3, "run": None})  # fmt: skip
    call_command("send_pending_emails", "--dry-run")
    assert "suggestions_digest: 1 waiting" in capsys.readouterr().out
    assert mailoutbox == []
    call_command("send_pending_emails")
    assert "1 emails sent" in capsys.readouterr().out
    assert [m.to for m in mailoutbox] == [["someone@outbox.test"]]
    call_command("send_pending_emails")
    assert len(mailoutbox) == 1  # once
