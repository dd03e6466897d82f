"""The coordinators' long lists at city scale (issue 17): the program's matches and the matching
page's lists come a page at a time (newest or best first, filters kept across pages) at a constant
number of queries; the form to match by hand waits to be asked for in a big program; the people
widgets write what Django's write; the inbox's "unread only" keeps its rule."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import inbox, runs
from matching.group_matching_forms import PeopleChoice, PersonChoice
from matching.messaging import services as messaging
from matching.models import ConversationReader, Match, MatchRun, MatchSuggestion, SuggestionStatus
from matching.views import review
from mentorship.fast_choices import PeopleCheckboxes, PeopleSelect
from programs.models import Enrollment
from tests import scenarios

pytestmark = pytest.mark.django_db


def _visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, len(queries)


def _pair(world, mentee, mentor):
    mentee, mentor = world.mentees[mentee], world.mentors[mentor]
    return scenarios.active_match(program=world.program, mentee=mentee, mentor=mentor, by=world.coordinator)


def test_the_matches_list_comes_a_page_at_a_time_newest_first_with_the_filter_kept(client, monkeypatch):
    monkeypatch.setattr(review, "MATCHES_PAGE", 2)
    world = scenarios.matching_world()
    client.force_login(world.coordinator)
    url = reverse("matching:matches", args=[world.program.slug])
    _pair(world, "ben", "ada")
    _, one = _visit(client, url)
    _pair(world, "dee", "cy")
    _pair(world, "fay", "gus")
    first, three = _visit(client, url)
    assert three == one  # the same queries for one match as for a page and more
    assert "Gus and Fay" in first and "Cy and Dee" in first and "Ada and Ben" not in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second, _ = _visit(client, url + "?page=2")
    assert "Ada and Ben" in second and "Gus and Fay" not in second
    Match.objects.filter(mentee=world.mentees["dee"]).update(status="paused")
    active, _ = _visit(client, url + "?status=active")
    assert "Gus and Fay" in active and "Ada and Ben" in active and "Cy and Dee" not in active
    assert "Page 1" not in active  # two active matches: one page
    monkeypatch.setattr(review, "MATCHES_PAGE", 1)
    active, _ = _visit(client, url + "?status=active")
    assert 'href="?status=active&amp;page=2"' in active
    assert "Ada and Ben" in client.get(url + "?status=active&page=2").text


def test_the_matching_page_lists_come_a_page_at_a_time_and_accept_these_counts_them_all(client, monkeypatch):
    world = scenarios.matching_world()
    runs.run_execute(run_id=MatchRun.objects.create(program=world.program, trigger="coordinator").pk)
    pending = list(
        MatchSuggestion.objects.filter(program=world.program, status=SuggestionStatus.PENDING).order_by(
            "-score", "pk"
        )
    )
    assert len(pending) >= 2
    client.force_login(world.coordinator)
    url = reverse("matching:program", args=[world.program.slug])
    _, whole = _visit(client, url)
    monkeypatch.setattr(review, "SUGGESTIONS_PAGE", 1)
    monkeypatch.setattr(review, "LIST_PAGE", 1)
    page, paged = _visit(client, url)
    assert paged <= whole + 1  # a page of each list costs what the whole list did (give or take a count)
    assert f"Suggestions to review ({len(pending)})" in page
    assert len(re.findall(r'<article class="suggestion"', page)) == 1
    assert f'id="s{pending[0].pk}"' in page and f'id="s{pending[1].pk}"' not in page
    assert 'href="?suggestions=2#suggestions"' in page
    # "Accept these" counts every pending suggestion, not only the page's.
    expected = sum(1 for s in pending if s.score >= 70)
    assert f"Accept all {expected} suggestion" in page
    assert re.search(r'data-scores="([\d. ]*)"', page).group(1).split() == [f"{s.score:.4f}" for s in pending]
    second = client.get(url + "?suggestions=2&mentors=2").text
    assert f'id="s{pending[1].pk}"' in second and f'id="s{pending[0].pk}"' not in second
    # Each list keeps the others' page numbers in its links.
    assert 'href="?suggestions=2&amp;mentors=3#load"' in second
    assert "Page 2 of 3" in second  # the three mentors, one a page
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', second)
    assert names == ["Cy"]  # by name: Ada, Cy, Gus


def test_the_form_to_match_by_hand_waits_to_be_asked_for_in_a_big_program(client, monkeypatch):
    world = scenarios.matching_world()
    client.force_login(world.coordinator)
    url = reverse("matching:program", args=[world.program.slug])
    assert '<select name="mentee"' in client.get(url).text  # a small program: as always
    monkeypatch.setattr(review, "MANUAL_LIST_LIMIT", 3)
    page = client.get(url).text
    assert '<select name="mentee"' not in page and 'href="?manual=1#manual"' in page
    asked = client.get(url + "?manual=1").text
    mentees = re.search(r'<select name="mentee".*?</select>', asked, re.S).group(0)
    assert all(f">{name}</option>" in mentees for name in ("Ben", "Dee", "Eve", "Fay"))
    assert ">Ada</option>" in re.search(r'<select name="mentor".*?</select>', asked, re.S).group(0)


def test_the_people_widgets_write_what_djangos_widgets_write(db):
    world = scenarios.matching_world()
    scenarios.ready_mentor(program=world.program, email="odd@matching.test", display_name="<b>Zoë & 'Al'</b>")
    people = Enrollment.objects.filter(program=world.program).order_by("pk")

    def label(enrollment):
        return enrollment.user.display_name

    class Django(forms.Form):
        one = PersonChoice(queryset=people, empty_label="Choose", widget=forms.Select)
        plain = forms.ModelChoiceField(queryset=people, widget=forms.Select)
        many = PeopleChoice(
            queryset=people, required=False, widget=forms.CheckboxSelectMultiple, help_text="Hm."
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["plain"].label_from_instance = label

    class Fast(Django):
        one = PersonChoice(queryset=people, empty_label="Choose")
        plain = forms.ModelChoiceField(queryset=people, widget=PeopleSelect)
        many = PeopleChoice(queryset=people, required=False, widget=PeopleCheckboxes, help_text="Hm.")

    picked = [str(pk) for pk in people.values_list("pk", flat=True)[:2]]
    for data in (None, {"one": picked[0], "plain": "nonsense", "many": picked}):
        for name in ("one", "plain", "many"):
            assert str(Fast(data)[name]) == str(Django(data)[name])
    assert "&lt;b&gt;Zoë &amp; &#x27;Al&#x27;&lt;/b&gt;" in str(Fast()["one"])


def test_unread_only_lists_the_conversations_with_a_message_not_read_that_someone_else_sent(db):
    world = scenarios.messages_world()
    pair = scenarios.conversation_with_messages(world.match, 3)
    other = scenarios.conversation_with_messages(world.other_match, 2)
    mine = messaging.conversation_for_enrollment(enrollment=world.dee)
    messaging.message_send(conversation=mine, by=world.cora, body="Hello Dee")  # only the reader's own
    last = pair.messages.order_by("pk").last()
    ConversationReader.objects.create(conversation=pair, user=world.cora, last_read_id=last.pk)  # all read
    unread_only = inbox.InboxFilter(unread_only=True)

    def listed():
        return [c.pk for c in inbox.program_inbox(world.program, world.cora, unread_only)]

    assert listed() == [other.pk]
    everything = inbox.program_inbox(world.program, world.cora)
    assert [c.pk for c in everything if c.unread > 0] == listed()
    messaging.message_send(conversation=pair, by=world.ben.user, body="One more")
    assert sorted(listed()) == sorted([pair.pk, other.pk])
