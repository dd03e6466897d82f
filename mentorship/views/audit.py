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


# The export's columns, read as plain values: no model instance per row (a city's trail has
# hundreds of thousands). The actor's name is User.display_name, from the same columns.
_VALUES = ("at", "actor_id", "actor__email", "actor__first_name", "actor__last_name")
_VALUES += ("actor__profile__display_name", "actor_label", "action", "target_type", "target_id")
_VALUES += ("summary", "ip")


def _display_name(email, first_name, last_name, shown):
    return shown or f"{first_name} {last_name}".strip() or email.split("@")[0]


def _csv_rows(entries):
    """The header, then the rows a chunk of CSV_CHUNK at a time (one string each)."""
    writer = csv.writer(_Line(), lineterminator="\n")
    yield "\ufeff" + writer.writerow(CSV_HEADER)  # the byte-order mark: Excel reads accents right
    lines = []
    for (
        at,
        actor_id,
        email,
        first,
        last,
        shown,
        actor_label,
        action,
        target_type,
        target_id,
        summary,
        ip,
    ) in entries.values_list(*_VALUES).iterator(chunk_size=CSV_CHUNK):
        lines.append(
            writer.writerow(
                [
                    timezone.localtime(at).isoformat(timespec="seconds"),
                    csv_safe(email if actor_id else ""),
                    csv_safe(_display_name(email, first, last, shown) if actor_id else ""),
                    csv_safe(actor_label),
                    csv_safe(action),
                    csv_safe(AuditEntry.label_of(action)),
                    csv_safe(target_type),
                    target_id,
                    csv_safe(summary),
                    ip or "",
                ]
            )
        )
        if len(lines) == CSV_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


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
