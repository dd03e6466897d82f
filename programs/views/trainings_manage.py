"""Coordinators author and run trainings: the program's list (and a new one), a training's page
(settings, publishing, its pages and quiz or its sessions), a page's own form, a session's
attendance. Who completed what is in programs/views/trainings_people.py.

The training's page holds several forms; each has its own prefix, so that no two inputs share an
id. A form sent with a mistake shows that page again (400) with the errors and what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from mentorship.web import act, form_errors
from programs import trainings
from programs.access import get_program_for, get_training_for, get_training_session_for
from programs.training_completion import training_list, training_people
from programs.training_forms import (
    AddPersonForm,
    AttendanceForm,
    PageForm,
    QuestionForm,
    SessionForm,
    TrainingForm,
)
from programs.uploads import store_upload

PREFIX = {"settings": "training", "page": "page", "question": "question", "session": "session"}


def _manage_url(training, anchor=""):
    return reverse("programs:training_manage", args=[training.program.slug, training.pk]) + anchor


def _loaded(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    return program, get_training_for(request.user, program, pk)


def _list_page(request, program, form=None, status=200):
    context = {
        "program": program,
        "trainings": training_list(program),
        "form": form or TrainingForm(prefix=PREFIX["settings"]),
    }
    return render(request, "programs/trainings/manage_list.html", context, status=status)


@login_required
def training_list_view(request, slug):
    """The program's trainings with how many have completed each; a POST makes a new one."""
    program = get_program_for(request.user, slug, manage=True)
    if request.method != "POST":
        return _list_page(request, program)
    form = TrainingForm(request.POST, prefix=PREFIX["settings"])
    if form.is_valid():
        try:
            training = trainings.training_create(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            what = "pages" if training.is_online else "sessions"
            messages.success(
                request, f"“{training.title}” is created as a draft. Add its {what}, then publish it."
            )
            return redirect(_manage_url(training))
    return _list_page(request, program, form, status=400)


def _manage_page(request, program, training, status=200, **bound):
    """The training's page, with any form given bound (and showing its errors) in place of its
    blank one: ``form`` (settings), ``page_form``, ``question_form``, ``session_form``."""
    context = {
        "program": program,
        "training": training,
        "form": TrainingForm(instance=training, prefix=PREFIX["settings"]),
        "page_form": PageForm(prefix=PREFIX["page"]),
        "question_form": QuestionForm(prefix=PREFIX["question"]),
        "session_form": SessionForm(prefix=PREFIX["session"]),
        "pages": training.pages.select_related("image").defer("image__data"),
        "questions": training.questions.prefetch_related("choices"),
        "sessions": training.sessions.annotate(signed_up=Count("signups")),
        "people_count": training_people(training).count(),
        **bound,
    }
    return render(request, "programs/trainings/manage_training.html", context, status=status)


@login_required
def training_manage(request, slug, pk):
    """The training's page; a POST saves its settings."""
    program, training = _loaded(request, slug, pk)
    if request.method != "POST":
        return _manage_page(request, program, training)
    form = TrainingForm(request.POST, instance=training, prefix=PREFIX["settings"])
    if form.is_valid():
        try:
            trainings.training_update(training=training, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect(_manage_url(training))
    training.refresh_from_db()  # the heading shows the training as saved
    return _manage_page(request, program, training, status=400, form=form)


def _published_words(training, blocked):
    if not training.required:
        return f"“{training.title}” is published: its people see it now."
    people = f"{blocked} {'person' if blocked == 1 else 'people'}"
    return (
        f"“{training.title}” is published. It is required before matching: {people} who could be matched "
        "will not be until they complete it."
    )


@login_required
@require_POST
def training_publish(request, slug, pk):
    program, training = _loaded(request, slug, pk)
    act(
        request,
        lambda: trainings.training_publish(training=training, by=request.user),
        done=lambda blocked: _published_words(training, blocked),
    )
    return redirect(_manage_url(training))


@login_required
@require_POST
def training_unpublish(request, slug, pk):
    program, training = _loaded(request, slug, pk)
    act(
        request,
        lambda: trainings.training_unpublish(training=training, by=request.user),
        done=f"“{training.title}” is a draft again: participants no longer see it. Records are kept.",
    )
    return redirect(_manage_url(training))


@login_required
@require_POST
def training_archive(request, slug, pk):
    program, training = _loaded(request, slug, pk)
    act(
        request,
        lambda: trainings.training_archive(training=training, by=request.user),
        done=f"“{training.title}” is archived. People's records of it are kept.",
    )
    return redirect("programs:trainings", slug=program.slug)


# --- Pages --------------------------------------------------------------------------------------


def _image(request, form):
    """The uploaded image as a StoredFile, or None (checked from its content by programs/uploads.py);
    a refused file is an error on the form's image field."""
    upload = form.cleaned_data.get("image_file")
    if not upload:
        return None
    return store_upload(upload, by=request.user, images_only=True)


def _page_fields(form):
    data = form.cleaned_data
    return {"title": data["title"], "body": data["body"], "image_alt": data["image_alt"]}


@login_required
@require_POST
def page_add(request, slug, pk):
    program, training = _loaded(request, slug, pk)
    form = PageForm(request.POST, request.FILES, prefix=PREFIX["page"])
    if form.is_valid():
        try:
            image = _image(request, form)
            trainings.page_add(training=training, image=image, **_page_fields(form))
        except ValidationError as error:
            form_errors(
                form, error if form.cleaned_data.get("image_file") is None else _on("image_file", error)
            )
        else:
            messages.success(request, "Page added.")
            return redirect(_manage_url(training, "#pages"))
    return _manage_page(request, program, training, status=400, page_form=form)


def _on(field, error):
    """A ValidationError about the upload, put on the form's image field (unless it names its own)."""
    return error if hasattr(error, "error_dict") else ValidationError({field: error.messages})


def _get_page(training, page_id):
    return get_object_or_404(training.pages, pk=page_id)


@login_required
def page_edit(request, slug, pk, page_id):
    program, training = _loaded(request, slug, pk)
    page = _get_page(training, page_id)
    form = PageForm(request.POST or None, request.FILES or None, instance=page, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                image = _image(request, form)
                trainings.page_update(
                    page=page,
                    image=image,
                    remove_image=form.cleaned_data.get("remove_image", False),
                    **_page_fields(form),
                )
            except ValidationError as error:
                form_errors(form, _on("image_file", error) if form.cleaned_data.get("image_file") else error)
            else:
                messages.success(request, f"Page “{page.title}” saved.")
                return redirect(_manage_url(training, "#pages"))
        status = 400
        page.refresh_from_db()
    context = {"program": program, "training": training, "page": page, "form": form}
    return render(request, "programs/trainings/manage_page.html", context, status=status)


@login_required
@require_safe
def page_image(request, slug, pk, page_id):
    """The page's image, for the coordinators' own pages (never a public URL)."""
    program, training = _loaded(request, slug, pk)
    page = _get_page(training, page_id)
    if page.image is None:
        return HttpResponse(status=404)
    response = HttpResponse(bytes(page.image.data), content_type=page.image.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def page_remove(request, slug, pk, page_id):
    program, training = _loaded(request, slug, pk)
    page = _get_page(training, page_id)
    trainings.page_remove(page=page)
    messages.success(request, f"Page “{page.title}” removed.")
    return redirect(_manage_url(training, "#pages"))


@login_required
@require_POST
def page_move(request, slug, pk, page_id):
    program, training = _loaded(request, slug, pk)
    page = _get_page(training, page_id)
    trainings.page_move(page=page, up=request.POST.get("direction") != "down")
    return redirect(_manage_url(training, "#pages"))


# --- The quiz -------------------------------------------------------------------------------------


@login_required
@require_POST
def question_add(request, slug, pk):
    return _add_to_training(
        request, slug, pk, key="question", form_class=QuestionForm, service=trainings.question_add,
        done="Question added.", anchor="#quiz",
    )  # fmt: skip


def _add_to_training(request, slug, pk, *, key, form_class, service, done, anchor):
    """A form of the training's page that adds to it (a question, a session): the service, then
    back to its section; or the page again with the form's errors (400)."""
    program, training = _loaded(request, slug, pk)
    form = form_class(request.POST, prefix=PREFIX[key])
    if form.is_valid():
        try:
            service(training=training, **form.service_fields())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_manage_url(training, anchor))
    return _manage_page(request, program, training, status=400, **{f"{key}_form": form})


@login_required
@require_POST
def question_remove(request, slug, pk, question_id):
    program, training = _loaded(request, slug, pk)
    question = get_object_or_404(training.questions, pk=question_id)
    trainings.question_remove(question=question)
    messages.success(request, "Question removed.")
    return redirect(_manage_url(training, "#quiz"))


# --- Sessions and attendance ----------------------------------------------------------------------


@login_required
@require_POST
def session_add(request, slug, pk):
    return _add_to_training(
        request, slug, pk, key="session", form_class=SessionForm, service=trainings.session_add,
        done="Session added: the people it is for can sign up to it.", anchor="#sessions",
    )  # fmt: skip


@login_required
@require_POST
def session_cancel(request, slug, pk, session_id):
    program, training = _loaded(request, slug, pk)
    session = get_training_session_for(request.user, training, session_id)
    act(
        request, lambda: trainings.session_cancel(session=session, by=request.user), done="Session cancelled."
    )
    return redirect(_manage_url(training, "#sessions"))


def _attendance_page(request, program, training, session, *, form=None, add_form=None, status=200):
    signups = session.signups.select_related("enrollment__user__profile").order_by(
        "enrollment__user__last_name", "enrollment__user__first_name", "pk"
    )
    on_list = session.signups.values("enrollment")
    # Their names are read from their profiles: loaded with them, not one query per person.
    people = training_people(training).exclude(pk__in=on_list).select_related("user__profile")
    context = {
        "program": program,
        "training": training,
        "session": session,
        "form": form or AttendanceForm(signups=signups),
        "add_form": add_form or AddPersonForm(people=people, prefix="add"),
        "signed_up": len(signups),
    }
    return render(request, "programs/trainings/manage_attendance.html", context, status=status)


@login_required
def session_attendance(request, slug, pk, session_id):
    """Who came: a present/absent choice per person, sent at once (made for a phone in the room)."""
    program, training = _loaded(request, slug, pk)
    session = get_training_session_for(request.user, training, session_id)
    if request.method != "POST":
        return _attendance_page(request, program, training, session)
    signups = session.signups.select_related("enrollment__user")
    form = AttendanceForm(request.POST, signups=signups)
    if form.is_valid():
        try:
            came = trainings.attendance_take(session=session, present=form.present(), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Attendance saved: {came} newly completed “{training.title}”.")
            return redirect(request.path)
    return _attendance_page(request, program, training, session, form=form, status=400)


@login_required
@require_POST
def session_add_person(request, slug, pk, session_id):
    program, training = _loaded(request, slug, pk)
    session = get_training_session_for(request.user, training, session_id)
    people = training_people(training).select_related("user")
    form = AddPersonForm(request.POST, people=people, prefix="add")
    if form.is_valid():
        enrollment = form.cleaned_data["enrollment"]
        try:
            trainings.session_add_person(session=session, enrollment=enrollment)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{enrollment.user.display_name} is on the list: mark them present.")
            return redirect("programs:training_attendance", slug=slug, pk=pk, session_id=session_id)
    return _attendance_page(request, program, training, session, add_form=form, status=400)
