"""Programs: who may create them, their defaults, status transitions, co-coordinators."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs import services
from programs.models import PROGRAM_TRANSITIONS, Program, ProgramStatus
from tests import scenarios

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_draft_with_the_default_checklist_and_becomes_its_coordinator(people):
    program = services.program_create(
        by=people.coordinator, name="Eastside Mentors", description="For teens."
    )
    assert program.status == ProgramStatus.DRAFT
    assert program.slug == "eastside-mentors"
    assert list(program.coordinators.all()) == [people.coordinator]
    assert [i.key for i in program.checklist_items.all()] == [
        "background_check",
        "references",
        "interview",
        "training",
        "agreement",
    ]
    assert program.checklist_items.get(key="background_check").valid_days == 730


def test_slugs_stay_unique(people):
    first = services.program_create(by=people.coordinator, name="Mentors", description="x")
    second = services.program_create(by=people.staff, name="Mentors", description="x")
    assert (first.slug, second.slug) == ("mentors", "mentors-2")


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_people_outside_the_coordinators_group_cannot_create_programs(people, role):
    with pytest.raises(PermissionDenied):
        services.program_create(by=getattr(people, role), name="Mine", description="x")


def test_staff_can_grant_the_coordinator_role(people):
    services.coordinator_grant(user=people.mentor)
    assert services.user_can_create_programs(people.mentor)


ALL_PAIRS = [(a, b) for a in ProgramStatus for b in ProgramStatus if a != b]


@pytest.mark.parametrize(("start", "target"), ALL_PAIRS)
def test_program_status_moves_only_along_allowed_transitions(people, start, target):
    program = scenarios.program(coordinator=people.coordinator, status=start)
    if target in PROGRAM_TRANSITIONS[start]:
        services.program_set_status(program=program, status=target, by=people.coordinator)
        assert Program.objects.get(pk=program.pk).status == target
    else:
        with pytest.raises(ValidationError):
            services.program_set_status(program=program, status=target, by=people.coordinator)
        assert Program.objects.get(pk=program.pk).status == start


def test_a_stale_status_change_is_refused(people):
    program = scenarios.program(coordinator=people.coordinator, status=ProgramStatus.OPEN)
    stale = Program.objects.get(pk=program.pk)
    services.program_set_status(program=program, status=ProgramStatus.RUNNING, by=people.coordinator)
    with pytest.raises(ValidationError, match="changed meanwhile"):
        services.program_set_status(program=stale, status=ProgramStatus.CLOSED, by=people.coordinator)


def test_applications_are_taken_when_open_or_running_and_rolling(people):
    program = scenarios.program(coordinator=people.coordinator, status=ProgramStatus.DRAFT)
    assert not program.accepts_applications
    services.program_set_status(program=program, status=ProgramStatus.OPEN, by=people.coordinator)
    assert program.accepts_applications
    services.program_set_status(program=program, status=ProgramStatus.RUNNING, by=people.coordinator)
    assert program.accepts_applications  # rolling
    program.is_rolling = False
    assert not program.accepts_applications


def test_co_coordinators_are_added_by_email_and_the_last_cannot_leave(people):
    program = scenarios.program(coordinator=people.coordinator)
    services.program_add_coordinator(program=program, email="OTHER@roles.test", by=people.coordinator)
    assert set(program.coordinators.all()) == {people.coordinator, people.other_coordinator}
    services.program_remove_coordinator(program=program, user=people.other_coordinator, by=people.coordinator)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.program_remove_coordinator(program=program, user=people.coordinator, by=people.coordinator)
    with pytest.raises(ValidationError, match="does not belong to a coordinator"):
        services.program_add_coordinator(program=program, email="nobody@x.org", by=people.coordinator)
