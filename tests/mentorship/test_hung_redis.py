"""A hung Redis (it accepts connections and never answers) never holds up a web request.

Redis that is down refuses at once; a hung one (a stopped process, a full network buffer, a
failing host) lets every call wait for its timeout. The rate-limit cache then fails open for a
while without asking again, and a request tries the broker at most once: its emails stay in the
outbox, where the periodic sweep finds them.
"""

import contextlib
import logging
import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from mentorship.celery import app as celery_app
from mentorship.models import OutboundEmail
from mentorship.queue import broker_failure_forget
from tests import scenarios

pytestmark = pytest.mark.django_db
FAST = 1.0  # seconds; the old code took 5-10 s per page


@pytest.fixture
def warm_site(client):
    """The first request of a test process imports views and compiles templates (~2 s): not Redis."""
    client.get(reverse("account_login"))
    client.get(reverse("account_signup"))


@pytest.fixture
def hung_redis(warm_site, settings):
    """Point the cache and the broker at a TCP server that accepts and never replies."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    held, stop = [], threading.Event()

    def accept_and_ignore():
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_ignore, daemon=True)
    thread.start()
    url = f"redis://127.0.0.1:{listener.getsockname()[1]}"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"{url}/3"}}
    original_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"{url}/2"
    try:
        yield
    finally:
        celery_app.conf.broker_url = original_broker
        # The tests run the commit callbacks after the request ended, in this thread: later tests
        # in it must not inherit the failure.
        broker_failure_forget()
        stop.set()
        thread.join()
        listener.close()
        for connection in held:
            connection.close()


@contextlib.contextmanager
def timed(times, name):
    start = time.monotonic()
    yield
    times[name] = time.monotonic() - start


def test_pages_answer_at_once_and_emails_wait_in_the_outbox(
    hung_redis, world, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING)
    times = {}
    client, newcomer = Client(), Client()
    coordinator = world.people.coordinator
    slug, pk = world.program.slug, world.mentor_enrollment.pk
    password = {"password1": "a-long-and-unusual-passphrase", "password2": "a-long-and-unusual-passphrase"}

    with timed(times, "log in"):
        response = client.post(
            reverse("account_login"), {"login": coordinator.email, "password": scenarios.DEMO_PASSWORD}
        )
    assert response.status_code == 302 and response.url == reverse("dashboard")

    with timed(times, "sign-up page"):
        assert newcomer.get(reverse("account_signup")).status_code == 200
    with timed(times, "sign up"):
        response = newcomer.post(
            reverse("account_signup"), {"name": "New", "email": "new@hung.test", **password}
        )
    assert response.status_code == 302

    # The callbacks run when the block ends, as they would when the request's transaction commits.
    with timed(times, "status change"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:applicant_status", args=[slug, pk]),
            {"decision-status": "in_screening", "decision-note": ""},
        )
    assert response.status_code == 302

    with timed(times, "dashboard"):
        assert client.get(reverse("dashboard")).status_code == 200

    assert all(seconds < FAST for seconds in times.values()), times
    assert caplog.text.count("cache unavailable") == 1  # one timeout, then the cache is skipped
    email = OutboundEmail.objects.get(to=world.people.mentor.email, kind="enrollment_in_screening")
    assert email.sent_at is None and email.attempts == 0  # left for the sweep
    assert "could not send task mentorship.tasks.send_queued_emails" in caplog.text


def test_a_request_that_queues_two_emails_tries_the_broker_once_and_the_next_request_again(
    hung_redis, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="mentorship.queue")
    world = scenarios.matching_world()
    client = Client()
    client.force_login(world.coordinator)

    def match(mentee, mentor):  # the coordinator's manual match: an introduction email to each
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("matching:manual", args=[world.program.slug]),
                {"mentee": mentee.pk, "mentor": mentor.pk},
            )
        assert response.status_code == 302
        return time.monotonic() - started

    ben, ada = world.mentees["ben"], world.mentors["ada"]
    elapsed = match(ben, ada)
    assert elapsed < FAST, elapsed
    introductions = OutboundEmail.objects.filter(kind="match_introduction", sent_at__isnull=True)
    assert sorted(introductions.values_list("to", flat=True)) == [ada.user.email, ben.user.email]
    assert caplog.text.count("could not send task") == 1
    assert caplog.text.count("not queued: the broker did not answer earlier in this request or task") == 1

    match(world.mentees["fay"], world.mentors["gus"])
    assert caplog.text.count("could not send task") == 2  # a new request tries the broker again
    assert introductions.count() == 4


def test_the_cache_asks_redis_again_once_the_fail_open_period_is_over(hung_redis, settings):
    options = {**settings.CACHES["default"]["OPTIONS"], "fail_open_seconds": 0.3}
    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": options}}

    def timed_get():
        started = time.monotonic()
        assert cache.get("key", "missing") == "missing"
        return time.monotonic() - started

    assert timed_get() >= settings.REDIS_SOCKET_TIMEOUT  # asked, and timed out
    assert timed_get() < 0.05  # not asked
    time.sleep(0.3)
    assert timed_get() >= settings.REDIS_SOCKET_TIMEOUT  # asked again
