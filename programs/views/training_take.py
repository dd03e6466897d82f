"""Taking a training: its overview, its pages one by one, the quiz, in-person sessions.

One set of views serves both ways in: a participant signed in (their own role's trainings) and a
mentee's parent or guardian with no account, from their emailed link (the guardians' orientation,
recorded on the mentee's enrollment). ``Taking`` says who is taking what; each URL's view only
builds it (through the access helpers) and hands over. The program's coordinators and staff open
the participants' pages in preview: everything shows, nothing is recorded.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.web import act, message_error
from programs import training_progress
from programs.access import get_guardian_training, get_training_to_take
from programs.models import StoredFile, TrainingPage, TrainingRecord, TrainingSession

PREVIEW = "Preview: nothing is recorded."


@dataclass(frozen=True)
class Taking:
    """Who takes ``training``: ``enrollment`` keeps the record (None: a coordinator's preview);
    ``consent``: the guardian's, when a parent or guardian takes it from their link."""

    training: object
    enrollment: object = None
    consent: object = None

    @property
    def preview(self):
        return self.enrollment is None

    @property
    def guardian(self):
        return self.consent is not None

    def url(self, name, *args):
        """A URL of this training for whoever takes it (the guardian's carry their token)."""
        if self.guardian:
            return reverse(
                f"programs:guardian_{name}", args=[self.consent.manage_token, self.training.pk, *args]
            )
        return reverse(f"programs:{name}", args=[self.training.pk, *args])

    def record(self):
        if self.preview:
            return None
        return TrainingRecord.objects.filter(training=self.training, enrollment=self.enrollment).first()


def _participant(request, pk):
    training, enrollment = get_training_to_take(request.user, pk)
    return Taking(training, enrollment)


def _guardian(token, pk):
    consent, training = get_guardian_training(token, pk)
    return Taking(training, consent.enrollment, consent)


def _render(request, taking, template, context, status=200):
    base = {
        "taking": taking,
        "training": taking.training,
        "program": taking.training.program,
        "overview_url": taking.url("training"),
        "quiz_url": taking.url("training_quiz"),
        "first_url": taking.url("training_page", 1),
    }
    return render(request, f"programs/take/{template}", {**base, **context}, status=status)


def _page_titles(training):
    return list(training.pages.only("pk", "order", "title"))


def _reached(taking, record):
    """The furthest page the person may open: the next unread one (every page in preview)."""
    if taking.preview:
        return None
    return (record.pages_read if record else 0) + 1


# --- The shared views ------------------------------------------------------------------------------


def _overview(request, taking):
    training, record = taking.training, taking.record()
    pages = _page_titles(training) if training.is_online else []
    context = {
        "record": record,
        "status": training_progress.training_status(training, record, page_count=len(pages)),
        "page_count": len(pages),
        "question_count": training.questions.count() if training.is_online else 0,
        "next_number": training_progress.next_page_number(training, record, len(pages)),
        "current": bool(record and record.is_current()),
    }
    if context["next_number"]:
        context["next_url"] = taking.url("training_page", context["next_number"])
    if not training.is_online:
        context["sessions"] = training_progress.upcoming_sessions(training)
        context["signups"] = (
            training_progress.own_signups(training, taking.enrollment) if not taking.preview else {}
        )
    return _render(request, taking, "overview.html", context)


def _page(request, taking, number):
    training = taking.training
    pages = _page_titles(training)
    if not training.is_online or not 1 <= number <= len(pages):
        raise Http404("No such page.")
    record = taking.record()
    reached = _reached(taking, record)
    if reached is not None and number > reached:
        messages.info(request, "Read the pages in order: here is where you got to.")
        return redirect(taking.url("training_page", reached))
    has_quiz = training.questions.exists()
    if request.method == "POST":
        if not taking.preview:
            try:
                record = training_progress.record_for_taking(training, taking.enrollment)
                record = training_progress.page_read(record=record, number=number)
            except ValidationError as error:
                message_error(request, error)
                return redirect(taking.url("training"))
        if number < len(pages):
            return redirect(taking.url("training_page", number + 1))
        if has_quiz:
            return redirect(taking.url("training_quiz"))
        if not taking.preview:
            messages.success(request, f"You have completed “{training.title}”. Thank you.")
        return redirect(taking.url("training"))
    page = TrainingPage.objects.get(pk=pages[number - 1].pk)
    context = {
        "page": page,
        "number": number,
        "page_count": len(pages),
        "has_quiz": has_quiz,
        "page_url": taking.url("training_page", number),
        "previous_url": taking.url("training_page", number - 1) if number > 1 else "",
        "image_url": taking.url("training_image", number) if page.image_id else "",
    }
    return _render(request, taking, "page.html", context)


def _image(request, taking, number):
    pages = _page_titles(taking.training)
    if not taking.training.is_online or not 1 <= number <= len(pages):
        raise Http404("No such page.")
    page = TrainingPage.objects.get(pk=pages[number - 1].pk)
    image = get_object_or_404(StoredFile, pk=page.image_id) if page.image_id else None
    if image is None or not image.is_image:
        raise Http404("No image.")
    response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _questions(training, chosen=None, errors=()):
    """The quiz form's questions, each with its choices and which is ticked (on a re-render)."""
    chosen = chosen or {}
    return [
        {
            "question": question,
            "choices": [(choice, chosen.get(question.pk) == choice.pk) for choice in question.choices.all()],
            "error": question.pk in errors,
        }
        for question in training.questions.prefetch_related("choices")
    ]


def _answers(request, training):
    """The ticked choice of each question from the POST, and the questions left unanswered."""
    chosen, missing = {}, set()
    for question in training.questions.all():
        value = request.POST.get(f"q{question.pk}", "")
        if value.isdigit():
            chosen[question.pk] = int(value)
        else:
            missing.add(question.pk)
    return chosen, missing


def _quiz(request, taking):
    training = taking.training
    if not training.is_online or not training.questions.exists():
        raise Http404("This training has no quiz.")
    record = taking.record()
    page_count = training.pages.count()
    if not taking.preview and (record.pages_read if record else 0) < page_count:
        messages.info(request, "Read every page first: the quiz comes after them.")
        return redirect(taking.url("training_page", _reached(taking, record)))
    current = bool(record and record.is_current())
    if request.method == "POST":
        chosen, missing = _answers(request, training)
        if missing:
            context = {
                "questions": _questions(training, chosen, missing),
                "missing": True,
                "current": current,
            }
            return _render(request, taking, "quiz.html", context, status=400)
        if taking.preview:
            score, passed, results = training_progress.quiz_score(training, chosen)
            context = {"score": score, "passed": passed, "results": results, "current": False}
            return _render(request, taking, "quiz.html", context)
        try:
            record = record or training_progress.record_for_taking(training, taking.enrollment)
            attempt = training_progress.quiz_submit(record=record, answers=chosen)
        except ValidationError as error:
            message_error(request, error)
            return redirect(taking.url("training"))
        if attempt.passed:
            messages.success(request, f"You passed, with {attempt.score}%: “{training.title}” is complete.")
        return redirect(taking.url("training_quiz"))
    latest = record.attempts.first() if record else None
    if latest is not None and "retry" not in request.GET:
        context = {
            "attempt": latest,
            "score": latest.score,
            "passed": latest.passed,
            "results": training_progress.attempt_results(latest),
            "attempts": record.attempts.count(),
            "current": current,
        }
        return _render(request, taking, "quiz.html", context)
    return _render(request, taking, "quiz.html", {"questions": _questions(training), "current": current})


def _session(taking, session_id):
    if taking.training.is_online:
        raise Http404("No sessions.")
    return get_object_or_404(TrainingSession, pk=session_id, training=taking.training)


# --- A participant, signed in ----------------------------------------------------------------------


@login_required
def training(request, pk):
    return _overview(request, _participant(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def training_page(request, pk, number):
    return _page(request, _participant(request, pk), number)


@login_required
def training_image(request, pk, number):
    return _image(request, _participant(request, pk), number)


@login_required
@require_http_methods(["GET", "POST"])
def training_quiz(request, pk):
    return _quiz(request, _participant(request, pk))


@login_required
@require_POST
def session_signup(request, pk, session_id):
    done = "You have a place at the session. See you there!"
    return _session_act(request, pk, session_id, training_progress.session_signup, done)


@login_required
@require_POST
def session_cancel(request, pk, session_id):
    done = "You have given your place back."
    return _session_act(request, pk, session_id, training_progress.session_cancel_signup, done)


def _session_act(request, pk, session_id, service, done):
    """Taking or giving back a place at a session (nothing in preview), then the training's page."""
    taking = _participant(request, pk)
    session = _session(taking, session_id)
    if taking.preview:
        messages.info(request, PREVIEW)
    else:
        act(request, lambda: service(session=session, enrollment=taking.enrollment), done=done)
    return redirect(taking.url("training"))


# --- A parent or guardian, from their link (no account) -------------------------------------------


@never_cache
def guardian_training(request, token, pk):
    return _overview(request, _guardian(token, pk))


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_training_page(request, token, pk, number):
    return _page(request, _guardian(token, pk), number)


@never_cache
def guardian_training_image(request, token, pk, number):
    return _image(request, _guardian(token, pk), number)


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_training_quiz(request, token, pk):
    return _quiz(request, _guardian(token, pk))
