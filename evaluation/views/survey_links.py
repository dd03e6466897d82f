"""A survey answered from its emailed link, without signing in (evaluation/invitations.py).

The link is its own key, like a guardian's consent link: it opens one survey for one person, and
only while that survey is open (its window, evaluation.selectors.SURVEY_WINDOW_DAYS). A wrong
token, a survey whose window is over, or an account that is closed answers 404. The answer is the
invitation's person's, whoever holds the link; the rules are ``services.survey_answer``'s. The
token is redacted from the logs (mentorship/logs.py).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evaluation import services
from evaluation.forms import SURVEY_INTROS, SurveyForm
from evaluation.invitations import invitation_for_token
from evaluation.models import SurveyKind, SurveyResponse, participant_title
from evaluation.selectors import surveys_due
from evaluation.services import SELF_ASSESSMENTS
from matching.models import Match
from mentorship.web import form_errors


def _load(token):
    on = timezone.localdate()
    invitation = invitation_for_token(token, on=on)
    if invitation is None:
        raise Http404("This survey link is not valid, or the survey has closed.")
    return invitation, on


def _is_due(invitation, on):
    due = surveys_due(Match.objects.filter(pk=invitation.match_id), on=on, user=invitation.respondent)
    return any(d.kind == invitation.kind and d.period == invitation.period for d in due)


def _partner_role(match, person):
    return "mentor" if match.side_of(person).role == "mentee" else "mentee"


@never_cache
@require_http_methods(["GET", "POST"])
def survey_link(request, token):
    invitation, on = _load(token)
    match, person = invitation.match, invitation.respondent
    context = {
        "invitation": invitation,
        "program": match.program,
        # No partner's name: whoever holds the link may read it (evaluation/invitations.py).
        "title": participant_title(invitation.kind, partner_role=_partner_role(match, person)),
        "period": invitation.period,
    }
    answered = SurveyResponse.objects.filter(
        match=match, respondent=person, kind=invitation.kind, period=invitation.period
    ).exists()
    if answered:
        return render(request, "evaluation/survey_link_done.html", {**context, "already": True})
    if not _is_due(invitation, on):
        raise Http404("This survey is not open any more.")
    kind = invitation.kind
    skills = services.self_assessment_skills(match=match) if kind in SELF_ASSESSMENTS else ()
    role = _partner_role(match, person)
    data = request.POST if request.method == "POST" else None  # an empty POST is refused, not ignored
    form = SurveyForm(data, kind=kind, skills=skills, partner_role=role)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                match=match, by=person, kind=kind, period=invitation.period, **form.answer()
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return render(request, "evaluation/survey_link_done.html", context)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "evaluation/survey_form.html",
        {
            **context,
            "match": match,
            "form": form,
            "intro": SURVEY_INTROS[SurveyKind(kind)],
            "partner_role": role,
            "keyed": True,
        },
        status=status,
    )


urlpatterns = [
    path("surveys/answer/<str:token>/", survey_link, name="survey_link"),
]
