"""Login rate limits behind a load balancer: each client is counted by its own address.

Every request reaches the web process from the balancer's address; the balancer appends the
client's address to X-Forwarded-For. With TRUSTED_PROXY_COUNT=1 the limit counts that entry, so one
client's failures lock out only that client. Without it the header is ignored, so a client who
forges it cannot escape the limit.
"""

import pytest
from django.urls import reverse

from tests import scenarios
from tests.mentorship.production_env import PRODUCTION_ENV, run_django

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"
BALANCER = "10.0.0.2"
LIMITED = b"Too many failed login attempts"


def log_in(client, *, email, password, forwarded_for=None):
    headers = {"REMOTE_ADDR": BALANCER}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def fail_until_limited(client, *, forwarded_for=None):
    """Guess passwords for made-up accounts (so the per-account limit never applies) until stopped."""
    for attempt in range(20):
        response = log_in(
            client, email=f"guess{attempt}@example.org", password="wrong", forwarded_for=forwarded_for
        )
        if LIMITED in response.content:
            return attempt
    raise AssertionError("failed logins were never limited")


def test_the_settings_read_the_proxy_count_and_header_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    result = run_django(
        code, {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "X-Real-IP"]


def test_behind_one_trusted_proxy_each_client_is_limited_separately(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    scenarios.person(email="bea@example.org", password=PASSWORD)

    assert fail_until_limited(client, forwarded_for="203.0.113.7") == 10

    response = log_in(client, email="bea@example.org", password=PASSWORD, forwarded_for="198.51.100.9")
    assert LIMITED not in response.content
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_the_limited_client_stays_limited_even_with_the_right_password(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    scenarios.person(email="bea@example.org", password=PASSWORD)
    fail_until_limited(client, forwarded_for="203.0.113.7")

    response = log_in(client, email="bea@example.org", password=PASSWORD, forwarded_for="203.0.113.7")
    assert LIMITED in response.content
    assert "_auth_user_id" not in client.session


def test_a_client_address_set_by_the_proxy_in_its_own_header_is_trusted(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    scenarios.person(email="bea@example.org", password=PASSWORD)
    for attempt in range(11):
        client.post(
            reverse("account_login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            REMOTE_ADDR=BALANCER,
            HTTP_X_REAL_IP="203.0.113.7",
        )

    response = client.post(
        reverse("account_login"),
        {"login": "bea@example.org", "password": PASSWORD},
        REMOTE_ADDR=BALANCER,
        HTTP_X_REAL_IP="198.51.100.9",
    )
    assert response.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    scenarios.person(email="bea@example.org", password=PASSWORD)
    fail_until_limited(client, forwarded_for="203.0.113.7")

    # The attacker claims a fresh address on every request; the limit still holds.
    for forged in ("198.51.100.9", "192.0.2.1, 198.51.100.10"):
        response = log_in(client, email="bea@example.org", password=PASSWORD, forwarded_for=forged)
        assert LIMITED in response.content
        assert "_auth_user_id" not in client.session
