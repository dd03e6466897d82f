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


@pytest.mark.django_db
def test_the_match_emails_send_people_to_the_site_and_name_their_coordinators():
    """Not "your coordinator will help" or "reply to your coordinator" from an address that takes no
    replies: the pair plan and talk on the site, where the named coordinators read and help."""
    world = scenarios.matching_world()
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    services.match_confirm(match=match, by=match.mentee.user)
    services.match_confirm(match=match, by=match.mentor.user)
    match.refresh_from_db()
    services.match_close(match=match, by=world.coordinator, reason="completed", anticipated=True)
    lead = world.coordinator.display_name
    for kind in ("match_introduction", "match_active", "match_closed"):
        body = OutboundEmail.objects.get(kind=kind, to="ben@matching.test").body
        assert lead in body, kind
        assert "help you arrange" not in body and "reply to your coordinator" not in body
    closed = OutboundEmail.objects.get(kind="match_closed", to="ben@matching.test").body
    assert f"/applications/{match.mentee_id}/messages/" in closed
