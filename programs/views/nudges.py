"""A coordinator nudges someone inactive (programs.nudges), with one click from their to-do list
(evaluation/todo.py), then goes back where they clicked."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentorship.web import act, redirect_next
from programs.access import get_applicant_for, get_program_for
from programs.nudges import nudge_send


@login_required
@require_POST
def applicant_nudge(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    act(
        request,
        lambda: nudge_send(enrollment=enrollment, by=request.user),
        done=f"{enrollment.user.display_name} is nudged: a friendly email from you is on its way.",
    )
    return redirect_next(request, reverse("dashboard"))
