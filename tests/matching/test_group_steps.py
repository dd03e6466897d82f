"""The next steps and panels of people in a group program: being placed in a group replaces the
match step, and the group's first session the first meeting; "My matches" gives way to "My groups"."""

import pytest
from django.urls import reverse

from evaluation.steps import checklists
from matching.models import GroupAttendance
from tests import scenarios
from tests.matching.group_helpers import group_world, past_session, plan

pytestmark = pytest.mark.django_db


def steps_of(user):
    (checklist,) = checklists(user)
    return {step.label: step for step in checklist.steps}


def test_a_leader_is_asked_to_plan_the_first_session_and_a_member_waits_for_it(client):
    world = group_world()
    steps = steps_of(world.lena.user)
    assert "A mentee" not in steps and "Your first meeting" not in steps
    assert steps["A group"].done
    first = steps["Your first session"]
    assert (first.done, first.todo) == (False, "Plan your group's first session")
    assert first.url == reverse("matching:group_session_new", args=[world.group.pk])

    first = steps_of(world.noah.user)["Your first session"]
    assert first.waiting and first.todo == "Your group's leader will plan the first session"

    client.force_login(world.lena.user)
    page = client.get(reverse("dashboard")).text
    assert "No current match" not in page and "My groups" in page  # "My matches" gives way


def test_a_planned_session_is_shown_and_coming_to_one_completes_the_step():
    world = group_world()
    session = plan(world)
    first = steps_of(world.noah.user)["Your first session"]
    assert first.todo == "See your group's next session"
    assert first.url == reverse("matching:group_session", args=[session.pk])

    held = past_session(world)
    type(held).objects.filter(pk=held.pk).update(held=True)
    GroupAttendance.objects.create(session=held, enrollment=world.noah, present=True)
    assert steps_of(world.noah.user)["Your first session"].done
    assert steps_of(world.lena.user)["Your first session"].done  # she led a session held
    assert not steps_of(world.mia.user)["Your first session"].done  # she was not marked there


def test_an_approved_mentee_in_no_group_waits_to_be_placed():
    world = group_world()
    newcomer = scenarios.ready_mentee(program=world.program, email="new@groups.test", display_name="New")
    step = steps_of(newcomer.user)["A group"]
    assert step.waiting and step.todo == "The coordinators will place you in a group"
