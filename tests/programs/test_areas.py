"""Where people are: a program's areas (kept by its coordinators, each with a rough point), chosen
by people when they apply; nobody but staff types coordinates, and a partner sees only the name."""

import math

import pytest
from django.urls import reverse

from matching.pool import build_pool
from mentorship.forms import ProfileForm
from programs import areas as area_services
from programs import services
from programs.models import Area, Enrollment, participant_location
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

OLD_TOWN = (51.455, -2.592)
HARBOUR = (51.447, -2.615)


@pytest.fixture
def areas(world):
    by = world.people.coordinator
    return {
        "Old Town": area_services.area_add(program=world.program, name="Old Town", latitude=51.455,
                                      longitude=-2.592, by=by),
        "Harbour": area_services.area_add(program=world.program, name="Harbour", latitude=51.447,
                                     longitude=-2.615, by=by),
    }  # fmt: skip


# --- The profile asks nobody but staff for coordinates ------------------------------------------


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_a_non_staff_profile_form_has_no_coordinates_or_free_area(client, world, login_as, role):
    user = login_as(world, role)
    form = ProfileForm(instance=user.profile)
    assert not {"latitude", "longitude", "area"} & set(form.fields)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="latitude"' not in page and 'name="longitude"' not in page and 'name="area"' not in page
    assert "You choose your area from the program’s list of neighbourhoods when you apply" in page


def test_a_crafted_post_sets_no_coordinates(client, world):
    user = world.people.mentee
    client.force_login(user)
    form = ProfileForm(instance=user.profile)
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data.update(availability=[], latitude="10", longitude="10", area="12 Sentinel Street")
    client.post(reverse("profile"), data)
    user.profile.refresh_from_db()
    assert (user.profile.latitude, user.profile.longitude, user.profile.area) == (None, None, "")


def test_staff_still_type_coordinates(client, world):
    staff = world.people.staff
    form = ProfileForm(instance=staff.profile)
    assert {"latitude", "longitude", "area"} <= set(form.fields)
    client.force_login(staff)
    assert 'name="latitude"' in client.get(reverse("profile")).content.decode()


# --- Applying with an area sets where the person is ----------------------------------------------


