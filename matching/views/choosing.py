"""Participants choose (programs in that mode): a mentee's suggestions and requests to mentors,
the mentor's answers and availability."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from matching import services
from matching.access import (
    get_own_mentee_enrollment,
    get_own_mentor_enrollment,
    get_request_for,
)
from matching.forms import RequestForm
from matching.models import (
    OPEN_MATCH_STATUSES,
    Match,
    MatchRequest,
    RequestStatus,
)
from matching.reasons import attach_reasons, pair_reasons
from mentorship.web import message_error
from programs.models import MatchingMode


@login_required
def choose(request, pk):
    """A mentee in a "participants choose" program sees up to five suggested mentors and asks one."""
    mentee = get_own_mentee_enrollment(request.user, pk)
    if mentee.program.matching_mode != MatchingMode.PARTICIPANTS:
        raise Http404("This program's coordinators make the matches.")
    pending = (
        MatchRequest.objects.filter(mentee=mentee, status=RequestStatus.PENDING)
        .select_related("mentor__user")
        .first()
    )
    has_match = Match.objects.filter(mentee=mentee, status__in=OPEN_MATCH_STATUSES).exists()
    choices = [] if (pending or has_match) else services.choices_for(mentee=mentee, limit=5)
    # What the two have in common, as far as the mentee may see of a mentor (no distance).
    reasons = pair_reasons([(mentee, mentor) for mentor, _ in choices], limited=True)
    choices = [(mentor, score, why) for (mentor, score), why in zip(choices, reasons, strict=True)]
    form = RequestForm(request.POST or None, mentors=[m for m, _, _ in choices])
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(
                mentee=mentee,
                mentor=form.cleaned_data["mentor"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as error:
            message_error(request, error)
        else:
            messages.success(request, "Your request is sent; we will email you with the mentor's answer.")
        return redirect("matching:choose", pk=pk)
    return render(
        request,
        "matching/choose.html",
        {"mentee": mentee, "choices": choices, "pending": pending, "has_match": has_match, "form": form},
    )


@login_required
def requests(request):
    """A mentor's incoming requests, and a mentee's sent ones."""
    incoming = attach_reasons(
        MatchRequest.objects.filter(mentor__user=request.user).select_related(
            "program", "mentee__user__profile", "mentor__user__profile"
        ),
        limited=True,  # a mentee as far as their mentor may see of them: no age, no distance
    )
    outgoing = MatchRequest.objects.filter(mentee__user=request.user).select_related(
        "program", "mentor__user"
    )
    return render(request, "matching/requests.html", {"incoming": incoming, "outgoing": outgoing})


@login_required
@require_POST
def request_decide(request, pk):
    match_request = get_request_for(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        match = services.request_decide(request=match_request, by=request.user, accept=accept)
    except (ValidationError, PermissionDenied) as error:
        message_error(request, error)
        return redirect("matching:requests")
    if match:
        messages.success(request, "You accepted; please confirm the match agreement.")
        return redirect(match)
    messages.success(request, "You declined the request.")
    return redirect("matching:requests")


@login_required
@require_POST
def request_withdraw(request, pk):
    match_request = get_request_for(request.user, pk)
    try:
        services.request_withdraw(request=match_request, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("matching:choose", pk=match_request.mentee_id)


class AvailabilityForm(forms.Form):
    accepting = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes")


@login_required
@require_POST
def mentor_availability(request, pk):
    enrollment = get_own_mentor_enrollment(request.user, pk)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.mentor_set_accepting(
                enrollment=enrollment, accepting=form.cleaned_data["accepting"], by=request.user
            )
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(
                request,
                "You are open to new matches."
                if form.cleaned_data["accepting"]
                else "You will not be offered new matches until you say so.",
            )
    return redirect(enrollment)
