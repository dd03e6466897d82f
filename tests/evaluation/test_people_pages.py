"""The staff's people pages: find a person, their page, the data download and erasure on request.
Staff only (404 for everyone else, coordinators included); viewing a minor's page, downloading and
erasing are on the audit trail; a refusal is said, never a 500; and an erased person's email, name
and date of birth are in no column of any table afterwards."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import erasure, retention
from evaluation.models import RetentionHold
from mentorship.models import AuditEntry, User
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PAGES = ["evaluation:people", "evaluation:person", "evaluation:person_data", "evaluation:person_erase"]


def url(name, person):
    return reverse(name) if name == "evaluation:people" else reverse(name, args=[person.pk])


# --- Who may see them -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_only_staff_see_the_people_pages(client, world, role, name):
    """The person is the mentee of people.coordinator's program: their own coordinator gets 404 too."""
    viewer = world.people.as_role(role)
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(url(name, world.people.mentee))
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    elif role == "staff":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator", "other_coordinator"])
def test_nobody_but_staff_can_post_an_erasure(client, world, role):
    person = scenarios.person(email="left@people.test")
    client.force_login(world.people.as_role(role))
    response = client.post(url("evaluation:person_erase", person), {"confirm_email": person.email})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.email == "left@people.test"


def test_a_staff_members_dashboard_links_to_the_people_pages(client, people):
    client.force_login(people.staff)
    assert reverse("evaluation:people") in client.get("/dashboard/").content.decode()
    client.force_login(people.coordinator)
    assert reverse("evaluation:people") not in client.get("/dashboard/").content.decode()


# --- Finding a person ------------------------------------------------------------------------------


@pytest.fixture
def staff():
    return scenarios.person(email="sid@staff.test", display_name="Sid Staff", is_staff=True)


def test_staff_find_a_person_by_email_or_by_name(client, staff):
    ann = scenarios.person(email="ann.smith@example.org", display_name="Ann Smith")
    scenarios.person(email="bob@example.org", first_name="Bob", last_name="Jones")
    client.force_login(staff)
    for query in ("ann.smith@", "ann smith", "SMITH"):
        page = client.get(reverse("evaluation:people"), {"q": query})
        assert [p.pk for p in page.context["page"]] == [ann.pk], query
    page = client.get(reverse("evaluation:people"), {"q": "jones"})
    assert [p.email for p in page.context["page"]] == ["bob@example.org"]
    # No query, no list: the form only.
    assert client.get(reverse("evaluation:people")).context["page"] is None


def test_a_page_of_results_costs_the_same_queries_however_many_people_match(client, staff):
    client.force_login(staff)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("evaluation:people"), {"q": "@many.test"})
        assert response.status_code == 200
        return len(captured), response

    scenarios.person(email="p0@many.test")
    few, _ = queries()
    for i in range(1, 60):
        scenarios.person(email=f"p{i}@many.test", display_name=f"Person {i}")
    many, response = queries()
    assert many == few
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 60


# --- A person's page -----------------------------------------------------------------------------


def test_the_page_shows_applications_matches_with_the_partners_first_name_and_holds(client, staff):
    history = scenarios.person_with_history()
    RetentionHold.objects.create(user=history.user, reason="complaint open", set_by=staff)
    client.force_login(staff)
    page = client.get(url("evaluation:person", history.user)).content.decode()
    shown = ["Marigold Quenby", "marigold.quenby@example.org", "25 to 39", "Riverside Mentoring"]
    shown += ["Harbour Mentors", "Withdrawn", "Morgan", "complaint open", "Download all their data"]
    for text in shown:
        assert text in page, text
    assert "Reyes" not in page and "morgan@history.test" not in page


def test_viewing_a_minors_page_is_on_the_audit_trail_and_an_adults_is_not(client, staff):
    program = scenarios.program(coordinator=scenarios.coordinator(email="c@people.test"))
    minor = scenarios.ready_mentee(program=program, email="kid@people.test", minor=True).user
    adult = scenarios.ready_mentee(program=program, email="grown@people.test").user
    client.force_login(staff)
    client.get(url("evaluation:person", minor), REMOTE_ADDR="203.0.113.9")
    client.get(url("evaluation:person", adult))
    entry = AuditEntry.objects.get(action="person.viewed")
    assert (entry.actor, entry.target_id, entry.ip) == (staff, minor.pk, "203.0.113.9")
    assert entry.label == "Person page of a minor viewed"


# --- Erasure -------------------------------------------------------------------------------------


