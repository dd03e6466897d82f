"""Coordinators' trainings: creating, publishing and archiving them; pages, quiz and sessions;
attendance; training done elsewhere; what a required training does to matching; who sees what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import trainings
from programs.models import CompletedBy, Enrollment, SessionSignup, TrainingRecord
from tests import scenarios

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def program(people):
    return scenarios.program(coordinator=people.coordinator, name="Northside Mentoring")


@pytest.fixture
def mentor(program):
    return scenarios.ready_mentor(program=program, email="ada@trainings.test", display_name="Ada Mentor")


@pytest.fixture
def coordinator(client, people):
    client.force_login(people.coordinator)
    return people.coordinator


def matchable(enrollment):
    return Enrollment.objects.filter(pk=enrollment.pk).matchable().exists()


def online(program, by, *, pages=1, **fields):
    fields = {"title": "Safeguarding basics", "audience": "mentor", "kind": "online", **fields}
    training = trainings.training_create(program=program, by=by, **fields)
    for n in range(pages):
        trainings.page_add(training=training, title=f"Page {n + 1}", body="Read this.")
    return training


def in_person(program, by, **fields):
    fields = {"title": "Induction evening", "audience": "mentor", "kind": "in_person", **fields}
    return trainings.training_create(program=program, by=by, **fields)


def url(name, training, *more):
    return reverse(f"programs:{name}", args=[training.program.slug, training.pk, *more])


def yesterdays_session(training, capacity=8):
    start = timezone.now() - dt.timedelta(days=1)
    return trainings.session_add(
        training=training,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Library",
        capacity=capacity,
    )


# --- Creating, publishing, archiving --------------------------------------------------------------


def test_a_new_training_is_a_draft_that_blocks_nobody(client, coordinator, program, mentor):
    response = client.post(
        reverse("programs:trainings", args=[program.slug]),
        {"training-title": "Safeguarding", "training-audience": "mentor", "training-kind": "online",
         "training-required": "on", "training-hours": "1.5"},
    )  # fmt: skip
    training = program.trainings.get()
    assert response.status_code == 302 and response.url == url("training_manage", training)
    assert not training.is_published and training.required
    assert matchable(mentor)


def test_publishing_an_online_training_with_no_pages_is_refused(client, coordinator, program):
    training = online(program, coordinator, pages=0)
    response = client.post(url("training_publish", training), follow=True)
    assert "Add at least one page" in response.content.decode()
    training.refresh_from_db()
    assert not training.is_published


def test_a_required_training_blocks_an_untrained_mentor_until_recorded_as_done_elsewhere(
    client, coordinator, program, mentor
):
    training = online(program, coordinator, required=True)
    assert matchable(mentor)
    response = client.post(url("training_publish", training), follow=True)
    assert "1 person who could be matched will not be until they complete it" in response.content.decode()
    assert not matchable(mentor)

    response = client.post(
        reverse("programs:applicant_trainings", args=[program.slug, mentor.pk]),
        {
            "training-training": training.pk,
            "training-completed_on": TODAY.isoformat(),
            "training-note": "At school",
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(training=training, enrollment=mentor)
    assert (record.completed_by, record.recorded_by, record.note) == (
        CompletedBy.EXTERNAL,
        coordinator,
        "At school",
    )
    assert matchable(mentor)


def test_an_expired_record_from_elsewhere_blocks_again(coordinator, program, mentor):
    training = online(program, coordinator, required=True, valid_days=30)
    trainings.training_publish(training=training, by=coordinator)
    trainings.training_record_external(
        training=training, enrollment=mentor, by=coordinator, completed_on=TODAY - dt.timedelta(days=40)
    )
    assert not matchable(mentor)
    trainings.training_record_external(
        training=training, enrollment=mentor, by=coordinator, completed_on=TODAY - dt.timedelta(days=10)
    )
    assert matchable(mentor)


def test_optional_trainings_never_block(coordinator, program, mentor):
    training = online(program, coordinator, required=False)
    assert trainings.training_publish(training=training, by=coordinator) == 0
    assert matchable(mentor)


def test_taking_off_a_record_made_by_mistake_blocks_again(client, coordinator, program, mentor):
    training = online(program, coordinator, required=True)
    trainings.training_publish(training=training, by=coordinator)
    record = trainings.training_record_external(
        training=training, enrollment=mentor, by=coordinator, completed_on=TODAY
    )
    page = client.get(reverse("programs:applicant", args=[program.slug, mentor.pk])).content.decode()
    assert "Safeguarding basics" in page and "Take off" in page
    client.post(reverse("programs:applicant_training_remove", args=[program.slug, mentor.pk, record.pk]))
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()
    assert not matchable(mentor)


def test_archiving_keeps_the_records_and_stops_blocking(client, coordinator, program, mentor):
    training = online(program, coordinator, required=True)
    trainings.training_publish(training=training, by=coordinator)
    trainings.training_record_external(
        training=training, enrollment=mentor, by=coordinator, completed_on=TODAY - dt.timedelta(days=1)
    )
    other = online(program, coordinator, title="Second", required=True)
    trainings.training_publish(training=other, by=coordinator)
    assert not matchable(mentor)
    response = client.post(url("training_archive", other), follow=True)
    assert "records of it are kept" in response.content.decode()
    assert matchable(mentor)
    assert client.get(url("training_manage", other)).status_code == 404
    assert TrainingRecord.objects.filter(training=training).exists()


def test_the_audience_cannot_change_once_people_have_records(client, coordinator, program, mentor):
    training = online(program, coordinator)
    trainings.training_record_external(
        training=training, enrollment=mentor, by=coordinator, completed_on=TODAY
    )
    response = client.post(
        url("training_manage", training),
        {
            "training-title": "Safeguarding",
            "training-audience": "mentee",
            "training-kind": "online",
            "training-hours": "1",
        },
    )
    assert response.status_code == 400
    assert "cannot change" in response.content.decode()
    training.refresh_from_db()
    assert training.audience == "mentor"


# --- Pages and the quiz ----------------------------------------------------------------------------


def test_pages_are_added_moved_and_removed(client, coordinator, program):
    training = online(program, coordinator, pages=2)
    first, second = training.pages.all()
    client.post(url("training_page_move", training, second.pk), {"direction": "up"})
    assert list(training.pages.values_list("title", flat=True)) == ["Page 2", "Page 1"]
    client.post(url("training_page_remove", training, first.pk))
    assert list(training.pages.values_list("title", flat=True)) == ["Page 2"]


def test_a_question_has_its_choices_and_exactly_one_right_answer(client, coordinator, program):
    training = online(program, coordinator)
    response = client.post(
        url("training_question_add", training),
        {"question-text": "Who do you tell?", "question-choice_0": "Nobody", "question-choice_1": "",
         "question-choice_2": "The coordinator", "question-correct": "2", "question-explanation": "Always."},
    )  # fmt: skip
    assert response.status_code == 302
    question = training.questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Nobody", False),
        ("The coordinator", True),
    ]


def test_a_training_with_a_quiz_needs_a_pass_mark_to_be_published(coordinator, program):
    training = online(program, coordinator)
    trainings.question_add(training=training, text="Q?", choices=["A", "B"], correct=0)
    with pytest.raises(Exception, match="pass mark"):
        trainings.training_publish(training=training, by=coordinator)


def test_a_page_image_is_checked_from_its_content(client, coordinator, program):
    training = online(program, coordinator, pages=0)
    fake = SimpleUploadedFile("photo.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    response = client.post(
        url("training_page_add", training),
        {"page-title": "One", "page-body": "Text", "page-image_alt": "A photo", "page-image_file": fake},
    )
    assert response.status_code == 400 and not training.pages.exists()
    real = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = client.post(
        url("training_page_add", training),
        {"page-title": "One", "page-body": "Text", "page-image_alt": "A photo", "page-image_file": real},
    )
    assert response.status_code == 302
    page = training.pages.get()
    assert page.image.content_type == "image/png"
    image = client.get(url("training_manage_image", training, page.pk))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


# --- Sessions and attendance -----------------------------------------------------------------------


def test_attendance_completes_the_training_on_the_session_date_and_counts_its_hours(
    client, coordinator, program, mentor
):
    training = in_person(program, coordinator, required=True, hours="2.5")
    trainings.training_publish(training=training, by=coordinator)
    session = yesterdays_session(training, capacity=8)
    assert not matchable(mentor)
    client.post(url("training_attendance_add", training, session.pk), {"add-enrollment": mentor.pk})
    page = client.get(url("training_attendance", training, session.pk)).content.decode()
    assert "1 of 8 places taken" in page and "Ada Mentor" in page
    signup = SessionSignup.objects.get(session=session, enrollment=mentor)

    response = client.post(url("training_attendance", training, session.pk), {f"signup_{signup.pk}": "yes"})
    assert response.status_code == 302
    record = TrainingRecord.objects.get(training=training, enrollment=mentor)
    assert record.completed_by == CompletedBy.IN_PERSON
    assert record.completed_on == timezone.localtime(session.starts_at).date()
    assert record.hours == 2.5
    assert matchable(mentor)

    # Marked absent after all: this session's completion is taken back.
    client.post(url("training_attendance", training, session.pk), {f"signup_{signup.pk}": "no"})
    record.refresh_from_db()
    assert record.completed_on is None and not matchable(mentor)


def test_marking_absent_leaves_a_completion_from_elsewhere(coordinator, program, mentor):
    training = in_person(program, coordinator)
    session = yesterdays_session(training)
    signup = trainings.session_add_person(session=session, enrollment=mentor)
    trainings.attendance_take(session=session, present={signup.pk: True}, by=coordinator)
    trainings.training_record_external(training=training, enrollment=mentor, by=coordinator,
                                       completed_on=TODAY - dt.timedelta(days=5))  # fmt: skip
    trainings.attendance_take(session=session, present={signup.pk: False}, by=coordinator)
    record = TrainingRecord.objects.get(training=training, enrollment=mentor)
    assert record.completed_by == CompletedBy.EXTERNAL


def test_the_session_list_shows_places_taken_of_capacity(client, coordinator, program):
    training = in_person(program, coordinator)
    yesterdays_session(training, capacity=12)
    assert "0 of 12 taken" in client.get(url("training_manage", training)).content.decode()


def test_attendance_for_a_session_still_to_come_is_refused(client, coordinator, program, mentor):
    training = in_person(program, coordinator)
    start = timezone.now() + dt.timedelta(days=3)
    session = trainings.session_add(training=training, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                    place="Hall", capacity=5)  # fmt: skip
    signup = trainings.session_add_person(session=session, enrollment=mentor)
    response = client.post(url("training_attendance", training, session.pk), {f"signup_{signup.pk}": "yes"})
    assert response.status_code == 400
    assert "once the session has started" in response.content.decode()
    assert not TrainingRecord.objects.exists()


# --- Bad input, permissions, queries --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("training_manage", {"training-title": "", "training-audience": "mentor", "training-kind": "online"}),
        ("training_manage", {"training-title": "T", "training-audience": "x", "training-pass_mark": "150"}),
        ("training_page_add", {"page-title": "", "page-body": ""}),
        ("training_question_add", {"question-text": "Q", "question-choice_0": "A", "question-correct": "0"}),
        ("training_question_add", {"question-text": "Q", "question-choice_0": "A", "question-choice_1": "B",
                                   "question-correct": "3"}),
        ("training_question_add", {"question-text": "Q", "question-choice_0": "A", "question-choice_1": "A",
                                   "question-correct": "0"}),
    ],
)  # fmt: skip
def test_bad_input_shows_the_page_again_with_its_errors(client, coordinator, program, name, data):
    training = online(program, coordinator)
    response = client.post(url(name, training), data)
    assert response.status_code == 400
    assert training.questions.count() == 0 and training.pages.count() == 1


def test_bad_session_and_record_input_is_refused_with_400(client, coordinator, program, mentor):
    training = in_person(program, coordinator)
    response = client.post(
        url("training_session_add", training),
        {"session-date": TODAY.isoformat(), "session-start": "18:00", "session-end": "17:00",
         "session-place": "Hall", "session-capacity": "10"},
    )  # fmt: skip
    assert response.status_code == 400 and not training.sessions.exists()
    response = client.post(
        reverse("programs:applicant_trainings", args=[program.slug, mentor.pk]),
        {
            "training-training": training.pk,
            "training-completed_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    response = client.post(reverse("programs:trainings", args=[program.slug]), {"training-title": ""})
    assert response.status_code == 400


def test_another_programs_coordinator_gets_404(client, people, program, mentor):
    training = in_person(program, people.coordinator)
    session = yesterdays_session(training)
    client.force_login(people.other_coordinator)
    for page in (
        reverse("programs:trainings", args=[program.slug]),
        reverse("programs:trainings_people", args=[program.slug]),
        url("training_manage", training),
        url("training_completion", training),
        url("training_attendance", training, session.pk),
    ):
        assert client.get(page).status_code == 404, page
    response = client.post(
        reverse("programs:applicant_trainings", args=[program.slug, mentor.pk]),
        {"training-training": training.pk, "training-completed_on": TODAY.isoformat()},
    )
    assert response.status_code == 404 and not TrainingRecord.objects.exists()


def test_a_guardian_training_is_listed_for_a_mentee_who_needs_consent(client, coordinator, program):
    teen = scenarios.ready_mentee(
        program=program, email="teen@trainings.test", display_name="Teen", minor=True
    )
    training = online(program, coordinator, title="For parents", audience="guardian", required=True)
    trainings.training_publish(training=training, by=coordinator)
    assert not matchable(teen)
    page = client.get(reverse("programs:applicant", args=[program.slug, teen.pk])).content.decode()
    assert "For parents" in page and "their parent or guardian takes it" in page
    listing = client.get(reverse("programs:trainings", args=[program.slug])).content.decode()
    assert "of 1" in listing


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def add_people(program, coordinator, training, start, count):
    """``count`` mentors, every other one with ``training`` done elsewhere, and a teen mentee each."""
    for n in range(start, start + count):
        mentor = scenarios.ready_mentor(
            program=program, email=f"m{n}@trainings.test", display_name=f"Mentor {n}"
        )
        scenarios.ready_mentee(
            program=program, email=f"t{n}@trainings.test", display_name=f"Teen {n}", minor=True
        )
        if n % 2:  # the others have no record
            trainings.training_record_external(training=training, enrollment=mentor, by=coordinator,
                                               completed_on=TODAY)  # fmt: skip


def test_the_completion_pages_take_the_same_queries_however_many_people(client, coordinator, program):
    training = online(program, coordinator)
    trainings.training_publish(training=training, by=coordinator)
    for_parents = online(program, coordinator, title="For parents", audience="guardian")
    trainings.training_publish(training=for_parents, by=coordinator)
    pages = [
        url("training_completion", training),
        url("training_completion", for_parents),
        reverse("programs:trainings_people", args=[program.slug]),
        reverse("programs:trainings", args=[program.slug]),
    ]
    add_people(program, coordinator, training, 0, 2)
    few = [queries(client, page) for page in pages]
    add_people(program, coordinator, training, 2, 6)
    assert [queries(client, page) for page in pages] == few
    page = client.get(pages[0]).content.decode()
    assert "Mentor 7" in page and "Done elsewhere" in page


def test_the_overview_filters_to_those_with_something_left(client, coordinator, program, mentor):
    training = online(program, coordinator)
    trainings.training_publish(training=training, by=coordinator)
    done = scenarios.ready_mentor(program=program, email="done@trainings.test", display_name="Done Mentor")
    trainings.training_record_external(training=training, enrollment=done, by=coordinator, completed_on=TODAY)
    page = client.get(
        reverse("programs:trainings_people", args=[program.slug]), {"incomplete": "on", "role": "mentor"}
    )
    text = page.content.decode()
    assert "Ada Mentor" in text and "Done Mentor" not in text
