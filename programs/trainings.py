"""Coordinators author and run trainings: create, change, publish, archive; an online training's
pages and quiz; an in-person training's sessions and attendance; a training done elsewhere,
recorded for a person (or taken off again when recorded by mistake).

Every completion goes through programs.training_records.training_complete. Taking a training is
programs/training_progress.py.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mentorship.services import audit_record
from programs.models import (
    CompletedBy,
    Enrollment,
    QuizChoice,
    QuizQuestion,
    SessionSignup,
    Training,
    TrainingKind,
    TrainingPage,
    TrainingSession,
)
from programs.training_emails import session_cancelled_emails, session_place_email
from programs.training_records import training_check_audience, training_complete

MIN_CHOICES, MAX_CHOICES = 2, 5
# What a coordinator may change of a training that has records or sessions (its audience and
# kind decide whose records these are and how they were made: they stay).
SETTINGS = ("title", "summary", "audience", "kind", "required", "valid_days", "hours", "pass_mark")


def _next_order(queryset):
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


def _check_settings(training):
    if training.kind != TrainingKind.ONLINE and training.pass_mark:
        training.pass_mark = None  # a pass mark means nothing without a quiz


@transaction.atomic
def training_create(*, program, by, **fields):
    """A new training, as a draft: nobody sees it and it keeps nobody from being matched."""
    training = Training(program=program, order=_next_order(program.trainings), **fields)
    _check_settings(training)
    training.full_clean()
    training.save()
    audit_record(actor=by, action="training.created", target=program, summary=training.title)
    return training


@transaction.atomic
def training_update(*, training, by, **fields):
    training = Training.objects.select_for_update().get(pk=training.pk)
    in_use = training.records.exists() or training.sessions.exists()
    for name in ("audience", "kind"):
        if name in fields and fields[name] != getattr(training, name) and in_use:
            label = Training._meta.get_field(name).verbose_name
            raise ValidationError(
                {name: f"The {label} cannot change: people already have records or sessions of it."}
            )
    for name, value in fields.items():
        if name not in SETTINGS:
            raise ValueError(f"Not a training setting: {name}")
        setattr(training, name, value)
    _check_settings(training)
    training.full_clean()
    training.save()
    audit_record(actor=by, action="training.updated", target=training.program, summary=training.title)
    return training


def _matchable_ids(program):
    return set(Enrollment.objects.filter(program=program).matchable().values_list("pk", flat=True))


@transaction.atomic
def training_publish(*, training, by):
    """Participants see it; a required one keeps people from being matched until they complete it.
    Returns how many people were matchable before and are not any more."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if training.archived_at:
        raise ValidationError("An archived training cannot be published.")
    if training.published_at:
        return 0
    if training.is_online:
        if not training.pages.exists():
            raise ValidationError("Add at least one page before publishing an online training.")
        if training.questions.exists() and not training.pass_mark:
            raise ValidationError("The training has a quiz: set its pass mark before publishing.")
    before = _matchable_ids(training.program) if training.required else set()
    training.published_at = timezone.now()
    training.save(update_fields=["published_at", "updated_at"])
    blocked = len(before - _matchable_ids(training.program)) if training.required else 0
    audit_record(actor=by, action="training.published", target=training.program, summary=training.title)
    return blocked


@transaction.atomic
def training_unpublish(*, training, by):
    """Back to a draft: participants no longer see it, and it keeps nobody from being matched.
    Records and progress are kept."""
    updated = Training.objects.filter(pk=training.pk, published_at__isnull=False).update(
        published_at=None, updated_at=timezone.now()
    )
    if updated:
        audit_record(actor=by, action="training.unpublished", target=training.program, summary=training.title)


@transaction.atomic
def training_archive(*, training, by):
    """Removing a training archives it: people's completion records are part of their screening
    and are kept; it no longer shows anywhere nor keeps anyone from being matched."""
    updated = Training.objects.filter(pk=training.pk, archived_at__isnull=True).update(
        archived_at=timezone.now(), updated_at=timezone.now()
    )
    if updated:
        audit_record(actor=by, action="training.archived", target=training.program, summary=training.title)


