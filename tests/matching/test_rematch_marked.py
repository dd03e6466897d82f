"""After a closure, a mentee who may be matched again is marked on the coordinator's matching
page (issue 12, item 17, the coordinator's side; the mentee's side is test_after_closure.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import runs, services
from matching.models import MatchRun, MatchSource
from matching.selectors import rematch_waiting
from tests import scenarios

pytestmark = pytest.mark.django_db


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
    return services.match_close(match=match, by=world.coordinator, reason="moved", anticipated=False,
                                rematch_eligible=rematch_eligible)  # fmt: skip


def _badge():
    return f"Rematch — previous match closed on {timezone.localdate():%-d %b %Y}"


def _matching_page(client, world):
    client.force_login(world.coordinator)
    return client.get(reverse("matching:program", args=[world.program.slug])).text


def test_a_mentee_back_in_the_pool_is_marked_on_the_matching_page_and_their_suggestions(client):
    world = scenarios.matching_world()
    _closed_match(world, rematch_eligible=True)
    runs.run_execute(run_id=MatchRun.objects.create(program=world.program, trigger="coordinator").pk)
    page = _matching_page(client, world)
    section = re.search(r'<section class="card" id="rematch".*?</section>', page, flags=re.S).group(0)
    assert "Ben" in section and _badge() in section
    suggestions = re.findall(r'<article class="suggestion".*?</article>', page, flags=re.S)
    ben = [s for s in suggestions if "mentoring</span> <a" in s and ">Ben</a>" in s]
    assert ben and all(_badge() in s for s in ben)
    others = [s for s in suggestions if s not in ben]
    assert others and not any("Rematch" in s for s in others)
    options = client.get(
        reverse("matching:mentee_options", args=[world.program.slug, world.mentees["ben"].pk])
    )
    assert _badge() in options.text


def test_a_mentee_not_to_be_matched_again_is_not_marked(client):
    world = scenarios.matching_world()
    _closed_match(world, rematch_eligible=False)
    assert rematch_waiting(world.program) == {}
    assert "Rematch —" not in _matching_page(client, world)


def test_a_rematched_mentee_is_no_longer_marked(client):
    world = scenarios.matching_world()
    _closed_match(world, rematch_eligible=True)
    assert set(rematch_waiting(world.program)) == {world.mentees["ben"].pk}
    services.match_propose(program=world.program, mentee=world.mentees["ben"], mentor=world.mentors["cy"],
                           by=world.coordinator, source=MatchSource.MANUAL)  # fmt: skip
    assert rematch_waiting(world.program) == {}
    assert "Rematch —" not in _matching_page(client, world)
