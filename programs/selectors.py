"""Reads about programs and applications, scoped to who is asking."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.module_loading import import_string

from programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus, Role, TrainingFor


def programs_managed_by(user):
    if user.is_staff:
        return Program.objects.all()
    return Program.objects.filter(coordinators=user)


def programs_open_to_the_public():
    return Program.objects.exclude(status__in=[ProgramStatus.DRAFT, ProgramStatus.CLOSED])


def enrollments_of(user):
    """The person's own applications, newest first, with what the dashboard shows."""
    return (
        Enrollment.objects.filter(user=user)
        .select_related("program", "user__profile")  # missing_for reads the profile
        .with_screening()
        .prefetch_related(
            "program__checklist_items", "screening_records", "program__trainings", "training_records"
        )
    )


def applicants(program):
    """The coordinator's applicant list: one query however many rows (annotations, no N+1)."""
    return (
        Enrollment.objects.filter(program=program)
        .select_related("user", "user__profile", "program")
        .with_screening()
        .with_minor()
        .with_date_of_birth_flag()
        .order_by("-created_at", "-pk")
    )


def funnel(program):
    """Counts by role: applied (all), in screening, approved, ready to match, wait-listed, ...,
    and "matched" from the matching app (settings.PROGRAM_FUNNEL_EXTRAS)."""
    counts = Enrollment.objects.filter(program=program).aggregate(
        **{
            f"{role}_{key}": Count("pk", filter=Q(role=role) & condition)
            for role in Role.values
            for key, condition in {
                "applied": Q(),
                "in_screening": Q(status=EnrollmentStatus.IN_SCREENING),
                "approved": Q(status=EnrollmentStatus.APPROVED),
                "waitlisted": Q(status=EnrollmentStatus.WAITLISTED),
                "declined": Q(status=EnrollmentStatus.DECLINED),
                "withdrawn": Q(status=EnrollmentStatus.WITHDRAWN),
            }.items()
        }
    )
    matchable = Enrollment.objects.filter(program=program).matchable().values("role").annotate(n=Count("pk"))
    by_role = {row["role"]: row["n"] for row in matchable}
    # Apps above this one add stages (matching adds "matched"), named in settings.
    extras = {stage: import_string(path)(program) for stage, path in settings.PROGRAM_FUNNEL_EXTRAS.items()}
    return {
        role: {
            "applied": counts[f"{role}_applied"],
            "in_screening": counts[f"{role}_in_screening"],
            "approved": counts[f"{role}_approved"],
            "matchable": by_role.get(role, 0),
            "waitlisted": counts[f"{role}_waitlisted"],
            "declined": counts[f"{role}_declined"],
            "withdrawn": counts[f"{role}_withdrawn"],
            **{stage: values.get(role, 0) for stage, values in extras.items()},
        }
        for role in Role.values
    }


# How ``missing_for`` says a mentee still needs a guardian's consent (the dashboard's checklist
# shows consent as a step of its own).
CONSENT_MISSING = "a parent or guardian's consent"

# What can keep an open application from being matched: the applicant list's "blocked by" filter
# (``EnrollmentQuerySet.blocked_by``) and its short words for each (``Blocker.kind``).
BLOCKED_BY = {
    "decision": "not approved yet",
    "consent": "guardian consent missing",
    "screening": "checklist incomplete",
    "dob_check": "date of birth to check",
    "age": "mentor under 18",
    "break": "on a break",
    "training": "training not done",
}


@dataclass(frozen=True)
class Blocker:
    kind: str  # a key of BLOCKED_BY
    text: str  # in plain words, as the applicant reads it


