"""What coordinators read about trainings: each training's completion counts, who has completed,
started or not started one, a person's trainings, and the people x trainings overview. Each read
takes a constant number of queries however many people there are.

Who a training is for ("its people"): open enrollments in screening or approved (applicants not
yet looked at, and closed ones, are left out), of its audience's role; for a guardians' training,
the mentees who need a guardian's consent (their guardian takes it; it is recorded on them).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from mentorship.models import adult_birthdate_limit
from programs.models import (
    Enrollment,
    EnrollmentStatus,
    Role,
    Training,
    TrainingFor,
    TrainingRecord,
)
from programs.models.enrollments import _needs_consent

COUNTED_STATUSES = [EnrollmentStatus.IN_SCREENING, EnrollmentStatus.APPROVED]
# A completion expiring within this many days is "expiring": the coordinators' to-do counts them
# (with those expired) and the overview's filter lists them (``expiring_records``).
EXPIRING_DAYS = 30
# A person's state in a training, in the order the pages list them.
STATES = {
    "current": "Completed",
    "expired": "Expired",
    "started": "Started",
    "not_started": "Not started",
}


def audience_q(audience, on=None, prefix=""):
    """The enrollments a training for ``audience`` is for (``prefix`` reaches the enrollment)."""
    on = on or timezone.localdate()
    if audience == TrainingFor.GUARDIAN:
        return _needs_consent(adult_birthdate_limit(on), prefix)
    return Q(**{f"{prefix}role": audience})


def theirs_q(on=None, prefix=""):
    """Records (``prefix`` reaches the record) whose training is for their enrollment: a role's
    training on that role, a guardians' training on a mentee who needs a guardian's consent."""
    theirs = Q(**{f"{prefix}training__audience": TrainingFor.GUARDIAN}) & audience_q(
        TrainingFor.GUARDIAN, on, f"{prefix}enrollment__"
    )
    for role in Role.values:
        theirs |= Q(**{f"{prefix}training__audience": role, f"{prefix}enrollment__role": role})
    return theirs


def expiring_records(on=None):
    """Completions of required, published trainings that expire within EXPIRING_DAYS of ``on`` or
    have expired, of the people the trainings are for (in screening or approved): what the
    coordinators' to-do counts and the overview's "expiring" filter lists."""
    on = on or timezone.localdate()
    return TrainingRecord.objects.filter(
        theirs_q(on),
        training__in=Training.objects.gating(),
        enrollment__status__in=COUNTED_STATUSES,
        completed_on__isnull=False,
        expires_on__lte=on + dt.timedelta(days=EXPIRING_DAYS),
    )


def counted(program):
    return Enrollment.objects.filter(program=program, status__in=COUNTED_STATUSES)


def training_people(training, on=None):
    """The people ``training`` is for (see the module's docstring)."""
    return counted(training.program_id).filter(audience_q(training.audience, on))


def _state_q(state, on, prefix=""):
    """Records in ``state`` (a key of STATES but "not_started")."""
    current = Q(**{f"{prefix}completed_on__isnull": False}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gt": on})
    )
    if state == "current":
        return current
    if state == "expired":
        return Q(**{f"{prefix}completed_on__isnull": False}) & ~current
    return Q(**{f"{prefix}completed_on__isnull": True})


def training_list(program, on=None):
    """The program's trainings (not archived), each with ``counts``: {state: people}, in three
    queries however many trainings and people."""
    on = on or timezone.localdate()
    trainings = list(program.trainings.current().annotate(page_count=Count("pages", distinct=True)))
    sizes = counted(program).aggregate(
        **{audience: Count("pk", filter=audience_q(audience, on)) for audience in TrainingFor.values}
    )
    rows = (
        TrainingRecord.objects.filter(training__program=program, enrollment__status__in=COUNTED_STATUSES)
        .filter(theirs_q(on))
        .values("training")
        .annotate(
            **{state: Count("pk", filter=_state_q(state, on)) for state in ("current", "expired", "started")}
        )
    )
    by_training = {row.pop("training"): row for row in rows}
    for training in trainings:
        found = by_training.get(training.pk, {"current": 0, "expired": 0, "started": 0})
        total = sizes[training.audience]
        training.counts = {**found, "not_started": total - sum(found.values())}
        training.people_count = total
    return trainings


def completion_rows(training, state=None, on=None):
    """The people ``training`` is for, by name, each with ``record`` (theirs, or None) and
    ``state``; ``state`` given: only those in it. A queryset: paginate it, then ``with_states``."""
    on = on or timezone.localdate()
    people = training_people(training, on).select_related("user__profile")
    if state in ("current", "expired", "started"):
        people = people.filter(
            Exists(training.records.filter(_state_q(state, on), enrollment=OuterRef("pk")))
        )
    elif state == "not_started":
        people = people.exclude(Exists(training.records.filter(enrollment=OuterRef("pk"))))
    records = TrainingRecord.objects.filter(training=training).select_related("recorded_by")
    return people.prefetch_related(Prefetch("training_records", queryset=records, to_attr="found")).order_by(
        "user__last_name", "user__first_name", "pk"
    )


def state_of(record, on=None):
    if record is None:
        return "not_started"
    if not record.is_completed:
        return "started"
    return "current" if record.is_current(on) else "expired"


def with_states(enrollments, on=None):
    enrollments = list(enrollments)
    for enrollment in enrollments:
        enrollment.record = enrollment.found[0] if enrollment.found else None
        enrollment.state = state_of(enrollment.record, on)
    return enrollments


@dataclass
class PersonTraining:
    training: Training
    record: TrainingRecord | None
    state: str
    for_guardian: bool


def person_trainings(enrollment, on=None):
    """The published trainings for ``enrollment`` (its role's and, for a mentee who needs a
    guardian's consent, the guardians'), then any other training they have a record of (a draft
    or archived one), each with their record and state."""
    on = on or timezone.localdate()
    audiences = {enrollment.role}
    if enrollment.needs_guardian_consent(on):
        audiences.add(TrainingFor.GUARDIAN)
    records = {
        r.training_id: r for r in enrollment.training_records.select_related("training", "recorded_by")
    }
    found = []
    for training in enrollment.program.trainings.published().filter(audience__in=audiences):
        record = records.pop(training.pk, None)
        found.append(
            PersonTraining(training, record, state_of(record, on), training.audience == TrainingFor.GUARDIAN)
        )
    for record in records.values():
        found.append(
            PersonTraining(
                record.training,
                record,
                state_of(record, on),
                record.training.audience == TrainingFor.GUARDIAN,
            )
        )
    return found


def trainings_to_record(enrollment, on=None):
    """The trainings a coordinator may record as done elsewhere for ``enrollment``: those for it,
    published or not (a draft too: someone may come trained before it is published)."""
    on = on or timezone.localdate()
    audiences = [enrollment.role]
    if enrollment.needs_guardian_consent(on):
        audiences.append(TrainingFor.GUARDIAN)
    return enrollment.program.trainings.current().filter(audience__in=audiences)


# --- The people x trainings overview -------------------------------------------------------------


def overview(program, *, role=None, incomplete=False, expiring=False, on=None):
    """The people the program's trainings are for (open, in screening or approved), by name;
    ``role``: mentors or mentees only; ``incomplete``: only those missing a published training of
    theirs (not completed, or expired); ``expiring``: only those with a required training expiring
    soon or expired (``expiring_records``). A queryset: paginate it, then ``with_cells``."""
    on = on or timezone.localdate()
    people = counted(program).select_related("user__profile", "program")
    if role in Role.values:
        people = people.filter(role=role)
    if incomplete:
        current = TrainingRecord.objects.current(on).filter(
            enrollment=OuterRef(OuterRef("pk")), training=OuterRef("pk")
        )
        missing = Training.objects.published().filter(program=OuterRef("program")).exclude(Exists(current))
        people = people.filter(
            Q(Exists(missing.filter(audience=OuterRef("role"))))
            | (
                audience_q(TrainingFor.GUARDIAN, on)
                & Q(Exists(missing.filter(audience=TrainingFor.GUARDIAN)))
            )
        )
    if expiring:
        people = people.filter(Exists(expiring_records(on).filter(enrollment=OuterRef("pk"))))
    return people.prefetch_related("training_records").order_by("user__last_name", "user__first_name", "pk")


def with_cells(enrollments, trainings, on=None):
    """Each of ``enrollments`` (a page of ``overview``) given ``cells``: per training of
    ``trainings``, its state for them, or None where the training is not for them."""
    on = on or timezone.localdate()
    enrollments = list(enrollments)
    for enrollment in enrollments:
        records = {r.training_id: r for r in enrollment.training_records.all()}
        needs_guardian = enrollment.needs_guardian_consent(on)
        enrollment.cells = [
            (
                _cell(records.get(t.pk), on)
                if t.audience == enrollment.role or (t.audience == TrainingFor.GUARDIAN and needs_guardian)
                else None
            )
            for t in trainings
        ]
    return enrollments


def _cell(record, on):
    """The overview's state of ``record``: STATES' key, or "expiring" for a current completion that
    runs out within EXPIRING_DAYS."""
    state = state_of(record, on)
    if (
        state == "current"
        and record.expires_on
        and record.expires_on <= on + dt.timedelta(days=EXPIRING_DAYS)
    ):
        return "expiring"
    return state
