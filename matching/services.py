"""Every write about matching: runs and suggestions, matches and their lifecycle, requests.

The engine (the package matching/engine/) is pure; this module loads the pool (matching/pool.py), calls it,
and stores what it found. Capacity is enforced under concurrency by locking the mentor's enrollment
row; a mentee's single open match by a partial unique constraint.
"""

import datetime as dt
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from matching import engine
from matching.models import (
    ACTIVE_RUN_STATUSES,
    OPEN_MATCH_STATUSES,
    ClosureReason,
    Match,
    MatchPause,
    MatchRequest,
    MatchRun,
    MatchSource,
    MatchStatus,
    MatchSuggestion,
    RequestStatus,
    RunStatus,
    RunTrigger,
    SuggestionStatus,
    UnmatchedReason,
)
from matching.pool import build_pool
from mentorship.queue import enqueue
from mentorship.services import email_queue
from programs.guardians import guardian_email_queue
from programs.models import Enrollment, EnrollmentStatus, ProgramStatus, Role

logger = logging.getLogger(__name__)
MATCHING_STATUSES = [ProgramStatus.OPEN, ProgramStatus.RUNNING]


# --- Runs ---------------------------------------------------------------------------------------

# The run_matching task's time limits (matching/tasks.py): past the soft one the run stops as failed,
# at the hard one the worker process is killed. 10,000 mentees take about 5 s end to end
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
            new = _store_result(run, pool, result)
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
    """Keep pending suggestions the run finds again, supersede the others, add the new ones."""
    wanted = {(pool.mentees[pair.mentee].pk, pool.mentors[pair.mentor].pk): pair for pair in result.pairs}
    pending = MatchSuggestion.objects.filter(program=run.program, status=SuggestionStatus.PENDING)
    kept = set()
    superseded = []
    for suggestion in pending.only("pk", "mentee_id", "mentor_id"):
        key = (suggestion.mentee_id, suggestion.mentor_id)
        if key in wanted:
            kept.add(key)
        else:
            superseded.append(suggestion.pk)
    MatchSuggestion.objects.filter(pk__in=superseded).update(status=SuggestionStatus.SUPERSEDED)
    MatchSuggestion.objects.filter(program=run.program, status=SuggestionStatus.PENDING).update(run=run)
    created = MatchSuggestion.objects.bulk_create(
        [
            MatchSuggestion(
                run=run,
                program=run.program,
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                score=float(pair.score),
                breakdown=breakdown_of(pair.criteria),
            )
            for (mentee_id, mentor_id), pair in wanted.items()
            if (mentee_id, mentor_id) not in kept
        ]
    )
    UnmatchedReason.objects.bulk_create(
        UnmatchedReason(run=run, mentee_id=pool.mentees[row.mentee].pk, reason=row.message[:200])
        for row in result.unmatched
    )
    return len(created)


def breakdown_of(criteria):
    """The engine's per-criterion scores as stored JSON: {criterion: {value, weight, points}}."""
    return {
        c.name: {
            "value": round(float(c.value), 4),
            "weight": float(c.weight),
            "points": round(float(c.points), 2),
        }
        for c in criteria
    }


# --- Suggestions ---------------------------------------------------------------------------------


