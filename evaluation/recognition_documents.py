"""Recognition's documents: a mentor's certificate of service (PDF, mentorship/pdf.py) and the
volunteer-hours statement (rows, CSV, XLSX), both from the hours rule of evaluation/recognition.py.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from evaluation.models import ExportRecord, ExportStatus
from evaluation.recognition import (
    Hours,
    Service,
    hours_mentored,
    mentoring_enrollments,
    period_minutes,
    service_periods,
)
from mentorship import pdf, xlsx
from mentorship.services import audit_record
from mentorship.spreadsheet import csv_safe
from programs.models import Enrollment

DATASET = "volunteer_hours"
HEADER = ["Name", "Email", "Program", "First date", "Last date (empty: ongoing)", "Hours in period",
          "Hours all time"]  # fmt: skip
INK = (0.12, 0.16, 0.28)
ACCENT = (0.16, 0.38, 0.62)
PALE = (0.92, 0.95, 0.99)


def person_name(user):
    return user.get_full_name() or user.display_name


def _day(value):
    return f"{value:%-d %B %Y}"


def certificate_facts(enrollment):
    """What the certificate says: {"hours": Hours, "service": Service, "signed_by": [names]}:
    three queries (hours, service, coordinators)."""
    hours = hours_mentored([enrollment.pk])[enrollment.pk]
    service = service_periods([enrollment.pk])[enrollment.pk]
    signers = [
        person_name(u) for u in enrollment.program.coordinators.select_related("profile").order_by("pk")
    ]
    return {"hours": hours, "service": service, "signed_by": signers}


def certificate_available(facts):
    """A certificate once there is something to certify: a first mentoring meeting logged."""
    return facts["hours"].first_meeting is not None


def certificate_pdf(enrollment, facts, *, today=None):
    """The certificate of service: one A4 page."""
    today = today or timezone.localdate()
    name, program = person_name(enrollment.user), enrollment.program.name
    hours, service = facts["hours"], facts["service"]
    started = service.started or hours.first_meeting
    doc = pdf.Document(title=f"Certificate of service: {name}", author=program)
    page = doc.page()
    width, height = page.width, page.height
    middle = width / 2
    page.rect(36, height - 190, width - 72, 154, fill=PALE, stroke=None)
    page.rect(28, 28, width - 56, height - 56, stroke=ACCENT, width=3)
    page.rect(36, 36, width - 72, height - 72, stroke=ACCENT, width=0.75)
    page.text(middle, height - 120, "Certificate of service", size=34, bold=True, colour=INK, align="center")
    band_size = pdf.fitting_size(program, width - 100, 16)
    page.text(middle, height - 160, program, size=band_size, colour=ACCENT, align="center")
    y = height - 270
    page.text(middle, y, "This certifies that", size=14, colour=INK, align="center")
    y = page.paragraph(72, y - 46, name, width=width - 144, size=28, bold=True, colour=INK, align="center")
    when = f"from {_day(started)} to {_day(service.ended)}" if service.ended else f"since {_day(started)}"
    role = "gave their time as a volunteer mentor"
    y = page.paragraph(72, y - 10, f"{role} in {program}, {when}.", width=width - 144, size=14, colour=INK,
                       align="center")  # fmt: skip
    page.text(
        middle, y - 50, f"{hours.hours:g} hours mentored", size=22, bold=True, colour=ACCENT, align="center"
    )
    page.paragraph(
        96, y - 84, "Hours mentored are the meetings logged with mentees and the group sessions led.",
        width=width - 192, size=10, colour=INK, align="center",
    )  # fmt: skip
    signers = facts["signed_by"][:3] or [program]
    column = (width - 144) / len(signers)
    for i, signer in enumerate(signers):
        centre = 72 + column * (i + 0.5)
        page.line(centre - column / 2 + 12, 170, centre + column / 2 - 12, 170, colour=INK, width=0.75)
        size = pdf.fitting_size(signer, column - 24, 12, bold=True)
        page.text(centre, 154, signer, size=size, bold=True, colour=INK, align="center")
        page.text(centre, 140, "Program coordinator" if facts["signed_by"] else "", size=10, colour=INK,
                  align="center")  # fmt: skip
    page.text(middle, 90, f"Issued on {_day(today)}", size=10, colour=INK, align="center")
    return doc.render()


# --- The volunteer-hours statement -----------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    enrollment: object
    hours: Hours
    service: Service

    def values(self):
        user = self.enrollment.user
        return [person_name(user), user.email, self.enrollment.program.name, self.service.started,
                self.service.ended, self.hours.period_hours, self.hours.hours]  # fmt: skip


def statement_rows(programs, *, start, end):
    """A row per enrollment of ``programs`` that mentored during the period (its service overlaps
    it, or it has hours in it), by program and name: four queries whatever the number."""
    enrollments = list(
        mentoring_enrollments(programs)
        .select_related("user__profile", "program")
        .order_by("program__name", "pk")
    )
    ids = [e.pk for e in enrollments]
    hours = hours_mentored(ids, start=start, end=end)
    services = service_periods(ids)
    rows = []
    for enrollment in enrollments:
        service, counted = services[enrollment.pk], hours[enrollment.pk]
        overlaps = (
            service.started and service.started <= end and (service.ended is None or service.ended >= start)
        )
        if overlaps or counted.period_minutes:
            rows.append(StatementRow(enrollment, counted, service))
    rows.sort(key=lambda r: (r.enrollment.program.name, person_name(r.enrollment.user).lower()))
    return rows


def statement_page(programs, *, start, end, limit):
    """The statement's first ``limit`` rows (those of ``statement_rows``, in its order) with the
    number of rows and the period's minutes of them all, for the web page: every mentoring
    enrollment is sorted from plain values and its period's meetings only; the rows shown are then
    loaded with their all-time hours. Six queries whatever the number."""
    people = list(
        mentoring_enrollments(programs).values_list(
            "pk", "program__name", "user__first_name", "user__last_name", "user__email",
            "user__profile__display_name",
        ).order_by("program__name", "pk")
    )  # fmt: skip
    ids = [row[0] for row in people]
    minutes = period_minutes(ids, start=start, end=end)
    services = service_periods(ids)
    listed = []
    for pk, program_name, first, last, email, display_name in people:
        service = services[pk]
        overlaps = (
            service.started and service.started <= end and (service.ended is None or service.ended >= start)
        )
        if overlaps or minutes.get(pk):
            # person_name(user), from its fields: the full name, else the profile's or the email's.
            name = f"{first} {last}".strip() or display_name or email.split("@")[0]
            listed.append(((program_name, name.lower()), pk))
    listed.sort(key=lambda item: item[0])  # stable: by primary key among equals, as statement_rows
    shown = [pk for _, pk in listed[:limit]]
    enrollments = Enrollment.objects.select_related("user__profile", "program").in_bulk(shown)
    hours = hours_mentored(shown, start=start, end=end)
    rows = [StatementRow(enrollments[pk], hours[pk], services[pk]) for pk in shown]
    return rows, len(listed), sum(minutes.get(pk, 0) for _, pk in listed)


def statement_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            [csv_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in row.values()]
        )
    return ("\ufeff" + out.getvalue()).encode()  # the byte-order mark: spreadsheets read accents right


def statement_xlsx(rows):
    return xlsx.workbook_bytes((row.values() for row in rows), title="Volunteer hours", header=HEADER)


@transaction.atomic
def statement_exported(*, by, program, start, end, file_format, rows, request=None):
    """Record the download (an ExportRecord, like every export) on the audit trail: it holds
    people's names and emails."""
    label = program.name if program else "All programs"
    record = ExportRecord.objects.create(
        requested_by=by, program=program, dataset=DATASET, file_format=file_format,
        parameters={"label": label, "start": start.isoformat(), "end": end.isoformat()},
        status=ExportStatus.DONE, row_count=rows, finished_at=timezone.now(),
    )  # fmt: skip
    summary = f"{DATASET}.{file_format} {label} {start:%Y-%m-%d}..{end:%Y-%m-%d}"
    audit_record(actor=by, action="export.requested", target=record, summary=summary, request=request)
    return record


def statement_filename(program, end, file_format):
    return f"{program.slug if program else 'all-programs'}-volunteer-hours-{end:%Y-%m-%d}.{file_format}"


def period_default(today):
    """The statement's default period: this calendar year so far (how volunteer hours are usually
    claimed)."""
    return dt.date(today.year, 1, 1), today
