"""Matching reasons say what a pair shares, not only scores (issue 12, item 11), in a constant number
of queries; a participant sees only what the limited profile allows. Also: declining a suggestion
and accepting all above a score ask first (item 2)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import runs, services
from matching.models import MatchRun
from matching.reasons import shared_times
from mentorship.models import Profile
from mentorship.services import tags_get_or_create
from programs.models import Area, Enrollment, MatchingMode
from tests import scenarios

pytestmark = pytest.mark.django_db

TUESDAY_EVENING, SATURDAY_MORNING, SATURDAY_AFTERNOON, MONDAY_MORNING = 1 * 3 + 2, 5 * 3, 5 * 3 + 1, 0


def _bits(*slots):
    return sum(1 << slot for slot in slots)


def _place(enrollment, *, area, lat, lon, availability, interests=()):
    Profile.objects.filter(user=enrollment.user).update(
        area=area, latitude=lat, longitude=lon, availability=availability
    )
    enrollment.user.profile.interests.set(tags_get_or_create(names=interests))


def _run(program):
    runs.run_execute(run_id=MatchRun.objects.create(program=program, trigger="coordinator").pk)


@pytest.fixture
def world(db):
    world = scenarios.matching_world()
    # Ben (Coding) and Ada (Coding, Maths): both like chess, free Tuesday evening and Saturday
    # morning, about 2 km apart in two neighbourhoods.
    _place(world.mentees["ben"], area="Riverside", lat=51.5000, lon=-0.1000, interests=["Chess", "Films"],
           availability=_bits(TUESDAY_EVENING, SATURDAY_MORNING, SATURDAY_AFTERNOON))  # fmt: skip
    _place(world.mentors["ada"], area="Old Town", lat=51.5180, lon=-0.1000, interests=["Chess", "Running"],
           availability=_bits(TUESDAY_EVENING, SATURDAY_MORNING, MONDAY_MORNING))  # fmt: skip
    return world


def _suggestion_of(page, mentor, mentee):
    """The text of the suggestion article pairing ``mentor`` with ``mentee`` (tags stripped)."""
    for article in re.findall(r"<article class=\"suggestion\".*?</article>", page, flags=re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", article).split())
        if text.startswith(f"{mentor} mentoring {mentee}"):
            return article, text
    raise AssertionError(f"no suggestion of {mentor} with {mentee}")


def test_shared_times_are_grouped_by_day():
    a = _bits(TUESDAY_EVENING, SATURDAY_MORNING, SATURDAY_AFTERNOON)
    b = _bits(TUESDAY_EVENING, SATURDAY_MORNING, SATURDAY_AFTERNOON, MONDAY_MORNING)
    assert shared_times(a, b) == ("Tuesday evening", "Saturday morning and afternoon")
    assert shared_times(a, 0) == ()


def test_a_suggestion_says_what_the_pair_shares_by_name_and_links_both_records(client, world):
    _run(world.program)
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:program", args=[world.program.slug])).text
    article, text = _suggestion_of(page, "Ada", "Ben")
    assert "Ada can help with Coding" in text
    assert "Both interested in Chess" in text and "Films" not in text
    assert "Both speak English" in text
    assert "Both free Tuesday evening and Saturday morning" in text
    assert "Ben in Riverside, Ada in Old Town, about 2 km apart" in text
    assert "Under 18" not in text  # Ben is an adult
    for person in (world.mentors["ada"], world.mentees["ben"]):
        assert reverse("programs:applicant", args=[world.program.slug, person.pk]) in article
    # The score breakdown stays, as secondary detail.
    assert "<summary>Score breakdown</summary>" in article


def test_an_under_18_mentee_is_flagged_with_their_guardians_consent(client, world):
    _run(world.program)
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:program", args=[world.program.slug])).text
    _, text = _suggestion_of(page, "Cy", "Dee")
    assert "Under 18 Dee: guardian consent given on" in text


def test_mentee_options_give_the_same_reasons(client, world):
    client.force_login(world.coordinator)
    url = reverse("matching:mentee_options", args=[world.program.slug, world.mentees["ben"].pk])
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get(url).text).split())
    assert "Ada can help with Coding" in text and "Both free Tuesday evening and Saturday morning" in text


def _page_queries(client, program):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("matching:program", args=[program.slug])).text
    return len(queries), page.count('<article class="suggestion"')


def test_reasons_cost_the_same_number_of_queries_for_3_or_9_suggestions(client, world):
    _run(world.program)
    client.force_login(world.coordinator)
    few_queries, few = _page_queries(client, world.program)
    for k in range(6):
        scenarios.ready_mentor(program=world.program, email=f"m{k}@matching.test", display_name=f"M{k}",
                               skills=[f"Skill {k}"], interests=["Chess"])  # fmt: skip
        scenarios.ready_mentee(program=world.program, email=f"e{k}@matching.test", display_name=f"E{k}",
                               goals=[f"Skill {k}"], interests=["Chess"], minor=k % 2 == 0)  # fmt: skip
    _run(world.program)
    many_queries, many = _page_queries(client, world.program)
    assert many >= few + 6
    assert many_queries == few_queries


def test_a_mentee_choosing_sees_what_they_share_but_no_distance_age_or_free_times(client):
    world = scenarios.matching_world(matching_mode=MatchingMode.PARTICIPANTS)
    _place(world.mentees["dee"], area="12 Hidden Street", lat=51.5, lon=-0.1,
           availability=_bits(TUESDAY_EVENING), interests=["Chess"])  # fmt: skip
    _place(world.mentors["cy"], area="3 Secret Road", lat=51.52, lon=-0.1,
           availability=_bits(TUESDAY_EVENING), interests=["Chess"])  # fmt: skip
    client.force_login(world.mentees["dee"].user)
    page = client.get(reverse("matching:choose", args=[world.mentees["dee"].pk])).text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Cy can help with Nursing" in text
    assert "Both interested in Chess" in text
    # The other person's free times are not in their limited profile.
    for private in ("Hidden Street", "Secret Road", " km", "Under 18", "consent", "Tuesday"):
        assert private not in text

    services.request_create(
        mentee=world.mentees["dee"], mentor=world.mentors["cy"], by=world.mentees["dee"].user
    )
    client.force_login(world.mentors["cy"].user)
    page = client.get(reverse("matching:requests")).text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "You can help with Nursing" in text
    for private in ("Hidden Street", "Secret Road", " km", "Under 18", "consent", "Tuesday"):
        assert private not in text
    decline = re.search(r"<button[^>]*>Decline", page).group(0)
    assert "button-danger" in decline and "data-confirm=" in decline


def test_declining_and_accepting_all_above_a_score_ask_first_and_say_what_happens(client, world):
    _run(world.program)
    client.force_login(world.coordinator)
    page = client.get(reverse("matching:program", args=[world.program.slug])).text
    declines = re.findall(r"<button[^>]*>Decline", page)
    assert declines and all("button-danger" in b and "never be suggested again" in b for b in declines)
    accept_all = re.search(r"<button[^>]*>Accept these", page).group(0)
    scores = [float(s) for s in re.findall(r'data-score="([\d.]+)"', page)]
    expected = sum(1 for s in scores if s >= 70)
    assert "button-danger" in accept_all
    assert f"Accept all {expected} suggestion" in accept_all and "scoring 70 or more?" in accept_all
    assert "emailed an introduction" in accept_all


def test_program_areas_name_where_each_is_and_give_the_distance_between_their_points(client, world):
    Area.objects.create(program=world.program, name="Northside", latitude=51.50, longitude=-0.10)
    Area.objects.create(program=world.program, name="Harbour", latitude=51.55, longitude=-0.10)
    Enrollment.objects.filter(pk=world.mentees["ben"].pk).update(area_name="Northside")
    Enrollment.objects.filter(pk=world.mentors["ada"].pk).update(area_name="Harbour")
    client.force_login(world.coordinator)
    url = reverse("matching:mentee_options", args=[world.program.slug, world.mentees["ben"].pk])
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get(url).text).split())
    assert "Ben in Northside, Ada in Harbour, about 6 km apart" in text