@transaction.atomic
def suggestion_accept(*, suggestion, by):
    """Accept a pending suggestion: it becomes a proposed match (capacity permitting)."""
    claimed = MatchSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PENDING).update(
        status=SuggestionStatus.ACCEPTED, decided_by=by, decided_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This suggestion was already decided.")
    return match_propose(
        program=suggestion.program,
        mentee=suggestion.mentee,
        mentor=suggestion.mentor,
        by=by,
        source=MatchSource.SUGGESTION,
        suggestion=suggestion,
    )


def suggestions_accept_above(*, program, min_score, by):
    """Accept every pending suggestion scoring at least ``min_score``, best first. Each is its own
    transaction: one that no longer fits (capacity, a changed person) is skipped and reported."""
    accepted, skipped = [], []
    pending = MatchSuggestion.objects.filter(
        program=program, status=SuggestionStatus.PENDING, score__gte=min_score
    )
    for suggestion in pending.select_related("mentee__user", "mentor__user").order_by("-score", "pk"):
        try:
            accepted.append(suggestion_accept(suggestion=suggestion, by=by))
        except ValidationError as error:
            skipped.append((suggestion, " ".join(error.messages)))
    return accepted, skipped


@transaction.atomic
def suggestion_decline(*, suggestion, by):
    """Decline: the pair is not suggested again."""
    claimed = MatchSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PENDING).update(
        status=SuggestionStatus.DECLINED, decided_by=by, decided_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This suggestion was already decided.")


# --- Matches -------------------------------------------------------------------------------------


def pair_check(*, program, mentee, mentor):
    """The hard rules a pair breaks (empty if none) and its score breakdown, from the engine."""
    pool = build_pool(program, mentee_ids=[mentee.pk], mentor_ids=[mentor.pk], ignore_capacity=True)
    problems = []
    if not pool.mentees:
        problems.append(f"{mentee.user.display_name} is not ready to be matched (or already has a match)")
    if not pool.mentors:
        problems.append(f"{mentor.user.display_name} is not ready to take a new mentee")
    if problems:
        return problems, None
    explanation = engine.explain(pool.problem, 0, 0)
    broken = [engine.RULE_TEXT[rule] for rule in explanation.broken_rules if rule != engine.Rule.CAPACITY]
    return broken, explanation


def _explanation_fields(explanation):
    return {"score": float(explanation.score), "breakdown": breakdown_of(explanation.criteria)}


@transaction.atomic
def match_propose(*, program, mentee, mentor, by, source, suggestion=None):
    """Propose a pair: checks hard rules and capacity (locked), then tells both people."""
    if mentee.program_id != program.pk or mentor.program_id != program.pk:
        raise ValidationError("Both people must be in this program.")
    if mentee.role != Role.MENTEE or mentor.role != Role.MENTOR:
        raise ValidationError("A match pairs a mentor with a mentee.")
    # Lock the mentor's enrollment: two coordinators accepting at once queue here, and the second
    # sees the first one's match when it counts.
    mentor = Enrollment.objects.select_for_update().get(pk=mentor.pk)
    broken, explanation = pair_check(program=program, mentee=mentee, mentor=mentor)
    if broken:
        raise ValidationError(f"This pair breaks a rule: {'; '.join(broken)}.")
    taken = Match.objects.filter(mentor=mentor, status__in=OPEN_MATCH_STATUSES).count()
    if taken >= mentor.effective_capacity():
        raise ValidationError(f"{mentor.user.display_name} is at capacity ({mentor.effective_capacity()}).")
    try:
        with transaction.atomic():
            match = Match.objects.create(
                program=program,
                mentee=mentee,
                mentor=mentor,
                source=source,
                suggestion=suggestion,
                proposed_by=by,
                **_explanation_fields(explanation),
            )
    except IntegrityError:
        raise ValidationError(f"{mentee.user.display_name} already has a match.") from None
    # Other pending suggestions for this mentee are moot now.
    MatchSuggestion.objects.filter(mentee=mentee, status=SuggestionStatus.PENDING).exclude(
        pk=getattr(suggestion, "pk", None)
    ).update(status=SuggestionStatus.SUPERSEDED)
    MatchRequest.objects.filter(mentee=mentee, status=RequestStatus.PENDING).update(
        status=RequestStatus.OVERRIDDEN, decided_at=timezone.now(), decided_by=by
    )
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        email_queue(
            to=person.user.email,
            template="match_introduction",
            context={"match": match, "person": person, "partner": partner, "program": program},
        )
    return match


@transaction.atomic
def match_confirm(*, match, by):
    """The mentee or the mentor confirms the match agreement; with both, the pair is active."""
    match = (
        Match.objects.select_for_update()
        .select_related("mentee__user", "mentor__user", "program")
        .get(pk=match.pk)
    )
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError("Only a proposed match is confirmed.")
    now = timezone.now()
    side = match.side_of(by)
    if side is None:
        raise PermissionDenied("Only the two people in the match confirm it.")
    if side is match.mentee:
        match.mentee_confirmed_at = match.mentee_confirmed_at or now
    else:
        match.mentor_confirmed_at = match.mentor_confirmed_at or now
    if match.mentee_confirmed_at and match.mentor_confirmed_at:
        if match.mentee.lacks_guardian_consent():
            raise ValidationError(
                "The match cannot start until a parent or guardian has given their consent: "
                "the coordinators can help."
            )
        match.status = MatchStatus.ACTIVE
        match.started_on = timezone.localdate()
        for person, partner in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
            email_queue(
                to=person.user.email,
                template="match_active",
                context={"match": match, "person": person, "partner": partner, "program": match.program},
            )
        _tell_guardian(match, "guardian_match_started")
    match.save()
    return match


def _tell_guardian(match, template):
    """The mentee's guardian hears when a match starts and ends: the mentor's first name only, and
    how to reach the coordinators (the email carries the withdraw and concern link)."""
    if match.mentee.role != Role.MENTEE or not match.mentee.guardian_email:
        return
    mentor_first_name = (match.mentor.user.display_name.split() or [""])[0]
    guardian_email_queue(
        enrollment=match.mentee,
        template=template,
        context={"match": match, "mentor_first_name": mentor_first_name},
    )


def _move(match, to_status, **fields):
    if not match.can_become(to_status):
        current, target = match.get_status_display().lower(), MatchStatus(to_status).label.lower()
        raise ValidationError(f"A {current} match cannot become {target}.")
    updated = Match.objects.filter(pk=match.pk, status=match.status).update(status=to_status, **fields)
    if not updated:
        raise ValidationError("This match changed meanwhile; reload and try again.")
    match.refresh_from_db()
    return match


@transaction.atomic
def match_pause(*, match, by, reason=""):
    """Pause a pair. ``reason`` says why when it is not the pair's own choice (a guardian withdrew
    consent, a safeguarding lead paused contact); the match page shows it until resumed."""
    match = _move(match, MatchStatus.PAUSED, pause_reason=reason[:200])
    MatchPause.objects.create(match=match, started_on=timezone.localdate())
    return match


def _end_pause(match):
    """The open pause of ``match`` (if any) ends today: from today on its periods are due again."""
    MatchPause.objects.filter(match=match, ended_on__isnull=True).update(ended_on=timezone.localdate())


@transaction.atomic
def match_resume(*, match, by):
    if match.mentee.lacks_guardian_consent():
        raise ValidationError(
            f"{match.mentee.user.display_name} needs a parent or guardian's consent before the match "
            "can go on."
        )
    match = _move(match, MatchStatus.ACTIVE, pause_reason="")
    _end_pause(match)
    return match


def matches_pause_for_consent(*, enrollment, by, reason):
    """settings.CONSENT_WITHDRAWN_HANDLERS: a guardian said no (or withdrew). Every active match of
    the mentee pauses at once, in the caller's transaction; the matches paused are returned.
    (Reminders skip paused pairs; matching skips a mentee without consent.)"""
    paused = []
    for match in Match.objects.filter(mentee=enrollment, status=MatchStatus.ACTIVE).select_related(
        "mentee__user", "mentor__user"
    ):
        paused.append(match_pause(match=match, by=by, reason=reason))
    return paused


@transaction.atomic
def match_close(*, match, by, reason, anticipated, notes="", rematch_eligible=True):
    """Close a pair, the procedure of the field: why, whether foreseen, who, notes, and whether the
    mentee may be matched again. Both people are told. A mismatch is never suggested again."""
    if reason not in ClosureReason.values:
        raise ValidationError("Choose a reason for closing.")
    match = _move(
        match,
        MatchStatus.CLOSED,
        closed_at=timezone.now(),
        ended_on=timezone.localdate(),
        closed_by=by,
        closure_reason=reason,
        closure_anticipated=anticipated,
        closure_notes=notes,
        rematch_eligible=rematch_eligible,
    )
    _end_pause(match)
    if not rematch_eligible:
        Enrollment.objects.filter(pk=match.mentee_id).update(accepting_new_matches=False)
    for person, partner in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
        email_queue(
            to=person.user.email,
            template="match_closed",
            context={"match": match, "person": person, "partner": partner, "program": match.program},
        )
    _tell_guardian(match, "guardian_match_closed")
    return match


# --- Participants choose -------------------------------------------------------------------------


def mentor_options(*, mentee, limit=5):
    """The compatible mentors with a free place, best first: (mentor, score, breakdown) each."""
    pool = build_pool(mentee.program, mentee_ids=[mentee.pk])
    if not pool.mentees:
        return []
    ranked = engine.ranked_mentors(pool.problem, 0, limit=limit)
    enrollments = Enrollment.objects.select_related("user__profile").in_bulk(
        [pool.mentors[j].pk for j, _ in ranked]
    )
    return [
        (
            enrollments[pool.mentors[j].pk],
            float(score),
            breakdown_of(engine.explain(pool.problem, 0, j).criteria),
        )
        for j, score in ranked
    ]


def choices_for(*, mentee, limit=5):
    """Up to ``limit`` mentors the engine ranks best for this mentee, with their scores."""
    return [(mentor, score) for mentor, score, _ in mentor_options(mentee=mentee, limit=limit)]


@transaction.atomic
def request_create(*, mentee, mentor, by, message=""):
    if by != mentee.user:
        raise PermissionDenied("Only the mentee asks.")
    if mentor.pk not in {m.pk for m, _ in choices_for(mentee=mentee, limit=5)}:
        raise ValidationError("That mentor is not among your suggestions any more.")
    try:
        with transaction.atomic():
            request = MatchRequest.objects.create(
                program=mentee.program, mentee=mentee, mentor=mentor, message=message
            )
    except IntegrityError:
        raise ValidationError("You already asked a mentor; wait for their answer or withdraw it.") from None
    email_queue(
        to=mentor.user.email,
        template="match_request",
        context={"request": request, "program": mentee.program},
    )
    return request


@transaction.atomic
def request_decide(*, request, by, accept):
    if by != request.mentor.user:
        raise PermissionDenied("Only the mentor asked answers.")
    claimed = MatchRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED,
        decided_at=timezone.now(),
        decided_by=by,
    )
    if not claimed:
        raise ValidationError("This request was already answered.")
    request.refresh_from_db()
    if accept:
        return match_propose(
            program=request.program,
            mentee=request.mentee,
            mentor=request.mentor,
            by=by,
            source=MatchSource.REQUEST,
        )
    email_queue(to=request.mentee.user.email, template="match_request_declined", context={"request": request})
    return None


