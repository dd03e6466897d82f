"""The personal calendar feed: what it holds (and never holds), stable UIDs, iCalendar escaping and
folding, the secret address and its revocation, and who sees which page."""

import re

import pytest
from django.urls import reverse

from evaluation.models import CalendarFeed
from mentorship.ical import escape as ical_escape
from mentorship.ical import fold as ical_fold
from tests.evaluation.reminder_helpers import at, day, log_checkin, reminder_world, start_pair
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://mentoring.example.org"


@pytest.fixture
def world():
    """Ada mentors Ben from 1 March 2027 (fortnightly); Gus mentors Fay. Today is 6 March."""
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    world.other_match = start_pair(world, "fay", "gus")
    log_checkin(world.other_match, day(2), notes="Fay's private notes")
    with at(day(5)):
        yield world


def feed_url(user):
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return reverse("evaluation:feed", args=[feed.token])


def unfold(body):
    return body.replace("\r\n ", "")


def events(body):
    """{UID: {property: value}} of the VEVENTs."""
    found = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfold(body), re.S):
        props = dict(line.split(":", 1) for line in block.split("\r\n") if line)
        found[props["UID"]] = props
    return found


def test_the_feed_holds_the_next_due_date_and_the_logged_meetings(client, world):
    ben = world.match.mentee.user
    held = log_checkin(world.match, day(1), notes="Talked about Ben's CV, call him on 07700 900123")
    missed = log_checkin(world.match, day(3), held=False)
    response = client.get(feed_url(ben))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    found = events(body)
    m = world.match.pk
    # This period (1-14 March) has a check-in, so the one due is the next period's: by 28 March.
    assert found[f"due-{m}-20270315@mentoring.example.org"]["SUMMARY"] == "Check-in with Ada due"
    assert found[f"due-{m}-20270315@mentoring.example.org"]["DTSTART;VALUE=DATE"] == "20270328"
    assert found[f"due-{m}-20270315@mentoring.example.org"]["DTEND;VALUE=DATE"] == "20270329"
    assert found[f"checkin-{held.pk}@mentoring.example.org"]["SUMMARY"] == "Check-in with Ada"
    assert found[f"checkin-{held.pk}@mentoring.example.org"]["DTSTART;VALUE=DATE"] == "20270302"
    assert found[f"checkin-{missed.pk}@mentoring.example.org"]["SUMMARY"] == "Missed check-in with Ada"
    assert len(found) == 3
    # First names only: no notes, no email addresses, no surnames or phone numbers.
    for secret in ("CV", "07700", "@matching.test", "Lead"):
        assert secret not in body


def test_the_due_date_is_the_end_of_the_current_period_when_it_has_no_check_in(client, world):
    body = client.get(feed_url(world.match.mentor.user)).content.decode()
    due = events(body)[f"due-{world.match.pk}-20270301@mentoring.example.org"]
    assert (due["SUMMARY"], due["DTSTART;VALUE=DATE"]) == ("Check-in with Ben due", "20270314")


def test_uids_are_stable_across_fetches(client, world):
    log_checkin(world.match, day(1))
    url = feed_url(world.match.mentee.user)
    first, second = client.get(url).content, client.get(url).content
    assert set(events(first.decode())) == set(events(second.decode()))
    assert first == second  # the whole document, DTSTAMPs included


def test_another_persons_matches_never_appear(client, world):
    body = client.get(feed_url(world.match.mentee.user)).content.decode()
    assert "Fay" not in body and "Gus" not in body and "private notes" not in body
    assert f"due-{world.other_match.pk}-" not in body
    assert not any(uid.startswith("checkin-") for uid in events(body))


def test_a_paused_pair_has_no_due_date_but_keeps_its_meetings(client, world):
    from matching import services as matching_services

    checkin = log_checkin(world.match, day(1))
    matching_services.match_pause(match=world.match, by=world.coordinator)
    found = events(client.get(feed_url(world.match.mentee.user)).content.decode())
    assert list(found) == [f"checkin-{checkin.pk}@mentoring.example.org"]


