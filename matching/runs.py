"""Every write about matching runs: start, do, cancel and recover a run, and the nightly suggestions.

The engine (the package matching/engine/) is pure; a run loads the pool (matching/pool.py), calls it,
and stores what it found as suggestions. Deciding on suggestions, matches and their lifecycle, and
requests are in matching/services.py.
"""

import datetime as dt
import io
import json
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from matching import engine
from matching.models import (
    ACTIVE_RUN_STATUSES,
    MatchRun,
    MatchSuggestion,
    RunStatus,
    RunTrigger,
    SuggestionStatus,
    UnmatchedReason,
)
from matching.pool import build_pool
from matching.services import breakdown_of
from mentorship.queue import enqueue
from mentorship.services import email_queue
from programs.models import ProgramStatus

logger = logging.getLogger(__name__)
MATCHING_STATUSES = [ProgramStatus.OPEN, ProgramStatus.RUNNING]


# --- Runs ---------------------------------------------------------------------------------------

# The run_matching task's time limits (matching/tasks.py): past the soft one the run stops as failed,
# at the hard one the worker process is killed. 10,000 mentees take a few seconds end to end
# (bench/matching_service.py), so minutes are plenty.
RUN_SOFT_TIME_LIMIT = 120
RUN_TIME_LIMIT = 150
# Running for longer than this, its worker is taken for lost: the worker has killed the task by then.
RUN_STALE_AFTER = dt.timedelta(seconds=RUN_TIME_LIMIT + 60)
# Queued for longer than this and never taken, its task is taken for lost (the broker was down).
RUN_LOST_AFTER = dt.timedelta(minutes=3)
RUN_MAX_ATTEMPTS = 3
RUN_GAVE_UP = f"The worker stopped {RUN_MAX_ATTEMPTS} times before the run finished: start it again."


class _RunTakenAway(Exception):
    """The run stopped being this worker's (cancelled, or handed to another worker) while it ran."""


def run_start(*, program, by=None, trigger=RunTrigger.COORDINATOR):
    """Queue a run and send it to a worker after commit. One active run per program."""
    if program.status not in MATCHING_STATUSES:
        raise ValidationError("Matching runs only for programs that are open or running.")
    if program.has_groups:
        raise ValidationError(
            "This program mentors in groups or peer circles: place people from its Groups page "
            "(group matching, or forming circles), not in pairs."
        )
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                program=program, started_by=by, trigger=trigger, progress_note="Queued"
            )
    except IntegrityError:
        raise ValidationError("A matching run is already under way for this program.") from None
    from matching.tasks import run_matching  # tasks import this module

    enqueue(run_matching, run.pk)
    return run


def run_execute(*, run_id):
    """Do a queued run: claim it, load the pool, solve, store suggestions in one transaction.

    Safe to call twice (the claim lets one caller through). Every later write is conditional on the
    run still being the one this call claimed (running, with the start time it set), so a run
    cancelled meanwhile, or handed to another worker by runs_recover, is never overwritten: the
    late worker's suggestions are rolled back. A failure marks the run failed and leaves every
    suggestion as it was. Returns the run, or None when there was nothing (left) to do.
    """
    started = timezone.now()
    claimed = MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=started,
        attempts=F("attempts") + 1,
        progress=5,
        progress_note="Loading people",
    )
    if not claimed:
        return None
    mine = MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, started_at=started)
    run = MatchRun.objects.select_related("program").get(pk=run_id)
    try:
        t0 = time.perf_counter()
        pool = build_pool(run.program)
        t_load = time.perf_counter() - t0
        _progress(mine, 30, f"Scoring {len(pool.mentees)} mentees against {len(pool.mentors)} mentors")
        result = engine.solve(pool.problem)
        _progress(mine, 80, "Saving suggestions")
        with transaction.atomic():
            t0 = time.perf_counter()
            new = _store_result(run, pool, result)
            t_store = time.perf_counter() - t0
            finished = mine.update(
                status=RunStatus.DONE,
                progress=100,
                progress_note="Done",
                finished_at=timezone.now(),
                pool_fingerprint=pool.fingerprint,
                mentees_considered=len(pool.mentees),
                mentors_considered=len(pool.mentors),
                matched_count=len(result.pairs),
                unmatched_count=len(result.unmatched),
                new_suggestions=new,
                total_score=float(result.total_score),
                parameters={
                    "weights": run.program.criteria_weights,
                    "min_score": run.program.min_score,
                    "max_distance_km": run.program.max_distance_km,
                },
                timings={
                    "load": round(t_load, 4),
                    "score": round(result.score_seconds, 4),
                    "solve": round(result.solve_seconds, 4),
                    "store": round(t_store, 4),
                    "pricing_rounds": result.pricing_rounds,
                },
            )
            if not finished:
                raise _RunTakenAway  # and the suggestions stored above are rolled back
    except _RunTakenAway:
        logger.info("matching run %s was cancelled or handed to another worker; result dropped", run_id)
        return None
    except Exception as exc:
        logger.exception("matching run %s failed", run_id)
        # When the database itself is down this fails too and the run stays "running":
        # runs_recover hands it to another worker once it is stale.
        if not mine.update(status=RunStatus.FAILED, finished_at=timezone.now(), error=_run_error(exc)):
            return None  # cancelled or handed to another worker meanwhile: that outcome stands
        return MatchRun.objects.get(pk=run_id)
    return MatchRun.objects.get(pk=run_id)


