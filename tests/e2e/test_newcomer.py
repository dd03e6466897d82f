"""A 16-year-old invited as a mentee signs up with their name, confirms their email on another
device (the phone's email app), finds the invitation on their dashboard, is led through their
profile to the application, and sees their next steps."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from programs import invitations
from programs.models import Enrollment, Role
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-and-unusual-passphrase"
EMAIL = "zoe.park@example.org"


def test_an_invited_teenager_signs_up_confirms_elsewhere_and_is_led_to_apply(
    page, browser, live_server, mailoutbox, look
):
    lead = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    program = scenarios.program(coordinator=lead, name="Riverside Youth Mentoring")
    invitation, _ = invitations.invitation_send(program=program, email=EMAIL, role=Role.MENTEE, by=lead)
    invitation_url = live_server.url + invitation.get_absolute_url()

    # The link in the invitation email, on a laptop: sign up from there, with a name.
    page.goto(invitation_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("You are invited to Riverside Youth Mentoring")
    look(page, "newcomer-invitation")
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name:", exact=True).fill("Zoe Park")
    page.get_by_label("Email:", exact=True).fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    look(page, "newcomer-sign-up")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The confirmation email is opened on the phone: a browser that never saw the invitation.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[-1].body).group(0)
    phone_context = browser.new_context(viewport={"width": 375, "height": 740})
    phone = phone_context.new_page()
    try:
        phone.goto(link)
        phone.get_by_role("button", name="Confirm").click()
        phone.get_by_label("Email:", exact=True).fill(EMAIL)
        phone.get_by_label("Password:", exact=True).fill(PASSWORD)
        phone.get_by_role("button", name="Log in").click()

        # The dashboard greets them by name and keeps the invitation in sight, profile first.
        expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Zoe Park")
        steps = phone.get_by_role("region", name="Your next steps")
        expect(
            steps.get_by_role("link", name="Your invitation to Riverside Youth Mentoring")
        ).to_have_attribute("href", invitation.get_absolute_url())
        look(phone, "newcomer-dashboard-invited")
        steps.get_by_role("link", name="Complete your profile").click()

        # The profile; saving it leads on to the invitation.
        expect(phone.get_by_role("heading", level=1)).to_have_text("Your profile")
        expect(phone.get_by_label("Name to show")).to_have_value("Zoe Park")
        born = dt.date.today().replace(year=dt.date.today().year - 16) - dt.timedelta(days=40)
        phone.get_by_label("Date of birth").fill(born.isoformat())
        phone.get_by_label("Languages you speak").fill("English")
        phone.get_by_label("Goals").fill("Maths, Confidence")
        phone.get_by_label("Tuesday afternoon").check()
        phone.get_by_label("Saturday morning").check()
        phone.get_by_role("button", name="Save profile").click()
        expect(phone.get_by_role("status")).to_contain_text(
            "Your profile is saved. Next: Accept your invitation to Riverside Youth Mentoring."
        )
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "You are invited to Riverside Youth Mentoring"
        )
        look(phone, "newcomer-invitation-accept")

        # The application: a minor names a parent or guardian.
        phone.get_by_role("button", name="Continue to the application").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "Apply to Riverside Youth Mentoring as a mentee"
        )
        phone.get_by_label("Why do you want to take part?").fill("I want help with maths and confidence.")
        phone.get_by_label("How did you hear about the program?").select_option("invitation")
        phone.get_by_label("Parent or guardian's name").fill("Sam Park")
        phone.get_by_label("Parent or guardian's email").fill("sam.park@example.org")
        look(phone, "newcomer-apply")
        phone.get_by_role("button", name="Send my application").click()
        expect(phone.get_by_text("Your application to Riverside Youth Mentoring is in")).to_be_visible()

        # The dashboard's checklist: profile and application ticked, the guardian's answer next.
        phone.goto(live_server.url + "/dashboard/")
        steps = phone.get_by_role("region", name="Your next steps")
        checklist = steps.get_by_role("list", name="Riverside Youth Mentoring, as a mentee")
        expect(checklist.get_by_role("listitem").nth(0)).to_contain_text("Done: Your profile")
        expect(checklist.get_by_role("listitem").nth(1)).to_contain_text("Done: Your application")
        expect(checklist.get_by_role("listitem").nth(2)).to_contain_text(
            "Waiting for your parent or guardian to answer our email"
        )
        expect(checklist.get_by_role("listitem").nth(3)).to_contain_text(
            "Later: Screening by the coordinators"
        )
        expect(steps.get_by_text("Your invitation to")).to_have_count(0)
        look(phone, "newcomer-dashboard-applied")
    finally:
        phone_context.close()

    enrollment = Enrollment.objects.get(user__email=EMAIL)
    assert (enrollment.program, enrollment.role, enrollment.source) == (program, Role.MENTEE, "invited")
    assert enrollment.user.profile.display_name == "Zoe Park"
    assert enrollment.guardian_email == "sam.park@example.org"