@transaction.atomic
def request_withdraw(*, request, by):
    if by != request.mentee.user:
        raise PermissionDenied("Only the mentee withdraws their request.")
    MatchRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=RequestStatus.WITHDRAWN, decided_at=timezone.now(), decided_by=by
    )


# --- Availability -------------------------------------------------------------------------------


@transaction.atomic
def mentor_set_accepting(*, enrollment, accepting, by):
    if by != enrollment.user:
        raise PermissionDenied("Only the mentor changes this.")
    if enrollment.role != Role.MENTOR or enrollment.status != EnrollmentStatus.APPROVED:
        raise ValidationError("Only an approved mentor can change this.")
    enrollment.accepting_new_matches = accepting
    enrollment.save(update_fields=["accepting_new_matches"])
    return enrollment


# --- Nightly suggestions --------------------------------------------------------------------------


def suggestions_sweep(*, dry_run=False):
    """For programs with automatic suggestions on: run matching where the pool changed since the
    last finished run, then send each program's coordinators one digest. Never accepts anything.

    Safe twice or on two workers at once: an unchanged pool is skipped, and the one-active-run
    constraint lets a single run through per program.
    """
    from programs.models import Program

    report = []
    programs = Program.objects.filter(auto_suggestions=True, status__in=MATCHING_STATUSES).order_by("pk")
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
