"""Reports: KPI dashboards (a program's, and staff's across programs), the definitions page, and
exports (per program for its coordinators, across programs for staff) with the user's export list.

Who sees what: a program's reports and exports answer its coordinators and staff only; the
cross-program ones staff only; anyone else gets 404, so that nothing leaks. The definitions page
is public: it holds no data, and funders and partners may be sent to it.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from evaluation import comparison as side_by_side
from evaluation import export_tasks, exports, kpis
from evaluation.access import get_export_for
from evaluation.charts import funnel_chart_of, report_charts, retention_curve_chart
from evaluation.kpis import trends
from evaluation.models import ExportRecord, ExportStatus
from evaluation.partner_reports import partner_choices, partner_slice
from evaluation.selectors import pairs_at_risk
from matching.models import Match
from mentorship.forms import DateInput
from mentorship.queue import enqueue
from mentorship.services import audit_record
from programs.access import get_program_for
from programs.models import Program

AT_RISK_SHOWN = 50
# The cross-program table's columns: the figures staff compare programs on, (key, segment).
COMPARED = [
    ("approved", "mentee"),
    ("mentees_matched", ""),
    ("time_to_match", ""),
    ("active_matches", ""),
    ("meetings", ""),
    ("compliance", ""),
    ("satisfaction", "mentee"),
    ("retention", "6 months"),
    ("early_closure", ""),
    ("trained_before_match", ""),
    ("training_hours", ""),
    ("groups_running", ""),
    ("group_attendance", ""),
    ("group_retention", "6 months"),
    ("events_held", ""),
    ("event_attendance", ""),
]
EARLIEST = dt.date(2000, 1, 1)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportPeriodForm(forms.Form):
    """The reporting date D and the period; empty fields take the defaults (today, the 12 months
    up to D)."""

    on = forms.DateField(label="Reporting date", required=False, widget=DateInput())
    start = forms.DateField(label="Period from", required=False, widget=DateInput())
    end = forms.DateField(
        label="Period to", required=False, widget=DateInput(), help_text="On or before the reporting date."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        on = timezone.localdate()
        start, end = kpis.default_period(on)
        self.initial = {"on": on, "start": start, "end": end, **self.initial}

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("on", "start", "end"):
            if data.get(name) and data[name] < EARLIEST:
                self.add_error(name, f"Choose a date from {EARLIEST:%Y} on.")
        if self.errors:
            # The defaults below are date arithmetic, which fails near the calendar's first year.
            return data
        on = data.get("on") or today
        end = data.get("end") or on
        start = data.get("start") or kpis.default_period(end)[0]
        if on > today:
            self.add_error("on", "The reporting date cannot be in the future.")
        if end > on:
            self.add_error("end", "The period must end on or before the reporting date.")
        if start > end:
            self.add_error("start", "The period must start before it ends.")
        if start < EARLIEST:  # a default start, from an end early in EARLIEST's year
            self.add_error("start", f"Choose a date from {EARLIEST:%Y} on.")
        data.update(on=on, start=start, end=end)
        return data

    @property
    def period(self):
        return {key: self.cleaned_data[key] for key in ("on", "start", "end")}


class ExportForm(ReportPeriodForm):
    dataset = forms.ChoiceField(
        label="What to export",
        choices=[(d.key, d.name) for d in exports.DATASETS.values()],
        widget=forms.RadioSelect,
        initial="kpis",
    )
    file_format = forms.ChoiceField(
        label="File format", choices=list(exports.FORMATS.items()), widget=forms.RadioSelect, initial="csv"
    )

    field_order = ["dataset", "file_format", "on", "start", "end"]


def _period_form(request):
    """The period form, bound; once valid, rebound to the dates it resolved to (defaults filled in)
    so that the page shows what it reports on."""
    form = ReportPeriodForm(request.GET or {})
    if form.is_valid():
        form = ReportPeriodForm({key: value.isoformat() for key, value in form.period.items()})
        form.is_valid()
    return form


def _staff_only(user):
    if not user.is_staff:
        raise Http404("No such page.")


# --- Dashboards ---------------------------------------------------------------------------------------


@login_required
def program_dashboard(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return _dashboard(
        request,
        programs=Program.objects.filter(pk=program.pk),
        program=program,
        sliced=partner_slice(program, request.GET.get("partner")),
    )


@login_required
def staff_dashboard(request):
    _staff_only(request.user)
    return _dashboard(request, programs=Program.objects.all(), program=None)


def _dashboard(request, *, programs, program, sliced=(None, None)):
    """The same page for one program or all: a fixed number of queries whatever the size (the
    KPIs' aggregates, the at-risk pairs in one annotated query; for staff, the programs and the
    same aggregates per program, each in one query)."""
    form = _period_form(request)
    report = charts = None
    listed = None if program else list(programs.order_by("name"))
    comparison = None
    partner, people = sliced  # a partner's people only (evaluation/partner_reports.py)
    if form.is_valid():
        report = kpis.compute(programs, **form.period, people=people)
        ids = [program.pk] if program else [p.pk for p in listed]
        charts = report_charts(report) + [
            funnel_chart_of(trends.funnel_of(report), start=form.period["start"], end=form.period["end"]),
            retention_curve_chart(ids, on=form.period["on"], people=people),
        ]
        if not program:
            # One program: its row is the total (the same queries scoped to it), not counted twice.
            if len(listed) == 1:
                by_program = {listed[0].pk: report}
            else:
                by_program = kpis.compute_by_program(programs, **form.period)
            comparison = _comparison(listed, report, by_program)
    matches = Match.objects.filter(program=program) if program else Match.objects.all()
    if partner is not None:
        matches = matches.filter(Q(mentee__partner=partner) | Q(mentor__partner=partner))
    at_risk = pairs_at_risk(matches, on=timezone.localdate(), limit=AT_RISK_SHOWN)
    if program:
        export_url = reverse("evaluation:program_export", args=[program.slug])
    else:
        export_url = reverse("evaluation:staff_export")
    # The groups' section: for group and peer-circle programs, and any whose groups have figures.
    programs_with_groups = [program] if program else listed
    show_groups = any(p.has_groups for p in programs_with_groups) or bool(report and report.has_groups)
    return render(
        request,
        "evaluation/report_dashboard.html",
        {
            "program": program,
            "groups_first": bool(program and program.has_groups),
            "programs": listed,
            "comparison": comparison,
            "form": form,
            "report": report,
            "charts": charts,
            "at_risk": at_risk,
            "at_risk_count": at_risk.total,
            "export_url": export_url,
            "show_groups": show_groups,
            "query": request.GET.urlencode(),
            "partner": partner,
            "partner_choices": partner_choices(program),
        },
    )


def _comparison(programs, total, by_program):
    """The cross-program table: the COMPARED figures' headings, then a row per program and the
    total row, each (program or None, [figures])."""
    headings = [total.get(key, segment).label for key, segment in COMPARED]
    rows = [(p, [by_program[p.pk].get(key, segment) for key, segment in COMPARED]) for p in programs]
    return {"headings": headings, "rows": rows, "total": [total.get(k, s) for k, s in COMPARED]}


def definitions(request):
    return render(
        request,
        "evaluation/definitions.html",
        {
            "definitions": kpis.DEFINITIONS,
            "equity_definitions": kpis.definitions.EQUITY_DEFINITIONS,
            "datasets": exports.DATASETS.values(),
            "few": kpis.FEW,
            "match_days": kpis.MATCH_DAYS,
        },
    )


# --- Exports --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def program_export(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    sliced = partner_slice(program, request.POST.get("partner") or request.GET.get("partner"))
    return _export(request, programs=Program.objects.filter(pk=program.pk), program=program, sliced=sliced)


@require_http_methods(["GET", "POST"])
@login_required
def staff_export(request):
    _staff_only(request.user)
    return _export(request, programs=Program.objects.all(), program=None)


def _export(request, *, programs, program, sliced=(None, None)):
    partner, people = sliced
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            scope = exports.Scope.for_programs(
                programs, program=program, partner=partner, people=people, **form.period
            )
            return _export_response(
                request,
                scope=scope,
                dataset=form.cleaned_data["dataset"],
                file_format=form.cleaned_data["file_format"],
            )
    else:
        form = ExportForm(
            initial={key: request.GET.get(key) for key in ("on", "start", "end") if request.GET.get(key)}
        )
    return render(
        request,
        "evaluation/export_page.html",
        {
            "program": program,
            "form": form,
            "datasets": exports.DATASETS.values(),
            "limit": exports.XLSX_IN_REQUEST_ROWS,
            "partner": partner,
        },
    )


def _audit_export(request, record, action):
    """Row-level datasets hold people's data: each export of one is on the audit trail (the KPI
    summary is figures only). Not in a try: no row, no file."""
    if record.dataset != exports.KPIS.key:
        label = record.parameters.get("label", "")
        summary = f"{record.dataset}.{record.file_format} {label}".strip()
        audit_record(actor=request.user, action=action, target=record, summary=summary, request=request)


def _export_response(request, *, scope, dataset, file_format):
    """CSV streams; a small XLSX is built here; a big one by a worker (after commit), and the
    person is sent to their exports page to pick it up."""
    user = request.user
    name = exports.filename(dataset, scope, file_format)
    if file_format == "csv":
        record = exports.export_record_create(
            user=user, scope=scope, dataset=dataset, file_format="csv", status=ExportStatus.RUNNING
        )
        _audit_export(request, record, "export.requested")
        response = StreamingHttpResponse(
            exports.csv_stream(record=record, scope=scope), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    rows = exports.count_rows(exports.DATASETS[dataset], scope)
    if rows <= exports.XLSX_IN_REQUEST_ROWS:
        record = exports.export_record_create(
            user=user, scope=scope, dataset=dataset, file_format="xlsx", status=ExportStatus.RUNNING
        )
        _audit_export(request, record, "export.requested")
        content = exports.xlsx_in_request(record=record, scope=scope)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    with transaction.atomic():
        record = exports.export_record_create(
            user=user, scope=scope, dataset=dataset, file_format="xlsx", status=ExportStatus.QUEUED
        )
        _audit_export(request, record, "export.requested")
        enqueue(export_tasks.build_export, record.pk)
    messages.success(
        request,
        f"{rows:,} rows: the workbook is being built. "
        "It appears below with a download link when it is ready.",
    )
    return redirect("evaluation:exports")


@login_required
def export_list(request):
    records = ExportRecord.objects.filter(requested_by=request.user).select_related("program")[:50]
    names = {key: d.name for key, d in exports.DATASETS.items()}
    names["funder_report"] = "Funder report"  # a PDF (evaluation/funder_report.py), not a dataset
    names[side_by_side.DATASET] = side_by_side.DATASET_NAME
    rows = [
        {
            "record": record,
            "name": names.get(record.dataset, record.dataset),
            "scope": record.parameters.get("label", ""),
            "pending": record.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
            "downloadable": bool(record.file) and record.status == ExportStatus.DONE,
        }
        for record in records
    ]
    building = any(row["pending"] for row in rows)
    # The way back: the reports these exports came from.
    programs = list({r.program_id: r.program for r in records if r.program_id}.values())
    context = {"rows": rows, "building": building, "programs": programs}
    return render(request, "evaluation/export_list.html", context)


@login_required
def export_download(request, pk):
    record = get_export_for(request.user, pk)
    file_path = exports.export_file_path(record)
    if file_path is None:
        raise Http404("This export has no file (yet).")
    _audit_export(request, record, "export.downloaded")
    return FileResponse(open(file_path, "rb"), as_attachment=True, filename=exports.download_name(record))


urlpatterns = [
    path("programs/<slug:slug>/reports/", program_dashboard, name="program_dashboard"),
    path("programs/<slug:slug>/reports/export/", program_export, name="program_export"),
    path("reports/", staff_dashboard, name="staff_dashboard"),
    path("reports/export/", staff_export, name="staff_export"),
    path("reports/definitions/", definitions, name="definitions"),
    path("exports/", export_list, name="exports"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
]
