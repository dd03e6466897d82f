"""Pages for everyone: the program list and page, applying, and an applicant's own application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorship.services import profile_set_date_of_birth
from programs import selectors, services
from programs.access import (
    can_manage,
    get_enrollment_by_guardian_token,
    get_own_enrollment_for,
    get_program_for,
)
from programs.forms import ApplicationForm, ConsentForm, GuardianForm
from programs.models import Enrollment, Invitation, Role, Source


def program_list(request):
    managed = selectors.programs_managed_by(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "programs/program_list.html",
        {
            "open_programs": selectors.programs_open_to_the_public(),
            "managed_programs": managed,
            "can_create": services.user_can_create_programs(request.user),
        },
    )


def program_detail(request, slug):
    program = get_program_for(request.user, slug)
    enrollment = None
    if request.user.is_authenticated:
        enrollment = Enrollment.objects.filter(program=program, user=request.user).first()
    return render(
        request,
        "programs/program_detail.html",
        {"program": program, "enrollment": enrollment, "manages": can_manage(request.user, program)},
    )


def _pending_invitation(request, program, role):
    token = request.session.get("invitation_token")
    if not token:
        return None
    return Invitation.objects.filter(
        token=token, program=program, role=role, accepted_at__isnull=True
    ).first()


@login_required
def apply(request, slug, role):
    program = get_program_for(request.user, slug)
    if role not in Role.values:
        raise Http404("No such role.")
    existing = Enrollment.objects.filter(program=program, user=request.user).first()
    if existing:
        messages.info(request, "You have already applied to this program.")
        return redirect(existing)
    invitation = _pending_invitation(request, program, role)
    if not program.accepts_applications and invitation is None:
        messages.warning(request, "This program is not taking applications at the moment.")
        return redirect(program)

    profile = request.user.profile
    form = ApplicationForm(request.POST or None, program=program, role=role, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data.get("date_of_birth"):
                    profile_set_date_of_birth(profile=profile, date_of_birth=data["date_of_birth"])
                enrollment = services.enrollment_apply(
                    program=program,
                    user=request.user,
                    role=role,
                    motivation=data["motivation"],
                    heard_about=data["heard_about"],
                    heard_about_detail=data["heard_about_detail"],
                    answers=form.answers(),
                    source=Source.INVITED if invitation else Source.APPLIED,
                    capacity=data.get("capacity"),
                    guardian_name=data.get("guardian_name", ""),
                    guardian_email=data.get("guardian_email", ""),
                )
                if invitation:
                    services.invitation_mark_accepted(invitation=invitation, enrollment=enrollment)
                    request.session.pop("invitation_token", None)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Your application to {program.name} is in. We will email you about it."
            )
            return redirect(enrollment)
    return render(
        request,
        "programs/apply.html",
        {"program": program, "role": Role(role), "form": form, "profile": profile, "invitation": invitation},
    )


@login_required
def enrollment_detail(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    enrollment = selectors.enrollments_of(request.user).get(pk=enrollment.pk)
    return render(
        request,
        "programs/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "missing": selectors.missing_for(enrollment),
            "history": enrollment.status_changes.all(),
            "answers": enrollment.answers.select_related("question"),
            "guardian_form": GuardianForm(
                initial={
                    "guardian_name": enrollment.guardian_name,
                    "guardian_email": enrollment.guardian_email,
                }
            ),
        },
    )


@login_required
@require_POST
def enrollment_withdraw(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    try:
        services.enrollment_withdraw(
            enrollment=enrollment, by=request.user, note=request.POST.get("note", "")[:1000]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have withdrawn from {enrollment.program.name}.")
    return redirect(enrollment)


@login_required
@require_POST
def enrollment_guardian(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    form = GuardianForm(request.POST)
    if form.is_valid():
        try:
            services.guardian_request_consent(
                enrollment=enrollment,
                name=form.cleaned_data["guardian_name"],
                email=form.cleaned_data["guardian_email"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "We have emailed your parent or guardian to ask for their consent.")
        return redirect(enrollment)
    enrollment = selectors.enrollments_of(request.user).get(pk=enrollment.pk)
    return render(
        request,
        "programs/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "missing": selectors.missing_for(enrollment),
            "history": enrollment.status_changes.all(),
            "answers": enrollment.answers.select_related("question"),
            "guardian_form": form,
        },
        status=400,
    )


def guardian_consent(request, token):
    """The page a guardian reaches from the consent email (no account needed: the token is the key)."""
    enrollment = get_enrollment_by_guardian_token(token)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.guardian_answer(enrollment=enrollment, consent=form.cleaned_data["consent"])
        return render(request, "programs/guardian_consent_done.html", {"enrollment": enrollment})
    return render(request, "programs/guardian_consent.html", {"enrollment": enrollment, "form": form})
