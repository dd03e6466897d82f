import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings

from mentorship.env import redis_url_with_db
from tests import scenarios

# The tests use their own Redis databases (the server may be the one `make run` is using): a
# running demo worker never sees a test's task, and the tests never see its cache keys.
TEST_BROKER_DB = 2
TEST_CACHE_DB = 3


def pytest_configure(config):
    # Hashing passwords the production way costs ~0.3 s each; tests create hundreds of accounts.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise warns when the collectstatic folder is missing; tests serve from the finders.
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    django_settings.CELERY_BROKER_URL = redis_url_with_db(django_settings.REDIS_URL, TEST_BROKER_DB)
    django_settings.CACHES["default"]["LOCATION"] = redis_url_with_db(
        django_settings.REDIS_URL, TEST_CACHE_DB
    )
    # Keys of their own too: two sessions sharing that database never clear each other's
    # rate-limit counters in the middle of a test (see _fresh_cache).
    django_settings.CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
    # A queue per test session: two sessions sharing a Redis never take each other's tasks.
    django_settings.CELERY_TASK_DEFAULT_QUEUE = f"test-{os.getpid()}"
    from mentorship.celery import app

    app.conf.broker_url = django_settings.CELERY_BROKER_URL
    app.conf.task_default_queue = django_settings.CELERY_TASK_DEFAULT_QUEUE


def pytest_collection_modifyitems(config, items):
    # Browser tests last: quick feedback first.
    items.sort(key=lambda item: "/e2e/" in str(item.path))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # Several test sessions may share one PostgreSQL server (two checkouts, or `make test` while
    # another run is going): each session gets a test database of its own.
    test_settings = django_settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["NAME"] = f"test_{django_settings.DATABASES['default']['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _production_like(settings):
    # The tests run with DEBUG=true (tests/development.py), so settings hold the development
    # defaults; the behaviour under test is production's.
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    # The two-factor gate for staff and coordinators has its own tests (tests/mentorship/test_mfa.py,
    # tests/e2e/test_mfa.py); elsewhere they act as people who set it up already.
    settings.MFA_REQUIRED_FOR_STAFF = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none. Only this session's keys
    # are deleted: cache.clear() would empty the database for every session using it.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)
    yield


@pytest.fixture
def people(db):
    """One account per role of the role x URL matrix (programs come with later issues)."""
    return scenarios.role_people()


@pytest.fixture
def world(db):
    """people (one per role) plus a program run by people.coordinator with a mentee and a mentor
    applied, and another program run by people.other_coordinator."""
    return scenarios.role_world()


@pytest.fixture
def send_queued_emails():
    """Send what the outbox holds (a worker would), so mailoutbox shows it."""
    from mentorship.services import email_send_pending

    return email_send_pending


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker process on the real Redis, working on this session's test database
    and default queue. Yields the worker's log path."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.worker import database_url_of_test_database

    log_path = tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": django_settings.REDIS_URL,
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": django_settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--pool", "solo",
             "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
            cwd=Path(__file__).resolve().parents[1], env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert worker.poll() is None and "ready." in log_path.read_text(), log_path.read_text()
        yield log_path
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def login_as(client):
    """``login_as(world, role)``: the test client signs in as the world's person for ``role`` (one
    of tests.scenarios.ROLES; nobody for "anonymous"). Returns that person."""

    def login(world, role):
        user = world.as_role(role)
        if user is not None:
            client.force_login(user)
        return user

    return login


# The URL matrix's world (tests/url_matrix.py), for the modules that walk every page.
@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    # Built once, in a transaction rolled back after the module's last test; each test's own
    # transaction (the db fixture) is a savepoint inside it.
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        yield scenarios.url_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(module_world, db):
    return module_world