def test_the_preview_lists_what_goes_what_stays_and_what_safeguarding_keeps(client, staff):
    history = scenarios.person_with_history()
    client.force_login(staff)
    response = client.get(url("evaluation:person_erase", history.user))
    page = response.content.decode()
    assert response.status_code == 200
    # What goes: the same steps the erasure applies, with the person's counts.
    for line in erasure.plan(history.user):
        assert line.what.replace("'", "&#x27;") in page
    for field in ("date of birth", "phone", "short bio", "email address", "first name", "last name"):
        assert field in page, field
    # What stays, anonymised, and what safeguarding keeps.
    assert "Matches: 1" in page and "Check-ins: 2" in page
    assert "Screening records: 1" in page
    assert 'data-confirm="' in page and 'class="button-danger"' in page


def test_an_active_participant_is_refused_with_the_reason_and_no_button(client, world):
    client.force_login(world.people.staff)
    page = client.get(url("evaluation:person_erase", world.people.mentee)).content.decode()
    assert "still takes part" in page and "Erase this person</button>" not in page
    response = client.post(
        url("evaluation:person_erase", world.people.mentee), {"confirm_email": "mentee@roles.test"}
    )
    assert response.status_code == 400 and "still takes part" in response.content.decode()
    assert User.objects.get(pk=world.people.mentee.pk).email == "mentee@roles.test"
    assert not AuditEntry.objects.filter(action="person.anonymised").exists()


def test_staff_and_coordinators_are_refused_too(client, world):
    client.force_login(world.people.staff)
    page = client.get(url("evaluation:person_erase", world.people.coordinator)).content.decode()
    assert "are not erased this way" in page


def test_erasing_needs_the_persons_email_typed(client, staff):
    person = scenarios.person(email="leaving@people.test")
    client.force_login(staff)
    response = client.post(url("evaluation:person_erase", person), {"confirm_email": "someone@else.test"})
    assert response.status_code == 400
    assert "not this person&#x27;s email address" in response.content.decode()
    assert not retention.is_anonymised(User.objects.get(pk=person.pk))


def test_a_second_post_of_the_form_says_the_person_is_erased_already(client, staff):
    person = scenarios.person(email="twice@people.test")
    client.force_login(staff)
    erase = url("evaluation:person_erase", person)
    assert client.post(erase, {"confirm_email": "TWICE@people.test"}).status_code == 302
    response = client.post(erase, {"confirm_email": "twice@people.test"}, follow=True)
    assert "is erased already" in response.content.decode()
    assert AuditEntry.objects.filter(action="person.anonymised", target_id=person.pk).count() == 1


def text_columns():
    """Every column of every table that holds text: text, varchar, json, jsonb."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'json', 'jsonb')
            """
        )
        return cursor.fetchall()


def places_mentioning(needle, columns):
    found = []
    with connection.cursor() as cursor:
        for table, column in columns:
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608 - catalogue names
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_an_erased_person_is_in_no_text_column_of_any_table(client, staff):
    history = scenarios.person_with_history()
    user = history.user
    emails = ["marigold.quenby@example.org", "marigold@elsewhere.test"]
    needles = [*emails, "Marigold Quenby", "Marigold", "Quenby", "1990-03-04"]
    columns = text_columns()
    assert ("evaluation_surveyresponse", "answers") in columns  # json is searched too
    assert all(places_mentioning(needle, columns) for needle in needles[:-1])  # the scenario put them there

    client.force_login(staff)
    response = client.post(url("evaluation:person_erase", user), {"confirm_email": user.email}, follow=True)
    assert response.redirect_chain[-1][0] == url("evaluation:person", user)
    assert f"Person #{user.pk} is erased" in response.content.decode()

    for needle in needles:
        assert places_mentioning(needle, columns) == [], needle
    user.refresh_from_db()
    assert user.profile.date_of_birth is None and not user.is_active and not user.has_usable_password()
    entry = AuditEntry.objects.get(action="person.anonymised", target_id=user.pk)
    assert (entry.actor, entry.summary) == (staff, "personal data, on request")
    # Nothing is left for the erasure to do, and the counts the reports read are all still there.
    assert erasure.plan(user) == []
    preview = retention.erasure_preview(user)
    kept = {c.what: c.rows for c in preview.kept}
    assert kept.items() >= {"Matches": 1, "Check-ins": 2, "Goals": 1, "Enrollments": 2}.items()


def test_the_policys_anonymising_and_erasure_on_request_are_the_same_steps():
    """Erasure on request anonymises as the nightly job does (one list of steps): a person erased
    now has nothing left for the job."""
    history = scenarios.person_with_history()
    retention.person_erase(user=history.user, by=None)
    later = dt.date.today().replace(year=dt.date.today().year + 30)
    assert retention.due_for(User.objects.get(pk=history.user.pk), on=later) is None
