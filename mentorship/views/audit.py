"""The staff audit page: the audit trail, filtered and paginated, and the same rows as CSV.

Staff only; anyone else gets 404, so that the page does not show it exists. A page costs the same
few queries however many rows it shows (the count and one page, actors joined in).
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from mentorship.access import require_staff
from mentorship.filters import AuditFilter
from mentorship.models import AuditEntry
from mentorship.services import audit_record
from mentorship.spreadsheet import csv_safe

PAGE_SIZE = 50
CSV_CHUNK = 2_000
CSV_HEADER = ["at", "actor_email", "actor_name", "actor_label", "action", "action_name"]
CSV_HEADER += ["target_type", "target_id", "summary", "ip"]


def _filtered(request):
    queryset = AuditEntry.objects.select_related("actor__profile")
    return AuditFilter(request.GET or None, queryset=queryset)


@require_safe
@login_required
def audit_list(request):
    require_staff(request.user)
    audit_filter = _filtered(request)
    page = Paginator(audit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mentorship/audit_list.html",
        {"filter": audit_filter, "page": page, "query": query.urlencode()},
    )


class _Line:
    """csv.writer target that hands back what it was given (one row at a time)."""

    def write(self, value):
        return value


def _csv_rows(entries):
    writer = csv.writer(_Line(), lineterminator="\n")
    yield "\ufeff" + writer.writerow(CSV_HEADER)  # the byte-order mark: Excel reads accents right
    for entry in entries.iterator(chunk_size=CSV_CHUNK):
        actor = entry.actor
        yield writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                csv_safe(actor.email if actor else ""),
                csv_safe(actor.display_name if actor else ""),
                csv_safe(entry.actor_label),
                csv_safe(entry.action),
                csv_safe(entry.label),
                csv_safe(entry.target_type),
                entry.target_id,
                csv_safe(entry.summary),
                entry.ip or "",
            ]
        )


@require_safe
@login_required
def audit_export(request):
    """The filtered rows as CSV. The export holds people's emails and addresses, so it is itself
    on the trail (written before the first row goes out; if it cannot be, there is no file)."""
    require_staff(request.user)
    entries = _filtered(request).qs
    audit_record(
        actor=request.user,
        action="audit.exported",
        target=request.user,
        summary=request.GET.urlencode() or "all rows",
        request=request,
    )
    response = StreamingHttpResponse(
        (line.encode() for line in _csv_rows(entries)), content_type="text/csv; charset=utf-8"
    )
    name = f"audit-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
