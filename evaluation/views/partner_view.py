"""A partner contact's read-only page: aggregate figures for the people their organisation
brought (evaluation/partner_reports.py), never a name. The program's coordinators and staff may
preview it; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from evaluation.partner_reports import MINIMUM, get_partner_report_for, partner_figures
from evaluation.views.reports import _period_form


@require_safe
@login_required
def partner_report(request, pk):
    partner, preview = get_partner_report_for(request.user, pk)
    form = _period_form(request)
    figures = partner_figures(partner, **form.period) if form.is_valid() else None
    context = {
        "partner": partner,
        "program": partner.program,
        "preview": preview,
        "form": form,
        "figures": figures,
        "minimum": MINIMUM,
    }
    return render(request, "evaluation/partner_report.html", context)


urlpatterns = [
    path("partners/<int:pk>/", partner_report, name="partner_report"),
]
