"""The introduction email names the partner's skills, goals, interests and languages as words."""

import pytest

from matching import services
from matching.models import MatchSource
from mentorship.models import OutboundEmail
from tests import scenarios


@pytest.mark.django_db
def test_the_introduction_lists_names_not_database_objects():
    world = scenarios.matching_world()
    services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    to_ben = OutboundEmail.objects.get(kind="match_introduction", to="ben@matching.test").body
    to_ada = OutboundEmail.objects.get(kind="match_introduction", to="ada@matching.test").body
    assert "Can help with: Coding, Maths" in to_ben
    assert "Would like help with: Coding" in to_ada
    assert "Languages: English" in to_ben and "Languages: English" in to_ada
    for body in (to_ben, to_ada):
        assert "QuerySet" not in body and "<Tag" not in body and "<Language" not in body
