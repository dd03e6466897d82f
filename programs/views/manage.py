"""Coordinators set a program up: create, settings, status, co-coordinators, checklist, questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentorship.services import audit_trail
from mentorship.web import act, message_error
from programs import selectors, services
from programs.access import get_program_for
from programs.forms import (
    ChecklistItemForm,
    CoordinatorForm,
    LeadsForm,
    ProgramForm,
    ProgramStatusForm,
    QuestionForm,
)
from programs.models import PROGRAM_TRANSITIONS, ProgramStatus


def _settings_url(program, anchor=""):
    return reverse("programs:settings", args=[program.slug]) + anchor


@login_required
def program_create(request):
    if not services.user_can_create_programs(request.user):
        raise Http404("Only coordinators can create programs.")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{program.name} is created as a draft. Check its settings, then open it."
            )
            return redirect("programs:dashboard", slug=program.slug)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@login_required
def program_dashboard(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return render(
        request,
        "programs/program_dashboard.html",
        {
            "program": program,
            "funnel": selectors.funnel(program),
            "transitions": [
                ProgramStatus(s) for s in ProgramStatus if s in PROGRAM_TRANSITIONS[program.status]
            ],
            "coordinators": program.coordinators.select_related("profile"),
        },
    )


@login_required
def program_settings(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=program, by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("programs:settings", slug=program.slug)
    return render(
        request,
        "programs/program_form.html",
        {
            "form": form,
            "program": program,
            "coordinators": program.coordinators.select_related("profile"),
            "checklist": program.checklist_items.current(),
            "questions": program.questions.all(),
            "coordinator_form": CoordinatorForm(),
            "checklist_form": ChecklistItemForm(),
            "question_form": QuestionForm(),
            "leads_form": LeadsForm(program=program, initial={"leads": program.safeguarding_leads.all()}),
            "coordinator_trail": audit_trail(program).filter(
                action__in=["coordinator.added", "coordinator.removed", "leads.set"]
            )[:20],
        },
    )


@login_required
@require_POST
def program_status(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ProgramStatusForm(request.POST)
    if form.is_valid():
        try:
            services.program_set_status(program=program, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(request, f"{program.name} is now {program.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a status.")
    return redirect("programs:dashboard", slug=program.slug)


@login_required
@require_POST
def coordinator_add(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = CoordinatorForm(request.POST)
    if form.is_valid():
        try:
            user = services.program_add_coordinator(
                program=program, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(request, f"{user.display_name} now coordinates {program.name}.")
    else:
        messages.error(request, "Enter a valid email address.")
    return redirect(_settings_url(program, "#coordinators"))


@login_required
@require_POST
def coordinator_remove(request, slug, user_id):
    program = get_program_for(request.user, slug, manage=True)
    user = get_object_or_404(program.coordinators, pk=user_id)
    try:
        services.program_remove_coordinator(program=program, user=user, by=request.user)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, f"{user.display_name} no longer coordinates {program.name}.")
    if user == request.user and not request.user.is_staff:
        return redirect("dashboard")
    return redirect(_settings_url(program, "#coordinators"))


@login_required
@require_POST
def checklist_add(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.checklist_item_add(program=program, **form.cleaned_data),
            done="Checklist item added.",
        )
    else:
        messages.error(request, "The checklist item needs a name (and a validity of 1 to 3650 days, if any).")
    return redirect(_settings_url(program, "#checklist"))


@login_required
@require_POST
def checklist_remove(request, slug, item_id):
    program = get_program_for(request.user, slug, manage=True)
    item = get_object_or_404(program.checklist_items.current(), pk=item_id)
    services.checklist_item_remove(item=item, by=request.user)
    messages.success(request, f"“{item.name}” is off the checklist; checks already recorded are kept.")
    return redirect(_settings_url(program, "#checklist"))


@login_required
@require_POST
def question_add(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.question_add(program=program, **form.cleaned_data)
        messages.success(request, "Question added.")
    else:
        messages.error(request, "The question needs text (at most 300 characters).")
    return redirect(_settings_url(program, "#questions"))


@login_required
@require_POST
def question_remove(request, slug, question_id):
    program = get_program_for(request.user, slug, manage=True)
    question = get_object_or_404(program.questions, pk=question_id)
    services.question_remove(question=question)
    messages.success(request, "Question removed.")
    return redirect(_settings_url(program, "#questions"))


@login_required
@require_POST
def leads_set(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = LeadsForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.program_set_leads(
                program=program, leads=list(form.cleaned_data["leads"]), by=request.user
            )
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(request, "Safeguarding leads saved.")
    else:
        messages.error(request, "Choose the leads among the program's coordinators.")
    return redirect(_settings_url(program, "#leads"))
