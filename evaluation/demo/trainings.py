"""The demo program's trainings and who has done them (`manage.py seed_demo`, after matching).

The story: City Youth Mentoring introduced its online pre-match training for mentors (yearly), and
an orientation for parents and guardians, fifteen months ago (INTRODUCED_DAYS_AGO), both required
before matching. Every matched mentor completed it before their match started; the one matched
more than a year ago took it again when it ran out, so the "trained before their match" figure
(which keeps the latest completion) counts them as trained after. Approved mentors waiting for a
match have mostly done it (one recorded as done elsewhere); of the approved mentors still being
screened, one is half-way through and two have not begun. Guardians who consented took the
orientation, except one, whose child waits for it. Mentees have an optional welcome session (one
held, with attendance taken, two to come), mentors an optional yearly safeguarding refresher.

Everything goes through the services (programs/trainings.py, programs/training_progress.py and
the one completion function, programs.training_records.training_complete); only the dates a
service sets to "now" (published, started) are moved back afterwards, as demo_site's _backdate does.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from evaluation.demo import training_text as text
from matching.models import Match, MatchSuggestion
from programs import training_progress
from programs import trainings as authoring
from programs.models import (
    CompletedBy,
    EnrollmentStatus,
    QuizAttempt,
    Role,
    Training,
    TrainingFor,
    TrainingKind,
    TrainingRecord,
)
from programs.training_records import training_complete

INTRODUCED_DAYS_AGO = 450
# Matches older than this had their mentor trained over a year ago: the training was renewed since.
RENEWED_AFTER_DAYS = 330


@dataclass
class DemoTrainings:
    pre_match: Training
    orientation: Training
    welcome: Training
    refresher: Training
    half_way: object  # the approved mentor half-way through the pre-match training
    external: object  # the mentor whose training was done elsewhere
    guardian_waiting: object  # the consented mentee whose guardian has not taken the orientation
    trained_late: list  # mentors whose (latest) completion is after their match started


def _at(day, hour=18, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _online(*, program, by, title, summary, audience, pages, quiz, published_on, **settings):
    training = authoring.training_create(
        program=program, by=by, title=title, summary=summary, audience=audience,
        kind=TrainingKind.ONLINE, **settings,
    )  # fmt: skip
    for page_title, body in pages:
        authoring.page_add(training=training, title=page_title, body=body)
    for question, choices, correct, explanation in quiz:
        authoring.question_add(
            training=training, text=question, choices=choices, correct=correct, explanation=explanation
        )
    return _publish(training, by=by, on=published_on)


def _in_person(*, program, by, published_on, **fields):
    training = authoring.training_create(program=program, by=by, kind=TrainingKind.IN_PERSON, **fields)
    return _publish(training, by=by, on=published_on)


def _publish(training, *, by, on):
    authoring.training_publish(training=training, by=by)
    Training.objects.filter(pk=training.pk).update(published_at=_at(on, 9), created_at=_at(on, 9))
    training.refresh_from_db()
    return training


def demo_trainings(*, site, today, seed=14):
    """The demo program's four trainings, and records that tell the story above."""
    rng = random.Random(seed)
    program, lead = site.program, site.coordinator
    trainer = program.coordinators.exclude(pk=lead.pk).first() or lead  # "looks after mentor training"
    introduced = today - dt.timedelta(days=INTRODUCED_DAYS_AGO)
    pre_match = _online(
        program=program, by=trainer, title=text.PRE_MATCH_TITLE, summary=text.PRE_MATCH_SUMMARY,
        audience=TrainingFor.MENTOR, pages=text.PRE_MATCH_PAGES, quiz=text.PRE_MATCH_QUIZ,
        published_on=introduced - dt.timedelta(days=1), required=True, valid_days=365, hours=2, pass_mark=80,
    )  # fmt: skip
    orientation = _online(
        program=program, by=trainer, title=text.ORIENTATION_TITLE, summary=text.ORIENTATION_SUMMARY,
        audience=TrainingFor.GUARDIAN, pages=text.ORIENTATION_PAGES, quiz=text.ORIENTATION_QUIZ,
        published_on=introduced - dt.timedelta(days=1), required=True, hours=0.5, pass_mark=50,
    )  # fmt: skip
    welcome = _in_person(
        program=program, by=lead, published_on=today - dt.timedelta(days=70),
        title="Welcome session for new mentees", audience=TrainingFor.MENTEE, hours=1.5,
        summary="Meet other young people starting in the program and the coordinators: how mentoring "
        "works, how to stay safe, and what to expect at your first meeting. Snacks provided.",
    )  # fmt: skip
    refresher = _in_person(
        program=program, by=trainer, published_on=today - dt.timedelta(days=20),
        title="Safeguarding refresher", audience=TrainingFor.MENTOR, valid_days=365, hours=1.5,
        summary="A yearly evening for mentors: what has changed in safeguarding, real (anonymised) "
        "situations from the past year, and your questions to the safeguarding lead.",
    )  # fmt: skip
    done = DemoTrainings(pre_match, orientation, welcome, refresher, None, None, None, [])
    _mentor_records(done, program=program, by=trainer, today=today, introduced=introduced, rng=rng)
    _guardian_records(done, program=program, today=today, introduced=introduced, rng=rng)
    _welcome_sessions(welcome, program=program, by=lead, today=today)
    _refresher_session(refresher, program=program, today=today)
    return done


