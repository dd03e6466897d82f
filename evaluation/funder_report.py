"""The funder report: what a coordinator sends a funder about a program and a period. The key figures
with their definitions (the dashboard's own, evaluation.kpis), its charts, the equity summary
(evaluation.equity), the events held, and a few featured stories (evaluation.stories).

It is a web page, always live (evaluation/views/funder.py), and a PDF (evaluation/funder_pdf.py)
that a worker builds: the PDF is an ExportRecord (dataset "funder_report", format "pdf"), built by
``exports.export_build`` (which hands it to ``funder_build`` here) with the exports' claim,
progress, recovery sweep, list ("Your exports") and audited download.

A story that is withdrawn leaves every report: the page reads the stories live, and
``story_withdrawn`` deletes each built PDF that shows it and builds it again without it. A PDF
shows the stories featured when it was asked for (``parameters["story_ids"]``) that may still be
published when it is built; ``story_withdrawn`` serves for any change to a story that a PDF
should follow (its consent taken back, its text changed): the rebuild shows it as it is then.

Nothing here names a person but the bylines of stories their authors agreed to share; events show
counts, never who came; the equity summary is the equity report's, suppressed as it computes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from evaluation import kpis
from evaluation.charts import funnel_chart, funnel_chart_of, report_charts, retention_curve_chart
from evaluation.equity import equity_summary
from evaluation.exports.datasets import EXPORTS_DIR, Scope
from evaluation.kpis import trends
from evaluation.models import ExportRecord, ExportStatus
from evaluation.stories import published_stories
from mentorship.queue import enqueue
from mentorship.services import audit_record
from programs.models import Event, EventStatus, Program, RsvpStatus

logger = logging.getLogger(__name__)

DATASET = "funder_report"
FILE_FORMAT = "pdf"
NAME = "Funder report"
STORIES_SHOWN = 3
EVENTS_SHOWN = 25  # the report lists the period's events up to this many, then says how many more
# A mean event rating is shown from this many ratings (below it: "too early to tell", as the KPIs).
RATINGS_SHOWN = kpis.FEW


# --- What the report holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    """An event held in the period: counts only, never who came."""

    title: str
    starts_at: dt.datetime
    kind: str
    going: int
    came: int | None  # None: attendance not taken
    ratings: int
    rating: float | None

    @property
    def rating_text(self):
        if not self.ratings:
            return "no feedback"
        if self.ratings < RATINGS_SHOWN:
            return f"{kpis.TOO_EARLY} ({self.ratings} rating{'s' if self.ratings != 1 else ''})"
        return f"{self.rating:.1f} of 5 ({self.ratings} ratings)"

    @property
    def came_text(self):
        return "attendance not taken" if self.came is None else f"{self.came:,} of {self.going:,}"


@dataclass
class FunderReport:
    program: Program
    on: dt.date
    start: dt.date
    end: dt.date
    generated: dt.date
    kpis: kpis.KpiReport
    charts: list
    events: list  # [EventRow]
    events_more: int  # events held beyond those listed
    equity: list  # evaluation.equity.equity_summary's: a dict per question
    stories: list  # published stories: .shown_text, .byline
    extra_charts: list = field(default_factory=list)

    @property
    def key_figures(self):
        """(definition, [figures]): the pairs' figures, then groups' (when the program has them)."""
        grouped = self.kpis.grouped()
        if self.program.has_groups or self.kpis.has_groups:
            grouped = grouped + self.kpis.groups_grouped
        return grouped

    @property
    def event_figures(self):
        return self.kpis.events_grouped

    @property
    def all_charts(self):
        return self.charts + self.extra_charts

    @property
    def story_ids(self):
        return [story.pk for story in self.stories]


def events_held(program, *, start, end):
    """The program's published events that started in the period, with their counts (one query)."""
    going = Q(rsvps__status=RsvpStatus.GOING) | Q(rsvps__attended=True)
    events = (
        Event.objects.filter(
            programs=program,
            status=EventStatus.PUBLISHED,
            starts_at__gte=kpis.local_midnight(start),
            starts_at__lt=kpis.local_midnight(end + dt.timedelta(days=1)),
        )
        .annotate(
            going_count=Count("rsvps", filter=going, distinct=True),
            came_count=Count("rsvps", filter=Q(rsvps__attended=True), distinct=True),
            rating_count=Count("rsvps__feedback", distinct=True),
            rating_mean=Avg("rsvps__feedback__rating"),
        )
        .order_by("starts_at", "pk")
    )
    return [
        EventRow(
            title=e.title,
            starts_at=e.starts_at,
            kind=e.get_kind_display(),
            going=e.going_count,
            came=e.came_count if e.attendance_taken_at else None,
            ratings=e.rating_count,
            rating=None if e.rating_mean is None else float(e.rating_mean),
        )
        for e in events
    ]


def featured_stories(program):
    """The stories the report shows now: the program's featured, published ones (a few)."""
    return published_stories(program, featured_only=True, limit=STORIES_SHOWN)


def stories_by_id(program, story_ids):
    """Of ``story_ids`` (those a PDF was asked with), the ones still published, in that order."""
    if not story_ids:
        return []
    found = {story.pk: story for story in published_stories(program)}
    return [found[pk] for pk in story_ids if pk in found][:STORIES_SHOWN]


def extra_charts(program, *, on, start, end, report=None):
    """The funnel month by month and the retention curve (evaluation.charts); the funnel from
    ``report`` (``kpis.compute``'s, which counted it) when given."""
    if report is None:
        funnel = funnel_chart([program.pk], on=on, start=start, end=end)
        return [funnel, retention_curve_chart([program.pk], on=on)]
    funnel = funnel_chart_of(trends.funnel_of(report), start=start, end=end)
    return [funnel, retention_curve_chart([program.pk], on=on)]


