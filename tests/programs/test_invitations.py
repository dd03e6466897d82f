"""Coordinators invite people by email; the invitee follows the link to apply."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import OutboundEmail
from programs import invitations, services
from programs.models import Enrollment, Invitation, ProgramStatus, Role, Source
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"

MANAGE_EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "outsider": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}


def invite_url(program):
    return reverse("programs:invite", args=[program.slug])


def invite(program, email="newcomer@example.org", role=Role.MENTEE, by=None, note=""):
    invitation, _ = invitations.invitation_send(
        program=program, email=email, role=role, by=by or program.coordinators.first(), note=note
    )
    return invitation


# --- Who may do what -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_invite_page_answers_only_the_programs_coordinators_and_staff(client, world, role, login_as):
    login_as(world, role)
    response = client.get(invite_url(world.program))
    assert response.status_code == MANAGE_EXPECTED[role]
    if role == "anonymous":
        assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinators_and_staff_can_send_invitations(client, world, role, login_as):
    login_as(world, role)
    response = client.post(invite_url(world.program), {"email": "x@example.org", "role": "mentee"})
    expected = 302 if role in ("anonymous", "coordinator", "staff") else 404
    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith(LOGIN)
    sent = Invitation.objects.filter(email="x@example.org").exists()
    assert sent == (role in ("coordinator", "staff"))


@pytest.mark.parametrize("role", ROLES)
def test_the_invitation_page_is_public_to_whoever_has_the_link(client, world, role, login_as):
    invitation = invite(world.program)
    login_as(world, role)
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


def test_inviting_the_same_address_again_resends_with_a_new_link_and_the_old_one_stops_working(
    client, world, mailoutbox, send_queued_emails
):
    # (Logging in inside each trip in time: a session does not last for months.)
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.people.coordinator)
        client.post(invite_url(world.program), {"email": "again@example.org", "role": "mentee"})
    first = Invitation.objects.get(program=world.program, email="again@example.org")
    with time_machine.travel(dt.datetime(2027, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.people.coordinator)
        response = client.post(
            invite_url(world.program), {"email": "AGAIN@example.org", "role": "mentor"}, follow=True
        )
    assert "Invitation re-sent to again@example.org" in response.text
    invitation = Invitation.objects.get(program=world.program, email="again@example.org")
    assert invitation.pk == first.pk
    assert invitation.role == Role.MENTOR  # the latest choice
    assert invitation.token != first.token
    assert invitation.sent_at == dt.datetime(2027, 3, 20, 12, 0, tzinfo=dt.UTC)
    assert invitation.expires_at == dt.datetime(2027, 4, 19, 12, 0, tzinfo=dt.UTC)  # 30 days on

    with time_machine.travel(dt.datetime(2027, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        send_queued_emails()
    assert len(mailoutbox) == 2
    assert first.get_absolute_url() in mailoutbox[0].body
    assert invitation.get_absolute_url() in mailoutbox[1].body
    assert client.get(first.get_absolute_url()).status_code == 404
    assert client.get(invitation.get_absolute_url()).status_code == 200


def test_an_invitation_expires_after_the_programs_number_of_days(
    client, world, mailoutbox, send_queued_emails
):
    world.program.invitation_valid_days = 10
    world.program.save(update_fields=["invitation_valid_days"])
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC), tick=False):
        invitation = invite(world.program, email="soon@example.org")
    assert invitation.sent_at == dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)
    assert invitation.expires_at == dt.datetime(2027, 3, 11, 9, 30, tzinfo=dt.UTC)
    assert invitation.source == Source.INVITED
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC), tick=False):
        send_queued_emails()
    assert "until 11 March 2027" in mailoutbox[0].body
    assert "soon@example.org" in mailoutbox[0].body  # the address to log in with


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
    assert "Waiting" in response.text


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


def test_an_invitee_who_meanwhile_applied_on_their_own_is_told_so(client, world):
    invitation = invite(world.program, email="someone@example.org")
    someone = scenarios.person(email="someone@example.org")
    scenarios.enroll(program=world.program, user=someone, role=Role.MENTEE)
    client.force_login(someone)
    response = client.get(invitation.get_absolute_url())
    assert "already applied" in response.text
    assert "Continue to the application" not in response.text


# --- Only the invitee can use it -------------------------------------------------------------------


def apply_url(program, role):
    return reverse("programs:apply", args=[program.slug, role])


def keep_token(client, invitation):
    """What the invitation page leaves in a session: a way to test the apply view on its own."""
    session = client.session
    session["invitation_token"] = str(invitation.token)
    session.save()


def stop_applications(program, by):
    """Running with fixed dates: only invitees can still come in."""
    program.is_rolling = False
    program.save(update_fields=["is_rolling"])
    services.program_set_status(program=program, status=ProgramStatus.RUNNING, by=by)
    program.refresh_from_db()
    assert not program.accepts_applications


MENTOR_APPLICATION = {"motivation": "I was mentored once.", "heard_about": "friend", "capacity": 1}


def adult(email):
    return scenarios.person(email=email, profile={"date_of_birth": dt.date(1980, 5, 5)})


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator", "other_coordinator", "staff"])
def test_another_account_is_refused_on_the_invitation_page(client, world, role, login_as):
    invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    login_as(world, role)
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert (
        "This invitation was sent to another email address: log in with that address, "
        "or ask the coordinator to invite you."
    ) in page.text
    assert "It was sent to <strong>a•••@example.org</strong>" in page.text
    assert "alex@example.org" not in page.text
    assert "Continue to the application" not in page.text

    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 200
    assert "invitation_token" not in client.session


def test_another_account_can_log_out_and_come_back_to_log_in_with_the_invited_address(client, world):
    invitation = invite(world.program, email="alex@example.org")
    client.force_login(world.people.mentor)
    page = client.get(invitation.get_absolute_url())
    back = f"{reverse('account_login')}?next={invitation.get_absolute_url()}"
    assert f'<input type="hidden" name="next" value="{back}">' in page.text
    response = client.post(reverse("account_logout"), {"next": back})
    assert response.url == back
    assert "_auth_user_id" not in client.session


def test_another_account_holding_the_token_cannot_apply_through_it(client, world):
    invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    stop_applications(world.program, world.people.coordinator)
    intruder = adult("intruder@example.org")
    client.force_login(intruder)
    keep_token(client, invitation)  # a forwarded link followed before logging in as someone else

    response = client.get(apply_url(world.program, "mentor"), follow=True)
    assert "not taking applications" in response.text
    response = client.post(apply_url(world.program, "mentor"), MENTOR_APPLICATION)
    assert response.status_code == 302
    assert not Enrollment.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_invitee_gets_past_not_taking_applications_and_the_invitation_is_used_up(client, world):
    invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    stop_applications(world.program, world.people.coordinator)
    alex = adult("alex@example.org")
    client.force_login(alex)

    response = client.post(invitation.get_absolute_url())
    assert response.url == apply_url(world.program, "mentor")
    assert client.get(response.url).status_code == 200
    response = client.post(apply_url(world.program, "mentor"), MENTOR_APPLICATION)
    enrollment = Enrollment.objects.get(program=world.program, user=alex)
    assert response.url == enrollment.get_absolute_url()
    assert enrollment.source == Source.INVITED
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.enrollment == enrollment


def test_the_bypass_needs_the_invitation_for_this_role(client, world):
    invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    stop_applications(world.program, world.people.coordinator)
    client.force_login(adult("alex@example.org"))
    keep_token(client, invitation)
    response = client.get(apply_url(world.program, "mentee"), follow=True)
    assert "not taking applications" in response.text


def test_an_address_verified_on_the_account_counts_as_the_invitee(client, world):
    invitation = invite(world.program, email="work@example.org", role=Role.MENTOR)
    alex = adult("alex@example.org")
    EmailAddress.objects.create(user=alex, email="work@example.org", verified=True, primary=False)
    client.force_login(alex)
    assert "Continue to the application" in client.get(invitation.get_absolute_url()).text


def test_an_unverified_address_on_the_account_does_not(client, world):
    invitation = invite(world.program, email="work@example.org", role=Role.MENTOR)
    alex = adult("alex@example.org")
    EmailAddress.objects.create(user=alex, email="work@example.org", verified=False, primary=False)
    client.force_login(alex)
    page = client.get(invitation.get_absolute_url())
    assert "sent to another email address" in page.text


def test_an_invitation_is_single_use(client, world):
    invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    stop_applications(world.program, world.people.coordinator)
    alex = adult("alex@example.org")
    client.force_login(alex)
    client.post(invitation.get_absolute_url())
    client.post(apply_url(world.program, "mentor"), MENTOR_APPLICATION)
    # Even with the application gone (removed by staff), the link cannot bring anyone in again.
    Enrollment.objects.filter(user=alex).delete()

    page = client.get(invitation.get_absolute_url())
    assert "already been accepted" in page.text
    assert "used once" in page.text
    keep_token(client, invitation)
    response = client.get(apply_url(world.program, "mentor"), follow=True)
    assert "not taking applications" in response.text


def test_an_expired_invitation_says_so_and_cannot_be_used(client, world):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        invitation = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    stop_applications(world.program, world.people.coordinator)
    alex = adult("alex@example.org")
    with time_machine.travel(dt.datetime(2027, 3, 31, 11, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(alex)
        response = client.post(invitation.get_absolute_url())  # an hour before it expires
        assert response.url == apply_url(world.program, "mentor")
    with time_machine.travel(dt.datetime(2027, 3, 31, 12, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(invitation.get_absolute_url())
        assert "This invitation expired on 31 March 2027" in page.text
        assert "ask the program’s coordinators to resend it" in page.text
        assert "Continue to the application" not in page.text
        # The token taken while it was good does not outlive it: checked again on the post.
        response = client.post(apply_url(world.program, "mentor"), MENTOR_APPLICATION)
        assert response.status_code == 302
        assert not Enrollment.objects.filter(user=alex).exists()


def test_an_anonymous_visitor_is_asked_to_use_the_invited_address(client, world):
    invitation = invite(world.program, email="alex@example.org")
    page = client.get(invitation.get_absolute_url())
    assert "This invitation was sent to a•••@example.org" in page.text
    assert "alex@example.org" not in page.text


# --- Resending ------------------------------------------------------------------------------------


def resend_url(invitation):
    return reverse("programs:invitation_resend", args=[invitation.program.slug, invitation.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinators_and_staff_can_resend(client, world, role, login_as):
    invitation = invite(world.program, email="alex@example.org")
    emails_before = OutboundEmail.objects.count()
    login_as(world, role)
    response = client.post(resend_url(invitation))
    expected = 302 if role in ("anonymous", "coordinator", "staff") else 404
    assert response.status_code == expected
    if role == "anonymous":
        assert response.url.startswith(LOGIN)
    resent = Invitation.objects.get(pk=invitation.pk).token != invitation.token
    assert resent == (role in ("coordinator", "staff"))
    assert OutboundEmail.objects.count() == emails_before + resent


def test_resend_is_a_post(client, world):
    invitation = invite(world.program)
    client.force_login(world.people.coordinator)
    assert client.get(resend_url(invitation)).status_code == 405


def test_an_invitation_of_another_program_is_404_on_resend(client, world):
    theirs = invite(world.other_program, email="theirs@example.org")
    client.force_login(world.people.coordinator)
    url = reverse("programs:invitation_resend", args=[world.program.slug, theirs.pk])
    assert client.post(url).status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).token == theirs.token


def test_resend_revokes_the_old_link_and_mails_a_new_one(client, world, mailoutbox, send_queued_emails):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        old = invite(world.program, email="alex@example.org", role=Role.MENTOR)
    with time_machine.travel(dt.datetime(2027, 4, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.people.coordinator)
        assert "expired" in client.get(old.get_absolute_url()).text
        response = client.post(resend_url(old), follow=True)
        send_queued_emails()
    assert "Invitation re-sent to alex@example.org" in response.text
    new = Invitation.objects.get(pk=old.pk)
    assert new.token != old.token
    assert (new.sent_at, new.expires_at) == (
        dt.datetime(2027, 4, 5, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 5, 5, 12, 0, tzinfo=dt.UTC),
    )
    assert new.role == Role.MENTOR
    assert "works until 5 May 2027" in response.text

    assert [message.to for message in mailoutbox] == [["alex@example.org"], ["alex@example.org"]]
    assert new.get_absolute_url() in mailoutbox[1].body
    assert old.get_absolute_url() not in mailoutbox[1].body
    assert client.get(old.get_absolute_url()).status_code == 404
    assert client.post(old.get_absolute_url()).status_code == 404

    # The old token left in a session opens nothing either.
    stop_applications(world.program, world.people.coordinator)
    client.force_login(adult("alex@example.org"))
    keep_token(client, old)
    assert "not taking applications" in client.get(apply_url(world.program, "mentor"), follow=True).text


def test_an_accepted_invitation_is_not_resent(client, world):
    invitation = invite(world.program, email="done@example.org")
    newcomer = scenarios.person(email="done@example.org")
    enrollment = scenarios.enroll(program=world.program, user=newcomer, role=Role.MENTEE)
    services.invitation_mark_accepted(invitation=invitation, enrollment=enrollment)
    emails_before = OutboundEmail.objects.count()
    client.force_login(world.people.coordinator)
    response = client.post(resend_url(invitation), follow=True)
    assert "already accepted" in response.text
    assert Invitation.objects.get(pk=invitation.pk).token == invitation.token
    assert OutboundEmail.objects.count() == emails_before


def test_the_list_shows_each_invitations_state_and_a_resend_button_for_those_not_accepted(client, world):
    with time_machine.travel(dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        invite(world.program, email="old@example.org")
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        waiting = invite(world.program, email="waiting@example.org")
        done = invite(world.program, email="done@example.org")
    newcomer = scenarios.person(email="done@example.org")
    enrollment = scenarios.enroll(program=world.program, user=newcomer, role=Role.MENTEE)
    services.invitation_mark_accepted(invitation=done, enrollment=enrollment)
    with time_machine.travel(dt.datetime(2027, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.people.coordinator)
        response = client.get(invite_url(world.program))

    def row(email):
        match = re.search(rf"<th scope=\"row\">{re.escape(email)}</th>(.*?)</tr>", response.text, re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())

    assert "Waiting expires on 31 Mar 2027" in row("waiting@example.org")
    assert "Expired 31 Jan 2027" in row("old@example.org")
    assert "Accepted" in row("done@example.org")
    assert response.text.count("Resend<span") == 2
    assert f'action="{resend_url(waiting)}"' in response.text
    assert f'action="{resend_url(done)}"' not in response.text