def _progress(mine, percent, note):
    # Outside the run's transaction (autocommit), so the page polling it sees each step.
    if not mine.update(progress=percent, progress_note=note):
        raise _RunTakenAway  # no point solving for a run that is no longer ours


def _run_error(exc):
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"The run took longer than {RUN_SOFT_TIME_LIMIT // 60} minutes and was stopped."
    return f"{type(exc).__name__}: {exc}"[:300]


def run_cancel(*, run, by):
    """A coordinator stops a queued or running run, so that a new one can start at once. A worker
    still doing it finds the run no longer its own and drops its result (see run_execute)."""
    cancelled = MatchRun.objects.filter(pk=run.pk, status__in=ACTIVE_RUN_STATUSES).update(
        status=RunStatus.FAILED,
        progress_note="Cancelled",
        finished_at=timezone.now(),
        error=f"Cancelled by {by.display_name}"[:300],
    )
    if not cancelled:
        raise ValidationError("This run has already finished.")
    run.refresh_from_db()
    return run


def runs_recover(*, now=None, dry_run=False):
    """The periodic sweep for runs nobody is doing: running past RUN_STALE_AFTER (the worker died:
    killed, out of memory, a deploy, or the database went away under it) they are queued and sent
    again, or after RUN_MAX_ATTEMPTS tries marked failed; queued past RUN_LOST_AFTER (the task
    never reached the broker) they are sent again.

    Each step is a conditional update on the run as the sweep saw it (status, and the start or queue
    time), so overlapping sweeps and a late worker never both act on one run; a task delivered twice
    is claimed once. Returns [(run, what was done)]; ``dry_run`` says what would be done.
    """
    from matching.tasks import run_matching  # tasks import this module

    now = now or timezone.now()
    give_up = {"status": RunStatus.FAILED, "finished_at": now, "error": RUN_GAVE_UP}
    requeue = {"status": RunStatus.QUEUED, "queued_at": now, "progress": 0, "progress_note": "Queued again"}
    report = []
    stale = MatchRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=now - RUN_STALE_AFTER)
    for run in stale.select_related("program").order_by("pk"):
        as_seen = MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, started_at=run.started_at)
        if run.attempts >= RUN_MAX_ATTEMPTS:
            if dry_run:
                report.append((run, "would fail"))
            elif as_seen.update(**give_up):
                report.append((run, "failed"))
        elif dry_run:
            report.append((run, "would queue again"))
        elif as_seen.update(**requeue):
            enqueue(run_matching, run.pk)
            report.append((run, "queued again"))
    lost = MatchRun.objects.filter(status=RunStatus.QUEUED, queued_at__lt=now - RUN_LOST_AFTER)
    for run in lost.select_related("program").order_by("pk"):
        if dry_run:
            report.append((run, "would send again"))
        # Moving queued_at claims the resend: one sweep sends it, and the next waits RUN_LOST_AFTER.
        elif MatchRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED, queued_at=run.queued_at).update(
            queued_at=now
        ):
            enqueue(run_matching, run.pk)
            report.append((run, "sent again"))
    return report


