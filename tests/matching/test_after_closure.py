"""After a match closes, the mentee's dashboard says what comes next (issue 12, item 17)."""

import pytest
from django.urls import reverse

from matching import services
from matching.models import MatchSource
from tests import scenarios

BACK = "You are back in the pool for a new mentor"


def _closed_match(world, *, rematch_eligible):
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    services.match_confirm(match=match, by=match.mentee.user)
    match = services.match_confirm(match=match, by=match.mentor.user)
    return services.match_close(
        match=match,
        by=world.coordinator,
        reason="moved",
        anticipated=False,
        rematch_eligible=rematch_eligible,
    )


@pytest.mark.django_db
def test_a_mentee_who_may_be_matched_again_is_told_they_are_back_in_the_pool(client):
    world = scenarios.matching_world()
    _closed_match(world, rematch_eligible=True)
    client.force_login(world.mentees["ben"].user)
    page = client.get(reverse("dashboard")).text
    assert BACK in page and "No current match" not in page
    client.force_login(world.mentors["ada"].user)  # the mentor is not told about a new mentor
    assert BACK not in client.get(reverse("dashboard")).text


@pytest.mark.django_db
def test_a_mentee_not_to_be_matched_again_is_not_promised_a_new_mentor(client):
    world = scenarios.matching_world()
    _closed_match(world, rematch_eligible=False)
    client.force_login(world.mentees["ben"].user)
    assert BACK not in client.get(reverse("dashboard")).text
