"""The equity report: representation and outcomes by self-described group, small cells suppressed.

A program's coordinators and staff only (anyone else: 404). Nobody's answer is shown: only groups,
and any figure resting on fewer than 5 people is hidden (evaluation/equity.py)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from evaluation import equity
from evaluation.charts import outcomes_by_group_chart
from evaluation.views.reports import ReportPeriodForm
from programs import demographics
from programs.access import get_program_for

CHARTED = ("Retention at 6 months", "Early closure rate")


class EquityForm(ReportPeriodForm):
    question = forms.TypedChoiceField(label="Question", coerce=int, required=False)
    role = forms.ChoiceField(
        label="Outcomes of the matches of",
        choices=[("mentee", "Mentees in the group"), ("mentor", "Mentors in the group")],
        required=False,
    )

    field_order = ["question", "role", "on", "start", "end"]

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            (q.pk, f"{q.label}{' (no longer asked)' if q.archived_at else ''}") for q in questions
        ]
        if questions:
            self.initial.setdefault("question", questions[0].pk)
        self.initial.setdefault("role", "mentee")


@login_required
@require_safe
def equity_report(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    questions = list(demographics.questions_of(program, include_retired=True))
    form = EquityForm(request.GET or {}, questions=questions)
    context = {"program": program, "form": form, "questions": questions, "report": None}
    if questions and form.is_valid():
        data = form.cleaned_data
        question = {q.pk: q for q in questions}.get(data.get("question")) or questions[0]
        role = data.get("role") or "mentee"
        report = equity.equity_report(program, question, role=role, **form.period)
        charts = [
            outcomes_by_group_chart(report["outcomes"], heading, chart_id=f"equity-chart-{k}")
            for k, heading in enumerate(CHARTED)
            if heading in report["outcomes"].columns
        ]
        context.update(question=question, role=role, report=report, charts=charts, period=form.period)
    return render(request, "evaluation/equity.html", context)


urlpatterns = [
    path("programs/<slug:slug>/reports/equity/", equity_report, name="equity"),
]
