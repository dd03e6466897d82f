"""Breaks: the participant on their application page, or a coordinator on the applicant page,
starts one (until a date) or ends it. The break itself is programs.breaks; starting one here also
closes the person's open match requests (matching.services.enrollment_break_start)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from matching import services
from mentorship.forms import DateInput
from mentorship.web import act, message_error
from programs.access import get_applicant_for, get_own_enrollment_for, get_program_for
from programs.breaks import break_end


class BreakForm(forms.Form):
    until = forms.DateField(label="Take a break until", widget=DateInput())


def _break_action(request, enrollment):
    if "end" in request.POST:
        act(
            request,
            lambda: break_end(enrollment=enrollment, by=request.user),
            done="The break is over: welcome back.",
        )
        return
    form = BreakForm(request.POST)
    if not form.is_valid():
        message_error(request, "Choose a return date after today.")
        return
    until = form.cleaned_data["until"]
    act(
        request,
        lambda: services.enrollment_break_start(enrollment=enrollment, until=until, by=request.user),
        done=f"On a break until {until:%-d %b %Y}: no matching or reminders until then.",
    )


@login_required
@require_POST
def own_break(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    _break_action(request, enrollment)
    return redirect(enrollment)


@login_required
@require_POST
def applicant_break(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    _break_action(request, enrollment)
    return redirect("programs:applicant", slug=program.slug, pk=enrollment.pk)
