"""Coordinators set a program up: create (blank, from a template or as a copy), settings, status,
co-coordinators, checklist, questions, areas.

The settings page holds several forms; each has its own prefix, so that two fields of the same
name (a checklist item's and an area's) never share an id and every label points at its own input.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentorship.services import audit_trail
from mentorship.web import act, message_error
from programs import areas, presets, selectors, services
from programs.access import get_program_for
from programs.forms import (
    ChecklistItemForm,
    CoordinatorForm,
    LeadsForm,
    ProgramStatusForm,
    QuestionForm,
)
from programs.models import PROGRAM_TRANSITIONS, ProgramStatus
from programs.presets import PRESETS, preset_initial
from programs.setup_forms import AreaForm, ProgramCreateForm, ProgramForm

# The settings page's forms and their prefixes (the views that take their POSTs use the same).
PREFIX = {"checklist": "checklist", "question": "question", "coordinator": "coordinator", "leads": "leads"}
NEW_AREA = "area-new"


def _area_prefix(area):
    return f"area-{area.pk}"


def _settings_url(program, anchor=""):
    return reverse("programs:settings", args=[program.slug]) + anchor


def _create_initial(request):
    """The create form's starting values: a template's (?template=youth), a copy of a program the
    user manages (?from=<slug>), or the defaults. Returns (initial, what it was started from)."""
    source_slug, template = request.GET.get("from"), request.GET.get("template")
    if source_slug:
        source = get_program_for(request.user, source_slug, manage=True)
        return presets.program_copy_initial(source), f"a copy of {source.name}"
    if template in PRESETS:
        return preset_initial(template), f"the “{PRESETS[template]['label']}” template"
    return {}, ""


@login_required
def program_create(request):
    if not services.user_can_create_programs(request.user):
        raise Http404("Only coordinators can create programs.")
    initial, started_from = _create_initial(request)
    form = ProgramCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error.messages)  # a model field may have no form field
        else:
            messages.success(
                request, f"{program.name} is created as a draft. Check its settings, then open it."
            )
            return redirect("programs:dashboard", slug=program.slug)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "program": None, "presets": PRESETS, "started_from": started_from},
    )


def _status_moves(program):
    """The overview's status buttons: (status, button, what it changes, in a line), in order."""
    if program.is_rolling:
        running = (
            "For when pairs are meeting. Nothing changes for applicants: a rolling program stays "
            "listed and keeps taking applications, and matching goes on."
        )
    else:
        running = (
            "For when the cohort is complete: the public page stops taking applications (people you "
            "invite can still join), and matching and every match go on."
        )
    explains = {
        ProgramStatus.OPEN: (
            "Make it open for applications",
            "It appears in the list of programs; anyone can apply from its public page, and matching "
            "can run.",
        ),
        ProgramStatus.RUNNING: ("Start running the program", running),
        ProgramStatus.CLOSED: (
            "Close the program for good",
            "Final: it leaves the list of programs and takes no more applications; matching stops. "
            "Records are kept.",
        ),
    }
    return [
        (status, *explains[status])
        for status in ProgramStatus
        if status in PROGRAM_TRANSITIONS[program.status] and status in explains
    ]


def _status_done(program):
    """What the coordinator is told after a status change, with the next step."""
    if program.status == ProgramStatus.OPEN:
        return (
            f"{program.name} is now open for applications. Next, bring people in: invite them, import "
            "a list, or share the public page's address (below)."
        )
    if program.status == ProgramStatus.RUNNING:
        applications = (
            "keeps taking applications" if program.accepts_applications else "takes no new applications"
        )
        return f"{program.name} is now running: it {applications}, and matching goes on."
    return f"{program.name} is now {program.get_status_display().lower()}."