def test_names_are_escaped(client, world):
    profile = world.match.mentor.user.profile
    profile.display_name = "Ada;Byron,\\Lovelace King"
    profile.save()
    body = client.get(feed_url(world.match.mentee.user)).content.decode()
    assert "SUMMARY:Check-in with Ada\\;Byron\\,\\\\Lovelace due\r\n" in unfold(body)


def test_ical_escape_follows_rfc_5545():
    assert ical_escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert ical_escape("Zoë: 10:00") == "Zoë: 10:00"  # colons need no escaping in a value


@pytest.mark.parametrize("text", ["x" * 200, "é" * 100, "ab" + "😀" * 40, "y" * 75, "y" * 76])
def test_lines_fold_at_75_octets_without_splitting_a_character(text):
    line = f"SUMMARY:{text}"
    folded = ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_the_feed_folds_long_lines(client, world, settings):
    settings.SITE_NAME = "The Northside and Riverside Community Mentoring Partnership, Youth Strand"
    body = client.get(feed_url(world.match.mentee.user)).content
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"X-WR-CALNAME:The Northside and Riverside Community Mentoring Partnership\\" in body


# --- The secret address -------------------------------------------------------------------------


def test_a_bad_token_is_404(client, world):
    assert client.get(reverse("evaluation:feed", args=["not-a-real-token"])).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_making_a_new_address_stops_the_old_one(client, world):
    ben = world.match.mentee.user
    old = feed_url(ben)
    client.force_login(ben)
    response = client.post(reverse("evaluation:calendar_revoke"))
    assert response.status_code == 302 and response.url == reverse("evaluation:calendar")
    client.logout()
    assert client.get(old).status_code == 404
    new = feed_url(ben)
    assert new != old
    assert client.get(new).status_code == 200


def test_the_feed_of_a_deactivated_account_is_404(client, world):
    ben = world.match.mentee.user
    url = feed_url(ben)
    ben.is_active = False
    ben.save()
    assert client.get(url).status_code == 404


# --- The page: role x URL matrix --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_calendar_page_shows_each_person_only_their_own_address(client, people, role, login_as):
    tokens = {r: CalendarFeed.objects.create(user=people.as_role(r)).token for r in ROLES if r != "anonymous"}
    if login_as(people, role) is None:
        response = client.get(reverse("evaluation:calendar"))
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        return
    response = client.get(reverse("evaluation:calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/calendar/{tokens[role]}.ics" in page
    assert f"webcal://mentoring.example.org/calendar/{tokens[role]}.ics" in page
    assert all(token not in page for other, token in tokens.items() if other != role)


@pytest.mark.parametrize("role", ROLES)
def test_making_a_new_address_needs_a_login_and_a_post(client, people, role, login_as):
    user = login_as(people, role)
    url = reverse("evaluation:calendar_revoke")
    if user is None:
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        assert not CalendarFeed.objects.exists()
        return
    assert client.get(url).status_code == 405
    before = CalendarFeed.objects.create(user=user).token
    other = people.mentor if user == people.mentee else people.mentee
    others_token = CalendarFeed.objects.create(user=other).token
    assert client.post(url).status_code == 302
    assert CalendarFeed.objects.get(user=user).token != before
    assert CalendarFeed.objects.get(user=other).token == others_token


def test_the_first_visit_creates_the_address(client, people):
    client.force_login(people.mentee)
    assert not CalendarFeed.objects.filter(user=people.mentee).exists()
    client.get(reverse("evaluation:calendar"))
    client.get(reverse("evaluation:calendar"))
    assert CalendarFeed.objects.filter(user=people.mentee).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_anyone_with_the_address_gets_the_feed_and_only_that_persons(client, people, role, login_as):
    """The feed needs no login (calendar apps cannot log in): whoever is logged in, if anyone, the
    token decides whose calendar it is."""
    owner = people.mentee
    url = feed_url(owner)
    login_as(people, role)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
