"""Taking a training: page by page, the quiz and its retries, in-person sessions, a guardian's
orientation from their emailed link, and who may see what (answers are the person's own)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorship.models import OutboundEmail
from programs import guardians, training_progress
from programs.models import (
    CompletedBy,
    Enrollment,
    QuizAttempt,
    QuizQuestion,
    SessionSignup,
    StoredFile,
    Training,
    TrainingRecord,
    TrainingSession,
)
from programs.selectors import enrollments_of
from programs.steps import enrollment_steps
from programs.training_records import training_complete
from tests import scenarios

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def online_training(program, *, audience="mentor", pages=3, questions=4, pass_mark=75, **fields):
    """A published online training: ``pages`` pages (the first with an image) and ``questions``
    questions whose right answer is "Right"."""
    training = Training.objects.create(
        program=program,
        title=fields.pop("title", "Safe mentoring"),
        audience=audience,
        pass_mark=pass_mark,
        published_at=fields.pop("published_at", timezone.now()),
        **fields,
    )
    image = StoredFile.objects.create(
        name="a.png", content_type="image/png", size=len(PNG), sha256="0", data=PNG
    )
    for n in range(1, pages + 1):
        training.pages.create(
            order=n, title=f"Page title {n}", body=f"Body of *page {n}*.", image=image if n == 1 else None
        )
    for n in range(1, questions + 1):
        question = QuizQuestion.objects.create(
            training=training, order=n, text=f"Question {n}?", explanation=f"Because of reason {n}."
        )
        question.choices.create(order=1, text="Right", is_correct=True)
        question.choices.create(order=2, text="Wrong")
    return training


def answers(training, right):
    """The POST of the quiz form: the first ``right`` questions answered right, the rest wrong."""
    data = {}
    for n, question in enumerate(training.questions.all()):
        choice = question.choices.get(is_correct=n < right)
        data[f"q{question.pk}"] = str(choice.pk)
    return data


def url(name, training, *args):
    return reverse(f"programs:{name}", args=[training.pk, *args])


def read_all(client, training, prefix=()):
    name = "guardian_training_page" if prefix else "training_page"
    for n in range(1, training.pages.count() + 1):
        response = client.post(reverse(f"programs:{name}", args=[*prefix, training.pk, n]))
        assert response.status_code == 302


def matchable(enrollment):
    return Enrollment.objects.filter(pk=enrollment.pk).matchable().exists()


@pytest.fixture
def world(db):
    return scenarios.matching_world()


@pytest.fixture
def ada(world, client):
    """Ada, a mentor, signed in."""
    client.force_login(world.mentors["ada"].user)
    return world.mentors["ada"]


def test_progress_is_saved_page_by_page_and_resumes(world, ada, client):
    training = online_training(world.program)
    page = client.get(url("training_page", training, 1)).content.decode()
    assert "Page 1 of 3" in page and "Page title 1" in page and "<p>Body of" in page
    assert client.post(url("training_page", training, 1)).url == url("training_page", training, 2)
    record = TrainingRecord.objects.get(training=training, enrollment=ada)
    assert record.pages_read == 1
    # Back later: the overview says where they got to, and skipping ahead leads back there.
    overview = client.get(url("training", training)).content.decode()
    assert "Page 2 of 3" in overview and url("training_page", training, 2) in overview
    assert client.get(url("training_page", training, 3)).url == url("training_page", training, 2)
    with pytest.raises(ValidationError, match="in order"):
        training_progress.page_read(record=record, number=3)
    client.post(url("training_page", training, 2))
    client.post(url("training_page", training, 1))  # reading again never goes back
    record.refresh_from_db()
    assert record.pages_read == 2


def test_the_quiz_waits_until_every_page_is_read(world, ada, client):
    training = online_training(world.program)
    assert client.get(url("training_quiz", training)).url == url("training_page", training, 1)
    assert client.post(url("training_quiz", training), answers(training, 4)).url == url(
        "training_page", training, 1
    )
    client.post(url("training_page", training, 1))
    record = TrainingRecord.objects.get(training=training, enrollment=ada)
    with pytest.raises(ValidationError, match="every page"):
        training_progress.quiz_submit(record=record, answers={})
    assert not QuizAttempt.objects.exists()
    assert record.completed_on is None


def test_the_score_is_the_share_of_right_answers_rounded_down(world):
    four = online_training(world.program, questions=4)
    chosen = {int(k[1:]): int(v) for k, v in answers(four, 3).items()}
    assert training_progress.quiz_score(four, chosen)[:2] == (75, True)
    three = online_training(world.program, questions=3, title="Three")
    chosen = {int(k[1:]): int(v) for k, v in answers(three, 2).items()}
    assert training_progress.quiz_score(three, chosen)[:2] == (66, False)


def test_failing_then_retrying_then_passing_completes_with_the_score_and_date(world, ada, client):
    training = online_training(world.program, pass_mark=75)
    read_all(client, training)
    assert client.post(url("training_quiz", training), answers(training, 2)).url == url(
        "training_quiz", training
    )
    record = TrainingRecord.objects.get(training=training, enrollment=ada)
    assert record.completed_on is None
    result = client.get(url("training_quiz", training)).content.decode()
    assert "Not passed yet: 50%" in result and "Try again" in result and "Because of reason 1." in result
    assert "Not right" in result
    retry = client.get(url("training_quiz", training) + "?retry=1").content.decode()
    assert 'type="radio"' in retry
    client.post(url("training_quiz", training), answers(training, 4))
    record.refresh_from_db()
    assert record.completed_on == timezone.localdate() and record.score == 100
    assert record.completed_by == CompletedBy.ONLINE
    assert list(record.attempts.values_list("score", "passed")) == [(100, True), (50, False)]
    overview = client.get(url("training", training)).content.decode()
    assert f"Completed on {timezone.localdate():%-d %B %Y}, score 100%" in overview


def test_an_empty_quiz_form_is_shown_again_with_what_is_missing(world, ada, client):
    training = online_training(world.program)
    read_all(client, training)
    response = client.post(url("training_quiz", training), {})
    assert response.status_code == 400 and "Answer every question" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_one_mentors_answers_never_show_on_another_mentors_pages(world, ada, client):
    training = online_training(world.program)
    read_all(client, training)
    client.post(url("training_quiz", training), answers(training, 1))
    other = Client()
    other.force_login(world.mentors["cy"].user)
    read_all(other, training)
    page = other.get(url("training_quiz", training)).content.decode()
    assert 'type="radio"' in page and "25%" not in page and "Your answer" not in page
    assert "Page 1 of" not in other.get(url("training", training)).content.decode()
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    preview = coordinator.get(url("training_quiz", training)).content.decode()
    assert "25%" not in preview and "Your answer" not in preview


def test_a_required_training_keeps_a_mentor_from_being_matched_until_passed(world, ada, client):
    assert matchable(ada)
    training = online_training(world.program, required=True)
    assert not matchable(ada)
    detail = client.get(ada.get_absolute_url()).content.decode()
    assert "Required before matching" in detail and url("training", training) in detail
    read_all(client, training)
    client.post(url("training_quiz", training), answers(training, 3))
    assert matchable(ada)


def test_a_training_without_a_quiz_is_complete_when_the_last_page_is_read(world, ada, client):
    training = online_training(world.program, questions=0, pages=2, required=True)
    read_all(client, training)
    record = TrainingRecord.objects.get(training=training, enrollment=ada)
    assert record.completed_on == timezone.localdate() and record.score is None
    assert matchable(ada)


def test_a_completion_expires_after_the_training_validity(world, ada, client):
    training = online_training(world.program, required=True, valid_days=30)
    training_complete(
        training=training,
        enrollment=ada,
        how=CompletedBy.ONLINE,
        completed_on=timezone.localdate() - dt.timedelta(days=31),
    )
    assert not matchable(ada)
    assert "Expired on" in client.get(url("training", training)).content.decode()
    client.post(url("training_quiz", training), answers(training, 4))  # taken again
    assert matchable(ada)
    record = TrainingRecord.objects.get(training=training, enrollment=ada)
    assert record.expires_on == timezone.localdate() + dt.timedelta(days=30)


def test_a_coordinator_previews_and_nothing_is_recorded(world, client):
    training = online_training(world.program)
    client.force_login(world.coordinator)
    assert "Preview: nothing is recorded" in client.get(url("training", training)).content.decode()
    assert client.post(url("training_page", training, 1)).url == url("training_page", training, 2)
    assert client.get(url("training_page", training, 3)).status_code == 200  # any page
    result = client.post(url("training_quiz", training), answers(training, 3))
    assert result.status_code == 200 and "75%" in result.content.decode()
    assert not TrainingRecord.objects.exists() and not QuizAttempt.objects.exists()


def test_others_get_404_and_strangers_are_asked_to_sign_in(world, client):
    training = online_training(world.program)
    draft = online_training(world.program, title="Draft", published_at=None)
    other_lead = scenarios.coordinator(email="other@take.test", display_name="Other Lead")
    scenarios.program(coordinator=other_lead, name="Another Program")
    pages = [url("training", training), url("training_page", training, 1), url("training_quiz", training)]
    for page in pages:
        assert client.get(page).url.startswith("/accounts/login/")
    outsider = scenarios.person(email="outsider@take.test")
    for user in (other_lead, outsider, world.mentees["ben"].user):  # a mentee: not their training
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
    client.force_login(world.mentors["ada"].user)
    assert client.get(url("training", draft)).status_code == 404


def test_a_page_image_is_served_only_to_those_who_may_take_it(world, ada, client):
    training = online_training(world.program)
    image = client.get(url("training_image", training, 1))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff" and image.content == PNG
    assert client.get(url("training_image", training, 2)).status_code == 404  # no image there
    client.force_login(world.mentees["ben"].user)
    assert client.get(url("training_image", training, 1)).status_code == 404


def test_a_guardian_completes_the_orientation_from_the_link_and_the_mentee_becomes_matchable(world):
    dee = world.mentees["dee"]  # 15, her mother consented
    training = online_training(world.program, audience="guardian", required=True, questions=2, pass_mark=50)
    assert not matchable(dee)
    consent = dee.consents.get(revoked_at__isnull=True)
    guardian = Client()  # no account
    token = consent.manage_token
    home = guardian.get(reverse("programs:guardian", args=[token])).content.decode()
    link = reverse("programs:guardian_training", args=[token, training.pk])
    assert link in home
    assert "Page 1 of 3" not in guardian.get(link).content.decode()
    read_all(guardian, training, prefix=(token,))
    quiz = reverse("programs:guardian_training_quiz", args=[token, training.pk])
    assert guardian.post(quiz, answers(training, 1)).url == quiz
    assert "You passed" in guardian.get(quiz).content.decode()
    record = TrainingRecord.objects.get(training=training)
    assert record.enrollment == dee and record.score == 50
    assert matchable(dee)
    # The mentee never sees her guardian's answers: the orientation is not hers to open.
    guardian.force_login(dee.user)
    assert guardian.get(url("training_quiz", training)).status_code == 404


def test_an_old_guardian_link_answers_404(world):
    dee = world.mentees["dee"]
    training = online_training(world.program, audience="guardian")
    old = dee.consents.get(revoked_at__isnull=True)
    guardians.guardian_request_consent(
        enrollment=dee, name="Pat Parent", email="pat@example.test", by=world.coordinator
    )
    client = Client()
    assert (
        client.get(reverse("programs:guardian_training", args=[old.manage_token, training.pk])).status_code
        == 404
    )
    page = reverse("programs:guardian_training_page", args=[old.manage_token, training.pk, 1])
    assert client.post(page).status_code == 404
    assert not TrainingRecord.objects.exists()


def test_the_consent_email_links_to_the_orientation(world):
    training = online_training(world.program, audience="guardian", title="Parents' orientation")
    dee = world.mentees["dee"]
    consent = guardians.guardian_request_consent(
        enrollment=dee, name="Pat Parent", email="pat@example.test", by=world.coordinator
    )
    email = OutboundEmail.objects.filter(to="pat@example.test").latest("pk")
    assert "please take our short orientation for parents and guardians" in email.body
    assert reverse("programs:guardian_training", args=[consent.manage_token, training.pk]) in email.body
    # Having said yes, the guardian is pointed to it again.
    answer = {"consent": "yes", "signed_name": "Pat Parent", "relationship": "Father"}
    done = Client().post(reverse("programs:guardian_consent", args=[consent.token]), answer).content.decode()
    assert "Thank you" in done
    assert reverse("programs:guardian_training", args=[consent.manage_token, training.pk]) in done


def test_the_checklist_asks_for_the_training_and_waits_for_the_guardian(world, ada, client):
    mentors = online_training(world.program, required=True, title="Safe mentoring")
    online_training(world.program, audience="guardian", required=True, title="For parents")
    steps = enrollment_steps(enrollments_of(ada.user).get(pk=ada.pk))
    todo = [step for step in steps if not step.done]
    assert todo[0].todo == "Complete your training: “Safe mentoring”"
    assert todo[0].url == url("training", mentors)
    screening = [step for step in steps if step.label.startswith("Screening")]
    assert all("training" not in step.note for step in screening)
    assert "Training: “Safe mentoring”" in client.get(reverse("dashboard")).content.decode()
    dee = world.mentees["dee"]
    waiting = [step for step in enrollment_steps(enrollments_of(dee.user).get(pk=dee.pk)) if not step.done]
    assert (
        waiting[0].waiting
        and waiting[0].todo == "Waiting for your parent or guardian to complete the orientation"
    )


def in_person(program, *, capacity=1, days=7):
    training = Training.objects.create(
        program=program,
        title="Meet the team",
        audience="mentor",
        kind="in_person",
        published_at=timezone.now(),
    )
    start = timezone.now() + dt.timedelta(days=days)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Library",
        capacity=capacity,
    )
    return training, session


def test_session_signup_rules(world, ada, client):
    training, session = in_person(world.program, capacity=1)
    later = TrainingSession.objects.create(
        training=training,
        starts_at=session.starts_at + dt.timedelta(days=7),
        ends_at=session.ends_at + dt.timedelta(days=7),
        place="Hall",
        capacity=5,
    )
    client.post(url("training_session_signup", training, session.pk))
    assert SessionSignup.objects.filter(session=session, enrollment=ada).exists()
    assert "You have a place" in client.get(url("training", training)).content.decode()
    assert "A place at the session on" in client.get(ada.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="another session"):
        training_progress.session_signup(session=later, enrollment=ada)
    with pytest.raises(ValidationError, match="This session is full"):
        training_progress.session_signup(session=session, enrollment=world.mentors["cy"])
    client.post(url("training_session_cancel", training, session.pk))
    assert not SessionSignup.objects.exists()
    TrainingSession.objects.filter(pk=later.pk).update(cancelled_at=timezone.now())
    with pytest.raises(ValidationError, match="cancelled"):
        training_progress.session_signup(session=later, enrollment=ada)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="already started"):
        training_progress.session_signup(session=session, enrollment=ada)


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_places_at_once_never_exceed_capacity():
    world = scenarios.matching_world()
    training, session = in_person(world.program, capacity=2)
    training_progress.session_signup(session=session, enrollment=world.mentors["gus"])
    barrier, outcomes = threading.Barrier(2), []

    def sign_up(enrollment):
        try:
            barrier.wait()
            training_progress.session_signup(session=session, enrollment=enrollment)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(world.mentors[n],)) for n in ("ada", "cy")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This session is full.", "ok"]
    assert SessionSignup.objects.filter(session=session).count() == 2