def _store_result(run, pool, result):
    """Keep pending suggestions the run finds again, supersede the others, add the new ones.

    Inside run_execute's transaction: the rows written here are rolled back with it. New rows go in
    with PostgreSQL's COPY (10,000 rows in a fraction of the time of INSERTs through the ORM)."""
    mentee_pks = [p.pk for p in pool.mentees]
    mentor_pks = [p.pk for p in pool.mentors]
    wanted = {(mentee_pks[pair.mentee], mentor_pks[pair.mentor]): pair for pair in result.pairs}
    pending = MatchSuggestion.objects.filter(program=run.program, status=SuggestionStatus.PENDING)
    kept = set()
    superseded = []
    for pk, mentee_id, mentor_id in pending.values_list("pk", "mentee_id", "mentor_id"):
        if (mentee_id, mentor_id) in wanted:
            kept.add((mentee_id, mentor_id))
        else:
            superseded.append(pk)
    if superseded:
        MatchSuggestion.objects.filter(pk__in=superseded).update(status=SuggestionStatus.SUPERSEDED)
    if kept:
        pending.update(run=run)
    now = timezone.now().isoformat()  # once, not a datetime formatted per row
    new = [
        (run.pk, run.program_id, mentee_id, mentor_id, float(pair.score),
         json.dumps(breakdown_of(pair.criteria)), SuggestionStatus.PENDING.value, None, None, now)
        for (mentee_id, mentor_id), pair in wanted.items()
        if (mentee_id, mentor_id) not in kept
    ]  # fmt: skip
    _copy_rows(
        MatchSuggestion,
        ["run_id", "program_id", "mentee_id", "mentor_id", "score", "breakdown", "status", "decided_by_id",
         "decided_at", "created_at"],
        new,
    )  # fmt: skip
    _copy_rows(
        UnmatchedReason,
        ["run_id", "mentee_id", "reason"],
        [(run.pk, mentee_pks[row.mentee], row.message[:200]) for row in result.unmatched],
    )
    return len(new)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    if value is None:
        return "\\N"
    return value.translate(_COPY_ESCAPES) if isinstance(value, str) else str(value)


def _copy_rows(model, columns, rows):
    """Insert rows (tuples in the order of ``columns``) in one COPY, or bulk_create elsewhere than
    PostgreSQL. Fields not listed take no database default, so every column is given."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(model(**dict(zip(columns, row, strict=True))) for row in rows)
        return
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    buffer.seek(0)
    table = model._meta.db_table  # names from the models, not from input
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


# --- Nightly suggestions --------------------------------------------------------------------------


def suggestions_sweep(*, dry_run=False):
    """For programs with automatic suggestions on: run matching where the pool changed since the
    last finished run, then send each program's coordinators one digest. Never accepts anything.

    Safe twice or on two workers at once: an unchanged pool is skipped, and the one-active-run
    constraint lets a single run through per program.
    """
    from programs.models import Format, Program

    report = []
    programs = Program.objects.filter(
        auto_suggestions=True, status__in=MATCHING_STATUSES, format=Format.ONE_TO_ONE
    ).order_by("pk")
    for program in programs:
        last = program.match_runs.filter(status=RunStatus.DONE).order_by("-finished_at").first()
        fingerprint = build_pool(program).fingerprint
        if last is not None and last.pool_fingerprint == fingerprint:
            report.append((program, "unchanged"))
            continue
        if dry_run:
            report.append((program, "would run"))
            continue
        try:
            with transaction.atomic():
                run = MatchRun.objects.create(
                    program=program, trigger=RunTrigger.NIGHTLY, progress_note="Queued"
                )
        except IntegrityError:
            report.append((program, "already running"))
            continue
        run = run_execute(run_id=run.pk)
        if run is not None and run.status == RunStatus.DONE and run.new_suggestions:
            _digest(program, run)
        if run is None:
            report.append((program, "skipped"))
        else:
            plural = "" if run.new_suggestions == 1 else "s"
            report.append((program, f"{run.new_suggestions} new suggestion{plural}"))
    return report


def _digest(program, run):
    pending = MatchSuggestion.objects.filter(program=program, status=SuggestionStatus.PENDING).count()
    for coordinator in program.coordinators.all():
        email_queue(
            to=coordinator.email,
            template="suggestions_digest",
            context={"program": program, "run": run, "new": run.new_suggestions, "pending": pending},
        )
