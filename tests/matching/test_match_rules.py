"""The rules about a match that views, services and templates ask in one place: which side a
person is on, who their partner is, and what each person may do on the match's page."""

import pytest

from matching import services
from matching.access import match_actions
from matching.models import MatchSource, MatchStatus
from tests import scenarios


@pytest.fixture
def pair(db):
    world = scenarios.matching_world()
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    return world, match


def test_each_side_sees_the_other_as_partner_and_outsiders_see_none(pair):
    world, match = pair
    ben, ada = world.mentees["ben"], world.mentors["ada"]
    assert match.side_of(ben.user) == ben and match.partner_of(ben.user) == ada
    assert match.side_of(ada.user) == ada and match.partner_of(ada.user) == ben
    assert (match.role_of(ben.user), match.role_of(ada.user)) == ("mentee", "mentor")
    for outsider in (world.coordinator, world.mentees["fay"].user):
        assert match.side_of(outsider) is None and match.partner_of(outsider) is None
        assert match.role_of(outsider) is None and not match.awaits_confirmation_from(outsider)


def test_actions_follow_the_status_and_who_is_asking(pair):
    world, match = pair
    ben, ada, lead = world.mentees["ben"].user, world.mentors["ada"].user, world.coordinator

    proposed = match_actions(lead, match)
    assert (proposed.manage, proposed.pause, proposed.resume, proposed.close) == (True, False, False, True)
    assert not proposed.pair_space and not proposed.confirm
    assert match_actions(ben, match).confirm and not match_actions(ben, match).manage

    services.match_confirm(match=match, by=ben)
    match.refresh_from_db()
    assert not match_actions(ben, match).confirm and match.confirmed_by(ben)
    assert match_actions(ada, match).confirm
    services.match_confirm(match=match, by=ada)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    active = match_actions(lead, match)
    assert (active.pause, active.resume, active.close, active.pair_space) == (True, False, True, True)
    assert not any((match_actions(ada, match).pause, match_actions(ada, match).close))

    services.match_pause(match=match, by=lead, reason="Contact paused by a safeguarding lead")
    match.refresh_from_db()
    paused = match_actions(lead, match)
    assert (paused.pause, paused.resume, paused.close) == (False, True, True)
    assert match.paused_with_reason


def test_consent_rules_are_asked_of_the_program_and_the_enrollment(pair):
    world, _ = pair
    dee, ben, ada = world.mentees["dee"], world.mentees["ben"], world.mentors["ada"]
    assert world.program.asks_guardian_of("mentee") and not world.program.asks_guardian_of("mentor")
    assert world.program.asks_date_of_birth_of("mentor") and world.program.asks_date_of_birth_of("mentee")
    assert dee.needs_guardian_consent() and not dee.lacks_guardian_consent()  # consent given
    assert not ben.needs_guardian_consent() and not ada.asks_guardian
    dee.guardian_consent = None
    assert dee.lacks_guardian_consent()