def blockers_for(enrollment, *, on=None):
    """What an application still needs before the person can be matched, each with its kind. (The
    queryset twin of these rules is ``Enrollment.objects.matchable``, and ``blocked_by`` for one
    kind.) Reads the enrollment's user's profile, its program's checklist items and its screening
    records: ``with_blockers`` loads them for many at once."""
    from programs.rules import age_problem

    on = on or timezone.localdate()
    found = []
    if enrollment.status in (EnrollmentStatus.APPLIED, EnrollmentStatus.IN_SCREENING):
        found.append(Blocker("decision", "a decision from the coordinators"))
    if enrollment.is_on_break(on):
        found.append(
            Blocker("break", f"to be back from a break (until {enrollment.on_break_until:%-d %b %Y})")
        )
    profile = enrollment.user.profile
    if (
        enrollment.dob_reviewed_at
        and profile.date_of_birth_changed_at
        and profile.date_of_birth_changed_at > enrollment.dob_reviewed_at
    ):
        found.append(Blocker("dob_check", "a coordinator to check a changed date of birth"))
    if enrollment.role == Role.MENTOR:
        if age_problem(role=Role.MENTOR, date_of_birth=profile.date_of_birth, on=on):
            found.append(Blocker("age", "to be 18 or over"))
        records = {r.item_id: r for r in enrollment.screening_records.all()}
        for item in enrollment.program.checklist_items.all():
            if item.archived_at is not None:
                continue
            record = records.get(item.pk)
            if record is None:
                found.append(Blocker("screening", item.name.lower()))
            elif not record.is_current(on):
                found.append(
                    Blocker("screening", f"{item.name.lower()} (expired {record.expires_on:%-d %b %Y})")
                )
    elif enrollment.lacks_guardian_consent(on):
        found.append(Blocker("consent", CONSENT_MISSING))
    for training, record in missing_trainings(enrollment, on=on):
        found.append(Blocker("training", training_still_needed(training, record)))
    return found


def gating_trainings_for(enrollment, on=None):
    """The published, required trainings ``enrollment`` must have completed to be matched: its
    role's and, for a mentee who needs a guardian's consent, the guardians'. Reads
    ``program.trainings`` through .all(), so a prefetch serves it."""
    audiences = {enrollment.role}
    if enrollment.needs_guardian_consent(on):
        audiences.add(TrainingFor.GUARDIAN)
    return [t for t in enrollment.program.trainings.all() if t.gates_matching and t.audience in audiences]


def missing_trainings(enrollment, *, on=None):
    """(training, record or None) for each gating training without a current record: the Python
    twin of ``EnrollmentQuerySet.with_training``. Reads ``training_records`` through .all()."""
    on = on or timezone.localdate()
    records = {r.training_id: r for r in enrollment.training_records.all()}
    missing = []
    for training in gating_trainings_for(enrollment, on):
        record = records.get(training.pk)
        if record is None or not record.is_current(on):
            missing.append((training, record))
    return missing


def training_still_needed(training, record):
    """How the "still needed" list says a training is missing."""
    expired = f" (expired {record.expires_on:%-d %b %Y})" if record and record.is_completed else ""
    if training.audience == TrainingFor.GUARDIAN:
        return f"a parent or guardian to complete “{training.title}”{expired}"
    return f"the training “{training.title}”{expired}"


def missing_for(enrollment, *, on=None):
    """What an application still needs before the person can be matched, in plain words."""
    return [blocker.text for blocker in blockers_for(enrollment, on=on)]


def blocker_words(enrollment, blockers):
    """The applicant list's short words for ``blockers`` (of ``enrollment``), as (kind, words):
    "checklist 2/4" for the screening items, once."""
    words = []
    for kind in BLOCKED_BY:
        count = sum(1 for blocker in blockers if blocker.kind == kind)
        if not count:
            continue
        if kind == "screening":
            total = sum(1 for item in enrollment.program.checklist_items.all() if item.archived_at is None)
            words.append((kind, f"checklist {total - count}/{total}"))
        else:
            words.append((kind, BLOCKED_BY[kind]))
    return words


def with_blockers(enrollments, *, on=None):
    """``enrollments`` (a page of the applicant list), each given ``blockers`` (``blockers_for``)
    and ``blocker_words``, in a constant number of queries however many there are. Closed
    applications (declined, withdrawn) have none: they are not going to be matched."""
    enrollments = list(enrollments)
    prefetch_related_objects(
        enrollments,
        "user__profile",
        "program__checklist_items",
        "screening_records",
        "program__trainings",
        "training_records",
    )
    for enrollment in enrollments:
        blockers = blockers_for(enrollment, on=on) if enrollment.is_open else []
        enrollment.blockers = blockers
        enrollment.blocker_words = blocker_words(enrollment, blockers)
    return enrollments
