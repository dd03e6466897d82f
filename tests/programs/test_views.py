"""The programs pages through the client: who sees what, forms, mass assignment, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus, Role
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def manage_urls(world):
    p, mentor, mentee = world.program, world.mentor_enrollment, world.mentee_enrollment
    return [
        reverse("programs:dashboard", args=[p.slug]),
        reverse("programs:settings", args=[p.slug]),
        reverse("programs:applicants", args=[p.slug]),
        reverse("programs:applicant", args=[p.slug, mentor.pk]),
        reverse("programs:applicant", args=[p.slug, mentee.pk]),
    ]


MANAGE_EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "outsider": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_management_pages_answer_only_the_programs_coordinators_and_staff(client, world, role, login_as):
    login_as(world, role)
    for url in manage_urls(world):
        response = client.get(url)
        assert response.status_code == MANAGE_EXPECTED[role], f"{role} at {url}"
        if role == "anonymous":
            assert response.url.startswith(LOGIN)


MANAGE_POSTS = [
    ("programs:status", {"status": "running"}),
    ("programs:coordinator_add", {"coordinator-email": "mentee@roles.test"}),
    ("programs:checklist_add", {"checklist-name": "First aid"}),
    ("programs:question_add", {"question-text": "Why us?"}),
]


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_change_a_program(client, world, role, login_as):
    login_as(world, role)
    for name, data in MANAGE_POSTS:
        response = client.post(reverse(name, args=[world.program.slug]), data)
        assert response.status_code in (302, 404)
        if role != "anonymous":
            assert response.status_code == 404
    program = Program.objects.get(pk=world.program.pk)
    assert program.status == ProgramStatus.OPEN
    assert list(program.coordinators.all()) == [world.people.coordinator]
    assert not program.checklist_items.filter(name="First aid").exists()
    assert not program.questions.exists()


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_decide_on_or_screen_an_applicant(client, world, role, login_as):
    login_as(world, role)
    slug, pk = world.program.slug, world.mentor_enrollment.pk
    client.post(reverse("programs:applicant_status", args=[slug, pk]), {"decision-status": "in_screening"})
    item = world.program.checklist_items.first()
    client.post(
        reverse("programs:applicant_screening", args=[slug, pk]),
        {"screening-item": item.pk, "screening-completed_on": "2026-01-01"},
    )
    enrollment = Enrollment.objects.get(pk=pk)
    assert enrollment.status == EnrollmentStatus.APPLIED
    assert not enrollment.screening_records.exists()


def test_an_applicant_of_another_program_is_404_even_for_a_coordinator(client, world):
    stranger = scenarios.enroll(program=world.other_program, user=world.people.staff, role=Role.MENTOR)
    client.force_login(world.people.coordinator)
    assert (
        client.get(reverse("programs:applicant", args=[world.program.slug, stranger.pk])).status_code == 404
    )


PUBLIC_EXPECTED = {
    "anonymous": 200,
    "mentee": 200,
    "mentor": 200,
    "outsider": 200,
    "coordinator": 200,
    "other_coordinator": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_program_list_and_open_program_page_are_public(client, world, role, login_as):
    login_as(world, role)
    assert client.get(reverse("programs:list")).status_code == 200
    assert client.get(world.program.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_program_is_seen_only_by_its_coordinators_and_staff(client, world, role, login_as):
    draft = scenarios.program(
        coordinator=world.people.coordinator, name="Secret Draft", status=ProgramStatus.DRAFT
    )
    login_as(world, role)
    expected = 200 if role in ("coordinator", "staff") else 404
    assert client.get(draft.get_absolute_url()).status_code == expected
    assert ("Secret Draft" in client.get(reverse("programs:list")).content.decode()) == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_an_application_page_is_seen_only_by_the_applicant(client, world, role, login_as):
    login_as(world, role)
    response = client.get(reverse("programs:enrollment", args=[world.mentee_enrollment.pk]))
    expected = {"anonymous": 302, "mentee": 200}.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_applicant_can_withdraw_through_the_page(client, world, role, login_as):
    login_as(world, role)
    client.post(reverse("programs:enrollment_withdraw", args=[world.mentee_enrollment.pk]))
    status = Enrollment.objects.get(pk=world.mentee_enrollment.pk).status
    assert status == (EnrollmentStatus.WITHDRAWN if role == "mentee" else EnrollmentStatus.APPLIED)


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_program_is_for_coordinators_and_staff(client, world, role, login_as):
    login_as(world, role)
    response = client.get(reverse("programs:create"))
    expected = {"anonymous": 302, "coordinator": 200, "other_coordinator": 200, "staff": 200}.get(role, 404)
    assert response.status_code == expected


def program_post_data(**overrides):
    data = {
        "name": "Westside Mentoring",
        "description": "Mentors for young people in Westside.",
        "audience": "youth",
        "format": "one_to_one",
        "is_rolling": "on",
        "checkin_cadence_days": "14",
        "min_commitment_months": "12",
        "default_mentor_capacity": "2",
        "satisfaction_survey_days": "90",
        "matching_mode": "coordinator",
        **{
            f"weight_{c}": w
            for c, w in {
                "goals": 4,
                "interests": 3,
                "availability": 2,
                "location": 1,
                "preferences": 1,
            }.items()
        },
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_program_from_the_form_and_extra_fields_change_nothing(client, world):
    client.force_login(world.people.coordinator)
    response = client.post(
        reverse("programs:create"),
        program_post_data(status="running", slug="hijack", created_by=world.people.staff.pk),
    )
    program = Program.objects.get(name="Westside Mentoring")
    assert response.status_code == 302
    assert program.status == ProgramStatus.DRAFT
    assert program.slug == "westside-mentoring"
    assert program.created_by == world.people.coordinator
    assert program.default_mentor_capacity == 2


def test_settings_errors_re_render_with_what_was_typed(client, world):
    client.force_login(world.people.coordinator)
    data = program_post_data(name="Renamed", is_rolling="", start_date="", **{"weight_goals": "11"})
    response = client.post(reverse("programs:settings", args=[world.program.slug]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "needs a start date" in content and "Renamed" in content
    assert Program.objects.get(pk=world.program.pk).name == "Northside Youth Mentoring"


def test_weights_are_saved_from_settings(client, world):
    client.force_login(world.people.coordinator)
    data = program_post_data(name="Northside Youth Mentoring", weight_goals="7", weight_location="0")
    client.post(reverse("programs:settings", args=[world.program.slug]), data)
    weights = Program.objects.get(pk=world.program.pk).criteria_weights
    assert weights["goals"] == 7 and weights["location"] == 0


def test_applying_through_the_page_and_mass_assignment_is_refused(client, world):
    applicant = scenarios.person(email="newbie@example.org", display_name="Newbie")
    client.force_login(applicant)
    url = reverse("programs:apply", args=[world.program.slug, "mentor"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "motivation": "I like helping.",
            "heard_about": "event",
            "capacity": "2",
            "date_of_birth": "1990-04-01",
            "status": "approved",
            "program": world.other_program.pk,
            "source": "imported",
            "user": world.people.staff.pk,
        },
    )
    enrollment = Enrollment.objects.get(user=applicant)
    assert response.status_code == 302 and response.url == enrollment.get_absolute_url()
    assert (
        enrollment.program,
        enrollment.status,
        enrollment.source,
        enrollment.role,
        enrollment.capacity,
    ) == (
        world.program,
        EnrollmentStatus.APPLIED,
        "applied",
        "mentor",
        2,
    )


def test_a_minor_applying_as_a_mentee_must_name_a_guardian(client, world, mailoutbox, send_queued_emails):
    teen = scenarios.person(email="teen@example.org", display_name="Teen")
    client.force_login(teen)
    url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    birthday = dt.date.today().replace(year=dt.date.today().year - 15)
    data = {"motivation": "Help with school.", "heard_about": "school", "date_of_birth": birthday.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "need a parent or guardian" in response.content.decode()
    assert "Help with school." in response.content.decode()
    response = client.post(url, {**data, "guardian_name": "Pat", "guardian_email": "pat@example.org"})
    assert response.status_code == 302
    send_queued_emails()
    assert mailoutbox[0].to == ["pat@example.org"]
    token = Enrollment.objects.get(user=teen).consents.get().token
    assert f"/consent/{token}/" in mailoutbox[0].body
    consent_page = client.get(reverse("programs:guardian_consent", args=[token]))
    assert consent_page.status_code == 200
    client.logout()  # the guardian has no account
    signed = {"consent": "yes", "signed_name": "Pat Jones", "relationship": "Father"}
    response = client.post(reverse("programs:guardian_consent", args=[token]), signed)
    assert response.status_code == 200
    assert Enrollment.objects.get(user=teen).guardian_consent is True


def test_a_bad_consent_token_is_404(client):
    assert client.get("/consent/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_coordinators_decide_and_screen_through_the_pages(client, world, mailoutbox, send_queued_emails):
    client.force_login(world.people.coordinator)
    slug, pk = world.program.slug, world.mentor_enrollment.pk
    response = client.post(
        reverse("programs:applicant_status", args=[slug, pk]), {"decision-status": "approved"}
    )
    assert response.status_code == 400  # applied -> approved is not allowed; screening comes first
    client.post(
        reverse("programs:applicant_status", args=[slug, pk]),
        {"decision-status": "in_screening", "decision-note": "Welcome"},
    )
    client.post(reverse("programs:applicant_status", args=[slug, pk]), {"decision-status": "approved"})
    for item in world.program.checklist_items.all():
        response = client.post(
            reverse("programs:applicant_screening", args=[slug, pk]),
            {"screening-item": item.pk, "screening-completed_on": dt.date.today().isoformat()},
        )
        assert response.status_code == 302
    assert Enrollment.objects.filter(pk=pk).matchable().exists()
    assert send_queued_emails() == 2


def test_the_applicant_list_filters_and_keeps_the_filter_across_pages(client, world):
    for i in range(30):
        scenarios.enroll(
            program=world.program, user=scenarios.person(email=f"m{i}@example.org"), role=Role.MENTEE
        )
    client.force_login(world.people.coordinator)
    url = reverse("programs:applicants", args=[world.program.slug])
    response = client.get(url, {"role": "mentee"})
    assert response.context["page"].paginator.count == 31
    assert "role=mentee&amp;page=2" in response.content.decode()
    assert client.get(url, {"role": "mentor"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "m7@"}).context["page"].paginator.count == 1
    assert client.get(url, {"screening": "yes"}).context["page"].paginator.count == 0
    assert client.get(url, {"minor": "no"}).context["page"].paginator.count == 32


@pytest.mark.parametrize("rows", [5, 50])
def test_the_applicant_list_runs_a_constant_number_of_queries(
    client, world, rows, django_assert_max_num_queries
):
    for i in range(rows):
        role = Role.MENTOR if i % 2 else Role.MENTEE
        scenarios.enroll(program=world.program, user=scenarios.person(email=f"p{i}@example.org"), role=role)
    client.force_login(world.people.coordinator)
    # 12: the page, plus the trainings and training records the "blocks matching" column reads, and
    # the program's partners (the "Brought by partner" filter).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:applicants", args=[world.program.slug]), {"page": 1})
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_remove_coordinators_checklist_items_or_questions(client, world, role, login_as):
    from programs import services

    question = services.question_add(program=world.program, text="Why us?")
    services.program_add_coordinator(
        program=world.program, email="staff@roles.test", by=world.people.coordinator
    )
    item = world.program.checklist_items.first()  # removal archives it; strangers cannot even do that
    login_as(world, role)
    slug = world.program.slug
    for url in (
        reverse("programs:coordinator_remove", args=[slug, world.people.coordinator.pk]),
        reverse("programs:checklist_remove", args=[slug, item.pk]),
        reverse("programs:question_remove", args=[slug, question.pk]),
    ):
        response = client.post(url)
        assert response.status_code == (302 if role == "anonymous" else 404), f"{role} at {url}"
    assert world.program.coordinators.count() == 2
    assert world.program.checklist_items.current().filter(pk=item.pk).exists()
    assert world.program.questions.filter(pk=question.pk).exists()
