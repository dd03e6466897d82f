"""Coordinators review applicants: the filtered list, one applicant, decisions and screening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorship.services import audit_record, audit_trail
from mentorship.web import message_error
from programs import guardians, selectors, services
from programs.access import get_applicant_for, get_program_for
from programs.filters import ApplicantFilter
from programs.forms import CapacityForm, GuardianForm, ScreeningForm, StatusForm
from programs.models import Enrollment, Role

PAGE_SIZE = 25
TRAIL_NOT_SHOWN = ["enrollment.viewed", "enrollment.status", "screening.recorded"]


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
    # Archived items stay on the page where something was recorded against them.
    checklist = [
        (item, records.get(item.pk))
        for item in program.checklist_items.all()
        if item.archived_at is None or item.pk in records
    ]
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
        "dob_changed": Enrollment.objects.with_date_of_birth_flag()
        .filter(pk=enrollment.pk, date_of_birth_changed=True)
        .exists(),
        "consents": enrollment.consents.select_related("asked_by__profile"),
        "guardian_form": forms.get("guardian_form") or GuardianForm(),
        # Views, status changes and screening are on the staff audit page; the page shows the
        # last two in their own sections, and views would soon push the consent history off it.
        "trail": audit_trail(enrollment).exclude(action__in=TRAIL_NOT_SHOWN)[:50],
    }


@login_required
def applicant_detail(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    if enrollment.user.profile.is_minor() and enrollment.user_id != request.user.pk:
        # In autocommit: if the row cannot be written, the page is not shown.
        audit_record(actor=request.user, action="enrollment.viewed", target=enrollment, request=request)
    return render(request, "programs/applicant_detail.html", _detail_context(program, enrollment))


def _act(request, slug, pk, *, form_key, make_form, act, done):
    """The applicant page's forms: validate, call the service, then redirect with a message, or
    show the page again (400) with the form's errors and everything typed kept."""
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = make_form(program, enrollment)
    if form.is_valid():
        try:
            act(enrollment, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done(enrollment, form.cleaned_data))
            return redirect("programs:applicant", slug=slug, pk=pk)
    context = _detail_context(program, enrollment, **{form_key: form})
    return render(request, "programs/applicant_detail.html", context, status=400)


@login_required
@require_POST
def applicant_status(request, slug, pk):
    return _act(
        request,
        slug,
        pk,
        form_key="status_form",
        make_form=lambda program, enrollment: StatusForm(request.POST, enrollment=enrollment),
        act=lambda enrollment, data: services.enrollment_transition(
            enrollment=enrollment, to_status=data["status"], by=request.user, note=data["note"]
        ),
        done=lambda e, data: f"{e.user.display_name} is now {e.get_status_display().lower()}.",
    )


@login_required
@require_POST
def applicant_screening(request, slug, pk):
    return _act(
        request,
        slug,
        pk,
        form_key="screening_form",
        make_form=lambda program, enrollment: ScreeningForm(request.POST, program=program),
        act=lambda enrollment, data: services.screening_record(
            enrollment=enrollment, by=request.user, **data
        ),
        done=lambda e, data: f"“{data['item'].name}” recorded.",
    )


@login_required
@require_POST
def applicant_capacity(request, slug, pk):
    return _act(
        request,
        slug,
        pk,
        form_key="capacity_form",
        make_form=lambda program, enrollment: CapacityForm(request.POST, instance=enrollment),
        act=lambda enrollment, data: services.enrollment_set_capacity(
            enrollment=enrollment, capacity=data["capacity"], by=request.user
        ),
        done=lambda e, data: "Capacity saved.",
    )


@login_required
@require_POST
def applicant_guardian(request, slug, pk):
    """A coordinator changes the guardian (asked at once; every earlier link revoked)."""
    return _act(
        request,
        slug,
        pk,
        form_key="guardian_form",
        make_form=lambda program, enrollment: GuardianForm(request.POST),
        act=lambda enrollment, data: guardians.guardian_request_consent(
            enrollment=enrollment, name=data["guardian_name"], email=data["guardian_email"], by=request.user
        ),
        done=lambda e, data: f"{data['guardian_name']} is asked for consent; earlier links no longer work.",
    )


@login_required
@require_POST
def applicant_guardian_resend(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    if not enrollment.guardian_email:
        messages.error(request, "No guardian has been named yet.")
    else:
        try:
            guardians.guardian_request_consent(
                enrollment=enrollment,
                name=enrollment.guardian_name,
                email=enrollment.guardian_email,
                by=request.user,
            )
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(
                request,
                f"The request is sent again to {enrollment.guardian_name}; the old link no longer works.",
            )
    return redirect("programs:applicant", slug=slug, pk=pk)


@login_required
@require_POST
def applicant_dob_checked(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    services.enrollment_dob_checked(enrollment=enrollment, by=request.user)
    messages.success(request, "Date of birth marked as checked: the matching rules apply to it again.")
    return redirect("programs:applicant", slug=slug, pk=pk)
