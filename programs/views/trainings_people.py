"""Coordinators see who has completed trainings: per training (completed, expired, started, not
started), per person (a section of the applicant page, where a training done elsewhere is recorded
or taken off again), and the people x trainings overview. Each page takes a constant number of
queries however many people there are."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from mentorship.web import form_errors, message_error
from programs import trainings
from programs.access import get_applicant_for, get_program_for, get_training_for
from programs.models import CompletedBy
from programs.training_completion import (
    STATES,
    completion_rows,
    overview,
    training_list,
    trainings_to_record,
    with_cells,
    with_states,
)
from programs.training_forms import ExternalTrainingForm, PeopleFilterForm
from programs.views.applicants import _detail_context

PAGE_SIZE = 50
TRAINING_FORM_PREFIX = "training"


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
@login_required
def training_completion(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    training = get_training_for(request.user, program, pk)
    state = request.GET.get("state") if request.GET.get("state") in STATES else None
    page = Paginator(completion_rows(training, state), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_states(page.object_list)
    counts = next(t.counts for t in training_list(program) if t.pk == training.pk)
    context = {
        "program": program,
        "training": training,
        "page": page,
        "state": state,
        "states": [(key, label, counts[key]) for key, label in STATES.items()],
        "page_count": training.pages.count() if training.is_online else None,
        "query": _query_without_page(request),
    }
    return render(request, "programs/trainings/manage_completion.html", context)


@require_safe
@login_required
def training_overview(request, slug):
    """People x trainings: who has done what, filtered by role and to those with something left."""
    program = get_program_for(request.user, slug, manage=True)
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = overview(
        program,
        role=filters.get("role"),
        incomplete=filters.get("incomplete", False),
        expiring=filters.get("expiring", False),
    )
    published = list(program.trainings.published())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_cells(page.object_list, published)
    context = {
        "program": program,
        "form": form,
        "trainings": published,
        "page": page,
        "states": STATES,
        "query": _query_without_page(request),
    }
    return render(request, "programs/trainings/manage_people.html", context)


def _applicant_url(slug, pk):
    return reverse("programs:applicant", args=[slug, pk]) + "#trainings-heading"


@login_required
@require_POST
def applicant_training_record(request, slug, pk):
    """Record a training the person did elsewhere (the applicant page's form)."""
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = ExternalTrainingForm(
        request.POST, trainings=trainings_to_record(enrollment), prefix=TRAINING_FORM_PREFIX
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            trainings.training_record_external(
                training=data["training"],
                enrollment=enrollment,
                by=request.user,
                completed_on=data["completed_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"“{data['training'].title}” recorded as done elsewhere.")
            return redirect(_applicant_url(slug, pk))
    context = _detail_context(program, enrollment, training_form=form)
    return render(request, "programs/applicant_detail.html", context, status=400)


@login_required
@require_POST
def applicant_training_remove(request, slug, pk, record_id):
    """Take off a training recorded as done elsewhere by mistake."""
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    record = get_object_or_404(
        enrollment.training_records.select_related("training"),
        pk=record_id,
        completed_by=CompletedBy.EXTERNAL,
    )
    try:
        trainings.training_record_remove(record=record, by=request.user)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, f"“{record.training.title}” is no longer recorded as done.")
    return redirect(_applicant_url(slug, pk))
