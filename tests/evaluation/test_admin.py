"""The journals and exports in the Django admin: staff read every list and row in a fixed number of
queries, correct a mislogged check-in, and can neither change nor delete a survey answer or an
export record."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import CheckIn, CheckInDay, ExportRecord, Goal, GoalNote, StaffContact, SurveyResponse
from tests import scenarios
from tests.evaluation.helpers import more_active_matches, pair_world

pytestmark = pytest.mark.django_db
MODELS = [CheckIn, Goal, GoalNote, StaffContact, SurveyResponse, ExportRecord]


@pytest.fixture
def world():
    return pair_world()


@pytest.fixture
def admin_client(client, world):
    staff = scenarios.person(email="admin@pairs.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def journal_rows(world, match):
    """One row of each kind for ``match``, written by the services where they allow it."""
    today = timezone.localdate()
    services.checkin_log(match=match, by=match.mentee.user, occurred_on=today, rating=4, notes="Went well")
    goal = services.goal_create(match=match, by=match.mentee.user, title="Learn to code")
    services.goal_note_add(goal=goal, by=match.mentor.user, text="Started with Python")
    services.staff_contact_log(match=match, by=world.coordinator, contacted_on=today, notes="All fine")
    SurveyResponse.objects.create(
        match=match, respondent=match.mentee.user, role="mentee", kind="satisfaction", period=1, rating=5
    )
    ExportRecord.objects.create(
        requested_by=world.coordinator, program=match.program, dataset="kpis", file_format="csv"
    )


def changelist(model):
    return reverse(f"admin:evaluation_{model._meta.model_name}_changelist")


def change_page(obj):
    return reverse(f"admin:evaluation_{obj._meta.model_name}_change", args=[obj.pk])


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_see_each_list_and_row(admin_client, world, model):
    journal_rows(world, world.match)
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get(change_page(model.objects.get())).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_list_can_be_filtered_by_program(admin_client, world, model):
    journal_rows(world, world.match)
    field = {GoalNote: "goal__match__program", ExportRecord: "program"}.get(model, "match__program")
    url = changelist(model)
    assert admin_client.get(url, {f"{field}__id__exact": world.program.pk}).context["cl"].result_count == 1
    other = scenarios.program(coordinator=world.other_coordinator, name="A third program")
    assert admin_client.get(url, {f"{field}__id__exact": other.pk}).context["cl"].result_count == 0


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_list_costs_the_same_queries_with_more_rows(admin_client, world, model):
    journal_rows(world, world.match)
    few = queries_for(admin_client, changelist(model))
    for match in more_active_matches(program=world.program, count=3):
        journal_rows(world, match)
    assert queries_for(admin_client, changelist(model)) == few


def test_nobody_adds_a_journal_row_or_export_in_the_admin(admin_client, world):
    for model in MODELS:
        url = reverse(f"admin:evaluation_{model._meta.model_name}_add")
        assert admin_client.get(url).status_code == 403, model.__name__


@pytest.mark.parametrize("model", [SurveyResponse, ExportRecord], ids=lambda m: m.__name__)
def test_survey_answers_and_exports_cannot_be_changed_or_deleted(admin_client, world, model):
    journal_rows(world, world.match)
    obj = model.objects.get()
    page = admin_client.get(change_page(obj))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    field = "rating" if model is SurveyResponse else "row_count"
    assert admin_client.post(change_page(obj), {field: "1"}).status_code == 403
    delete_url = reverse(f"admin:evaluation_{model._meta.model_name}_delete", args=[obj.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        changelist(model), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} == before


def checkin_form(checkin, **changes):
    data = {
        "occurred_on": checkin.occurred_on.isoformat(),
        "held": "on" if checkin.held else "",
        "duration_minutes": checkin.duration_minutes or "",
        "rating": checkin.rating or "",
        "notes": checkin.notes,
        "_save": "Save",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_staff_correct_a_mislogged_check_in_and_the_rollups_follow(admin_client, world):
    journal_rows(world, world.match)
    checkin = CheckIn.objects.get()
    day = CheckInDay.objects.filter(program=world.program, day=checkin.occurred_on)
    assert list(day.values_list("checkins", "held", "mentee_ratings")) == [(1, 1, 1)]

    response = admin_client.post(change_page(checkin), checkin_form(checkin, held="", notes="Did not meet"))
    assert response.status_code == 302

    checkin.refresh_from_db()
    assert (checkin.held, checkin.rating, checkin.notes) == (False, None, "Did not meet")
    # The database triggers keep the KPI rollups in step with the corrected row.
    assert list(day.values_list("checkins", "held", "mentee_ratings")) == [(1, 0, 0)]


def test_a_check_in_cannot_be_moved_into_the_future_or_before_the_match(admin_client, world):
    journal_rows(world, world.match)
    checkin = CheckIn.objects.get()
    for day in (timezone.localdate() + dt.timedelta(days=1), world.match.started_on - dt.timedelta(days=1)):
        response = admin_client.post(change_page(checkin), checkin_form(checkin, occurred_on=day.isoformat()))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    checkin.refresh_from_db()
    assert checkin.occurred_on == timezone.localdate()


def test_the_match_and_who_logged_it_are_not_editable(admin_client, world):
    journal_rows(world, world.match)
    checkin = CheckIn.objects.get()
    other_match = more_active_matches(program=world.program, count=1)[0]
    admin_client.post(
        change_page(checkin), checkin_form(checkin, match=other_match.pk, logged_by=world.coordinator.pk)
    )
    checkin.refresh_from_db()
    assert (checkin.match_id, checkin.logged_by_id) == (world.match.pk, world.mentee.pk)