@login_required
def program_dashboard(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return render(
        request,
        "programs/program_dashboard.html",
        {
            "program": program,
            "funnel": selectors.funnel(program),
            "moves": _status_moves(program),
            "public_url": settings.SITE_URL + program.get_absolute_url(),
            "coordinators": program.coordinators.select_related("profile"),
        },
    )


def _settings_page(request, program, *, form=None, status=200, **bound):
    """The settings page, with any form given bound (and showing its errors) in place of its blank
    one: ``form`` (the settings), ``checklist_form``, ``area_forms`` {area pk: form},
    ``new_area_form``..."""
    areas = list(program.program_areas.all())
    area_forms = bound.pop("area_forms", {})
    context = {
        "form": form or ProgramForm(instance=program),
        "program": program,
        "coordinators": program.coordinators.select_related("profile"),
        "checklist": program.checklist_items.current(),
        # Removing a question deletes its answers: the button says how many.
        "questions": program.questions.annotate(answer_count=Count("answers")),
        "coordinator_form": CoordinatorForm(prefix=PREFIX["coordinator"]),
        "checklist_form": ChecklistItemForm(prefix=PREFIX["checklist"]),
        "question_form": QuestionForm(prefix=PREFIX["question"]),
        "leads_form": LeadsForm(
            program=program, initial={"leads": program.safeguarding_leads.all()}, prefix=PREFIX["leads"]
        ),
        "areas": [
            (area, area_forms.get(area.pk) or AreaForm(instance=area, prefix=_area_prefix(area), brief=True))
            for area in areas
        ],
        "new_area_form": AreaForm(prefix=NEW_AREA),
        "coordinator_trail": audit_trail(program).filter(
            action__in=["coordinator.added", "coordinator.removed", "leads.set"]
        )[:20],
        **bound,
    }
    return render(request, "programs/program_form.html", context, status=status)


@login_required
def program_settings(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=program, by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error.messages)  # a model field may have no form field
        else:
            messages.success(request, "Settings saved.")
            return redirect("programs:settings", slug=program.slug)
    if form.is_bound:
        program.refresh_from_db()  # the page's heading and menu show the program as saved
    return _settings_page(request, program, form=form)


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
            messages.success(request, _status_done(program))
    else:
        messages.error(request, "Choose a status.")
    return redirect("programs:dashboard", slug=program.slug)


@login_required
@require_POST
def coordinator_add(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = CoordinatorForm(request.POST, prefix=PREFIX["coordinator"])
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
    form = ChecklistItemForm(request.POST, prefix=PREFIX["checklist"])
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
    form = QuestionForm(request.POST, prefix=PREFIX["question"])
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
    form = LeadsForm(request.POST, program=program, prefix=PREFIX["leads"])
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


def _save_area(request, program, form, save):
    """Save an area form through ``save`` (a service call), or show the settings page again with
    the form's errors (400)."""
    if form.is_valid():
        try:
            area = save(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)  # a model field may have no form field
        else:
            messages.success(request, f"Area “{area.name}” saved.")
            return redirect(_settings_url(program, "#areas"))
    return form


@login_required
@require_POST
def area_add(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = AreaForm(request.POST, prefix=NEW_AREA)
    form.instance.program = program
    result = _save_area(
        request, program, form, lambda **data: areas.area_add(program=program, by=request.user, **data)
    )
    if result is not form:
        return result
    return _settings_page(request, program, new_area_form=form, status=400)


@login_required
@require_POST
def area_update(request, slug, area_id):
    program = get_program_for(request.user, slug, manage=True)
    area = get_object_or_404(program.program_areas, pk=area_id)
    form = AreaForm(request.POST, instance=area, prefix=_area_prefix(area), brief=True)
    result = _save_area(
        request, program, form, lambda **data: areas.area_update(area=area, by=request.user, **data)
    )
    if result is not form:
        return result
    return _settings_page(request, program, area_forms={area.pk: form}, status=400)


@login_required
@require_POST
def area_remove(request, slug, area_id):
    program = get_program_for(request.user, slug, manage=True)
    area = get_object_or_404(program.program_areas, pk=area_id)
    areas.area_remove(area=area, by=request.user)
    messages.success(request, f"Area “{area.name}” removed; people who had chosen it will choose again.")
    return redirect(_settings_url(program, "#areas"))
