"""The dashboard's "Surveys to answer" and coordinators' "To do" panels (see
settings.DASHBOARD_PANELS)."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from evaluation import recognition, todo
from evaluation.models import participant_title
from evaluation.selectors import surveys_due
from matching.models import Match
from matching.selectors import in_pair
from programs.limited import limited_first_name


def my_surveys(request):
    mine = Match.objects.filter(in_pair(request.user))
    due = surveys_due(mine, on=timezone.localdate(), user=request.user)
    partners = [survey.match.mentor if survey.role == "mentee" else survey.match.mentee for survey in due]
    prefetch_related_objects(partners, "user__profile")  # their first names, in two queries
    links = []
    for survey, partner in zip(due, partners, strict=True):
        url = reverse("evaluation:survey", args=[survey.match.pk, survey.kind])
        if survey.period:
            url += f"?period={survey.period}"
        # The participant's title, in plain words (evaluation.models.PARTICIPANT_TITLES).
        title = participant_title(survey.kind, partner=limited_first_name(partner))
        links.append({"survey": survey, "url": url, "title": title})
    return {"template": "evaluation/_panel_my_surveys.html", "due": links}


# The inactive people the "To do" panel names per program (the longest unseen; the others counted).
INACTIVE_SHOWN = 20


def coordinator_todo(request):
    """The coordinator's "To do" panel: what waits for them in each program they run, each a count
    with a link (evaluation/todo.py, the same list as their daily email). Nothing for others. Only
    what it shows is loaded: the counts, and the first INACTIVE_SHOWN inactive people of each
    program (not the pairs at risk, which the email names)."""
    user = request.user
    runs = user.coordinated_programs.exists()
    on = timezone.localdate()
    return {
        "template": "evaluation/_panel_todo.html",
        "runs": runs,
        "sections": todo.coordinator_todo(user, on=on, pairs=False, shown=INACTIVE_SHOWN) if runs else [],
    }


def my_milestones(request):
    """Mentors' and mentees' "Your milestones" panel: the milestones reached and the next one
    (evaluation/recognition.py), thank-you notes to put away, and mentors' certificates of service.
    Hidden for someone with none of these."""
    found = recognition.milestones_for(request.user)
    notes = recognition.thank_yous_for(request.user)
    shown = found["reached"] or found["has_relationship"] or found["mentor_enrollments"] or notes
    return {"template": "evaluation/recognition/_panel_milestones.html", "hidden": not shown,
            "thank_yous": notes, **found}  # fmt: skip
