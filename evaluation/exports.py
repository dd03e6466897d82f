"""Exports: the KPI summary and row-level data (matches, check-ins, survey answers) as CSV or XLSX.

- Every export is an ExportRecord (who, what, when, how many rows), whichever way it is built.
- CSV always streams, with flat memory: row-level datasets are written by PostgreSQL's own
  ``COPY (query) TO STDOUT WITH (FORMAT csv)`` (``Dataset.copy_select``), handed on a chunk at a
  time (evaluation/streaming.py). Lines end with a line feed. (A server-side cursor never runs
  in parallel and builds a Python object per row: it took 1.5 times as long as COPY at city scale.)
- XLSX up to ``XLSX_IN_REQUEST_ROWS`` rows is built in the request; bigger ones by a worker
  (``export_tasks.build_export``) into MEDIA_ROOT/exports/, with progress on the record.
- Formula injection: a text cell that begins with = + - @, a tab or a carriage return is written as
  plain text: in CSV with a leading single quote, in XLSX as a string cell (never a formula).
  Numbers, dates, yes/no values and codes from a fixed list come from typed columns and are
  written as what they are.

The column lists below are the documentation: the export page renders them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import secrets
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from evaluation import kpis
from evaluation.models import CheckIn, ExportRecord, ExportStatus, SurveyResponse
from evaluation.streaming import copy_out
from matching.models import Match
from mentorship.models import Profile, User
from mentorship.queue import enqueue
from mentorship.spreadsheet import DANGEROUS_FIRST, csv_safe
from programs.models import Enrollment, Program

logger = logging.getLogger(__name__)

XLSX_IN_REQUEST_ROWS = 10_000
CHUNK_ROWS = 2_000
FORMATS = {"csv": "CSV (opens in any spreadsheet)", "xlsx": "Excel workbook (XLSX)"}
EXPORTS_DIR = "exports"
CSV_NEWLINE = "\n"  # what COPY writes; every spreadsheet reads it

TEXT, CODE, INT, NUMBER, DATE, DATETIME, BOOL = "text", "code", "int", "number", "date", "datetime", "bool"


# The first characters of DANGEROUS_FIRST as character codes: ascii(text) IN (...) is the cheapest
# test PostgreSQL has (no substring is built), and it runs for every text cell of every row.
_SQL_DANGEROUS = ", ".join(str(ord(c)) for c in DANGEROUS_FIRST)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: str = TEXT  # TEXT: free text, neutralised; CODE: one of a fixed set of values
    sql: str = ""  # the value's SQL expression (row-level datasets)

    def copy_sql(self):
        """The value for COPY's CSV (which quotes what needs quoting): text neutralised by the rule
        of ``csv_safe`` (empty text as an empty field), true/false spelled out, timestamps to the
        second, anything else as PostgreSQL prints it."""
        if self.kind == TEXT:
            return (
                f"CASE WHEN ascii({self.sql}) IN ({_SQL_DANGEROUS}) THEN '''' || {self.sql} "
                f"ELSE NULLIF({self.sql}, '') END"
            )
        if self.kind == BOOL:
            return f"({self.sql})::text"
        if self.kind == DATETIME:
            return f"date_trunc('second', {self.sql})"
        return self.sql


@dataclass(frozen=True)
class Dataset:
    key: str
    name: str
    description: str
    columns: tuple
    source: str = ""  # SQL FROM ... WHERE ..., with the parameters of kpis.query_parameters
    order: str = ""

    @property
    def header(self):
        return [c.name for c in self.columns]

    @property
    def text_positions(self):
        return [k for k, c in enumerate(self.columns) if c.kind == TEXT]

    @property
    def select(self):
        return ", ".join(c.sql for c in self.columns)

    @property
    def copy_select(self):
        return ", ".join(c.copy_sql() for c in self.columns)

    @property
    def copy_statement(self):
        """The COPY that writes the rows as CSV (without the header)."""
        return f"COPY (SELECT {self.copy_select} {self.source} {self.order}) TO STDOUT WITH (FORMAT csv)"


T = {
    "match": Match._meta.db_table,
    "program": Program._meta.db_table,
    "enrollment": Enrollment._meta.db_table,
    "user": User._meta.db_table,
    "profile": Profile._meta.db_table,
    "checkin": CheckIn._meta.db_table,
    "survey": SurveyResponse._meta.db_table,
}


def _name(alias):
    # The same fallbacks as User.display_name: profile name, full name, the email's local part.
    return (
        f"COALESCE(NULLIF({alias}p.display_name, ''), NULLIF(TRIM({alias}u.first_name || ' ' || "
        f"{alias}u.last_name), ''), split_part({alias}u.email, '@', 1))"
    )


KPIS = Dataset(
    "kpis",
    "KPI summary",
    "Every figure of the dashboard, one row each, with its definition.",
    (
        Column("kpi", "the KPI's key, as on the definitions page", CODE),
        Column("kpi_name", "the KPI's name"),
        Column("figure", "what this row counts (e.g. “Retention at 6 months”)"),
        Column("segment", "the role or the retention horizon the figure is for, if any", CODE),
        Column("value", "the figure; shares as a fraction from 0 to 1; empty when nothing to count", NUMBER),
        Column("unit", "count, share, days, per match-month, mean rating (1-5) or points", CODE),
        Column("shown_as", "the figure as the dashboard shows it"),
        Column("numerator", "for shares and rates: what was counted", NUMBER),
        Column("denominator", "for shares and rates: out of how many", NUMBER),
        Column("based_on", "for medians and means: how many values", INT),
        Column("reporting_date", "D, the reporting date", DATE),
        Column("period_start", "the first day of the period", DATE),
        Column("period_end", "the last day of the period", DATE),
        Column("scope", "the program, or “All programs”"),
        Column("definition", "how the figure is counted"),
    ),
)

MATCHES = Dataset(
    "matches",
    "Matches",
    "One row per match proposed by the end of the period and not closed before it began.",
    (
        Column("match_id", "the match's number in this site", INT, "m.id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("mentee_id", "the mentee's application number in the program", INT, "m.mentee_id"),
        Column("mentee_name", "the mentee's display name", TEXT, _name("e")),
        Column("mentor_id", "the mentor's application number in the program", INT, "m.mentor_id"),
        Column("mentor_name", "the mentor's display name", TEXT, _name("o")),
        Column("status", "proposed, active, paused or closed (today)", CODE, "m.status"),
        Column("source", "suggestion, manual or request: how the pair was made", CODE, "m.source"),
        Column("score", "the matching score, 0-100 (empty if matched without one)", NUMBER, "m.score"),
        Column("proposed_on", "the day it was proposed", DATE, "(m.proposed_at AT TIME ZONE %(tz)s)::date"),
        Column("started_on", "the day both people had confirmed (empty: not started)", DATE, "m.started_on"),
        Column("ended_on", "the day the match closed (empty: still open)", DATE, "m.ended_on"),
        Column("closure_reason", "completed, moved, schedule, mismatch, safety or other", CODE,
               "m.closure_reason"),
        Column("closure_anticipated", "whether the closure was foreseen", BOOL, "m.closure_anticipated"),
        Column(
            "length_days", "days from start to end, or to the reporting date if still open", INT,
            "CASE WHEN m.started_on IS NOT NULL "
            "THEN LEAST(COALESCE(m.ended_on, %(on)s), %(on)s) - m.started_on END",
        ),
        Column(
            "meetings_held", "check-ins with a meeting held, up to the reporting date", INT,
            f"(SELECT COUNT(*) FROM {T['checkin']} c WHERE c.match_id = m.id AND c.held "  # noqa: S608
            "AND c.occurred_on <= %(on)s)",
        ),
        Column(
            "last_meeting_on", "the last meeting held, up to the reporting date", DATE,
            f"(SELECT MAX(c.occurred_on) FROM {T['checkin']} c WHERE c.match_id = m.id AND c.held "  # noqa: S608
            "AND c.occurred_on <= %(on)s)",
        ),
    ),
    source=f"""
        FROM {T["match"]} m
        JOIN {T["program"]} p ON p.id = m.program_id
        JOIN {T["enrollment"]} ee ON ee.id = m.mentee_id
        JOIN {T["user"]} eu ON eu.id = ee.user_id LEFT JOIN {T["profile"]} ep ON ep.user_id = eu.id
        JOIN {T["enrollment"]} oe ON oe.id = m.mentor_id
        JOIN {T["user"]} ou ON ou.id = oe.user_id LEFT JOIN {T["profile"]} op ON op.user_id = ou.id
        WHERE m.program_id = ANY(%(programs)s) AND (m.proposed_at AT TIME ZONE %(tz)s)::date <= %(end)s
          AND (m.ended_on IS NULL OR m.ended_on >= %(start)s)
    """,
    order="ORDER BY m.id",
)  # fmt: skip

CHECKINS = Dataset(
    "checkins",
    "Check-ins",
    "One row per check-in dated in the period.",
    (
        Column("checkin_id", "the check-in's number in this site", INT, "c.id"),
        Column("match_id", "the match (see the matches export)", INT, "c.match_id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("occurred_on", "the date of the meeting", DATE, "c.occurred_on"),
        Column("held", "whether the meeting took place (true or false)", BOOL, "c.held"),
        Column("duration_minutes", "its length in minutes, if given", INT, "c.duration_minutes"),
        Column("mode", "in_person, video, phone or message", CODE, "c.mode"),
        Column("rating", "how it went, 1-5, if rated", INT, "c.rating"),
        Column(
            "logged_by", "mentee, mentor or coordinator (anyone else); empty if the account is gone", CODE,
            "CASE WHEN c.logged_by_id IS NULL THEN '' WHEN c.logged_by_id = ee.user_id THEN 'mentee' "
            "WHEN c.logged_by_id = oe.user_id THEN 'mentor' ELSE 'coordinator' END",
        ),
        Column("notes", "the pair's short notes", TEXT, "c.notes"),
        Column("logged_at", "when it was logged (local time)", DATETIME, "c.created_at AT TIME ZONE %(tz)s"),
    ),
    source=f"""
        FROM {T["checkin"]} c
        JOIN {T["match"]} m ON m.id = c.match_id
        JOIN {T["program"]} p ON p.id = m.program_id
        JOIN {T["enrollment"]} ee ON ee.id = m.mentee_id
        JOIN {T["enrollment"]} oe ON oe.id = m.mentor_id
        WHERE m.program_id = ANY(%(programs)s) AND c.occurred_on BETWEEN %(start)s AND %(end)s
    """,
    order="ORDER BY c.id",
)  # fmt: skip

SURVEYS = Dataset(
    "surveys",
    "Survey answers",
    "One row per survey answer submitted in the period.",
    (
        Column("response_id", "the answer's number in this site", INT, "s.id"),
        Column("match_id", "the match it is about (see the matches export)", INT, "s.match_id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("respondent_role", "mentee or mentor", CODE, "s.role"),
        Column(
            "kind", "pairing_fit, satisfaction, exit, self_start, self_end, follow_up_3, follow_up_12",
            CODE, "s.kind",
        ),
        Column("period", "for satisfaction surveys: 1, 2, ... (0 for the others)", INT, "s.period"),
        Column("rating", "the 1-5 rating, if the survey asks for one", INT, "s.rating"),
        Column("nps", "exit survey: would you recommend this program, 0-10", INT, "s.nps"),
        Column(
            "confidence", "self-assessments: confidence, 1-5", NUMBER,
            "CASE WHEN jsonb_typeof(s.answers -> 'confidence') = 'number' "
            "THEN (s.answers ->> 'confidence')::numeric END",
        ),
        Column("answers", "every other answer, as JSON", TEXT, "s.answers::text"),
        Column("text", "the free-text answer", TEXT, "s.text"),
        Column("submitted_at", "when it was submitted (local time)", DATETIME,
               "s.submitted_at AT TIME ZONE %(tz)s"),
    ),
    source=f"""
        FROM {T["survey"]} s
        JOIN {T["match"]} m ON m.id = s.match_id
        JOIN {T["program"]} p ON p.id = m.program_id
        WHERE m.program_id = ANY(%(programs)s)
          AND s.submitted_at >= %(start_at)s AND s.submitted_at < %(after_end_at)s
    """,
    order="ORDER BY s.id",
)  # fmt: skip

DATASETS = {d.key: d for d in (KPIS, MATCHES, CHECKINS, SURVEYS)}


@dataclass(frozen=True)
class Scope:
    """What an export covers: these programs, reporting date ``on``, period [start, end]."""

    program_ids: tuple
    on: dt.date
    start: dt.date
    end: dt.date
    label: str  # the program's name, or "All programs"
    program_id: int | None = None  # the one program of a per-program export
    slug: str = ""

    def as_parameters(self):
        return {
            "programs": list(self.program_ids),
            "program": self.program_id,
            "on": self.on.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
            "slug": self.slug,
        }

    @classmethod
    def from_parameters(cls, parameters):
        return cls(
            program_ids=tuple(parameters["programs"]),
            on=dt.date.fromisoformat(parameters["on"]),
            start=dt.date.fromisoformat(parameters["start"]),
            end=dt.date.fromisoformat(parameters["end"]),
            label=parameters["label"],
            program_id=parameters.get("program"),
            slug=parameters.get("slug", ""),
        )

    @classmethod
    def for_programs(cls, programs, *, on, start, end, program=None):
        ids = tuple(programs.order_by("pk").values_list("pk", flat=True))
        if program is None:
            return cls(ids, on, start, end, "All programs")
        return cls(ids, on, start, end, program.name, program.pk, program.slug)

    def sql_parameters(self):
        return kpis.query_parameters(self.program_ids, on=self.on, start=self.start, end=self.end)

    def programs(self):
        return Program.objects.filter(pk__in=self.program_ids)


# --- Rows ---------------------------------------------------------------------------------------------


def kpi_rows(scope):
    report = kpis.compute(scope.programs(), on=scope.on, start=scope.start, end=scope.end)
    for figure in report.figures:
        definition = figure.definition
        yield (
            figure.key, definition.name, figure.label, figure.segment, figure.value, figure.unit,
            figure.display, figure.numerator, figure.denominator, figure.basis, scope.on, scope.start,
            scope.end, scope.label, definition.precisely,
        )  # fmt: skip


def count_rows(dataset, scope):
    """How many rows the export will have (the KPI summary is always small: its figures)."""
    if dataset.key == KPIS.key:
        return len(kpis.DEFINITIONS) * 3
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {dataset.source}", scope.sql_parameters())
        return cursor.fetchone()[0]


def iter_chunks(dataset, scope, chunk_rows=CHUNK_ROWS):
    """Lists of rows (tuples of values), ``chunk_rows`` at a time, from a server-side cursor.

    Inside a transaction the named cursor streams as PostgreSQL produces rows (outside one,
    Django would declare it WITH HOLD, and the server would build the whole result first); the
    transaction also gives the export one consistent snapshot.
    """
    if dataset.key == KPIS.key:
        yield list(kpi_rows(scope))
        return
    sql = f"SELECT {dataset.select} {dataset.source} {dataset.order}"
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, scope.sql_parameters())
        while rows := cursor.fetchmany(chunk_rows):
            yield rows


class _Line:
    """csv.writer target that hands back what it was given (one row at a time)."""

    def write(self, value):
        return value


def csv_chunks(dataset, scope, on_row_count=None):
    """The CSV as bytes: a UTF-8 byte-order mark first (so that Excel reads accents right), the
    header, then the rows a chunk at a time. Row-level datasets are written by PostgreSQL's COPY
    (``Column.copy_sql``); the KPI summary's few rows are written here, their text cells through
    ``csv_safe``."""
    writer = csv.writer(_Line(), lineterminator=CSV_NEWLINE)
    yield ("\ufeff" + writer.writerow(dataset.header)).encode()
    count = 0
    if dataset.key == KPIS.key:
        texts = dataset.text_positions
        for rows in iter_chunks(dataset, scope):
            lines = []
            for row in rows:
                row = list(row)
                for k in texts:
                    row[k] = csv_safe(row[k])
                lines.append(writer.writerow(row))
            count += len(rows)
            yield "".join(lines).encode()
    else:
        counted = []
        rows = copy_out(dataset.copy_statement, scope.sql_parameters(), on_row_count=counted.append)
        with closing(rows):
            yield from rows
        count = counted[0]
    if on_row_count is not None:
        on_row_count(count)


def xlsx_value(sheet, value):
    """A value for an XLSX cell. Strings lose the characters XML cannot hold, and one that starts
    like a formula becomes a cell typed as a string (openpyxl would write "=..." as a formula)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value and value[0] in DANGEROUS_FIRST:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(dataset, scope, target, progress=None, total=None):
    """Write the workbook to ``target`` (a path or a binary file); returns the number of rows.
    ``progress(rows_done, total)`` is called after each chunk."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.name[:31])
    bold = Font(bold=True)
    header = []
    for name in dataset.header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    with closing(iter_chunks(dataset, scope, chunk_rows=5_000)) as chunks:
        for rows in chunks:
            for row in rows:
                sheet.append([xlsx_value(sheet, value) for value in row])
            count += len(rows)
            if progress is not None:
                progress(count, total)
    workbook.save(target)
    return count


def filename(dataset_key, scope, file_format):
    return f"{scope.slug or 'all-programs'}-{dataset_key}-{scope.on:%Y-%m-%d}.{file_format}"


# --- Services: records, streaming, building -----------------------------------------------------------


def export_record_create(*, user, scope, dataset, file_format, status):
    return ExportRecord.objects.create(
        requested_by=user,
        program_id=scope.program_id,
        dataset=dataset,
        file_format=file_format,
        parameters=scope.as_parameters(),
        status=status,
    )


def _finish(record_id, rows):
    ExportRecord.objects.filter(pk=record_id).update(
        status=ExportStatus.DONE, progress=100, row_count=rows, finished_at=timezone.now()
    )


def _fail(record_id, error):
    ExportRecord.objects.filter(pk=record_id).update(
        status=ExportStatus.FAILED, error=error[:300], finished_at=timezone.now()
    )


def csv_stream(*, record, scope):
    """The CSV export as a generator for a StreamingHttpResponse; the record is marked done (with
    its row count) once the last row has gone out, or failed if the download stopped."""
    finished = []
    # Closed explicitly before the record is marked, so that the export's transaction is over.
    chunks = csv_chunks(DATASETS[record.dataset], scope, on_row_count=finished.append)
    try:
        yield from chunks
    except GeneratorExit:
        chunks.close()
        _fail(record.pk, "The download was interrupted.")
        raise
    except Exception as exc:
        chunks.close()
        _fail(record.pk, f"{type(exc).__name__}: {exc}")
        raise
    _finish(record.pk, finished[0])


def xlsx_in_request(*, record, scope):
    """A small workbook as bytes (the caller checked its size)."""
    buffer = io.BytesIO()
    rows = write_xlsx(DATASETS[record.dataset], scope, buffer)
    _finish(record.pk, rows)
    return buffer.getvalue()


def export_build(*, record_id):
    """The worker's part: build a queued XLSX into MEDIA_ROOT/exports/, with progress. Claimed
    with a conditional update, so a second delivery of the task does nothing."""
    claimed = ExportRecord.objects.filter(pk=record_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=0, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    record = ExportRecord.objects.get(pk=record_id)
    scope = Scope.from_parameters(record.parameters)
    dataset = DATASETS[record.dataset]
    folder = Path(settings.MEDIA_ROOT) / EXPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{record.pk}-{secrets.token_hex(8)}.{record.file_format}"
    partial = folder / (name + ".part")
    total = count_rows(dataset, scope)

    def progress(done, total):
        percent = min(99, done * 100 // total) if total else 99
        ExportRecord.objects.filter(pk=record_id).update(progress=percent, row_count=done)

    try:
        rows = write_xlsx(dataset, scope, str(partial), progress=progress, total=total)
        os.replace(partial, folder / name)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        logger.exception("export %s failed", record_id)
        _fail(record_id, f"{type(exc).__name__}: {exc}")
        record.refresh_from_db()
        return record
    ExportRecord.objects.filter(pk=record_id).update(
        status=ExportStatus.DONE,
        progress=100,
        row_count=rows,
        file=f"{EXPORTS_DIR}/{name}",
        finished_at=timezone.now(),
    )
    record.refresh_from_db()
    return record


MAX_ATTEMPTS = 3


def stale_after():
    """How long a build may run before its worker is taken for lost: the task's hard time limit
    (the worker kills it by then) and a minute more."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def exports_recover(*, now=None):
    """The periodic sweep for worker-built exports whose worker was lost (killed, out of memory,
    a deploy) or whose task never reached the broker: queue them again, or after MAX_ATTEMPTS
    tries mark them failed. Each step is a conditional update, so overlapping sweeps and a late
    worker cannot both act on one export. Returns the ids queued again and the ids failed."""
    from evaluation.export_tasks import build_export  # the task module imports this one

    now = now or timezone.now()
    stale = ExportRecord.objects.filter(status=ExportStatus.RUNNING, started_at__lt=now - stale_after())
    failed = []
    for record_id in stale.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True):
        if stale.filter(pk=record_id).update(
            status=ExportStatus.FAILED,
            error=f"The worker stopped {MAX_ATTEMPTS} times before the file was ready.",
            finished_at=now,
        ):
            failed.append(record_id)
    requeued = []
    for record_id in stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        if stale.filter(pk=record_id).update(status=ExportStatus.QUEUED, progress=0, row_count=0):
            requeued.append(record_id)
    # Queued for a while and never taken: the task was lost on its way (the broker was down).
    lost = ExportRecord.objects.alias(since=Coalesce("started_at", "created_at")).filter(
        status=ExportStatus.QUEUED, since__lt=now - dt.timedelta(minutes=10)
    )
    requeued += [pk for pk in lost.values_list("pk", flat=True) if pk not in requeued]
    for record_id in requeued:
        enqueue(build_export, record_id)  # a second delivery finds it claimed and does nothing
    return requeued, failed


def export_file_path(record):
    """The built file of a finished export, or None; never a path outside MEDIA_ROOT/exports."""
    if record.status != ExportStatus.DONE or not record.file:
        return None
    folder = (Path(settings.MEDIA_ROOT) / EXPORTS_DIR).resolve()
    path = (Path(settings.MEDIA_ROOT) / record.file).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


def download_name(record):
    return filename(record.dataset, Scope.from_parameters(record.parameters), record.file_format)
