"""Pages for everyone: the program list and page, applying, and an applicant's own application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.services import profile_set_date_of_birth
from mentorship.steps import GAP_DATE_OF_BIRTH, profile_gaps_of
from mentorship.web import message_error
from programs import guardians, invitations, selectors, services
from programs.access import (
    can_manage,
    get_consent_by_token,
    get_current_consent_by_manage_token,
    get_own_enrollment_for,
    get_program_for,
)
from programs.applicants import enrollment_acknowledge
from programs.forms import (
    ApplicationForm,
    ConsentForm,
    EnrollmentAreaForm,
    GuardianForm,
    WithdrawConsentForm,
)
from programs.models import Enrollment, Role, Source


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
    """The invitation this visitor is applying through, if it is still good and theirs: a link
    forwarded to (or left in the session of) another account opens nothing."""
    return invitations.invitation_usable(
        token=request.session.get("invitation_token"), program=program, role=role, user=request.user
    )


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
                    source=invitation.source if invitation else Source.APPLIED,
                    capacity=data.get("capacity"),
                    guardian_name=data.get("guardian_name", ""),
                    guardian_email=data.get("guardian_email", ""),
                    area_name=data.get("area_name", ""),
                    partner=data.get("partner"),
                )
                if invitation:
                    services.invitation_mark_accepted(invitation=invitation, enrollment=enrollment)
                    request.session.pop("invitation_token", None)
                enrollment_acknowledge(enrollment=enrollment)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Your application to {program.name} is in. We will email you about it."
            )
            return redirect(enrollment)
    # Whoever arrives (from the public page or an invitation) is asked first to complete what
    # matching reads (mentorship.steps.profile_gaps); the date of birth, if missing, the form asks.
    gaps = [
        gap
        for gap in profile_gaps_of(request.user, role=role)
        if not (gap == GAP_DATE_OF_BIRTH and "date_of_birth" in form.fields)
    ]
    return render(
        request,
        "programs/apply.html",
        {
            "program": program,
            "role": Role(role),
            "form": form,
            "profile": profile,
            "invitation": invitation,
            "profile_gaps": gaps,
        },
    )


def _enrollment_page(request, enrollment, *, guardian_form=None, status=200):
    """The applicant's own page (also shown again, 400, with a guardian form's errors)."""
    enrollment = selectors.enrollments_of(request.user).get(pk=enrollment.pk)
    if guardian_form is None:
        # Once a guardian was asked, the form asks the coordinators for a change: empty.
        initial = {"guardian_name": enrollment.guardian_name, "guardian_email": enrollment.guardian_email}
        guardian_form = GuardianForm(initial=None if enrollment.guardian_asked_at else initial)
    context = {
        "enrollment": enrollment,
        "missing": selectors.missing_for(enrollment),
        "history": enrollment.status_changes.all(),
        "answers": enrollment.answers.select_related("question"),
        "guardian_form": guardian_form,
        "area_form": EnrollmentAreaForm(
            program=enrollment.program, initial={"area_name": enrollment.area_name}
        ),
    }
    return render(request, "programs/enrollment_detail.html", context, status=status)


@login_required
def enrollment_detail(request, pk):
    return _enrollment_page(request, get_own_enrollment_for(request.user, pk))


@login_required
@require_POST
def enrollment_withdraw(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    try:
        services.enrollment_withdraw(
            enrollment=enrollment, by=request.user, note=request.POST.get("note", "")[:1000]
        )
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, f"You have withdrawn from {enrollment.program.name}.")
    return redirect(enrollment)


@login_required
@require_POST
def enrollment_area(request, pk):
    """The applicant changes the program area they chose: what a match partner sees of where
    they are."""
    enrollment = get_own_enrollment_for(request.user, pk)
    form = EnrollmentAreaForm(request.POST, program=enrollment.program)
    if form.is_valid():
        area_name = form.cleaned_data["area_name"]
        services.enrollment_set_area(enrollment=enrollment, area_name=area_name)
        messages.success(
            request, f"Your area is now {area_name}." if area_name else "You no longer show an area."
        )
    else:
        messages.error(request, " ".join(form.errors["area_name"]))
    return redirect(enrollment)


@login_required
@require_POST
def enrollment_guardian(request, pk):
    """The applicant names a parent or guardian. Once one has been asked, only a coordinator can
    change them: the applicant's new name and address go to the coordinators as a request."""
    enrollment = get_own_enrollment_for(request.user, pk)
    form = GuardianForm(request.POST)
    if form.is_valid():
        name, email = form.cleaned_data["guardian_name"], form.cleaned_data["guardian_email"]
        try:
            if enrollment.guardian_asked_at is None:
                guardians.guardian_request_consent(
                    enrollment=enrollment, name=name, email=email, by=request.user
                )
                done = "We have emailed your parent or guardian to ask for their consent."
            else:
                guardians.guardian_change_request(
                    enrollment=enrollment, name=name, email=email, by=request.user
                )
                done = "We have passed your request to the coordinators: they will check it with your family."
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(request, done)
        return redirect(enrollment)
    return _enrollment_page(request, enrollment, guardian_form=form, status=400)


def _guardian_page_context(consent, **extra):
    program = consent.enrollment.program
    return {
        "consent": consent,
        "enrollment": consent.enrollment,
        "program": program,
        "checklist": program.checklist_items.current(),
        "coordinators": program.coordinators.select_related("profile"),
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_consent(request, token):
    """The page a guardian reaches from the consent email (no account: the token is the key). The
    link answers once, until it expires, unless a newer request replaced it."""
    consent = get_consent_by_token(token)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and consent.can_answer() and form.is_valid():
        try:
            data = form.cleaned_data
            consent = guardians.guardian_answer(
                consent=consent,
                given=data["consent"],
                signed_name=data["signed_name"],
                relationship=data["relationship"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "programs/guardian_consent_done.html", _guardian_page_context(consent))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "programs/guardian_consent.html", _guardian_page_context(consent, form=form), status=status
    )


@never_cache
def guardian_page(request, token):
    """The guardian's own page, linked from every guardian email: the news of the mentee's match
    first (it is what the "has started" email sends them to), then their answer, and the ways to
    raise a concern or withdraw it."""
    consent = get_current_consent_by_manage_token(token)
    news = guardians.guardian_news(consent.enrollment)
    return render(request, "programs/guardian_page.html", _guardian_page_context(consent, news=news))


@never_cache
@require_http_methods(["GET", "POST"])
def guardian_withdraw(request, token):
    consent = get_current_consent_by_manage_token(token)
    if not consent.can_withdraw():
        messages.info(request, "There is no consent to withdraw.")
        return redirect("programs:guardian", token=token)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guardians.guardian_withdraw(consent=consent)
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(
                request,
                "Your consent is withdrawn. The mentoring is paused and the coordinators have been told.",
            )
        return redirect("programs:guardian", token=token)
    status = 400 if request.method == "POST" else 200
    context = _guardian_page_context(consent, form=form)
    return render(request, "programs/guardian_withdraw.html", context, status=status)
