"""The coordinators' daily email: for each coordinator, once a day and only when there is something
on it, their to-do list (evaluation/todo.py, the same selector as their dashboard's "To do" panel:
new applications, guardian consents outstanding, screening checks and trainings expiring, pairs
not met or otherwise at risk, surveys due), each with its link, and the first names of the pairs at
risk.

Sent exactly once like a reminder (evaluation/reminders.py): a CoordinatorDigest row per
coordinator and day (unique), claimed with SELECT ... FOR UPDATE SKIP LOCKED, its email queued in
the outbox in the same transaction (and handed to a worker after it commits).
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CoordinatorDigest
from evaluation.reminders import first_name
from evaluation.todo import coordinator_todo, todo_summary
from mentorship.models import User
from mentorship.services import email_batch, email_queue


def digest_for(coordinator, *, on):
    """Each of the coordinator's programs with something to do ([todo.ProgramTodo]), with every
    pair at risk (the email names them) and no inactive person (it counts them)."""
    return coordinator_todo(coordinator, on=on, pairs=True, shown=0)


def _digest_email(coordinator, sections, on, batch):
    # Only what the coordinator sees on their pages anyway: counts, links, and the first names of
    # the pairs at risk with the reasons (no ages, contact details or notes, minors' or anyone's).
    programs = [
        {
            "name": section.program.name,
            "url": reverse("programs:dashboard", args=[section.program.slug]),
            "items": [{"text": item.text, "url": item.url} for item in section.items],
            "pairs": [
                {
                    "mentor": first_name(risky.match.mentor.user),
                    "mentee": first_name(risky.match.mentee.user),
                    "reasons": risky.reasons,
                    "url": risky.match.get_absolute_url(),
                }
                for risky in section.at_risk
            ],
        }
        for section in sections
    ]
    email_queue(
        to=coordinator.email,
        template="coordinator_digest",
        context={
            "name": first_name(coordinator),
            "day": on,
            "summary": todo_summary(sections),
            "programs": programs,
            "dashboard_url": reverse("dashboard"),
        },
        batch=batch,
    )


def _coordinators():
    return User.objects.filter(is_active=True, coordinated_programs__isnull=False).distinct()


@dataclass
class DigestReport:
    sent: int = 0
    nothing_to_say: int = 0


def coordinator_digests_send(*, on=None, batch_size=50):
    """One digest per coordinator per day, only when there is something to say.

    A CoordinatorDigest row (unique per coordinator and day) is inserted for every coordinator,
    then claimed like a reminder. A claimed row with nothing to report is deleted rather than kept:
    the row means "today's digest went", and a later run the same day may still have news.
    """
    on = on or timezone.localdate()
    CoordinatorDigest.objects.bulk_create(
        [CoordinatorDigest(coordinator=user, day=on) for user in _coordinators()], ignore_conflicts=True
    )
    report = DigestReport()
    while True:
        with transaction.atomic(), email_batch() as emails:
            batch = list(
                CoordinatorDigest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(day=on, sent_at__isnull=True)
                .select_related("coordinator__profile")
                .order_by("pk")[:batch_size]
            )
            empty = []
            for digest in batch:
                sections = digest_for(digest.coordinator, on=on)
                if sections:
                    _digest_email(digest.coordinator, sections, on, emails)
                    report.sent += 1
                else:
                    empty.append(digest.pk)
            CoordinatorDigest.objects.filter(pk__in=empty).delete()
            CoordinatorDigest.objects.filter(pk__in=[d.pk for d in batch if d.pk not in empty]).update(
                sent_at=timezone.now()
            )
            report.nothing_to_say += len(empty)
        if len(batch) < batch_size:
            return report


def coordinator_digests_preview(*, on=None):
    """(coordinator, sections) for each coordinator whose digest would go out now."""
    on = on or timezone.localdate()
    sent = set(
        CoordinatorDigest.objects.filter(day=on, sent_at__isnull=False).values_list(
            "coordinator_id", flat=True
        )
    )
    previews = []
    for coordinator in _coordinators().select_related("profile").order_by("pk"):
        if coordinator.pk in sent:
            continue
        sections = digest_for(coordinator, on=on)
        if sections:
            previews.append((coordinator, sections))
    return previews
