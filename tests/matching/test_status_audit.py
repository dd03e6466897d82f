"""Every service that takes ``by`` uses it: status changes of programs and matches, program
settings and a mentor's capacity are recorded in the audit trail with who made them."""

import pytest

from matching import services
from matching.models import MatchSource
from mentorship.services import audit_trail
from programs import services as program_services
from programs.models import ProgramStatus
from tests import scenarios


@pytest.fixture
def world(db):
    return scenarios.matching_world()


def _actions(target):
    return [(row.action, row.actor, row.summary) for row in audit_trail(target).order_by("at", "pk")]


def test_a_matchs_pause_resume_and_close_are_recorded_with_who(world):
    lead = world.coordinator
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=lead,
        source=MatchSource.MANUAL,
    )
    services.match_confirm(match=match, by=match.mentee.user)
    match = services.match_confirm(match=match, by=match.mentor.user)
    match = services.match_pause(match=match, by=lead)
    match = services.match_resume(match=match, by=lead)
    services.match_close(match=match, by=lead, reason="completed", anticipated=True)
    assert _actions(match) == [
        ("match.status", lead, "active → paused"),
        ("match.status", lead, "paused → active"),
        ("match.status", lead, "active → closed"),
    ]


def test_program_status_settings_and_capacity_are_recorded_with_who(world):
    lead, program = world.coordinator, world.program
    program_services.program_update(program=program, by=lead, min_commitment_months=9)
    program_services.program_update(program=program, by=lead, min_commitment_months=9)  # no change
    program_services.program_set_status(program=program, status=ProgramStatus.CLOSED, by=lead)
    assert _actions(program)[-2:] == [
        ("program.updated", lead, "min_commitment_months"),
        ("program.status", lead, "running → closed"),
    ]
    mentor = world.mentors["ada"]
    program_services.enrollment_set_capacity(enrollment=mentor, capacity=3, by=lead)
    assert _actions(mentor)[-1] == ("enrollment.capacity", lead, "capacity 3")