def test_applying_with_an_area_sets_the_persons_location(client, areas):
    program = areas["Old Town"].program
    applicant = scenarios.person(email="newbie@areas.test", display_name="Newbie")
    client.force_login(applicant)
    url = reverse("programs:apply", args=[program.slug, "mentor"])
    page = client.get(url).content.decode()
    assert '<option value="Old Town">Old Town</option>' in page and "Matching uses it" in page
    data = {"motivation": "I like helping.", "heard_about": "event", "date_of_birth": "1990-04-01",
            "capacity": "1", "area_name": "Old Town"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    enrollment = Enrollment.objects.get(user=applicant)
    applicant.profile.refresh_from_db()
    assert enrollment.area_name == "Old Town" and applicant.profile.area == "Old Town"
    assert applicant.profile.latitude is None  # the point stays the area's: one rule, one place
    profile = applicant.profile
    assert participant_location(
        area_name=enrollment.area_name,
        area_points={"Old Town": OLD_TOWN},
        profile_area=profile.area,
        latitude=profile.latitude,
        longitude=profile.longitude,
    ) == ("old town", *OLD_TOWN)


def test_matching_reads_the_chosen_areas_point(db):
    world = scenarios.matching_world()
    program, lead = world.program, world.coordinator
    area_services.area_add(
        program=program, name="Old Town", latitude=OLD_TOWN[0], longitude=OLD_TOWN[1], by=lead
    )
    area_services.area_add(
        program=program, name="Harbour", latitude=HARBOUR[0], longitude=HARBOUR[1], by=lead
    )
    ben, ada = world.mentees["ben"], world.mentors["ada"]
    services.enrollment_set_area(enrollment=ben, area_name="Old Town")
    services.enrollment_set_area(enrollment=ada, area_name="Harbour")
    before = build_pool(program)
    i = [p.pk for p in before.mentees].index(ben.pk)
    j = [p.pk for p in before.mentors].index(ada.pk)
    assert (before.problem.mentees.lat[i], before.problem.mentees.lon[i]) == OLD_TOWN
    assert (before.problem.mentors.lat[j], before.problem.mentors.lon[j]) == HARBOUR
    dee = [p.pk for p in before.mentees].index(world.mentees["dee"].pk)
    assert math.isnan(before.problem.mentees.lat[dee])  # no area, no coordinates: unknown
    # Moving the area's point moves the people in it, and a nightly run sees the change.
    area = program.program_areas.get(name="Old Town")
    area_services.area_update(area=area, name="Old Town", latitude=51.5, longitude=-2.6, by=lead)
    after = build_pool(program)
    assert after.problem.mentees.lat[i] == 51.5 and after.fingerprint != before.fingerprint


def test_a_partner_sees_the_area_name_never_its_point(areas, world):
    from programs.limited import limited_profile

    enrollment = world.mentee_enrollment
    services.enrollment_set_area(enrollment=enrollment, area_name="Harbour")
    shown = repr(limited_profile(Enrollment.objects.get(pk=enrollment.pk)))
    assert "Harbour" in shown and "51.447" not in shown and "2.615" not in shown


# --- Coordinators keep the list -----------------------------------------------------------------


def settings_page(client, program):
    return client.get(reverse("programs:settings", args=[program.slug])).content.decode()


def test_a_coordinator_adds_edits_and_removes_areas(client, world, areas):
    program, coordinator = world.program, world.people.coordinator
    client.force_login(coordinator)
    page = settings_page(client, program)
    assert 'id="areas"' in page and 'value="Old Town"' in page and 'value="51.455"' in page

    url = reverse("programs:area_add", args=[program.slug])
    response = client.post(url, {"area-new-name": " Eastgate ", "area-new-latitude": "51.462",
                                 "area-new-longitude": "-2.555"})  # fmt: skip
    assert response.status_code == 302 and response.url.endswith("#areas")
    assert program.areas == ["Old Town", "Harbour", "Eastgate"]

    # Renaming keeps the people who chose it in it.
    services.enrollment_set_area(enrollment=world.mentee_enrollment, area_name="Old Town")
    old_town = areas["Old Town"]
    url = reverse("programs:area_update", args=[program.slug, old_town.pk])
    prefix = f"area-{old_town.pk}"
    data = {
        f"{prefix}-name": "Old Town Centre",
        f"{prefix}-latitude": "51.456",
        f"{prefix}-longitude": "-2.59",
    }
    assert client.post(url, data).status_code == 302
    old_town.refresh_from_db()
    assert (old_town.name, old_town.latitude, old_town.longitude) == ("Old Town Centre", 51.456, -2.59)
    assert Enrollment.objects.get(pk=world.mentee_enrollment.pk).area_name == "Old Town Centre"

    # Removing asks first, and the people who chose it show no area.
    page = settings_page(client, program)
    remove = reverse("programs:area_remove", args=[program.slug, old_town.pk])
    assert f'formaction="{remove}" class="button-danger" data-confirm=' in page
    assert client.post(remove).status_code == 302
    assert not Area.objects.filter(pk=old_town.pk).exists()
    assert Enrollment.objects.get(pk=world.mentee_enrollment.pk).area_name == ""


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "Eastgate", "latitude": "north", "longitude": "-2.5"}, "latitude", "Enter a number."),
        ({"name": "Eastgate", "latitude": "95", "longitude": "-2.5"}, "latitude", "less than or equal to 90"),
        ({"name": "Eastgate", "latitude": "51.4", "longitude": ""}, "longitude", "Give the longitude too"),
        ({"name": "", "latitude": "", "longitude": ""}, "name", "This field is required."),
        ({"name": "old town", "latitude": "", "longitude": ""}, None, "already has an area called"),
    ],
)
def test_bad_area_input_re_renders_with_errors(client, world, areas, data, field, message):
    client.force_login(world.people.coordinator)
    url = reverse("programs:area_add", args=[world.program.slug])
    response = client.post(url, {f"area-new-{name}": value for name, value in data.items()})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "data-error-summary" in page
    if field:
        assert f'href="#id_area-new-{field}"' in page
    if data["name"]:
        assert f'value="{data["name"]}"' in page  # what was typed is kept
    assert world.program.areas == ["Old Town", "Harbour"]


def test_a_bad_edit_re_renders_that_areas_form_with_its_errors(client, world, areas):
    client.force_login(world.people.coordinator)
    harbour = areas["Harbour"]
    url = reverse("programs:area_update", args=[world.program.slug, harbour.pk])
    prefix = f"area-{harbour.pk}"
    response = client.post(
        url, {f"{prefix}-name": "Old Town", f"{prefix}-latitude": "1", f"{prefix}-longitude": "1"}
    )
    assert (
        response.status_code == 400 and "already has an area called “Old Town”" in response.content.decode()
    )
    harbour.refresh_from_db()
    assert (harbour.name, harbour.latitude) == ("Harbour", 51.447)


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_touch_the_areas(client, world, areas, login_as, role):
    login_as(world, role)
    slug, pk = world.program.slug, areas["Harbour"].pk
    for url, data in [
        (reverse("programs:area_add", args=[slug]), {"area-new-name": "Eastgate"}),
        (reverse("programs:area_update", args=[slug, pk]), {f"area-{pk}-name": "Hacked"}),
        (reverse("programs:area_remove", args=[slug, pk]), {}),
    ]:
        response = client.post(url, once(data))
        assert response.status_code in ((302,) if role == "anonymous" else (404,))
    assert world.program.areas == ["Old Town", "Harbour"]
