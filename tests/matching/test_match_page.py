"""A coordinator keeps their place on a match's page (issue 12, item 14): the program menu, links to
both people's records, the last meeting and the staff contacts; the pair sees none of that. Closing
a match says first what will happen (item 2)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.match_facts import next_staff_contact_due
from evaluation.selectors import staff_contacts_expected
from matching import services
from matching.models import Match, MatchSource
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(db):
    world = scenarios.matching_world()
    match = services.match_propose(
        program=world.program,
        mentee=world.mentees["ben"],
        mentor=world.mentors["ada"],
        by=world.coordinator,
        source=MatchSource.MANUAL,
    )
    services.match_confirm(match=match, by=match.mentee.user)
    match = services.match_confirm(match=match, by=match.mentor.user)
    today = timezone.localdate()
    Match.objects.filter(pk=match.pk).update(started_on=today - dt.timedelta(days=40))
    match.refresh_from_db()
    evaluation_services.checkin_log(
        match=match, by=match.mentee.user, occurred_on=today - dt.timedelta(days=12)
    )
    missed = today - dt.timedelta(days=3)
    evaluation_services.checkin_log(match=match, by=match.mentor.user, occurred_on=missed, held=False)
    evaluation_services.staff_contact_log(
        match=match, by=world.coordinator, contacted_on=today - dt.timedelta(days=35)
    )
    match.world = world
    return match


def _text(page):
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _day(days_ago):
    return f"{timezone.localdate() - dt.timedelta(days=days_ago):%-d %b %Y}"


def test_the_coordinator_sees_the_program_menu_both_records_and_how_the_pair_is_doing(client, match):
    client.force_login(match.world.coordinator)
    page = client.get(match.get_absolute_url()).text
    assert 'aria-label="Program"' in page
    assert reverse("matching:program", args=[match.program.slug]) in page
    for person in (match.mentor, match.mentee):
        assert reverse("programs:applicant", args=[match.program.slug, person.pk]) in page
    text = _text(page)
    assert f"Last meeting {_day(12)} (12 days ago)" in text  # the missed meeting 3 days ago is not one
    assert f"Last staff contact {_day(35)} (phone, 35 days ago)" in text
    # One contact in 40 days: the second was due on day 30 of the match.
    assert f"Next staff contact due overdue since {_day(10)}" in text
    assert "Both speak English" in text  # why this pair, in words


def test_the_pair_sees_no_menu_and_no_coordinators_summary(client, match):
    for user in (match.mentee.user, match.mentor.user):
        client.force_login(user)
        page = client.get(match.get_absolute_url()).text
        assert 'aria-label="Program"' not in page
        assert "Last staff contact" not in page and "/applicants/" not in page


def test_the_next_staff_contact_follows_the_standard():
    start = dt.date(2026, 1, 1)
    for contacts in range(5):
        due = next_staff_contact_due(start, contacts)
        assert staff_contacts_expected(start, due) > contacts
        assert staff_contacts_expected(start, due - dt.timedelta(days=1)) <= contacts
    assert next_staff_contact_due(None, 0) is None


def test_the_close_page_says_what_closing_does_before_it_is_done(client, match):
    client.force_login(match.world.coordinator)
    page = client.get(reverse("matching:close", args=[match.pk])).text
    text = _text(page)
    assert "Closing is final" in text
    assert "Ada and Ben are told by email" in text
    assert "go back into the pool" in text
    assert re.search(r'<button type="submit" class="button-danger">Close the match', page)
