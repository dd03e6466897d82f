"""Running Django in a subprocess with production's environment (support for the settings,
logging and proxy tests)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-for-the-deploy-check-7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8",
    "ALLOWED_HOSTS": "mentoring.example.org",
    "SITE_URL": "https://mentoring.example.org",
    "DATABASE_URL": "postgres://app:secret@db.internal:5432/mentorship",
    "REDIS_URL": "redis://redis.internal:6379",
    "EMAIL_HOST": "smtp.example.org",
}


def production_like_environ():
    """This process's environment without anything a production deployment would not have."""
    unwanted = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in unwanted}


def run_django(code, env_overrides):
    env = production_like_environ()
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "mentorship.settings"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120
    )
