"""Coordinators review applicants: the filtered list and what they do to a selection of it, one
applicant, decisions, screening and private notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from mentorship.once import AlreadySubmitted, submit_once
from mentorship.services import audit_record, audit_trail
from mentorship.web import message_error
from programs import applicants as applicant_services
from programs import guardians, selectors, services
from programs.access import get_applicant_for, get_program_for
from programs.filters import ApplicantFilter
from programs.forms import (
    ApplicantBulkForm,
    ApplicantNoteForm,
    CapacityForm,
    GuardianForm,
    ScreeningForm,
    StatusForm,
)
from programs.models import Enrollment, Role
from programs.training_completion import person_trainings, trainings_to_record
from programs.training_forms import ExternalTrainingForm

PAGE_SIZE = 25
TRAIL_NOT_SHOWN = ["enrollment.viewed", "enrollment.status", "screening.recorded"]
ALREADY_SENT = "That form was already sent: it is done once."


def _filtered(request, program):
    return ApplicantFilter(request.GET or None, queryset=selectors.applicants(program), program=program)


def _list_context(request, program, applicant_filter, bulk_form=None):
    page = Paginator(applicant_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_blockers(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    if bulk_form is None:
        bulk_form = ApplicantBulkForm(applicants=applicant_filter.qs)
    ticked = {str(pk) for pk in bulk_form["selected"].value() or []}
    return {
        "program": program,
        "filter": applicant_filter,
        "page": page,
        "query": query.urlencode(),
        "bulk_form": bulk_form,
        "ticked": ticked,
        "moves": applicant_services.BULK_MOVES.items(),
    }


@require_safe
@login_required
def applicant_list(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    context = _list_context(request, program, _filtered(request, program))
    return render(request, "programs/applicant_list.html", context)


def _export_response(request, program, enrollments, what):
    text = applicant_services.applicants_export(
        program=program, enrollments=enrollments, by=request.user, what=what, request=request
    )
    response = HttpResponse(text.encode(), content_type="text/csv; charset=utf-8")
    name = f"{program.slug}-applicants-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def applicant_export(request, slug):
    """The filtered list (every page of it) as CSV for a background-check provider."""
    program = get_program_for(request.user, slug, manage=True)
    applicant_filter = _filtered(request, program)
    what = f"filter: {request.GET.urlencode()}" if request.GET else "every applicant"
    return _export_response(request, program, applicant_filter.qs.select_related("program"), what)


def _people(count):
    return f"{count} {'person' if count == 1 else 'people'}"


def _report_move(request, result, to_status):
    label = applicant_services.BULK_MOVES[to_status]
    if result.moved:
        names = ", ".join(e.user.display_name for e in result.moved)
        messages.success(
            request, f"{label}: done for {_people(len(result.moved))} ({names}). Each is emailed."
        )
    for enrollment, why in result.refused:
        messages.warning(request, f"Not changed: {enrollment.user.display_name}. {why}")


@login_required
@require_POST
def applicant_bulk(request, slug):
    """The people ticked on the list: moved (each through the single move, emailed and audited as
    one would be; a move the rules refuse is reported for that person), emailed, or exported. The
    filter's query string comes along, so that the list is shown again as it was."""
    program = get_program_for(request.user, slug, manage=True)
    applicant_filter = _filtered(request, program)
    form = ApplicantBulkForm(request.POST, applicants=selectors.applicants(program))
    back = reverse("programs:applicants", args=[slug]) + (
        f"?{request.GET.urlencode()}" if request.GET else ""
    )
    if not form.is_valid():
        context = _list_context(request, program, applicant_filter, bulk_form=form)
        return render(request, "programs/applicant_list.html", context, status=400)
    data = form.cleaned_data
    chosen = list(data["selected"].select_related("program").order_by("-created_at", "-pk"))
    action = data["action"]
    if action == "export":
        return _export_response(request, program, chosen, "people ticked")
    try:
        if action == "email":
            count = submit_once(
                form,
                request.user,
                lambda: applicant_services.applicants_email(
                    program=program,
                    enrollments=chosen,
                    subject=data["subject"],
                    body=data["body"],
                    by=request.user,
                ),
            )
            messages.success(request, f"Your email is on its way to {_people(count)}.")
        else:
            result = applicant_services.applicants_move(enrollments=chosen, to_status=action, by=request.user)
            _report_move(request, result, action)
    except AlreadySubmitted:
        messages.info(request, ALREADY_SENT)
    return redirect(back)


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
        "notes": enrollment.notes.select_related("author__profile"),
        "note_form": forms.get("note_form") or ApplicantNoteForm(),
        # Trainings (programs/views/trainings_people.py takes the form's POST).
        "trainings": person_trainings(enrollment),
        "training_form": forms.get("training_form")
        or ExternalTrainingForm(trainings=trainings_to_record(enrollment), prefix="training"),
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


@login_required
@require_POST
def applicant_note(request, slug, pk):
    """A coordinator's private note on the applicant (once per rendered form)."""
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = ApplicantNoteForm(request.POST)
    if form.is_valid():
        try:
            submit_once(
                form,
                request.user,
                lambda: applicant_services.applicant_note_add(
                    enrollment=enrollment, by=request.user, text=form.cleaned_data["text"]
                ),
            )
        except ValidationError as error:
            form.add_error("text", error)
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
            return redirect(reverse("programs:applicant", args=[slug, pk]) + "#notes-heading")
        else:
            messages.success(request, "Note saved. Only coordinators see it.")
            return redirect(reverse("programs:applicant", args=[slug, pk]) + "#notes-heading")
    context = _detail_context(program, enrollment, note_form=form)
    return render(request, "programs/applicant_detail.html", context, status=400)
