"""A planned meeting that did not happen, logged in one click from its prompt ("We didn't meet").

The full form ("Log it") is the usual check-in form with ?meeting=<id> (evaluation/views/pairs.py).
"""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluation import services
from evaluation.meeting_prompts import CHECKIN_MODE
from matching.access import get_meeting_for
from mentorship.web import act, redirect_next


@login_required
@require_POST
def meeting_missed(request, pk):
    """One of the pair logs the meeting as missed (a check-in with held=False): it counts as
    contact for the reminders, and the prompt goes away. A second time is refused with a reason."""
    meeting = get_meeting_for(request.user, pk)
    match = meeting.match
    act(
        request,
        partial(
            services.checkin_log,
            match=match,
            by=request.user,
            occurred_on=timezone.localdate(meeting.starts_at),
            held=False,
            mode=CHECKIN_MODE[meeting.mode],
            meeting=meeting,
        ),
        done="Logged as missed. Plan another meeting when you can.",
    )
    return redirect_next(request, reverse("evaluation:pair", args=[match.pk]))


urlpatterns = [
    path("meetings/<int:pk>/missed/", meeting_missed, name="meeting_missed"),
]
