"""Every write about matching but runs: suggestions, matches and their lifecycle, requests, availability.

The engine (the package matching/engine/) is pure; this module loads the pool (matching/pool.py) to
check and explain a pair or rank a mentee's mentors. Runs and the nightly suggestions are in
matching/runs.py. Capacity is enforced under concurrency by locking the mentor's enrollment row; a
mentee's single open match by a partial unique constraint.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from matching import engine
from matching.break_news import break_news_queue
from matching.meetings import meetings_call_off
from matching.models import (
    OPEN_MATCH_STATUSES,
    ClosureReason,
    Match,
    MatchPause,
    MatchRequest,
    MatchSource,
    MatchStatus,
    MatchSuggestion,
    RequestStatus,
    SuggestionStatus,
)
from matching.pool import build_pool
from mentorship.services import audit_record, email_queue
from programs.breaks import break_start
from programs.guardians import guardian_email_queue, guardian_to_email
from programs.limited import limited_first_name
from programs.models import Enrollment, EnrollmentStatus, Role

# --- Score breakdowns ----------------------------------------------------------------------------


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


def _on_break(enrollment):
    # The commonest reason someone ready is left out of the pool, named so the coordinator knows.
    if enrollment.is_on_break():
        return f"{enrollment.user.display_name} is on a break until {enrollment.on_break_until:%-d %b %Y}"
    return ""


def pair_check(*, program, mentee, mentor):
    """The hard rules a pair breaks (empty if none) and its score breakdown, from the engine."""
    pool = build_pool(program, mentee_ids=[mentee.pk], mentor_ids=[mentor.pk], ignore_capacity=True)
    problems = []
    if not pool.mentees:
        not_ready = f"{mentee.user.display_name} is not ready to be matched (or already has a match)"
        problems.append(_on_break(mentee) or not_ready)
    if not pool.mentors:
        problems.append(_on_break(mentor) or f"{mentor.user.display_name} is not ready to take a new mentee")
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
    if program.has_groups:
        raise ValidationError("This program mentors in groups or peer circles, not in pairs.")
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


def guardian_told(match):
    """The consent of the mentee's guardian who hears when ``match`` starts and ends, or None when
    no guardian is told (an adult mentee, none named, or one who said no). Pages that say who was
    or will be told ask this."""
    if match.mentee.role != Role.MENTEE or not match.mentee.guardian_email:
        return None
    return guardian_to_email(match.mentee)


def _tell_guardian(match, template):
    """The mentee's guardian hears when a match starts and ends: the mentor's first name only, and
    how to reach the coordinators (the email carries the withdraw and concern link)."""
    if guardian_told(match) is None:
        return
    mentor_first_name = limited_first_name(match.mentor)  # as the guardian page says it
    guardian_email_queue(
        enrollment=match.mentee,
        template=template,
        context={"match": match, "mentor_first_name": mentor_first_name},
    )


def _move(match, to_status, *, by, **fields):
    """A coordinator's status change (pause, resume, close): allowed moves only, claimed with a
    conditional update, and recorded in the audit trail with who made it."""
    if not match.can_become(to_status):
        current, target = match.get_status_display().lower(), MatchStatus(to_status).label.lower()
        raise ValidationError(f"A {current} match cannot become {target}.")
    updated = Match.objects.filter(pk=match.pk, status=match.status).update(status=to_status, **fields)
    if not updated:
        raise ValidationError("This match changed meanwhile; reload and try again.")
    audit_record(actor=by, action="match.status", target=match, summary=f"{match.status} → {to_status}")
    match.refresh_from_db()
    return match


@transaction.atomic
def match_pause(*, match, by, reason=""):
    """Pause a pair. ``reason`` says why when it is not the pair's own choice (a guardian withdrew
    consent, a safeguarding lead paused contact); the match page shows it until resumed."""
    match = _move(match, MatchStatus.PAUSED, by=by, pause_reason=reason[:200])
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
    match = _move(match, MatchStatus.ACTIVE, by=by, pause_reason="")
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
        by=by,
        closed_at=timezone.now(),
        ended_on=timezone.localdate(),
        closed_by=by,
        closure_reason=reason,
        closure_anticipated=anticipated,
        closure_notes=notes,
        rematch_eligible=rematch_eligible,
    )
    _end_pause(match)
    meetings_call_off(match=match, by=by)
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


# --- Breaks -------------------------------------------------------------------------------------


@transaction.atomic
def enrollment_break_start(*, enrollment, until, by):
    """A break (programs.breaks.break_start), and the person's open requests closed politely:
    those a mentor on a break received are declined (the mentee hears they cannot be taken on at
    the moment), those a mentee on a break sent are withdrawn. Their partners are told
    (matching.break_news), and so is the person when a coordinator set the break."""
    break_start(enrollment=enrollment, until=until, by=by)
    break_news_queue(enrollment=enrollment, until=until, by=by)
    now = timezone.now()
    received = list(
        MatchRequest.objects.filter(mentor=enrollment, status=RequestStatus.PENDING).select_related(
            "mentee__user", "mentor__user__profile", "program"
        )
    )
    for request in received:
        claimed = MatchRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.DECLINED, decided_at=now, decided_by=by
        )
        if claimed:
            email_queue(
                to=request.mentee.user.email, template="match_request_declined", context={"request": request}
            )
    MatchRequest.objects.filter(mentee=enrollment, status=RequestStatus.PENDING).update(
        status=RequestStatus.WITHDRAWN, decided_at=now, decided_by=by
    )
    return enrollment
