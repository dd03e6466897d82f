"""New people are led on: sign-up asks a name, an invitation survives signing up and confirming the
email, saving the profile leads to the next step, and the dashboard shows each person a short
checklist (profile, application, consent, screening, match, first meeting)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.services import checkin_log
from matching import meetings
from matching import services as matching_services
from matching.models import MatchSource, Meeting
from mentorship import services as people_services
from mentorship.models import Profile, User
from programs import guardians, invitations
from programs import services as program_services
from programs.models import Role
from tests import scenarios

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"
DASHBOARD = "/dashboard/"


def sign_up(client, email, name="Ana Lopez", next_url=""):
    data = {"name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_signup"), data)


def confirmation_link(mailoutbox):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[-1].body).group(1)


def complete_profile(user, **extra):
    """What the profile needs for coordinators and matching (mentorship.steps.profile_gaps)."""
    Profile.objects.filter(user=user).update(
        display_name=extra.get("display_name", "Ana"),
        date_of_birth=extra.get("date_of_birth", dt.date(1990, 5, 1)),
        availability=0b111,
    )
    user.profile.refresh_from_db()
    user.profile.languages.set(people_services.languages_get_or_create(names=["English"]))
    user.profile.interests.set(people_services.tags_get_or_create(names=["Chess"]))
    # What matching compares: a mentee's goals with a mentor's skills.
    user.profile.goals.set(people_services.tags_get_or_create(names=["Maths"]))
    user.profile.skills.set(people_services.tags_get_or_create(names=["Maths"]))


PROFILE_POST = {
    "display_name": "Ana",
    "date_of_birth": "1990-05-01",
    "languages": "English",
    "interests": "chess",
    "availability": ["0", "1"],
    "meeting_mode": "either",
    "partner_gender_importance": "nice",
    "partner_age_band_importance": "nice",
    "contact_method": "email",
}


def next_step_text(response):
    """The text of the first undone step's box on the dashboard ("" if there is none)."""
    match = re.search(r'<li class="step-next".*?</li>', response.text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else ""


# --- Sign-up asks a name ----------------------------------------------------------------------------


def test_sign_up_asks_a_name_and_the_dashboard_greets_the_person_by_it(client, mailoutbox):
    page = client.get(reverse("account_signup"))
    assert 'name="name"' in page.text and "Your name" in page.text

    response = sign_up(client, "mentor-112533@example.org", name="  Ana   Lopez ")
    assert response.status_code == 302
    user = User.objects.get(email="mentor-112533@example.org")
    assert user.profile.display_name == "Ana Lopez"

    client.post(confirmation_link(mailoutbox))
    dashboard = client.get(DASHBOARD)
    assert "Welcome, Ana Lopez" in dashboard.text
    assert "Welcome, mentor-112533" not in dashboard.text


def test_sign_up_without_a_name_is_refused_with_the_form_shown_again(client):
    response = sign_up(client, "noname@example.org", name="   ")
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not User.objects.filter(email="noname@example.org").exists()


# --- An invitation survives sign-up and email confirmation -----------------------------------------


@pytest.fixture
def invitation(world):
    invitation, _ = invitations.invitation_send(
        program=world.program, email="kid@example.org", role=Role.MENTEE, by=world.people.coordinator
    )
    return invitation


def test_confirming_in_the_same_browser_lands_on_the_invitation(client, invitation, mailoutbox):
    url = invitation.get_absolute_url()
    sign_up(client, "kid@example.org", next_url=url)
    response = client.post(confirmation_link(mailoutbox))
    assert response.status_code == 302 and response.url == url
    page = client.get(url)
    assert "Continue to the application" in page.text


def test_an_invitation_survives_confirming_the_email_in_another_browser(client, invitation, mailoutbox):
    """The email app of a phone opens the link in its own browser: that session knows nothing of
    the invitation page the person came from. Logging in there used to lead to a dashboard that
    said nothing about the invitation."""
    url = invitation.get_absolute_url()
    sign_up(client, "kid@example.org", next_url=url)

    phone = Client()
    confirmed = phone.post(confirmation_link(mailoutbox))
    assert confirmed.url == reverse("account_login")
    logged_in = phone.post(reverse("account_login"), {"login": "kid@example.org", "password": PASSWORD})
    assert logged_in.url == DASHBOARD
    dashboard = phone.get(DASHBOARD)
    assert f"Your invitation to {invitation.program.name}" in dashboard.text
    assert f'href="{url}"' in dashboard.text
    # Profile first (a new account's is empty), then the invitation.
    assert "Next: Your profile" in next_step_text(dashboard)


def test_an_invitation_is_not_shown_to_another_account_nor_once_used(client, world, invitation):
    client.force_login(world.people.outsider)
    assert "Your invitation to" not in client.get(DASHBOARD).text

    kid = scenarios.person(email="kid@example.org", display_name="Kid")
    client.force_login(kid)
    assert "Your invitation to" in client.get(DASHBOARD).text
    scenarios.enroll(program=world.program, user=kid, role=Role.MENTEE)
    assert "Your invitation to" not in client.get(DASHBOARD).text


# --- Saving the profile leads on ------------------------------------------------------------------


def test_saving_the_profile_leads_a_newcomer_on_to_the_programs(client):
    user = scenarios.person(email="new@example.org")
    client.force_login(user)
    response = client.post(reverse("profile"), PROFILE_POST, follow=True)
    assert response.redirect_chain[-1][0] == reverse("programs:list")
    assert "Your profile is saved. Next: Choose a program and apply." in response.text


def test_saving_the_profile_leads_an_invited_person_to_their_invitation(client, invitation):
    kid = scenarios.person(email="kid@example.org")
    client.force_login(kid)
    # Invited as a mentee: matching reads their goals (mentorship.steps.profile_gaps, by role).
    response = client.post(reverse("profile"), PROFILE_POST, follow=True)
    assert "Your profile is saved. Still needed: your goals." in response.text
    response = client.post(reverse("profile"), {**PROFILE_POST, "goals": "maths"})
    assert response.url == invitation.get_absolute_url()


def test_saving_the_profile_goes_back_to_the_page_it_came_from_if_it_is_this_sites(client, world):
    user = scenarios.person(email="new@example.org")
    client.force_login(user)
    apply_url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    form = client.get(reverse("profile") + f"?next={apply_url}")
    assert f'name="next" value="{apply_url}"' in form.text
    assert client.post(reverse("profile"), {**PROFILE_POST, "next": apply_url}).url == apply_url
    # Another site is never a "next": on to the next step instead.
    evil = client.post(reverse("profile"), {**PROFILE_POST, "next": "https://evil.example/"})
    assert evil.url == reverse("programs:list")


def test_a_profile_saved_with_gaps_stays_and_says_what_is_still_needed(client):
    user = scenarios.person(email="new@example.org")
    client.force_login(user)
    response = client.post(reverse("profile"), {**PROFILE_POST, "languages": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "Your profile is saved. Still needed: a language you speak." in response.text


def test_the_apply_page_links_to_the_profile_and_back(client, world):
    user = scenarios.person(email="new@example.org")
    client.force_login(user)
    apply_url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    page = client.get(apply_url)
    assert f'href="{reverse("profile")}?next={apply_url}"' in page.text


# --- The dashboard's checklist -------------------------------------------------------------------


def test_a_newcomer_is_told_to_complete_their_profile_then_to_apply(client):
    user = scenarios.person(email="new@example.org")
    client.force_login(user)
    page = client.get(DASHBOARD)
    assert "Your next steps" in page.text and "Getting started" in page.text
    step = next_step_text(page)
    assert "Complete your profile" in step
    assert "Still needed: your name, your date of birth, a language you speak" in step

    complete_profile(user)
    page = client.get(DASHBOARD)
    assert "Done: Your profile" in re.sub(r"<[^>]+>", " ", page.text).replace("  ", " ")
    assert "Choose a program and apply" in next_step_text(page)


def test_a_minor_mentee_walks_the_checklist_to_the_first_meeting(client):
    world = scenarios.matching_world()
    lead = world.coordinator
    kid = scenarios.person(email="kid@example.org", display_name="Kid")
    complete_profile(kid, display_name="Kid", date_of_birth=dt.date.today() - dt.timedelta(days=16 * 366))
    client.force_login(kid)
    enrollment = scenarios.enroll(program=world.program, user=kid, role=Role.MENTEE)

    page = client.get(DASHBOARD)
    assert f"{world.program.name}, as a mentee" in page.text
    assert "Ask a parent or guardian for their consent" in next_step_text(page)

    consent = guardians.guardian_request_consent(
        enrollment=enrollment, name="Pat", email="pat@example.org", by=lead
    )
    assert "Waiting for your parent or guardian to answer our email" in next_step_text(client.get(DASHBOARD))

    guardians.guardian_answer(consent=consent, given=True, signed_name="Pat", relationship="Father")
    assert "The coordinators are reviewing your application" in next_step_text(client.get(DASHBOARD))

    program_services.enrollment_transition(
        enrollment=enrollment, to_status="in_screening", by=lead, notify=False
    )
    program_services.enrollment_transition(enrollment=enrollment, to_status="approved", by=lead, notify=False)
    assert "The coordinators will suggest a mentor" in next_step_text(client.get(DASHBOARD))

    enrollment.refresh_from_db()
    match = matching_services.match_propose(
        program=world.program,
        mentee=enrollment,
        mentor=world.mentors["ada"],
        by=lead,
        source=MatchSource.MANUAL,
    )
    page = client.get(DASHBOARD)
    assert "Confirm your match agreement" in next_step_text(page)
    assert f'href="{match.get_absolute_url()}"' in page.text

    matching_services.match_confirm(match=match, by=kid)
    matching_services.match_confirm(match=match, by=world.mentors["ada"].user)
    match.refresh_from_db()
    # Active: plan the first meeting; once planned, when it is; after it, log it.
    page = client.get(DASHBOARD)
    assert "Plan your first meeting" in next_step_text(page)
    assert reverse("matching:meetings", args=[match.pk]) in page.text
    soon = timezone.now() + dt.timedelta(days=2)
    meeting = meetings.meeting_propose(match=match, by=kid, starts_at=soon, place="Central Library")
    meetings.meeting_accept(meeting=meeting, by=world.mentors["ada"].user)
    assert "See your first meeting" in next_step_text(client.get(DASHBOARD))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    page = client.get(DASHBOARD)
    assert "Log your first meeting" in next_step_text(page)
    assert reverse("evaluation:checkin_new", args=[match.pk]) in page.text

    checkin_log(match=match, by=kid, occurred_on=max(match.started_on, dt.date.today()))
    page = client.get(DASHBOARD)
    assert "Your next steps" not in page.text  # all done: nothing to nag about


def test_coordinators_are_not_told_to_apply(client, world):
    client.force_login(world.people.coordinator)
    assert "Your next steps" not in client.get(DASHBOARD).text


def test_the_dashboard_asks_the_same_number_of_queries_however_many_programs(client):
    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
        return len(queries)

    world = scenarios.matching_world()
    one = scenarios.person(email="one@example.org")
    complete_profile(one)
    scenarios.enroll(program=world.program, user=one, role=Role.MENTOR)

    many = scenarios.person(email="many@example.org")
    complete_profile(many)
    for n in range(3):
        other = scenarios.program(coordinator=world.coordinator, name=f"Program {n}")
        scenarios.enroll(program=other, user=many, role=Role.MENTEE)
        invited = scenarios.program(coordinator=world.coordinator, name=f"Invited {n}")
        invitations.invitation_send(
            program=invited, email="many@example.org", role=Role.MENTOR, by=world.coordinator
        )
    scenarios.enroll(program=world.program, user=many, role=Role.MENTOR)
    assert count(many) == count(one)


def test_the_invitation_page_asks_a_newcomer_to_complete_their_profile_first(client, invitation):
    kid = scenarios.person(email="kid@example.org")
    client.force_login(kid)
    url = invitation.get_absolute_url()
    page = client.get(url)
    assert f'href="{reverse("profile")}?next={url}"' in page.text
    assert "which still needs your name, your date of birth" in page.text
    assert "Continue to the application" in page.text  # still possible: the application asks too

    complete_profile(kid)
    assert "Complete your profile" not in client.get(url).text


def test_an_approved_mentor_waits_for_their_screening_and_is_told_what_is_missing(client):
    world = scenarios.matching_world()
    mentor = scenarios.person(email="mo@example.org", display_name="Mo")
    complete_profile(mentor, display_name="Mo")
    scenarios.enroll(program=world.program, user=mentor, role=Role.MENTOR, status="approved")
    client.force_login(mentor)
    step = next_step_text(client.get(DASHBOARD))
    assert "Screening by the coordinators" in step
    assert "The coordinators are finishing your screening" in step
    items = [item.name.lower() for item in world.program.checklist_items.all()]
    assert items and all(item in step for item in items)
