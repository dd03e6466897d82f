"""Two-factor authentication: required for staff and coordinators, optional for everyone else."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests import scenarios

pytestmark = pytest.mark.django_db
SETUP = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def current_code(secret):
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def log_in(client, user):
    """Through the login page (force_login records no recent authentication, which setting up
    two-factor asks for)."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": scenarios.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return response


def reauthenticate(client):
    """allauth asks for the password again before two-factor set-up (a recent, explicit login)."""
    response = client.post("/accounts/reauthenticate/", {"password": scenarios.DEMO_PASSWORD})
    assert response.status_code == 302


def with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator", "staff"])
def test_staff_and_coordinators_without_two_factor_reach_only_its_set_up(client, world, role):
    log_in(client, world.people.as_role(role))
    for url in ("/dashboard/", f"/programs/{world.program.slug}/manage/", "/profile/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == SETUP, f"{role} at {url}"
    assert client.get(SETUP).url.startswith("/accounts/reauthenticate/")  # reachable: asks the password
    reauthenticate(client)
    assert client.get(SETUP).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_program_coordinator_outside_the_group_is_gated_too(client, world):
    world.program.coordinators.add(world.people.mentor)
    log_in(client, world.people.mentor)
    assert client.get("/dashboard/").url == SETUP


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_mentors_and_mentees_are_not_forced(client, world, role):
    log_in(client, world.people.as_role(role))
    assert client.get("/dashboard/").status_code == 200
    reauthenticate(client)
    assert client.get(SETUP).status_code == 200  # but may set it up


def test_setting_it_up_opens_the_site(client, world):
    coordinator = world.people.coordinator
    log_in(client, coordinator)
    reauthenticate(client)
    page = client.get(SETUP).content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in page
    response = client.post(SETUP, {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get(f"/programs/{world.program.slug}/manage/").status_code == 200


def test_with_two_factor_the_login_asks_for_a_code(client, world):
    coordinator = with_totp(world.people.coordinator)
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": scenarios.DEMO_PASSWORD}
    )
    assert response.status_code == 302 and "/2fa/authenticate/" in response.url
    assert client.get("/dashboard/").status_code == 302  # not logged in until the code
    secret = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP).wrap().instance.data
    assert secret  # the code step itself is allauth's, tested there; the browser test enters one
