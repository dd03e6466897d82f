"""Accounts: email log-in, sign-up with mandatory verification, reset and change, rate limits."""

import re

import pytest
from django.urls import reverse

from mentorship.models import Profile, User
from tests import scenarios

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def sign_up(client, email="newcomer@example.org"):
    return client.post(
        reverse("account_signup"),
        {"name": "Newcomer", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_sends_a_verification_email_and_the_link_logs_the_person_in(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newcomer@example.org"]

    confirm_url = link_in(mailoutbox[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302

    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert b"My programs" in dashboard.content and b"My matches" in dashboard.content
    user = User.objects.get(email="newcomer@example.org")
    assert Profile.objects.filter(user=user).exists()


def test_an_unverified_account_cannot_log_in(client, mailoutbox):
    sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "newcomer@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_log_in_is_by_email_whatever_its_case(client):
    scenarios.person(email="ann@example.org", password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "Ann@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_the_sign_up_form_asks_for_no_username(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert 'name="email"' in content
    assert 'name="username"' not in content


def test_failed_logins_are_rate_limited_even_for_the_right_password_afterwards(client):
    scenarios.person(email="ann@example.org", password=PASSWORD)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "ann@example.org", "password": "wrong"})
        assert response.status_code == 200
        assert b"Too many failed login attempts" not in response.content
    response = client.post(reverse("account_login"), {"login": "ann@example.org", "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_logging_in_still_works_when_redis_is_down(client, settings):
    scenarios.person(email="ann@example.org", password=PASSWORD)
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/3"},
    }
    response = client.post(reverse("account_login"), {"login": "ann@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, mailoutbox):
    scenarios.person(email="ann@example.org", password=PASSWORD)
    client.post(reverse("account_reset_password"), {"email": "ann@example.org"})
    assert len(mailoutbox) == 1
    reset_url = link_in(mailoutbox[0])
    form_url = client.get(reset_url).url  # allauth moves the key into the session, then redirects
    response = client.post(
        form_url, {"password1": "another-fine-passphrase", "password2": "another-fine-passphrase"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="ann@example.org").check_password("another-fine-passphrase")


def test_a_signed_in_person_can_change_their_password_and_log_out(client):
    user = scenarios.person(email="ann@example.org", password=PASSWORD)
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-fine-passphrase",
            "password2": "another-fine-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-fine-passphrase")
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_admin_login_goes_through_the_rate_limited_site_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_staff_reach_the_admin_after_logging_in(client):
    staff = scenarios.person(email="staff@example.org", password=PASSWORD, is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/mentorship/user/").status_code == 200


def test_creating_a_user_creates_their_profile_and_normalises_the_email():
    user = User.objects.create_user(email="  Someone@Example.ORG", password=PASSWORD)
    assert user.email == "someone@example.org"
    assert user.profile.pk is not None
