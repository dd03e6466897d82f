"""Out-of-range input in report forms, export forms, list filters and a pair's journal forms gets a
form error, never a 500; so does the admin's "Add user" page with profile fields posted.

Dates are pushed to the edges of what Python and PostgreSQL hold (year 1, year 9999, year 10000)
and numbers past what a page number or a 64-bit integer can be.
"""

import uuid

import pytest
from django.urls import reverse

from evaluation.models import ExportRecord
from mentorship.models import Profile, User
from tests import scenarios
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db

BAD_DATES = ["0001-01-01", "0001-12-31", "0002-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "nonsense"]
BAD_NUMBERS = ["99999999999999999999999999", "-1", "-99999999999999999999", "0", "1e9", "nan"]
DATE_FIELDS = ["on", "start", "end"]


@pytest.fixture
def world():
    return scenarios.role_world()


def report_urls(world):
    slug = world.program.slug
    return [reverse("evaluation:program_dashboard", args=[slug]), reverse("evaluation:staff_dashboard")]


def export_urls(world):
    slug = world.program.slug
    return [reverse("evaluation:program_export", args=[slug]), reverse("evaluation:staff_export")]


def list_urls(world):
    slug = world.program.slug
    return [reverse("programs:applicants", args=[slug]), reverse("matching:concerns", args=[slug])]


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("value", BAD_DATES)
def test_report_pages_answer_out_of_range_dates_with_a_form_error(client, world, field, value):
    client.force_login(world.people.staff)
    for url in report_urls(world):
        response = client.get(url, {field: value})
        assert response.status_code == 200, f"{url}?{field}={value}"
        assert response.context["form"].errors, f"{url}?{field}={value}"


@pytest.mark.parametrize("value", BAD_DATES)
def test_report_pages_answer_a_whole_period_out_of_range_with_a_form_error(client, world, value):
    client.force_login(world.people.staff)
    for url in report_urls(world):
        response = client.get(url, dict.fromkeys(DATE_FIELDS, value))
        assert response.status_code == 200, f"{url} all={value}"
        assert response.context["form"].errors


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("value", BAD_DATES)
def test_export_forms_answer_out_of_range_dates_with_a_form_error(client, world, field, value):
    client.force_login(world.people.staff)
    for url in export_urls(world):
        assert client.get(url, {field: value}).status_code == 200, f"GET {url}?{field}={value}"
        response = client.post(url, {"dataset": "kpis", "file_format": "csv", field: value})
        assert response.status_code == 200, f"POST {url} {field}={value}"
        assert response.context["form"].errors
    assert not ExportRecord.objects.exists()


def test_a_coordinator_gets_the_same_form_errors_on_their_program(client, world):
    client.force_login(world.people.coordinator)
    url = reverse("evaluation:program_dashboard", args=[world.program.slug])
    response = client.get(url, {"on": "0001-01-01"})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors


@pytest.mark.parametrize("value", BAD_DATES + BAD_NUMBERS)
def test_list_filters_and_pages_answer_odd_values_without_an_error(client, world, value):
    client.force_login(world.people.staff)
    params = {"q": value, "role": value, "status": value, "screening": value, "minor": value, "page": value}
    for url in list_urls(world):
        assert client.get(url, params).status_code == 200, f"{url} {value}"
        assert client.get(url, {"page": value}).status_code == 200, f"{url}?page={value}"


def test_the_admin_adds_a_user_without_an_error_even_with_profile_fields_posted(client, world):
    # User.save creates the profile; the add page must not try to insert a second one.
    client.force_login(world.people.staff)
    url = reverse("admin:mentorship_user_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": "New.Person@Example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-display_name": "New Person",
            "profile-0-meeting_mode": "either",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert Profile.objects.filter(user=user).count() == 1
    change = client.get(response.url)
    assert change.status_code == 200
    assert b"profile-TOTAL_FORMS" in change.content


@pytest.mark.parametrize("value", BAD_DATES + BAD_NUMBERS)
def test_a_pairs_journal_forms_answer_odd_values_without_an_error(client, value):
    pair = pair_world()
    match = pair.match
    posts = [
        (
            pair.mentee,
            reverse("evaluation:checkin_new", args=[match.pk]),
            {
                "occurred_on": value,
                "held": "yes",
                "mode": "in_person",
                "duration_minutes": value,
                "rating": value,
            },
        ),
        (
            pair.coordinator,
            reverse("evaluation:contact_new", args=[match.pk]),
            {"contacted_on": value, "method": "phone"},
        ),
        (
            pair.mentee,
            reverse("evaluation:goal_new", args=[match.pk]),
            {"title": "A goal", "target_date": value},
        ),
    ]
    for user, url, data in posts:
        client.force_login(user)
        response = client.post(url, {**data, "once": str(uuid.uuid4())})
        assert response.status_code < 500, f"{url} {value}"
