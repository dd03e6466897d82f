"""The dashboard's "Surveys to answer" panel (see settings.DASHBOARD_PANELS)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evaluation.selectors import surveys_due
from matching.models import Match


def my_surveys(request):
    mine = Match.objects.filter(Q(mentee__user=request.user) | Q(mentor__user=request.user))
    due = surveys_due(mine, on=timezone.localdate(), user=request.user)
    links = []
    for survey in due:
        url = reverse("evaluation:survey", args=[survey.match.pk, survey.kind])
        if survey.period:
            url += f"?period={survey.period}"
        links.append({"survey": survey, "url": url})
    return {"template": "evaluation/_panel_my_surveys.html", "due": links}
