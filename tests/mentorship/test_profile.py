"""The profile page: a person edits their own profile, and nobody else's."""

import datetime as dt

import pytest
from django.urls import reverse

from mentorship.models import Language, Profile, Tag
from tests.scenarios import person

pytestmark = pytest.mark.django_db

URL = reverse("profile")
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    # Dates of birth are judged against today; pin it so that "over 110" is exact.
    time_machine.move_to(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False)


def form_data(**changes):
    """Everything the page posts when a person fills in every field."""
    data = {
        "display_name": "Ada",
        "pronouns": "she/her",
        "bio": "Engineer; happy to talk about first jobs.",
        "date_of_birth": "1990-04-02",
        "gender": "woman",
        "languages": "English, Polish",
        "interests": "Python, Chess",
        "skills": "Public speaking",
        "goals": "Find a first job",
        "availability": ["0", "8", "20"],  # Monday morning, Wednesday evening, Sunday evening
        "area": "Northside",
        "latitude": "51.5",
        "longitude": "-0.12",
        "meeting_mode": "in_person",
        "partner_gender": "woman",
        "partner_gender_importance": "required",
        "partner_age_band": "25_39",
        "partner_age_band_importance": "nice",
        "phone": "+44 7700 900123",
        "contact_method": "text",
        "email_reminders": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def names(manager):
    return sorted(obj.name for obj in manager.all())


@pytest.fixture
def ada(client):
    user = person(email="ada@example.org", display_name="Ada")
    client.force_login(user)
    return user


# --- Who sees what -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_anonymous_post_changes_nothing_and_is_sent_to_log_in(client, people):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Profile.objects.filter(display_name="Ada").exists()


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator", "other_coordinator", "staff"])
def test_each_role_sees_their_own_profile_and_nobody_elses(client, people, role):
    user = getattr(people, role)
    client.force_login(user)
    # A crafted query string cannot point the page at someone else.
    other = people.staff if role != "staff" else people.mentee
    response = client.get(URL, {"user": other.pk, "id": other.profile.pk})
    assert response.status_code == 200
    assert response.context["form"].instance == user.profile
    page = response.content.decode()
    assert f'value="{user.profile.display_name}"' in page
    for someone in (people.mentee, people.mentor, people.coordinator, people.other_coordinator, people.staff):
        if someone != user:
            assert someone.profile.display_name not in page


def test_the_page_says_what_a_match_partner_never_sees(client, ada):
    page = client.get(URL).content.decode()
    assert "Your date of birth, phone number and gender are never shown to a match partner" in page
    assert "Your age is used only for screening and for matching rules" in page
    legends = ["About you", "What you offer and want", "When and where", "Partner preferences", "Contact"]
    for legend in legends:
        assert f"<legend>{legend}</legend>" in page


def test_the_page_is_not_kept_in_caches(client, ada):
    assert "no-store" in client.get(URL)["Cache-Control"]


# --- Saving --------------------------------------------------------------------------------------


def test_saving_every_kind_of_field_round_trips(client, ada):
    response = client.post(URL, form_data(), follow=True)

    # Complete, and no application yet: on to the next step (tests/mentorship/test_next_steps.py).
    assert response.redirect_chain == [("/programs/", 302)]
    assert "Your profile is saved. Next: Choose a program and apply." in [
        str(m) for m in response.context["messages"]
    ]
    profile = Profile.objects.get(user=ada)
    assert profile.display_name == "Ada"
    assert profile.pronouns == "she/her"
    assert profile.bio == "Engineer; happy to talk about first jobs."
    assert profile.date_of_birth == dt.date(1990, 4, 2)
    assert profile.gender == "woman"
    assert names(profile.languages) == ["English", "Polish"]
    assert names(profile.interests) == ["Chess", "Python"]
    assert names(profile.skills) == ["Public speaking"]
    assert names(profile.goals) == ["Find a first job"]
    assert profile.availability == (1 << 0) | (1 << 8) | (1 << 20)
    assert profile.available_slots() == [0, 8, 20]
    # Only staff type an area or coordinates (tests/programs/test_areas.py): these were ignored.
    assert (profile.area, profile.latitude, profile.longitude) == ("", None, None)
    assert profile.meeting_mode == "in_person"
    assert (profile.partner_gender, profile.partner_gender_importance) == ("woman", "required")
    assert (profile.partner_age_band, profile.partner_age_band_importance) == ("25_39", "nice")
    assert profile.phone == "+44 7700 900123"
    assert profile.contact_method == "text"
    assert profile.email_reminders is True

    # ...and the profile page shows it all back.
    page = client.get(URL).content.decode()
    assert 'value="Python, Chess"' not in page  # shown in the vocabulary's order
    assert 'value="Chess, Python"' in page
    assert 'value="English, Polish"' in page
    assert 'value="1990-04-02"' in page
    assert 'aria-label="Wednesday evening" checked' in page
    assert 'aria-label="Wednesday morning">' in page


def test_emptying_fields_clears_them(client, ada):
    client.post(URL, form_data())
    cleared = form_data(
        languages="",
        interests="",
        skills="",
        goals="",
        availability=[],
        date_of_birth="",
        latitude="",
        longitude="",
        email_reminders=None,
        contact_method="email",
        phone="",
    )
    response = client.post(URL, cleared)

    assert response.status_code == 302
    profile = Profile.objects.get(user=ada)
    assert profile.availability == 0
    assert profile.date_of_birth is None
    assert profile.latitude is None and profile.longitude is None
    assert profile.email_reminders is False
    for field in ("languages", "interests", "skills", "goals"):
        assert names(getattr(profile, field)) == []
    # The vocabulary keeps the names: other people may use them.
    assert Tag.objects.filter(name="Python").exists()


def test_tags_are_created_once_and_reused_case_insensitively_across_people(client, ada):
    client.post(URL, form_data(interests="Python, Chess", skills="python", goals="", languages="English"))
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Chess", "Python"]

    ben = person(email="ben@example.org", display_name="Ben")
    client.force_login(ben)
    client.post(
        URL,
        form_data(
            display_name="Ben",
            interests="  PYTHON ,chess, Gardening,, gardening",
            skills="",
            goals="",
            languages="english, Welsh",
        ),
    )

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Chess", "Gardening", "Python"]
    assert sorted(Language.objects.values_list("name", flat=True)) == ["English", "Welsh"]
    ada_profile, ben_profile = Profile.objects.get(user=ada), Profile.objects.get(user=ben)
    assert names(ben_profile.interests) == ["Chess", "Gardening", "Python"]  # first spelling kept
    assert set(ben_profile.interests.all()) >= set(ada_profile.interests.all())
    assert list(ada_profile.skills.all()) == [Tag.objects.get(name="Python")]
    assert ben_profile.languages.get(name="English") == ada_profile.languages.get()


def test_the_page_suggests_existing_tags_and_languages(client, ada):
    Tag.objects.create(name="Woodwork")
    Language.objects.create(name="Somali")
    page = client.get(URL).content.decode()
    assert 'list="tag-suggestions"' in page
    assert '<option value="Woodwork"></option>' in page
    assert '<option value="Somali"></option>' in page


# --- Refused input -------------------------------------------------------------------------------


def assert_refused_keeping_input(client, user, data, field, message):
    before = Profile.objects.get(user=user)
    tags_before = Tag.objects.count()

    response = client.post(URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert message in page
    # Next to the field: the error list is tied to its input.
    assert f'id="id_{field}_error"' in page
    assert "Your profile is not saved yet" in page
    # Nothing saved, no tags created...
    assert Profile.objects.get(user=user).updated_at == before.updated_at
    assert Tag.objects.count() == tags_before
    # ...and nothing the person typed is lost.
    assert ">\nEngineer; happy to talk about first jobs.</textarea>" in page
    assert f'value="{data["interests"]}"' in page
    assert 'aria-label="Sunday evening" checked' in page
    return page


def test_a_date_of_birth_in_the_future_is_refused(client, ada):
    page = assert_refused_keeping_input(
        client, ada, form_data(date_of_birth="2026-06-16"), "date_of_birth", "can’t be in the future"
    )
    assert 'value="2026-06-16"' in page


def test_a_date_of_birth_over_110_years_ago_is_refused(client, ada):
    page = assert_refused_keeping_input(
        client, ada, form_data(date_of_birth="1915-06-15"), "date_of_birth", "over 110"
    )
    assert 'value="1915-06-15"' in page


def test_a_person_aged_exactly_110_is_accepted(client, ada):
    assert client.post(URL, form_data(date_of_birth="1915-06-16")).status_code == 302


@pytest.mark.parametrize(
    ("given", "missing"),
    [({"latitude": "51.5", "longitude": ""}, "longitude"), ({"latitude": ""}, "latitude")],
)
def test_coordinates_are_both_given_or_neither(client, ada, given, missing):
    ada.is_staff = True  # only staff type coordinates
    ada.save()
    page = assert_refused_keeping_input(client, ada, form_data(**given), missing, f"Give the {missing} too")
    assert 'value="51.5"' in page or 'value="-0.12"' in page


def test_a_mistyped_coordinate_is_shown_back_as_typed(client, ada):
    ada.is_staff = True
    ada.save()
    page = assert_refused_keeping_input(client, ada, form_data(latitude="51,5"), "latitude", "Enter a number")
    assert 'value="51,5"' in page


def test_more_than_20_interests_are_refused(client, ada):
    many = ", ".join(f"Topic {n}" for n in range(21))
    assert_refused_keeping_input(
        client, ada, form_data(interests=many), "interests", "at most 20 names here; there are 21"
    )


def test_a_name_longer_than_60_characters_is_refused(client, ada):
    long_name = "x" * 61
    assert_refused_keeping_input(
        client,
        ada,
        form_data(interests=f"Chess, {long_name}"),
        "interests",
        "keep each name to 60 characters",
    )


def test_a_language_list_is_limited_too(client, ada):
    data = form_data(languages=", ".join(f"Language {n}" for n in range(25)))
    response = client.post(URL, data)
    assert "at most 20 names" in " ".join(response.context["form"].errors["languages"])
    assert not Language.objects.exists()


def test_being_reached_by_phone_needs_a_phone_number(client, ada):
    assert_refused_keeping_input(
        client, ada, form_data(contact_method="phone", phone=""), "phone", "Give a phone number"
    )


def test_an_unknown_availability_slot_is_refused(client, ada):
    response = client.post(URL, form_data(availability=["0", "21"]))
    assert response.status_code == 200
    assert "availability" in response.context["form"].errors
    assert Profile.objects.get(user=ada).availability == 0


# --- Mass assignment -----------------------------------------------------------------------------


def test_fields_that_are_not_on_the_form_are_ignored(client, ada):
    other = person(email="other@example.org", display_name="Other")
    own_pk = ada.profile.pk
    created_at = ada.profile.created_at
    crafted = form_data(
        id=other.profile.pk,
        pk=other.profile.pk,
        user=other.pk,
        user_id=other.pk,
        created_at="2001-01-01T00:00:00Z",
        display_name="Ada Again",
    )

    assert client.post(URL, crafted).status_code == 302

    mine = Profile.objects.get(user=ada)
    assert mine.pk == own_pk
    assert mine.display_name == "Ada Again"
    assert mine.created_at == created_at
    theirs = Profile.objects.get(user=other)
    assert theirs.display_name == "Other"
    assert theirs.user == other
    assert Profile.objects.count() == 2


def test_the_page_answers_only_get_and_post(client, ada):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


# --- Queries -------------------------------------------------------------------------------------

MAX_QUERIES = 9  # session, user, profile, 4 prefetched lists, 2 suggestion lists


@pytest.mark.parametrize("count", [1, 15])
def test_the_page_loads_in_a_constant_number_of_queries(client, ada, django_assert_max_num_queries, count):
    profile = ada.profile
    profile.languages.set(Language.objects.create(name=f"Language {n}") for n in range(count))
    for field in ("interests", "skills", "goals"):
        getattr(profile, field).set(Tag.objects.create(name=f"{field} {n}") for n in range(count))

    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(URL)

    assert response.status_code == 200
    assert f"{field} {count - 1}" in response.content.decode()
    # Same count for 1 tag per list as for 15: the tags come by prefetch, not one by one.
    assert len(captured) == MAX_QUERIES