def _first_starts(program):
    """{mentor or mentee enrollment id: the day their first match started}, and the ids of all in
    a match (proposed ones too)."""
    matches = Match.objects.filter(program=program)
    starts = {}
    for side in ("mentor", "mentee"):
        rows = matches.filter(started_on__isnull=False).values(side).annotate(first=Min("started_on"))
        starts.update({row[side]: row["first"] for row in rows})
    in_a_match = set(matches.values_list("mentor", flat=True)) | set(matches.values_list("mentee", flat=True))
    return starts, in_a_match


def _completion_day(rng, *, started, introduced, today):
    """When someone completed a training introduced on ``introduced``: in the weeks before their
    match started; or, not started, some time since."""
    if started is None:
        return max(introduced, today - dt.timedelta(days=rng.randint(10, 200)))
    earliest = max(introduced, started - dt.timedelta(days=45))
    latest = max(earliest, started - dt.timedelta(days=7))
    day = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
    return min(day, started - dt.timedelta(days=1))


def _complete_online(training, enrollment, *, on, score, rng):
    """The person read every page and passed the quiz on ``on`` (a first time, or again once it ran
    out): the record, and their attempts at the quiz (a failed one first, now and then)."""
    renewal = training.records.filter(enrollment=enrollment, completed_on__isnull=False).exists()
    record = training_complete(training=training, enrollment=enrollment, how=CompletedBy.ONLINE,
                               completed_on=on, score=score)  # fmt: skip
    if not renewal:
        began = on - dt.timedelta(days=rng.randint(0, 6))
        TrainingRecord.objects.filter(pk=record.pk).update(started_at=_at(began))
    questions = list(training.questions.prefetch_related("choices"))
    wrong = round(len(questions) * (100 - score) / 100)
    tries = [(67, 2, False)] if score == 83 and rng.random() < 0.4 else []
    for k, (mark, misses, passed) in enumerate([*tries, (score, wrong, True)]):
        answers = {
            str(q.pk): next(c.pk for c in q.choices.all() if c.is_correct != (i < misses))
            for i, q in enumerate(questions)
        }
        QuizAttempt.objects.create(record=record, score=mark, passed=passed, answers=answers,
                                   submitted_at=_at(on, 19, 10 * k))  # fmt: skip
    return record


def _mentor_records(done, *, program, by, today, introduced, rng):
    training = done.pre_match
    starts, in_a_match = _first_starts(program)
    mentors = list(program.enrollments.filter(role=Role.MENTOR).with_screening().order_by("pk"))
    approved = [e for e in mentors if e.status == EnrollmentStatus.APPROVED]
    screened = [e for e in approved if e.screening_complete]
    waiting = [e for e in screened if e.pk not in in_a_match]
    done.external = waiting[-1] if waiting else None
    for enrollment in screened:
        if enrollment == done.external:
            continue
        started = starts.get(enrollment.pk)
        on = _completion_day(rng, started=started, introduced=introduced, today=today)
        if started and started < today - dt.timedelta(days=RENEWED_AFTER_DAYS):
            on = started - dt.timedelta(days=40)
        _complete_online(training, enrollment, on=on, score=rng.choice([83, 100, 100]), rng=rng)
        expiry = training.expiry_for(on)
        if expiry <= today:  # it ran out: taken again (the quiz opens again once expired)
            renewed = expiry + dt.timedelta(days=rng.randint(0, min(5, (today - expiry).days)))
            _complete_online(training, enrollment, on=renewed, score=100, rng=rng)
            done.trained_late.append(enrollment)
    if done.external is not None:
        on = today - dt.timedelta(days=rng.randint(60, 200))
        authoring.training_record_external(
            training=training, enrollment=done.external, by=by, completed_on=on,
            note=f"Took the county's volunteer training in {on:%B}",
        )  # fmt: skip
    # Approved but still in screening: one half-way through the pages, three done, two not begun.
    partly_screened = [e for e in approved if not e.screening_complete]
    if partly_screened:
        done.half_way = partly_screened[0]
        record = training_progress.record_for_taking(training, done.half_way)
        for number in (1, 2, 3):
            record = training_progress.page_read(record=record, number=number)
        TrainingRecord.objects.filter(pk=record.pk).update(started_at=_at(today - dt.timedelta(days=4), 20))
    for enrollment in partly_screened[1:4]:
        on = max(introduced, today - dt.timedelta(days=rng.randint(3, 60)))
        _complete_online(training, enrollment, on=on, score=rng.choice([83, 100]), rng=rng)
    # Applicants often take it while they are screened: two of those in screening did.
    for enrollment in [e for e in mentors if e.status == EnrollmentStatus.IN_SCREENING][1::3]:
        on = today - dt.timedelta(days=rng.randint(2, 20))
        _complete_online(training, enrollment, on=on, score=100, rng=rng)


