"""What needs a coordinator: the one selector behind the to-do panel of their dashboard and their
daily email (evaluation/digests.py), so that both always say the same.

For each program the person coordinates, a count of each kind of thing waiting for them, with a
link to the page where they act on it:

- new applications awaiting a first decision (status "applied");
- mentees without a guardian's consent they need: the applicant list's "blocked by: guardian
  consent" (``EnrollmentQuerySet.blocked_by``, the conditions of ``matchable``);
- screening checks expiring within 30 days (or already expired) of mentors still taking part;
- required, published trainings expiring within 30 days (or already expired) of the people they
  are for (``programs.training_completion.expiring_records``, which the people x trainings
  overview's "expiring" filter lists, where the link leads);
- pairs not met for two check-in periods, and other pairs at risk (a low rating, an overdue staff
  contact): ``pairs_at_risk``;
- surveys due and not yet answered: ``surveys_due``;
- people of active matches not seen for two check-in periods: ``inactive_people``
  (evaluation/activity.py), listed by name on the dashboard with a "Send a nudge" button.

A constant number of queries whatever the number of programs, people and pairs (at most eleven):
the programs, one grouped count each of new applications, missing consents, expiring checks and
expiring trainings, one for the surveys (counted in the database: evaluation/todo_counts.py), one
or two for the pairs at risk and one to three for the inactive people. Only counts and links: no
minor's details (the digest adds the first names of the pairs at risk, which coordinators see on
every page; the inactive people's names are on the dashboard only).

What is loaded is what is shown. The email lists every pair at risk (``pairs=True``:
``pairs_at_risk``, the pairs and their people); the dashboard shows only their counts
(``pairs=False``: ``pairs_at_risk(..., limit=0).by_program``, no pair loaded) and the first
``shown`` inactive people of each program (the email none), with how many there are in all. A city
of ten thousand pairs then costs a few index probes per pair, not a model per pair and person.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from evaluation.activity import People, inactive_people
from evaluation.selectors import pairs_at_risk
from evaluation.todo_counts import surveys_due_counts
from matching.models import Match
from programs.models import (
    OPEN_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Program,
    Role,
    ScreeningRecord,
)
from programs.training_completion import EXPIRING_DAYS, expiring_records

EXPIRY_WARNING_DAYS = 30
CONSENT = "consent"  # the applicant list's "blocked by" reason (EnrollmentQuerySet.blocked_by)


@dataclass
class TodoItem:
    key: str
    count: int
    text: str  # "3 new applications awaiting a decision"
    short: str  # "3 new applications": for the email's subject
    url: str


@dataclass
class ProgramTodo:
    program: Program
    items: list = field(default_factory=list)  # TodoItem, only those with something to do
    at_risk: list = field(default_factory=list)  # RiskyPair: the pairs behind the two pair counts
    # Enrollment: the people behind the "inactive" count (activity.People: the first ``shown``)
    inactive: list = field(default_factory=list)

    def count(self, key):
        return next((item.count for item in self.items if item.key == key), 0)


def _per_program(enrollments):
    """{program id: how many} of ``enrollments``, in one grouped query."""
    return dict(enrollments.order_by().values("program").annotate(n=Count("pk")).values_list("program", "n"))


def _n(count, singular, plural=None):
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _expiring_trainings(ids, on):
    """{program id: completions expiring soon or expired} (``expiring_records``), in one grouped
    query."""
    return dict(
        expiring_records(on)
        .filter(training__program__in=ids)
        .order_by()
        .values("training__program")
        .annotate(n=Count("pk"))
        .values_list("training__program", "n")
    )


def _pair_counts(matches, ids, *, on, pairs):
    """({program id: [RiskyPair]}, {program id: (not met, other pairs at risk)}): the pairs only
    with ``pairs`` (the email names them), the counts always."""
    found = pairs_at_risk(matches, on=on, limit=None if pairs else 0)
    risky = {}
    for pair in found:
        risky.setdefault(pair.match.program_id, []).append(pair)
    return risky, found.by_program


def coordinator_todo(user, *, on, pairs=True, shown=None):
    """[ProgramTodo] for each program ``user`` coordinates that has something to do, by name.
    ``pairs``: load the pairs at risk (``at_risk``: the email names them), not just count them;
    ``shown``: how many inactive people to load per program (None: all of them)."""
    programs = list(Program.objects.filter(coordinators=user).order_by("name", "pk"))
    if not programs:
        return []
    ids = [p.pk for p in programs]
    new = _per_program(Enrollment.objects.filter(program__in=ids, status=EnrollmentStatus.APPLIED))
    # The applicant list's "blocked by: guardian consent" filter, which the link opens: the same rule.
    consents = _per_program(Enrollment.objects.filter(program__in=ids).blocked_by(CONSENT, on=on))
    expiring = dict(
        ScreeningRecord.objects.filter(
            enrollment__program__in=ids,
            enrollment__role=Role.MENTOR,
            enrollment__status__in=OPEN_STATUSES,
            item__archived_at__isnull=True,
            expires_on__lte=on + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .order_by()
        .values("enrollment__program")
        .annotate(n=Count("enrollment", distinct=True))
        .values_list("enrollment__program", "n")
    )
    trainings = _expiring_trainings(ids, on)
    risky, pair_counts = _pair_counts(Match.objects.filter(program__in=ids), ids, on=on, pairs=pairs)
    surveys = surveys_due_counts(ids, on=on)
    inactive = inactive_people(programs, on=on, shown=shown)

    result = []
    for program in programs:
        not_met, other_risks = pair_counts.get(program.pk, (0, 0))
        people = inactive.get(program.pk, People())
        applicants = reverse("programs:applicants", args=[program.slug])
        at_risk_url = reverse("evaluation:program_dashboard", args=[program.slug]) + "#risk-heading"
        counts = [
            (
                "applications",
                new.get(program.pk, 0),
                ("new application", "new applications"),
                "awaiting a decision",
                f"{applicants}?status={EnrollmentStatus.APPLIED}",
            ),
            (
                "consents",
                consents.get(program.pk, 0),
                ("mentee without a guardian's consent", "mentees without a guardian's consent"),
                "",
                f"{applicants}?blocked_by={CONSENT}",
            ),
            (
                "checks",
                expiring.get(program.pk, 0),
                ("mentor's screening check expiring", "mentors' screening checks expiring"),
                f"within {EXPIRY_WARNING_DAYS} days or expired",
                f"{applicants}?role={Role.MENTOR}",
            ),
            (
                "trainings",
                trainings.get(program.pk, 0),
                ("training", "trainings"),
                f"expiring within {EXPIRING_DAYS} days or expired",
                reverse("programs:trainings_people", args=[program.slug]) + "?expiring=on",
            ),
            (
                "not_met",
                not_met,
                ("pair not met", "pairs not met"),
                "for two check-in periods",
                at_risk_url,
            ),
            (
                "at_risk",
                other_risks,
                ("other pair at risk", "other pairs at risk"),
                "(a low rating or an overdue staff contact)",
                at_risk_url,
            ),
            (
                "surveys",
                surveys.get(program.pk, 0),
                ("survey due", "surveys due"),
                "and not yet answered",
                reverse("matching:matches", args=[program.slug]),
            ),
            (
                "inactive",
                people.total,
                ("person inactive", "people inactive"),
                "for two check-in periods",
                reverse("dashboard") + f"#inactive-{program.slug}",
            ),
        ]
        items = [
            TodoItem(
                key=key,
                count=count,
                text=f"{_n(count, *words)} {rest}".strip(),
                short=_n(count, *words),
                url=url,
            )
            for key, count, words, rest, url in counts
            if count
        ]
        if items:
            at_risk = risky.get(program.pk, [])
            result.append(ProgramTodo(program=program, items=items, at_risk=at_risk, inactive=people))
    return result


def todo_summary(sections):
    """The totals in a few words, for the email's subject: "2 new applications, 1 pair at risk"."""
    totals = {}
    for section in sections:
        for item in section.items:
            key = "pairs" if item.key in ("not_met", "at_risk") else item.key
            totals[key] = totals.get(key, 0) + item.count
    words = {
        "applications": ("new application", "new applications"),
        "consents": ("consent missing", "consents missing"),
        "checks": ("check expiring", "checks expiring"),
        "trainings": ("training expiring", "trainings expiring"),
        "pairs": ("pair at risk", "pairs at risk"),
        "surveys": ("survey due", "surveys due"),
        "inactive": ("person inactive", "people inactive"),
    }
    return ", ".join(_n(totals[key], *words[key]) for key in words if totals.get(key))
