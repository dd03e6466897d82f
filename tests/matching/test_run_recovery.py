"""No matching run stuck for ever (issue 18): a run whose worker died or whose task was lost is
sent again by the sweep (three tries), a coordinator can cancel one, and neither overlapping sweeps
nor a late worker act twice on one run.

Making a run last long enough to kill its worker: the test holds a row lock on one of the program's
pending suggestions, which the run updates when it saves (matching.runs._store_result). The
worker then waits on that lock at "Saving suggestions" for as long as the test likes, with no
test-only code in the application.
"""

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from matching import runs
from matching.models import MatchRun, MatchSuggestion, RunStatus, SuggestionStatus, UnmatchedReason
from matching.tasks import recover_runs, run_matching
from mentorship.celery import app as celery_app
from tests import scenarios
from tests.worker import database_url_of_test_database

BASE_DIR = Path(__file__).resolve().parents[2]
LATER = runs.RUN_STALE_AFTER + dt.timedelta(seconds=1)


def wait_for(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@contextlib.contextmanager
def locked(table, pk):
    """Hold ``SELECT ... FOR UPDATE`` on one row from a connection of its own until the block ends."""
    assert table in {"matching_matchsuggestion", "matching_matchrun"}
    locker = connection.get_new_connection(connection.get_connection_params())  # not autocommit
    try:
        with locker.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
        yield
    finally:
        locker.rollback()
        locker.close()


def in_thread(target, results, key):
    """Run ``target`` in a thread (with its own database connection), its result in results[key]."""

    def body():
        try:
            results[key] = target()
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


@pytest.fixture
def runs_sent():
    """How many run_matching tasks the test sent to the session's queue (no worker takes them). The
    test's messages are removed afterwards."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    before = broker.llen(queue)

    def new_messages():
        added = broker.llen(queue) - before
        return broker.lrange(queue, 0, added - 1) if added > 0 else []  # kombu pushes on the left

    yield lambda: sum(json.loads(m)["headers"]["task"] == run_matching.name for m in new_messages())
    broker.ltrim(queue, len(new_messages()), -1)


def with_pending_suggestions():
    """The matching world after one finished run: three pending suggestions, Eve left unmatched."""
    world = scenarios.matching_world()
    runs.run_execute(run_id=MatchRun.objects.create(program=world.program, trigger="coordinator").pk)
    world.pending = MatchSuggestion.objects.filter(program=world.program, status=SuggestionStatus.PENDING)
    assert world.pending.count() == 3
    return world


def worker_took_it_and_died(run, *, at):
    # What run_execute's claim leaves behind when its worker is killed right after.
    claimed = MatchRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=at, attempts=F("attempts") + 1, progress=80
    )
    assert claimed


def child_worker_pid():
    """The pid of the worker process the celery_worker_process fixture started (our only child)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and b"celery" in (stat.parent / "cmdline").read_bytes():
                found.append(int(stat.parent.name))
    assert len(found) == 1, found
    return found[0]


@contextlib.contextmanager
def another_worker(log_path):
    """A second worker process like the celery_worker_process fixture's, for after that one died."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            lambda: "ready." in log_path.read_text() or worker.poll() is not None, timeout=60, what="worker"
        )
        assert worker.poll() is None, log_path.read_text()
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


# --- (a) A worker killed mid-run ------------------------------------------------------------------


@pytest.mark.worker
def test_a_run_whose_worker_was_killed_is_queued_again_and_done_by_another(celery_worker_process, tmp_path):
    world = with_pending_suggestions()
    with locked("matching_matchsuggestion", world.pending.first().pk):
        run = runs.run_start(program=world.program, by=world.coordinator)  # sent at once (autocommit)
        wait_for(
            lambda: (
                MatchRun.objects.get(pk=run.pk).progress_note == "Saving suggestions" and waiting_on_a_lock()
            ),
            timeout=60,
            what="the worker to wait on the lock while saving",
        )
        os.kill(child_worker_pid(), signal.SIGKILL)
        killed_at = time.monotonic()
    # The killed worker's database session dies once the lock it waited for is free.
    wait_for(lambda: not waiting_on_a_lock(), timeout=30, what="the dead worker's session to end")
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress) == (RunStatus.RUNNING, 1, 80)
    assert runs.runs_recover() == []  # within the task's time limit it might still be working

    # As if the time limit had passed; beat sends the sweep to a worker, which then does the run.
    MatchRun.objects.filter(pk=run.pk).update(started_at=F("started_at") - LATER)
    with another_worker(tmp_path / "second-worker.log"):
        recover_runs.apply_async()
        wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == RunStatus.DONE, timeout=60, what="the run")
        recovered_in = time.monotonic() - killed_at
    assert "queued again" in (tmp_path / "second-worker.log").read_text()
    run.refresh_from_db()
    assert (run.status, run.progress, run.attempts, run.matched_count) == (RunStatus.DONE, 100, 2, 3)
    assert run.suggestions.filter(status=SuggestionStatus.PENDING).count() == 3
    assert run.unmatched.count() == 1
    # Kill to done, less the time limit the sweep waits out: starting a worker and the run itself.
    assert recovered_in < 60


# --- (b) The task lost on its way ------------------------------------------------------------------


@pytest.fixture
def dead_broker():
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    yield
    celery_app.conf.broker_url = original


@pytest.mark.worker
def test_a_run_started_while_the_broker_was_down_is_sent_again_and_done(
    celery_worker_process, client, caplog, dead_broker
):
    caplog.set_level(logging.WARNING, logger="mentorship.queue")
    world = scenarios.matching_world()
    client.force_login(world.coordinator)
    response = client.post(reverse("matching:run_start", args=[world.program.slug]))
    assert response.status_code == 302
    assert "could not send task matching.tasks.run_matching" in caplog.text
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL  # Redis is back
    run = MatchRun.objects.get(program=world.program)
    time.sleep(1)
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED  # nothing will ever take it
    assert runs.runs_recover() == []  # queued a moment ago: a worker may be busy

    # As if the run had waited past RUN_LOST_AFTER; beat sends the sweep to a worker.
    MatchRun.objects.filter(pk=run.pk).update(queued_at=F("queued_at") - runs.RUN_LOST_AFTER)
    recover_runs.apply_async()
    wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == RunStatus.DONE, timeout=60, what="the run")
    run.refresh_from_db()
    assert (run.attempts, run.new_suggestions) == (1, 3)
    assert "Done" in client.get(reverse("matching:program", args=[world.program.slug])).text


# --- (c) Three tries ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_whose_worker_keeps_dying_fails_after_three_tries_and_a_new_run_can_start(
    django_capture_on_commit_callbacks,
):
    world = scenarios.matching_world()
    with django_capture_on_commit_callbacks() as sent:
        run = runs.run_start(program=world.program, by=world.coordinator)
    now = timezone.now()
    for attempt in (1, 2):
        worker_took_it_and_died(run, at=now)
        now += LATER
        with django_capture_on_commit_callbacks() as callbacks:
            assert runs.runs_recover(now=now) == [(run, "queued again")]
        sent += callbacks
        run.refresh_from_db()
        assert (run.status, run.attempts) == (RunStatus.QUEUED, attempt)
    assert len(sent) == 3  # the first send and two more
    worker_took_it_and_died(run, at=now)
    with django_capture_on_commit_callbacks() as callbacks:
        assert runs.runs_recover(now=now + LATER) == [(run, "failed")]
    assert not callbacks
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert run.error == "The worker stopped 3 times before the run finished: start it again."
    assert runs.runs_recover(now=now + LATER) == []
    assert runs.run_execute(run_id=run.pk) is None  # a late delivery of its task does nothing

    with django_capture_on_commit_callbacks() as callbacks:
        runs.run_start(program=world.program, by=world.coordinator)
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_command_says_what_it_would_do_then_does_it_and_the_task_twice_does_nothing_more(
    capsys, django_capture_on_commit_callbacks
):
    world = scenarios.matching_world()
    other = scenarios.program(coordinator=world.coordinator, name="Other Program", status="running")
    old = timezone.now() - runs.RUN_STALE_AFTER - dt.timedelta(minutes=1)
    stale = MatchRun.objects.create(program=world.program, trigger="coordinator")
    worker_took_it_and_died(stale, at=old)
    lost = MatchRun.objects.create(program=other, trigger="nightly", queued_at=old)

    call_command("recover_runs", "--dry-run")
    out = capsys.readouterr().out
    assert f"Run {stale.pk} of Matching Test Program (running): would queue again" in out
    assert f"Run {lost.pk} of Other Program (queued): would send again" in out
    assert MatchRun.objects.get(pk=stale.pk).status == RunStatus.RUNNING
    assert MatchRun.objects.get(pk=lost.pk).queued_at == old

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("recover_runs")
        recover_runs()
        recover_runs()
    assert len(callbacks) == 2
    assert "queued again" in capsys.readouterr().out
    assert MatchRun.objects.get(pk=stale.pk).status == RunStatus.QUEUED
    call_command("recover_runs")
    assert capsys.readouterr().out == "No run needs recovering.\n"


def test_the_run_task_has_time_limits_of_its_own_and_a_run_is_stale_only_after_the_hard_one():
    assert (run_matching.soft_time_limit, run_matching.time_limit) == (
        runs.RUN_SOFT_TIME_LIMIT,
        runs.RUN_TIME_LIMIT,
    )
    assert runs.RUN_SOFT_TIME_LIMIT < runs.RUN_TIME_LIMIT < runs.RUN_STALE_AFTER.total_seconds()


# --- (d) Cancel from the page ------------------------------------------------------------------------


@pytest.fixture
def cworld(db, django_capture_on_commit_callbacks):
    world = scenarios.matching_world()
    world.other = scenarios.coordinator(email="other@matching.test", display_name="Other Coordinator")
    world.staff = scenarios.person(email="staff@matching.test", is_staff=True, is_superuser=True)
    world.outsider = scenarios.person(email="outsider@matching.test")
    with django_capture_on_commit_callbacks():  # not sent: the run stays queued
        world.run = runs.run_start(program=world.program, by=world.coordinator)
    world.cancel_url = reverse("matching:run_cancel", args=[world.program.slug, world.run.pk])
    return world


def test_a_coordinator_cancels_a_queued_run_from_the_page_and_can_start_another(client, cworld):
    client.force_login(cworld.coordinator)
    page = client.get(reverse("matching:program", args=[cworld.program.slug])).text
    assert f'action="{cworld.cancel_url}"' in page
    assert 'class="button-danger button-small" data-confirm="Cancel this run?' in page
    assert client.get(cworld.cancel_url).status_code == 405

    response = client.post(cworld.cancel_url, follow=True)
    assert "The run is cancelled" in response.text
    assert "Failed: Cancelled by Lead Coordinator" in response.text
    cworld.run.refresh_from_db()
    assert (cworld.run.status, cworld.run.error) == (RunStatus.FAILED, "Cancelled by Lead Coordinator")
    assert runs.run_execute(run_id=cworld.run.pk) is None  # its task arriving late does nothing
    assert "already finished" in client.post(cworld.cancel_url, follow=True).text

    client.post(reverse("matching:run_start", args=[cworld.program.slug]))
    assert MatchRun.objects.filter(program=cworld.program, status=RunStatus.QUEUED).count() == 1


def test_staff_can_cancel_a_run(client, cworld):
    client.force_login(cworld.staff)
    client.post(cworld.cancel_url)
    cworld.run.refresh_from_db()
    assert cworld.run.error == f"Cancelled by {cworld.staff.display_name}"


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_coordinator", "outsider"])
def test_strangers_get_404_and_the_run_goes_on(client, cworld, role):
    user = {
        "mentee": cworld.mentees["ben"].user,
        "mentor": cworld.mentors["ada"].user,
        "other_coordinator": cworld.other,
        "outsider": cworld.outsider,
    }[role]
    client.force_login(user)
    assert client.post(cworld.cancel_url).status_code == 404
    assert MatchRun.objects.get(pk=cworld.run.pk).status == RunStatus.QUEUED


def test_anonymous_visitors_are_sent_to_log_in(client, cworld):
    assert client.post(cworld.cancel_url).status_code == 302
    assert MatchRun.objects.get(pk=cworld.run.pk).status == RunStatus.QUEUED


def test_a_run_of_another_program_is_not_found_through_this_one(client, cworld):
    other = scenarios.program(coordinator=cworld.coordinator, name="Second Program", status="running")
    client.force_login(cworld.coordinator)
    url = reverse("matching:run_cancel", args=[other.slug, cworld.run.pk])
    assert client.post(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_worker_finishing_after_the_cancel_does_not_overwrite_it(client):
    world = with_pending_suggestions()
    before = dict(world.pending.values_list("pk", "run_id"))
    run = MatchRun.objects.create(program=world.program, trigger="coordinator")
    results = {}
    with locked("matching_matchsuggestion", world.pending.first().pk):
        worker = in_thread(lambda: runs.run_execute(run_id=run.pk), results, "worker")
        wait_for(waiting_on_a_lock, timeout=30, what="the worker to wait while saving")
        client.force_login(world.coordinator)
        client.post(reverse("matching:run_cancel", args=[world.program.slug, run.pk]))
    worker.join(timeout=30)
    assert results["worker"] is None
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "Cancelled by Lead Coordinator")
    assert dict(world.pending.values_list("pk", "run_id")) == before  # its saving was rolled back
    assert not UnmatchedReason.objects.filter(run=run).exists()


# --- (e) Nothing done twice --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", ["worker died", "task lost"])
def test_two_sweeps_at_once_send_a_run_once(case, runs_sent):
    world = scenarios.matching_world()
    run = MatchRun.objects.create(program=world.program, trigger="coordinator")
    now = timezone.now()
    if case == "worker died":
        worker_took_it_and_died(run, at=now - LATER)
    else:
        MatchRun.objects.filter(pk=run.pk).update(queued_at=now - LATER)
    results = {}
    # Both sweeps see the run as due, then wait on its row; one acts, the other finds it changed.
    with locked("matching_matchrun", run.pk):
        sweeps = [in_thread(lambda: runs.runs_recover(now=now), results, k) for k in (1, 2)]
        wait_for(lambda: waiting_on_a_lock() == 2, timeout=30, what="both sweeps to wait on the run")
    for sweep in sweeps:
        sweep.join(timeout=30)
    outcomes = sorted([outcome for _, outcome in results[1] + results[2]])
    assert outcomes == ["queued again" if case == "worker died" else "sent again"]
    assert runs_sent() == 1
    assert runs.runs_recover(now=now) == []


@pytest.mark.django_db(transaction=True)
def test_a_late_worker_and_the_one_the_sweep_handed_its_run_to_save_it_once(runs_sent):
    world = with_pending_suggestions()
    run = MatchRun.objects.create(program=world.program, trigger="coordinator")
    results = {}
    with locked("matching_matchsuggestion", world.pending.first().pk):
        late = in_thread(lambda: runs.run_execute(run_id=run.pk), results, "late")
        wait_for(lambda: waiting_on_a_lock() == 1, timeout=30, what="the first worker to wait while saving")
        # Past the time limit the sweep takes the first worker for dead and hands the run on.
        assert runs.runs_recover(now=timezone.now() + LATER) == [(run, "queued again")]
        second = in_thread(lambda: runs.run_execute(run_id=run.pk), results, "second")
        wait_for(lambda: waiting_on_a_lock() == 2, timeout=30, what="the second worker to wait too")
    late.join(timeout=30)
    second.join(timeout=30)
    assert results["late"] is None
    assert results["second"].status == RunStatus.DONE
    assert runs_sent() == 1  # by the sweep; the test's two workers took it directly
    run.refresh_from_db()
    assert (run.status, run.attempts, run.started_at) == (RunStatus.DONE, 2, results["second"].started_at)
    assert run.suggestions.filter(status=SuggestionStatus.PENDING).count() == 3
    assert UnmatchedReason.objects.filter(run=run).count() == 1  # Eve, once
    assert runs.runs_recover(now=timezone.now() + LATER) == []
