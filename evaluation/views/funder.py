"""The funder report: a program's key figures, charts, equity summary, events and featured stories, as
a web page and a worker-built PDF.

The page is live (it reads the figures and the stories as it renders: a withdrawn story is gone at
once) and prints cleanly. "Download PDF" queues a build (an ExportRecord, sent to a worker after
commit: the request never waits on the broker) and sends the coordinator to a progress page that
refreshes itself until the file is ready; the download is the exports' own (audited).
Program coordinators and staff only; anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from evaluation import funder_report
from evaluation.access import get_export_for
from evaluation.funder_equity import equity_tables
from evaluation.models import ExportStatus
from evaluation.views.reports import ReportPeriodForm, _period_form
from programs.access import get_program_for

REFRESH_SECONDS = 3


def _page(request, program, form, *, status=200):
    report = None
    if form.is_valid():
        report = funder_report.build_report(program, **form.period)
    context = {
        "program": program,
        "form": form,
        "report": report,
        "equity": equity_tables(report.equity) if report else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "evaluation/funder/report.html", context, status=status)


@login_required
def funder_report_page(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return _page(request, program, _period_form(request))


@login_required
@require_POST
def funder_report_pdf(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ReportPeriodForm(request.POST)
    if not form.is_valid():
        return _page(request, program, form, status=400)
    record = funder_report.funder_pdf_request(
        user=request.user, program=program, **form.period, request=request
    )
    messages.success(request, "The PDF is being built. This page shows how far it has got.")
    return redirect("evaluation:funder_report_progress", slug=program.slug, pk=record.pk)


@login_required
def funder_report_progress(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    record = get_export_for(request.user, pk)
    if record.dataset != funder_report.DATASET or record.program_id != program.pk:
        raise Http404("No such report.")
    pending = record.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    context = {
        "program": program,
        "record": record,
        "pending": pending,
        "refresh": REFRESH_SECONDS,
        "parameters": record.parameters,
        "downloadable": record.status == ExportStatus.DONE and bool(record.file),
    }
    return render(request, "evaluation/funder/progress.html", context)


urlpatterns = [
    path("programs/<slug:slug>/reports/funder/", funder_report_page, name="funder_report"),
    path("programs/<slug:slug>/reports/funder/pdf/", funder_report_pdf, name="funder_report_pdf"),
    path(
        "programs/<slug:slug>/reports/funder/pdf/<int:pk>/",
        funder_report_progress,
        name="funder_report_progress",
    ),
]