def build_report(program, *, on, start, end, story_ids=None, progress=None):
    """The report's content. ``story_ids``: the stories a PDF was asked with (still published ones
    only); None: the program's featured stories now. ``progress(percent)`` is told as it goes."""
    step = progress or (lambda percent: None)
    report = kpis.compute(Program.objects.filter(pk=program.pk), on=on, start=start, end=end)
    step(20)
    charts = report_charts(report)
    more = extra_charts(program, on=on, start=start, end=end, report=report)
    step(40)
    equity = equity_summary(program, on=on, start=start, end=end, overall=report)
    step(60)
    events = events_held(program, start=start, end=end)
    stories = featured_stories(program) if story_ids is None else stories_by_id(program, story_ids)
    step(70)
    return FunderReport(
        program=program,
        on=on,
        start=start,
        end=end,
        generated=timezone.localdate(),
        kpis=report,
        charts=charts,
        extra_charts=more,
        events=events[:EVENTS_SHOWN],
        events_more=max(0, len(events) - EVENTS_SHOWN),
        equity=equity,
        stories=stories,
    )


# --- The PDF: asked for, built by a worker, rebuilt when a story is withdrawn ------------------------


def _build_task():
    from evaluation.export_tasks import build_export  # the task module imports evaluation.exports

    return build_export


@transaction.atomic
def funder_pdf_request(*, user, program, on, start, end, request=None):
    """A PDF of the report, queued for a worker (sent after commit): the record to follow."""
    scope = Scope.for_programs(
        Program.objects.filter(pk=program.pk), on=on, start=start, end=end, program=program
    )
    parameters = scope.as_parameters()
    parameters["story_ids"] = [story.pk for story in featured_stories(program)]
    record = ExportRecord.objects.create(
        requested_by=user,
        program=program,
        dataset=DATASET,
        file_format=FILE_FORMAT,
        parameters=parameters,
        status=ExportStatus.QUEUED,
    )
    audit_record(
        actor=user,
        action="export.requested",
        target=record,
        summary=f"{DATASET}.{FILE_FORMAT} {scope.label}",
        request=request,
    )
    enqueue(_build_task(), record.pk)
    return record


def funder_build(record):
    """The worker's part, for a record ``exports.export_build`` has just claimed: build the PDF into
    MEDIA_ROOT/exports/ with progress. The result is kept only if the record is still this build's
    (same ``started_at``): a story withdrawn meanwhile sent it back to the queue for a new build."""
    from evaluation.funder_pdf import report_pdf  # drawing: its own module

    claimed = ExportRecord.objects.filter(
        pk=record.pk, status=ExportStatus.RUNNING, started_at=record.started_at
    )

    def progress(percent):
        claimed.update(progress=percent)

    folder = Path(settings.MEDIA_ROOT) / EXPORTS_DIR
    name = f"{record.pk}-{secrets.token_hex(8)}.{FILE_FORMAT}"
    partial = folder / (name + ".part")
    try:
        parameters = record.parameters
        scope = Scope.from_parameters(parameters)
        program = Program.objects.get(pk=scope.program_id)
        content = build_report(
            program,
            on=scope.on,
            start=scope.start,
            end=scope.end,
            story_ids=parameters.get("story_ids") or [],
            progress=progress,
        )
        data, pages = report_pdf(content)
        progress(90)
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, folder / name)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        logger.exception("funder report %s failed", record.pk)
        claimed.update(
            status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300], finished_at=timezone.now()
        )
        record.refresh_from_db()
        return record
    kept = claimed.update(
        status=ExportStatus.DONE,
        progress=100,
        row_count=pages,
        file=f"{EXPORTS_DIR}/{name}",
        finished_at=timezone.now(),
        parameters={**parameters, "story_ids": content.story_ids},
    )
    if not kept:  # sent back to the queue meanwhile (a story withdrawn): the next build replaces it
        (folder / name).unlink(missing_ok=True)
    record.refresh_from_db()
    return record


def _delete_file(name):
    """A built PDF's file (a path under MEDIA_ROOT/exports/ only)."""
    folder = (Path(settings.MEDIA_ROOT) / EXPORTS_DIR).resolve()
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if path.parent == folder:
        path.unlink(missing_ok=True)


def story_withdrawn(story_id):
    """Take a withdrawn story out of every funder report: each PDF built (or being built) with it
    goes back to the queue, to be built again without it (sent after commit), and its file is
    deleted once the withdrawal is committed. Run inside the withdrawal's transaction: the reports
    are locked, so that a worker cannot claim one and read the story before the withdrawal is
    committed (a build already running loses its result: see ``funder_build``). Returns the ids of
    the reports sent back."""
    shown = (
        ExportRecord.objects.select_for_update()
        .filter(dataset=DATASET, parameters__story_ids__contains=[story_id])
        .exclude(status=ExportStatus.FAILED)
        .order_by("pk")
    )
    requeued = []
    with transaction.atomic():
        for record in shown:
            if record.status == ExportStatus.QUEUED:
                continue  # its build has not read the stories yet (and waits for this transaction)
            ExportRecord.objects.filter(pk=record.pk).update(
                status=ExportStatus.QUEUED,
                progress=0,
                row_count=0,
                file="",
                error="",
                started_at=timezone.now(),  # the sweep's clock for a lost task; not the old build's
                finished_at=None,
            )
            if record.file:
                transaction.on_commit(partial(_delete_file, record.file))
            enqueue(_build_task(), record.pk)
            requeued.append(record.pk)
    return requeued