def _guardian_records(done, *, program, today, introduced, rng):
    """Guardians who consented took the orientation (from the link in the consent email): recorded
    on their child's enrollment. One has not yet: their child waits to be matched."""
    starts, in_a_match = _first_starts(program)
    mentees = program.enrollments.filter(role=Role.MENTEE, guardian_consent=True).select_related(
        "user__profile", "program"
    )
    consented = [e for e in mentees.order_by("pk") if e.needs_guardian_consent(today)]
    suggested = set(
        MatchSuggestion.objects.filter(program=program, status="pending").values_list("mentee", flat=True)
    )
    unmatched = [e for e in consented if e.pk not in in_a_match]
    candidates = [e for e in unmatched if e.pk not in suggested] or unmatched
    # The last: the demo's mentee log-in (mentee1) is among the first, and waits for a match.
    done.guardian_waiting = candidates[-1] if candidates else None
    for enrollment in consented:
        if enrollment == done.guardian_waiting:
            continue
        on = _completion_day(rng, started=starts.get(enrollment.pk), introduced=introduced, today=today)
        _complete_online(done.orientation, enrollment, on=on, score=rng.choice([100, 100, 50]), rng=rng)


def _welcome_sessions(training, *, program, by, today):
    """One session held six weeks ago (attendance taken), and two to come."""
    mentees = list(
        program.enrollments.filter(role=Role.MENTEE, status=EnrollmentStatus.APPROVED).order_by("pk")
    )
    day = today - dt.timedelta(days=42)
    held = authoring.session_add(
        training=training, starts_at=_at(day, 17), ends_at=_at(day, 18, 30), capacity=15,
        place="Central Library, Old Town (the Learning Room, first floor)",
        note="Come straight from school: drinks and snacks on arrival.",
    )  # fmt: skip
    signups = [authoring.session_add_person(session=held, enrollment=e) for e in mentees[:9]]
    present = {s.pk: k not in (3, 7) for k, s in enumerate(signups)}  # two did not come
    authoring.attendance_take(session=held, present=present, by=by)
    coming = [
        ("Northside Library, Meeting Room 2", 12, 17, 15),
        ("Eastgate Youth Centre (main hall, side entrance on Mill Lane)", 26, 11, 12),
    ]
    for k, (place, days, hour, capacity) in enumerate(coming):
        session = authoring.session_add(
            training=training, starts_at=_at(today + dt.timedelta(days=days), hour),
            ends_at=_at(today + dt.timedelta(days=days), hour + 1, 30), place=place, capacity=capacity,
            note="A parent or carer is welcome to come along for the first half hour.",
        )  # fmt: skip
        for enrollment in mentees[9 + 4 * k : 13 + 4 * k]:
            training_progress.session_signup(session=session, enrollment=enrollment)


def _refresher_session(training, *, program, today):
    session = authoring.session_add(
        training=training, starts_at=_at(today + dt.timedelta(days=19), 18, 30),
        ends_at=_at(today + dt.timedelta(days=19), 20), capacity=20,
        place="Riverside Community Centre, Room 3", note="Led by the program's safeguarding lead.",
    )  # fmt: skip
    matched = Match.objects.filter(program=program, status="active").values_list("mentor", flat=True)
    for enrollment in program.enrollments.filter(pk__in=matched).order_by("pk")[:5]:
        training_progress.session_signup(session=session, enrollment=enrollment)
