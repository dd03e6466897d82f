"""Taking a training: reading an online training page by page, the quiz (retried as often as
needed, each attempt kept), and signing up to (or out of) an in-person session. Completion goes
through programs/training_records.training_complete, like every other way of completing one.

A participant takes their own role's trainings on their enrollment; a mentee's parent or guardian
takes the guardians' orientation from their emailed link, recorded on the mentee's enrollment."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mentorship.services import audit_record
from programs.models import (
    CompletedBy,
    Enrollment,
    QuizAttempt,
    SessionSignup,
    Training,
    TrainingFor,
    TrainingRecord,
    TrainingSession,
)
from programs.training_emails import session_place_email
from programs.training_records import training_check_audience, training_complete, training_record_for

# --- Reading: where someone stands ----------------------------------------------------------------


def next_page_number(training, record, page_count=None):
    """The page to read next (1-based): the first unread one, or None when all are read."""
    page_count = training.pages.count() if page_count is None else page_count
    read = record.pages_read if record else 0
    return read + 1 if read < page_count else None


def training_status(training, record, *, on=None, page_count=None):
    """Where a person stands in ``training``, in words: "Not started", "Page 2 of 6", "Completed
    on 3 March 2027, score 80%", "Expired on ..."."""
    on = on or timezone.localdate()
    if record is not None and record.is_completed:
        if not record.is_current(on):
            return f"Expired on {record.expires_on:%-d %B %Y}: take it again"
        score = f", score {record.score}%" if record.score is not None else ""
        until = f" (valid until {record.expires_on:%-d %B %Y})" if record.expires_on else ""
        return f"Completed on {record.completed_on:%-d %B %Y}{score}{until}"
    if training.is_online and record is not None and record.pages_read:
        page_count = training.pages.count() if page_count is None else page_count
        if record.pages_read >= page_count:
            return "Pages read: the quiz is next"
        return f"Page {record.pages_read + 1} of {page_count}"
    return "Not started"


@dataclass(frozen=True)
class TrainingRow:
    """A training as a list shows it to the person taking it."""

    training: Training
    record: TrainingRecord | None
    status: str
    done: bool


def training_rows(enrollment, audience, *, on=None):
    """The published trainings of ``enrollment``'s program for ``audience``, each with the record
    kept on ``enrollment`` (a guardian's on the mentee's) and its status."""
    on = on or timezone.localdate()
    trainings = enrollment.program.trainings.published().filter(audience=audience)
    records = {r.training_id: r for r in TrainingRecord.objects.filter(enrollment=enrollment)}
    booked = SessionSignup.objects.filter(
        enrollment=enrollment, session__cancelled_at__isnull=True, session__starts_at__gt=timezone.now()
    ).select_related("session")
    sessions = {signup.session.training_id: signup.session for signup in booked}
    rows = []
    for training in trainings:
        record = records.get(training.pk)
        status = training_status(training, record, on=on)
        if training.pk in sessions and not (record and record.is_current(on)):
            status = (
                f"A place at the session on {timezone.localtime(sessions[training.pk].starts_at):%-d %B %Y}"
            )
        rows.append(TrainingRow(training, record, status, bool(record and record.is_current(on))))
    return rows


def own_signups(training, enrollment):
    """The person's signups to sessions of ``training`` (not cancelled), by session id."""
    signups = SessionSignup.objects.filter(
        session__training=training, enrollment=enrollment, session__cancelled_at__isnull=True
    )
    return {signup.session_id: signup for signup in signups}


def upcoming_sessions(training, *, now=None):
    """The sessions still to come, not cancelled, each with ``taken`` places and ``places_left``."""
    now = now or timezone.now()
    sessions = list(
        training.sessions.filter(cancelled_at__isnull=True, starts_at__gt=now).annotate(
            taken=Count("signups")
        )
    )
    for session in sessions:
        session.places_left = max(session.capacity - session.taken, 0)
    return sessions


# --- The quiz: scoring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: object
    chosen: object  # the QuizChoice picked, or None
    right: object  # the right QuizChoice
    correct: bool


