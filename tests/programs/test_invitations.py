"""Coordinators invite people by email; the invitee follows the link to apply."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import OutboundEmail
from programs import recruitment, services
from programs.models import Invitation, ProgramStatus, Role
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"

MANAGE_EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}


def login(client, world, role):
    user = world.people.as_role(role)
    if user is not None:
        client.force_login(user)
    return user


def invite_url(program):
    return reverse("programs:invite", args=[program.slug])


def invite(program, email="newcomer@example.org", role=Role.MENTEE, by=None, note=""):
    invitation, _ = recruitment.invitation_send(
        program=program, email=email, role=role, by=by or program.coordinators.first(), note=note
    )
    return invitation


# --- Who may do what -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_invite_page_answers_only_the_programs_coordinators_and_staff(client, world, role):
    login(client, world, role)
    response = client.get(invite_url(world.program))
    assert response.status_code == MANAGE_EXPECTED[role]
    if role == "anonymous":
        assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinators_and_staff_can_send_invitations(client, world, role):
    login(client, world, role)
    response = client.post(invite_url(world.program), {"email": "x@example.org", "role": "mentee"})
    expected = 302 if role in ("anonymous", "coordinator", "staff") else 404
    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith(LOGIN)
    sent = Invitation.objects.filter(email="x@example.org").exists()
    assert sent == (role in ("coordinator", "staff"))


@pytest.mark.parametrize("role", ROLES)
def test_the_invitation_page_is_public_to_whoever_has_the_link(client, world, role):
    invitation = invite(world.program)
    login(client, world, role)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    assert world.program.name in response.text


def test_an_unknown_token_is_404(client, world):
    invite(world.program)
    assert client.get("/invitations/8c5b6f7e-0d1c-4c55-9a6e-2f6ab1c9d111/").status_code == 404
    assert client.post("/invitations/8c5b6f7e-0d1c-4c55-9a6e-2f6ab1c9d111/").status_code == 404


# --- Sending -----------------------------------------------------------------------------------------


def test_coordinator_invites_someone_and_they_get_an_email_with_a_working_link(
    client, world, mailoutbox, send_queued_emails, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    client.force_login(world.people.coordinator)
    response = client.post(
        invite_url(world.program),
        {"email": " New.Person@Example.org ", "role": "mentor", "note": "We'd love your help with CVs."},
        follow=True,
    )
    assert "Invitation sent to new.person@example.org" in response.text
    invitation = Invitation.objects.get(program=world.program)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.person@example.org",
        Role.MENTOR,
        world.people.coordinator,
    )

    send_queued_emails()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@example.org"]
    assert world.program.name in message.subject
    assert "mentor" in message.subject
    assert world.program.description in message.body
    assert "We'd love your help with CVs." in message.body  # plain text: not HTML-escaped
    link = re.search(r"https://mentoring\.example\.org(/invitations/[0-9a-f-]+/)", message.body)
    assert link, message.body
    assert link.group(1) == invitation.get_absolute_url()

    page = client.get(link.group(1))
    assert page.status_code == 200
    assert world.program.description in page.text
    assert "mentor" in page.text.lower()


def test_inviting_the_same_address_again_resends_the_same_invitation(
    client, world, mailoutbox, send_queued_emails
):
    client.force_login(world.people.coordinator)
    client.post(invite_url(world.program), {"email": "again@example.org", "role": "mentee"})
    response = client.post(
        invite_url(world.program), {"email": "AGAIN@example.org", "role": "mentor"}, follow=True
    )
    assert "Invitation re-sent to again@example.org" in response.text
    invitation = Invitation.objects.get(program=world.program, email="again@example.org")
    assert invitation.role == Role.MENTOR  # the latest choice

    send_queued_emails()
    assert len(mailoutbox) == 2
    assert all(invitation.get_absolute_url() in message.body for message in mailoutbox)


def test_the_same_address_can_be_invited_to_two_programs(world):
    invite(world.program, email="both@example.org")
    invite(world.other_program, email="both@example.org")
    assert Invitation.objects.filter(email="both@example.org").count() == 2


def test_an_accepted_invitation_is_reported_not_resent(client, world):
    invitation = invite(world.program, email="done@example.org")
    newcomer = scenarios.person(email="done@example.org")
    enrollment = scenarios.enroll(program=world.program, user=newcomer, role=Role.MENTEE)
    services.invitation_mark_accepted(invitation=invitation, enrollment=enrollment)
    emails_before = OutboundEmail.objects.count()

    client.force_login(world.people.coordinator)
    response = client.post(invite_url(world.program), {"email": "done@example.org", "role": "mentee"})
    assert response.status_code == 200
    assert "already accepted" in response.text
    assert OutboundEmail.objects.count() == emails_before


def test_someone_already_enrolled_is_not_invited(client, world):
    client.force_login(world.people.coordinator)
    response = client.post(invite_url(world.program), {"email": world.people.mentee.email, "role": "mentee"})
    assert response.status_code == 200
    assert "already enrolled" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b@c.org"])
def test_a_bad_email_rerenders_the_form_with_an_error(client, world, email):
    client.force_login(world.people.coordinator)
    response = client.post(invite_url(world.program), {"email": email, "role": "mentee"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.filter(kind="invitation").exists()


def test_an_unknown_role_rerenders_the_form(client, world):
    client.force_login(world.people.coordinator)
    response = client.post(invite_url(world.program), {"email": "a@example.org", "role": "coordinator"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_nobody_is_invited_to_a_closed_program(client, world):
    services.program_set_status(
        program=world.program, status=ProgramStatus.CLOSED, by=world.people.coordinator
    )
    client.force_login(world.people.coordinator)
    response = client.post(invite_url(world.program), {"email": "a@example.org", "role": "mentee"})
    assert "closed" in response.text
    assert not Invitation.objects.exists()


def test_nobody_is_invited_to_a_draft_program_where_the_link_would_lead_nowhere(client, world):
    draft = scenarios.program(
        coordinator=world.people.coordinator, name="Next Year", status=ProgramStatus.DRAFT
    )
    client.force_login(world.people.coordinator)
    response = client.post(invite_url(draft), {"email": "a@example.org", "role": "mentee"})
    assert "Open the program before inviting people" in response.text
    assert not Invitation.objects.exists()


def test_posting_fields_the_form_does_not_have_changes_nothing(client, world):
    client.force_login(world.people.coordinator)
    client.post(
        invite_url(world.program),
        {
            "email": "sneaky@example.org",
            "role": "mentee",
            "program": world.other_program.pk,
            "token": "8c5b6f7e-0d1c-4c55-9a6e-2f6ab1c9d111",
            "accepted_at": "2020-01-01T00:00:00Z",
            "invited_by": world.people.staff.pk,
            "status": "approved",
        },
    )
    invitation = Invitation.objects.get(email="sneaky@example.org")
    assert invitation.program == world.program
    assert str(invitation.token) != "8c5b6f7e-0d1c-4c55-9a6e-2f6ab1c9d111"
    assert invitation.accepted_at is None
    assert invitation.invited_by == world.people.coordinator
    assert not world.other_program.invitations.exists()


# --- The list of invitations ----------------------------------------------------------------------------


def test_the_invite_page_lists_this_programs_invitations_only(client, world):
    invite(world.program, email="ours@example.org", role=Role.MENTOR)
    invite(world.other_program, email="theirs@example.org")
    client.force_login(world.people.coordinator)
    response = client.get(invite_url(world.program))
    assert "ours@example.org" in response.text
    assert "theirs@example.org" not in response.text
    assert "Not yet" in response.text


def test_the_invite_page_takes_the_same_number_of_queries_for_2_or_20_invitations(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.people.coordinator)
    for n in range(2):
        invite(world.program, email=f"few{n}@example.org")
    client.get(invite_url(world.program))  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(invite_url(world.program)).status_code == 200
    for n in range(18):
        invite(world.program, email=f"many{n}@example.org", role=Role.MENTOR)
    with django_assert_max_num_queries(len(few)), CaptureQueriesContext(connection) as many:
        response = client.get(invite_url(world.program))
    assert response.text.count("@example.org</th>") == 20
    assert len(many) == len(few)


# --- Accepting -----------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_offered_sign_up_and_log_in_that_come_back_here(client, world):
    invitation = invite(world.program, role=Role.MENTOR)
    response = client.get(invitation.get_absolute_url())
    here = invitation.get_absolute_url()
    assert f'href="{reverse("account_signup")}?next={here}"' in response.text
    assert f'href="{reverse("account_login")}?next={here}"' in response.text
    assert "Continue to the application" not in response.text
    assert world.program.description in response.text
    assert "mentor" in response.text


def test_an_anonymous_post_goes_to_log_in_and_stores_nothing(client, world):
    invitation = invite(world.program)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "invitation_token" not in client.session


def test_a_logged_in_visitor_continues_to_the_application_for_the_invited_role(client, world):
    invitation = invite(world.program, email="invitee@example.org", role=Role.MENTOR)
    invitee = scenarios.person(email="invitee@example.org")
    client.force_login(invitee)
    page = client.get(invitation.get_absolute_url())
    assert "Continue to the application" in page.text

    # A role smuggled into the post does not change the role the invitation is for.
    response = client.post(invitation.get_absolute_url(), {"role": "mentee"})
    assert response.status_code == 302
    assert response.url == reverse("programs:apply", args=[world.program.slug, "mentor"])
    assert client.session["invitation_token"] == str(invitation.token)


def test_an_accepted_invitation_says_so_and_links_to_the_program(client, world):
    invitation = invite(world.program, email="done@example.org")
    newcomer = scenarios.person(email="done@example.org")
    enrollment = scenarios.enroll(program=world.program, user=newcomer, role=Role.MENTEE)
    services.invitation_mark_accepted(invitation=invitation, enrollment=enrollment)

    client.force_login(world.people.mentor)
    response = client.get(invitation.get_absolute_url())
    assert "already been accepted" in response.text
    assert f'href="{world.program.get_absolute_url()}"' in response.text
    assert "Continue to the application" not in response.text
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 200
    assert "invitation_token" not in client.session


def test_an_invitation_to_a_closed_program_says_the_program_is_closed(client, world):
    invitation = invite(world.program)
    services.program_set_status(
        program=world.program, status=ProgramStatus.CLOSED, by=world.people.coordinator
    )
    client.force_login(world.people.mentor)
    response = client.get(invitation.get_absolute_url())
    assert "This program is closed" in response.text
    assert "Continue to the application" not in response.text
    client.post(invitation.get_absolute_url())
    assert "invitation_token" not in client.session


def test_someone_already_in_the_program_is_told_so(client, world):
    invitation = invite(world.program, email="someone@example.org")
    client.force_login(world.people.mentee)
    response = client.get(invitation.get_absolute_url())
    assert "already applied" in response.text
    assert "Continue to the application" not in response.text
