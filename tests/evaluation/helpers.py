"""Scenario helpers of the evaluation tests: active pairs, and the people around one.

Built on ``tests.scenarios.matching_world`` and the matching services, so a pair here is what a
coordinator's match plus both confirmations make in the app.
"""

from dataclasses import dataclass

from matching import services as matching_services
from matching.models import MatchSource
from mentorship.models import User
from tests import scenarios


def active_match(*, program, mentee, mentor, by=None):
    """Propose ``mentee`` (Enrollment) with ``mentor`` and have both confirm: the match is active,
    started today."""
    by = by or program.coordinators.first()
    match = matching_services.match_propose(
        program=program, mentee=mentee, mentor=mentor, by=by, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=mentee.user)
    return matching_services.match_confirm(match=match, by=mentor.user)


def more_active_matches(*, program, count, prefix="extra"):
    """``count`` further active pairs in ``program``, each with a new mentor and mentee."""
    matches = []
    for i in range(count):
        mentor = scenarios.ready_mentor(program=program, email=f"{prefix}-mentor{i}@pairs.test")
        mentee = scenarios.ready_mentee(program=program, email=f"{prefix}-mentee{i}@pairs.test")
        matches.append(active_match(program=program, mentee=mentee, mentor=mentor))
    return matches


@dataclass
class PairWorld:
    """``match``: Ada mentors Ben, active since today, in ``program`` (run by ``coordinator``).
    ``other_coordinator`` runs another program; ``outsider`` is an unrelated account. One person
    per role of tests.scenarios.ROLES."""

    world: scenarios.MatchingWorld
    program: object
    match: object
    mentee: User
    mentor: User
    coordinator: User
    staff: User
    other_coordinator: User
    outsider: User

    def as_role(self, role):
        return None if role == "anonymous" else getattr(self, role)


def pair_world(**program_fields):
    world = scenarios.matching_world(**program_fields)
    match = active_match(program=world.program, mentee=world.mentees["ben"], mentor=world.mentors["ada"])
    other = scenarios.coordinator(email="other-lead@pairs.test", display_name="Other Lead")
    scenarios.program(coordinator=other, name="Another Program")
    return PairWorld(
        world=world,
        program=world.program,
        match=match,
        mentee=match.mentee.user,
        mentor=match.mentor.user,
        coordinator=world.coordinator,
        staff=scenarios.person(email="staff@pairs.test", display_name="Staff", is_staff=True),
        other_coordinator=other,
        outsider=scenarios.person(email="outsider@pairs.test", display_name="Outsider"),
    )
