"""A coordinator logs in, is sent to set up two-factor authentication, confirms their password,
enters a code computed from the secret shown, and reaches the program."""

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import expect

from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_sets_up_an_authenticator_app_and_reaches_the_program(
    page, live_server, settings, look
):
    settings.MFA_REQUIRED_FOR_STAFF = True
    rosa = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    program = scenarios.program(coordinator=rosa, name="Riverside Youth Mentoring")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(rosa.email)
    page.get_by_label("Password:", exact=True).fill(scenarios.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Sent to the set-up; allauth asks for the password once more first.
    page.get_by_label("Password", exact=False).first.fill(scenarios.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Authenticator")
    look(page, "mfa-setup")
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()

    page.goto(live_server.url + f"/programs/{program.slug}/manage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Youth Mentoring")