# --- Pages ------------------------------------------------------------------------------------------


def _check_online(training):
    if not training.is_online:
        raise ValidationError("Only an online training has pages and a quiz.")
    if training.archived_at:
        raise ValidationError("This training is archived.")


@transaction.atomic
def page_add(*, training, title, body, image=None, image_alt=""):
    _check_online(training)
    page = TrainingPage(
        training=training,
        order=_next_order(training.pages),
        title=title,
        body=body,
        image=image,
        image_alt=image_alt,
    )
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def page_update(*, page, title, body, image_alt="", image=None, remove_image=False):
    """Change a page; ``image``: a new one (a StoredFile), ``remove_image``: take it off."""
    page.title, page.body, page.image_alt = title, body, image_alt
    if image is not None:
        page.image = image
    elif remove_image:
        page.image = None
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def page_remove(*, page):
    """People's progress counts pages read in order: someone who had read past this page keeps
    their count, capped to the pages that remain."""
    training = page.training
    page.delete()
    remaining = training.pages.count()
    training.records.filter(pages_read__gt=remaining).update(pages_read=remaining)


@transaction.atomic
def page_move(*, page, up):
    """Swap the page with the one before (``up``) or after it. The orders are renumbered first, so
    that two pages never share a place."""
    pages = list(TrainingPage.objects.select_for_update().filter(training=page.training_id))
    index = next(i for i, p in enumerate(pages) if p.pk == page.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(pages):
        pages[index], pages[other] = pages[other], pages[index]
    for order, each in enumerate(pages, start=1):
        if each.order != order:
            TrainingPage.objects.filter(pk=each.pk).update(order=order)


# --- The quiz -------------------------------------------------------------------------------------


@transaction.atomic
def question_add(*, training, text, choices, correct, explanation=""):
    """A multiple-choice question: ``choices`` (2 to 5 texts) and ``correct``, the index of the
    right one among them."""
    _check_online(training)
    choices = [c.strip() for c in choices if c and c.strip()]
    if not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise ValidationError(f"Give {MIN_CHOICES} to {MAX_CHOICES} answers to choose from.")
    if not 0 <= correct < len(choices):
        raise ValidationError("Say which answer is the right one.")
    if len(set(choices)) != len(choices):
        raise ValidationError("Two answers are the same.")
    question = QuizQuestion(
        training=training, order=_next_order(training.questions), text=text, explanation=explanation
    )
    question.full_clean()
    question.save()
    QuizChoice.objects.bulk_create(
        QuizChoice(question=question, order=i, text=choice, is_correct=i == correct)
        for i, choice in enumerate(choices)
    )
    return question


@transaction.atomic
def question_remove(*, question):
    """Past attempts keep their scores; their answers to this question simply no longer show."""
    question.delete()


# --- Sessions and attendance --------------------------------------------------------------------


@transaction.atomic
def session_add(*, training, starts_at, ends_at, place, capacity, note=""):
    if training.is_online:
        raise ValidationError("Only an in-person training has sessions.")
    if training.archived_at:
        raise ValidationError("This training is archived.")
    if ends_at <= starts_at:
        raise ValidationError({"end": "The session must end after it starts."})
    session = TrainingSession(
        training=training, starts_at=starts_at, ends_at=ends_at, place=place, capacity=capacity, note=note
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_cancel(*, session, by):
    """Call a session off. Those signed up keep their place in the list (to be told, and to sign
    up to another date); attendance can no longer be taken."""
    if session.attendance_taken_at:
        raise ValidationError("Attendance was taken: this session happened.")
    updated = TrainingSession.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=by,
            action="training.session_cancelled",
            target=session.training.program,
            summary=str(session),
        )
        session_cancelled_emails(session)


@transaction.atomic
def session_add_person(*, session, enrollment):
    """Someone who came without signing up (or whom the coordinator signs up): a place at the
    session, even past its capacity, since the coordinator decides who is in the room."""
    training_check_audience(session.training, enrollment)
    if session.cancelled_at:
        raise ValidationError("This session is cancelled.")
    signup, created = SessionSignup.objects.get_or_create(session=session, enrollment=enrollment)
    if not created:
        raise ValidationError(f"{enrollment.user.display_name} is already on the list.")
    session_place_email(signup, by_coordinator=True)
    return signup


def session_date(session):
    """The day a session counts as done on (the program's local date of its start)."""
    return timezone.localtime(session.starts_at).date()


@transaction.atomic
def attendance_take(*, session, present, by):
    """Record who came (``present``: {signup pk: True, False, or None for not marked}). Those
    present complete the training on the session's date; those marked absent are not.

    Marking absent someone who had been marked present at this same session takes back the
    completion this session gave them, and only that one: a record does not say which session it
    came from, so it is recognised as "completed in person on this session's date". A completion
    from elsewhere (online, another session, recorded by a coordinator) is left alone.
    """
    session = TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    if session.cancelled_at:
        raise ValidationError("This session is cancelled.")
    if session.starts_at > timezone.now():
        raise ValidationError("Attendance can be taken once the session has started.")
    on = session_date(session)
    signups = SessionSignup.objects.filter(session=session).select_related("enrollment")
    came = 0
    for signup in signups:
        mark = present.get(signup.pk)
        if mark is None or mark == signup.attended:
            continue
        if mark:
            training_complete(
                training=session.training,
                enrollment=signup.enrollment,
                how=CompletedBy.IN_PERSON,
                completed_on=on,
                by=by,
            )
            came += 1
        elif signup.attended:
            _undo_session_completion(session.training, signup.enrollment, on, by)
        signup.attended = mark
        signup.save(update_fields=["attended"])
    session.attendance_taken_at = timezone.now()
    session.save(update_fields=["attendance_taken_at"])
    return came


def _undo_session_completion(training, enrollment, on, by):
    record = training.records.filter(
        enrollment=enrollment, completed_by=CompletedBy.IN_PERSON, completed_on=on
    ).first()
    if record is not None:
        _clear_completion(record)
        audit_record(
            actor=by,
            action="training.completion_removed",
            target=enrollment,
            summary=f"{training.title} (marked absent)",
        )


def _clear_completion(record):
    record.completed_on = record.expires_on = record.score = record.hours = record.recorded_by = None
    record.completed_by = record.note = ""
    record.save()


# --- Done elsewhere -------------------------------------------------------------------------------


@transaction.atomic
def training_record_external(*, training, enrollment, by, completed_on, note=""):
    """A training the person did elsewhere (another program, a school, an earlier year), recorded
    by a coordinator: it counts as completed on ``completed_on`` (and expires from then)."""
    if training.archived_at:
        raise ValidationError("This training is archived.")
    return training_complete(
        training=training,
        enrollment=enrollment,
        how=CompletedBy.EXTERNAL,
        completed_on=completed_on,
        by=by,
        note=note,
    )


@transaction.atomic
def training_record_remove(*, record, by):
    """Take back a completion a coordinator recorded by mistake ("done elsewhere" only: the others
    are the person's own). Their progress (pages read, quiz attempts) is kept; a record with none
    goes entirely."""
    if record.completed_by != CompletedBy.EXTERNAL:
        raise ValidationError("Only a training recorded as done elsewhere can be taken off.")
    summary = f"{record.training.title} (recorded on {record.completed_on:%-d %b %Y})"
    if record.pages_read == 0 and not record.attempts.exists():
        record.delete()
    else:
        _clear_completion(record)
    audit_record(actor=by, action="training.completion_removed", target=record.enrollment, summary=summary)
