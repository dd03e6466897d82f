"""The programs compared (staff only; anyone else gets 404): every figure of the data dictionary for
each program, with its trend on the previous period of equal length, sorted by any column, and the
same table as CSV or XLSX. The table itself is built by evaluation/comparison.py.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from evaluation import comparison as side_by_side
from evaluation import exports
from evaluation.views.reports import XLSX_TYPE, ReportPeriodForm, _period_form, _staff_only
from programs.models import Program


class ComparedExportForm(ReportPeriodForm):
    file_format = forms.ChoiceField(
        label="File format",
        choices=list(exports.FORMATS.items()),
        error_messages={"required": "Choose CSV or Excel (XLSX)."},
    )
    sort = forms.CharField(required=False, max_length=60)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)


@login_required
def programs_compared(request):
    """Every figure of each program, with its trend on the previous period, sorted by any column."""
    _staff_only(request.user)
    return _compared_page(request, _period_form(request), request.GET)


def _compared_page(request, form, ordering, *, export_form=None, status=200):
    """The page; ``ordering`` holds "sort" and "dir". Four reports' queries whatever the number of
    programs, two for a single one (evaluation/comparison.py)."""
    compared = headers = None
    if form.is_valid():
        compared = side_by_side.compare(
            Program.objects.all(), **form.period,
            sort=ordering.get("sort") or side_by_side.NAME, descending=ordering.get("dir") == "desc",
        )  # fmt: skip
        headers = _sort_headers(compared, form.period)
    context = {"form": form, "compared": compared, "headers": headers, "export_form": export_form}
    return render(request, "evaluation/report_compare.html", context, status=status)


def _sort_headers(compared, period):
    """The table's headings, each a link that sorts by it (again: the other way), with aria-sort."""
    dates = {key: value.isoformat() for key, value in period.items()}
    headers = []
    for slug, label, key in [(side_by_side.NAME, "Program", "")] + [
        (c.slug, c.label, c.key) for c in compared.columns
    ]:
        current = compared.sort == slug
        descending = not compared.descending if current else slug != side_by_side.NAME
        query = urlencode({**dates, "sort": slug, "dir": "desc" if descending else "asc"})
        aria = ("descending" if compared.descending else "ascending") if current else ""
        headers.append({"slug": slug, "label": label, "key": key, "href": f"?{query}", "aria_sort": aria,
                        "next": "descending" if descending else "ascending"})  # fmt: skip
    return headers


@login_required
@require_POST
def programs_compared_export(request):
    """The table as CSV or XLSX, in the order shown; recorded like every export."""
    _staff_only(request.user)
    form = ComparedExportForm(request.POST)
    if not form.is_valid():
        period = ReportPeriodForm({k: request.POST.get(k, "") for k in ("on", "start", "end")})
        return _compared_page(request, period, request.POST, export_form=form, status=400)
    file_format = form.cleaned_data["file_format"]
    programs = Program.objects.all()
    compared = side_by_side.compare(
        programs, **form.period,
        sort=form.cleaned_data["sort"] or side_by_side.NAME, descending=form.cleaned_data["dir"] == "desc",
    )  # fmt: skip
    lines = side_by_side.table_rows(compared)
    if file_format == "csv":
        response = HttpResponse(side_by_side.as_csv(lines), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(side_by_side.as_xlsx(lines), content_type=XLSX_TYPE)
    side_by_side.export_recorded(
        user=request.user,
        programs=programs,
        comparison=compared,
        file_format=file_format,
        rows=len(lines) - 1,
    )
    name = side_by_side.filename(compared, file_format)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


urlpatterns = [
    path("reports/programs/", programs_compared, name="programs_compared"),
    path("reports/programs/export/", programs_compared_export, name="programs_compared_export"),
]
