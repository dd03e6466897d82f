"""Every write about exports: the record, the CSV stream, the XLSX built in the request or by a
worker, and the sweep that recovers builds whose worker was lost."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluation.exports.datasets import (
    DATASETS,
    EXPORTS_DIR,
    Scope,
)
from evaluation.exports.rows import (
    count_rows,
    csv_chunks,
    filename,
    write_xlsx,
)
from evaluation.models import ExportRecord, ExportStatus
from mentorship.queue import enqueue

logger = logging.getLogger(__name__)


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
    """The worker's part: build a queued XLSX (or a funder report's PDF) into MEDIA_ROOT/exports/,
    with progress. Claimed with a conditional update, so a second delivery of the task does nothing."""
    claimed = ExportRecord.objects.filter(pk=record_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=0, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    record = ExportRecord.objects.get(pk=record_id)
    if record.dataset == "funder_report":  # a PDF, drawn by evaluation/funder_report.py
        from evaluation.funder_report import funder_build  # it imports this package

        return funder_build(record)
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
