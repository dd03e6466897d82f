"""Matching pages after the lifecycle walk (issue 12, round 2): the matching page's recent runs
(finding 6), the message after closing a match (finding 9) and the program's matches list
(finding 10)."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from matching import runs, services
from matching.models import MatchRun, MatchSource
from mentorship.models import OutboundEmail
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return scenarios.matching_world()


def _match(world, mentee, mentor, *, confirm=()):
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees[mentee],
        mentor=world.mentors[mentor],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    for side in confirm:
        match = services.match_confirm(match=match, by=getattr(match, side).user)
    return match


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Finding 6: the matching page's recent runs -----------------------------------------------


def test_recent_runs_have_their_own_heading_and_read_as_one_line_of_facts_each(client, world):
    runs.run_execute(
        run_id=MatchRun.objects.create(
            program=world.program, trigger="coordinator", started_by=world.coordinator
        ).pk
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:program", args=[world.program.slug])).text
    runs_block = re.search(
        r'<section class="subsection" aria-labelledby="runs-heading">.*?</section>', page, re.S
    )
    assert runs_block, "the recent runs are a block of their own, set apart from the button"
    assert '<h3 id="runs-heading">Recent runs</h3>' in runs_block.group(0)
    assert "<caption>Recent runs</caption>" not in page
    facts = _text(runs_block.group(0))
    assert "Lead Coordinator · Done" in facts
    assert "4 mentees and 3 mentors considered · 3 paired · 3 new suggestions · took" in facts


# --- Finding 9: the message after closing ------------------------------------------------------


def _close(client, world, match, rematch="yes"):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("matching:close", args=[match.pk]),
        {"reason": "completed", "anticipated": "yes", "rematch_eligible": rematch},
    )
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_closing_a_minors_match_says_her_guardian_was_told_and_where_to_match_her_again(client, world):
    match = _match(world, "dee", "cy", confirm=("mentee", "mentor"))
    (message,) = _close(client, world, match)
    assert html.unescape(message).startswith(
        "The match is closed; Cy, Dee and Pat Parent (Dee's guardian) have been told by email."
    )
    pool = reverse("matching:program", args=[world.program.slug]) + "#rematch"
    assert message.endswith(f'Dee is back in the pool: see <a href="{pool}">Matching</a>.')
    # What the message says is what was sent.
    assert OutboundEmail.objects.filter(
        to="guardian.dee@matching.test", kind="guardian_match_closed"
    ).exists()
    # The link reaches the page as a link, not as escaped text.
    page = client.get(match.get_absolute_url()).text
    assert f'<a href="{pool}">Matching</a>' in page
    # The match page links the program's name to its overview, for its coordinators.
    overview = reverse("programs:dashboard", args=[world.program.slug])
    assert f'<a href="{overview}">{world.program.name}</a>' in page


def test_closing_an_adults_match_names_only_the_two_and_no_pool_when_not_to_be_matched_again(client, world):
    match = _match(world, "ben", "ada", confirm=("mentee", "mentor"))
    (message,) = _close(client, world, match, rematch="no")
    assert message == "The match is closed; Ada and Ben have been told by email."
    assert not OutboundEmail.objects.filter(kind="guardian_match_closed").exists()


def test_the_close_form_names_the_guardian_who_will_be_told(client, world):
    match = _match(world, "dee", "cy", confirm=("mentee", "mentor"))
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:close", args=[match.pk])).text
    assert "and so is Dee's guardian, Pat Parent." in page


# --- Finding 10: the program's matches list ---------------------------------------------------


def test_each_match_is_linked_by_both_names_and_a_proposed_one_says_who_must_confirm(client, world):
    waiting_both = _match(world, "ben", "ada")
    waiting_mentor = _match(world, "dee", "cy", confirm=("mentee",))
    active = _match(world, "fay", "gus", confirm=("mentee", "mentor"))
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:matches", args=[world.program.slug])).text
    rows = {_text(row) for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)}
    for match in (waiting_both, waiting_mentor, active):
        names = f"{match.mentor.user.display_name} and {match.mentee.user.display_name}"
        assert f'<a href="{match.get_absolute_url()}">{names}</a>' in page
    # (Between the names and the status: when each was last active, for the coordinator.)
    rows = {re.sub(r" Last active: .*?; \w+ \w+ ", " ", row) for row in rows}
    assert any(row.startswith("Ada and Ben Proposed waiting for Ada and Ben to confirm") for row in rows)
    assert any(row.startswith("Cy and Dee Proposed waiting for Cy to confirm") for row in rows)
    assert any(row.startswith("Gus and Fay Active ") and "waiting" not in row for row in rows)