def quiz_score(training, answers):
    """Score ``answers`` ({question id: choice id}) against ``training``'s questions, recording
    nothing (the preview uses it as it is): (score %, passed, [QuestionResult]). The score is the
    share of right answers, rounded down; an unanswered question counts as wrong. A quiz without a
    pass mark is passed by answering it."""
    questions = list(training.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError("This training has no quiz.")
    results = []
    for question in questions:
        choices = {choice.pk: choice for choice in question.choices.all()}
        chosen = choices.get(_as_int(answers.get(question.pk, answers.get(str(question.pk)))))
        right = next((choice for choice in choices.values() if choice.is_correct), None)
        results.append(QuestionResult(question, chosen, right, chosen is not None and chosen.is_correct))
    score = sum(result.correct for result in results) * 100 // len(results)
    passed = score >= (training.pass_mark or 0)
    return score, passed, results


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def attempt_results(attempt):
    """A kept attempt's results, for the person who made it (and only them)."""
    _, _, results = quiz_score(attempt.record.training, attempt.answers)
    return results


# --- Writes ----------------------------------------------------------------------------------------


def _check_takeable(training):
    if not training.is_published:
        raise ValidationError("This training is not open.")


@transaction.atomic
def page_read(*, record, number):
    """The person has read page ``number`` (1-based) of an online training: progress moves forward
    one page at a time, never past an unread page, never back. Reading the last page of a
    training without a quiz completes it."""
    training = record.training
    _check_takeable(training)
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    page_count = training.pages.count()
    if not 1 <= number <= page_count:
        raise ValidationError("There is no such page.")
    if number > record.pages_read + 1:
        raise ValidationError("Read the pages in order.")
    if number == record.pages_read + 1:
        record.pages_read = number
        record.save(update_fields=["pages_read", "updated_at"])
    if number == page_count and not training.questions.exists() and not record.is_current():
        record = training_complete(training=training, enrollment=record.enrollment, how=CompletedBy.ONLINE)
    return record


def record_for_taking(training, enrollment):
    """The record progress is kept on (made when the person first reads a page)."""
    _check_takeable(training)
    return training_record_for(training, enrollment)


@transaction.atomic
def quiz_submit(*, record, answers):
    """One attempt at the quiz, kept with its answers and score. Passing, with every page read,
    completes the training with that score. Retries are allowed until it is passed (and again
    once the completion has expired)."""
    training = record.training
    _check_takeable(training)
    record = TrainingRecord.objects.select_for_update().select_related("training").get(pk=record.pk)
    if record.pages_read < training.pages.count():
        raise ValidationError("Read every page before the quiz.")
    if record.is_current():
        raise ValidationError("You have already completed this training.")
    score, passed, results = quiz_score(training, answers)
    attempt = QuizAttempt.objects.create(
        record=record,
        score=score,
        passed=passed,
        answers={str(r.question.pk): r.chosen.pk for r in results if r.chosen is not None},
    )
    if passed:
        training_complete(
            training=training, enrollment=record.enrollment, how=CompletedBy.ONLINE, score=score
        )
    return attempt


def _open_enrollment(enrollment):
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    if not enrollment.is_open:
        raise ValidationError("Your application is closed.")
    return enrollment


@transaction.atomic
def session_signup(*, session, enrollment):
    """A place at an in-person session. The session's row is locked while the places are
    counted, so two people taking the last place at once cannot both have it."""
    session = TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    training = session.training
    _check_takeable(training)
    if training.audience == TrainingFor.GUARDIAN:
        raise ValidationError("The coordinators sign parents and guardians up to a session.")
    training_check_audience(training, enrollment)
    enrollment = _open_enrollment(enrollment)
    if session.cancelled_at is not None:
        raise ValidationError("This session was cancelled.")
    if session.starts_at <= timezone.now():
        raise ValidationError("This session has already started.")
    signups = SessionSignup.objects.filter(enrollment=enrollment, session__training=training)
    if signups.filter(session=session).exists():
        raise ValidationError("You are already signed up to this session.")
    other = signups.filter(session__cancelled_at__isnull=True, session__starts_at__gt=timezone.now())
    if other.exists():
        raise ValidationError(
            "You are already signed up to another session of this training: cancel that first."
        )
    if session.signups.count() >= session.capacity:
        raise ValidationError("This session is full.")
    signup = SessionSignup.objects.create(session=session, enrollment=enrollment)
    audit_record(
        actor=enrollment.user,
        action="training.signed_up",
        target=enrollment,
        summary=f"{training.title}, {timezone.localtime(session.starts_at):%-d %b %Y %H:%M}",
    )
    session_place_email(signup)
    return signup


@transaction.atomic
def session_cancel_signup(*, session, enrollment):
    """Give a place back, before the session starts (and before attendance is taken)."""
    session = TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    signup = SessionSignup.objects.filter(session=session, enrollment=enrollment).first()
    if signup is None:
        raise ValidationError("You are not signed up to this session.")
    if session.attendance_taken_at is not None or session.starts_at <= timezone.now():
        raise ValidationError("This session has already started: tell the coordinators instead.")
    signup.delete()
    audit_record(
        actor=enrollment.user,
        action="training.signup_cancelled",
        target=enrollment,
        summary=f"{session.training.title}, {timezone.localtime(session.starts_at):%-d %b %Y %H:%M}",
    )
