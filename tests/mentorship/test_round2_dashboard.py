"""The dashboard talks to each person as who they are (issue 12, walk finding 2): people who run
programs and take part in none are not asked to apply or promised a match; staff see "All
programs", not "Programs you run"; a waiting invitation is shown instead of "You have not applied"."""

import pytest
from django.urls import reverse

from programs import invitations
from programs.models import Role
from tests import scenarios

pytestmark = pytest.mark.django_db
NOT_APPLIED = "You have not applied to a program yet"
NO_MATCH = "No current match"


@pytest.fixture
def world():
    return scenarios.role_world()


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_with_no_enrollment_sees_only_the_programs_they_run(client, world):
    page = dashboard(client, world.people.coordinator)
    assert "Programs you run" in page and world.program.name in page
    for words in ("My programs", NOT_APPLIED, "My matches", NO_MATCH):
        assert words not in page, words


def test_staff_see_all_programs_and_no_participant_panels(client, world):
    page = dashboard(client, world.people.staff)
    assert '<h2 id="managed-heading">All programs</h2>' in page
    assert world.program.name in page and world.other_program.name in page
    for words in ("Programs you run", "My programs", NOT_APPLIED, "My matches", NO_MATCH):
        assert words not in page, words


def test_a_coordinator_who_also_takes_part_keeps_the_participant_panels(client, world):
    scenarios.enroll(program=world.other_program, user=world.people.coordinator, role=Role.MENTOR)
    page = dashboard(client, world.people.coordinator)
    assert "My programs" in page and "My matches" in page and "Programs you run" in page
    assert NO_MATCH in page  # they wait for a mentee like any mentor


def test_someone_new_is_still_pointed_at_the_programs(client, world):
    page = dashboard(client, world.people.outsider)
    assert NOT_APPLIED in page and "My matches" in page
    assert "Programs you run" not in page and "All programs" not in page


def test_a_waiting_invitation_is_shown_instead_of_not_applied(client, world):
    invitation, _ = invitations.invitation_send(
        program=world.program,
        email=world.people.outsider.email,
        role=Role.MENTOR,
        by=world.people.coordinator,
    )
    page = dashboard(client, world.people.outsider)
    assert NOT_APPLIED not in page
    panel = page.split('id="programs-heading"')[1].split("</section>")[0]
    assert f'<a href="{invitation.get_absolute_url()}">{world.program.name}</a>' in panel
    assert "you are invited to take part as a mentor" in panel


def test_a_coordinator_invited_to_another_program_sees_the_invitation(client, world):
    invitations.invitation_send(
        program=world.other_program,
        email=world.people.coordinator.email,
        role=Role.MENTOR,
        by=world.people.other_coordinator,
    )
    page = dashboard(client, world.people.coordinator)
    assert "My programs" in page and world.other_program.name in page and NOT_APPLIED not in page
    assert "My matches" not in page  # no enrollment yet: nothing to be matched in
