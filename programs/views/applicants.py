"""Coordinators review applicants: the filtered list, one applicant, decisions and screening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programs import selectors, services
from programs.access import get_applicant_for, get_program_for
from programs.filters import ApplicantFilter
from programs.forms import CapacityForm, ScreeningForm, StatusForm
from programs.models import Role

PAGE_SIZE = 25


@login_required
def applicant_list(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    applicant_filter = ApplicantFilter(request.GET or None, queryset=selectors.applicants(program))
    page = Paginator(applicant_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/applicant_list.html",
        {"program": program, "filter": applicant_filter, "page": page, "query": query.urlencode()},
    )


def _detail_context(program, enrollment, **forms):
    records = {r.item_id: r for r in enrollment.screening_records.select_related("recorded_by")}
    checklist = [(item, records.get(item.pk)) for item in program.checklist_items.all()]
    return {
        "program": program,
        "enrollment": enrollment,
        "profile": enrollment.user.profile,
        "checklist": checklist,
        "missing": selectors.missing_for(enrollment),
        "history": enrollment.status_changes.select_related("changed_by"),
        "answers": enrollment.answers.select_related("question"),
        "status_form": forms.get("status_form") or StatusForm(enrollment=enrollment),
        "screening_form": forms.get("screening_form") or ScreeningForm(program=program),
        "capacity_form": forms.get("capacity_form") or CapacityForm(instance=enrollment),
        "is_mentor": enrollment.role == Role.MENTOR,
    }


@login_required
def applicant_detail(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    return render(request, "programs/applicant_detail.html", _detail_context(program, enrollment))


@login_required
@require_POST
def applicant_status(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = StatusForm(request.POST, enrollment=enrollment)
    if form.is_valid():
        try:
            services.enrollment_transition(
                enrollment=enrollment,
                to_status=form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{enrollment.user.display_name} is now {enrollment.get_status_display().lower()}."
            )
            return redirect("programs:applicant", slug=slug, pk=pk)
    context = _detail_context(program, enrollment, status_form=form)
    return render(request, "programs/applicant_detail.html", context, status=400)


@login_required
@require_POST
def applicant_screening(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = ScreeningForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.screening_record(enrollment=enrollment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{form.cleaned_data['item'].name}” recorded.")
            return redirect("programs:applicant", slug=slug, pk=pk)
    context = _detail_context(program, enrollment, screening_form=form)
    return render(request, "programs/applicant_detail.html", context, status=400)


@login_required
@require_POST
def applicant_capacity(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = CapacityForm(request.POST, instance=enrollment)
    if form.is_valid():
        try:
            services.enrollment_set_capacity(
                enrollment=enrollment, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Capacity saved.")
            return redirect("programs:applicant", slug=slug, pk=pk)
    context = _detail_context(program, enrollment, capacity_form=form)
    return render(request, "programs/applicant_detail.html", context, status=400)
