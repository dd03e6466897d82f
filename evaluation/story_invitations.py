"""Invitations to tell one's story: at a match's closure, and three and twelve months after it, the
mentee and the mentor are each invited once (an email, and a prompt on their dashboard).

The daily job (``story_invitations_sweep``, evaluation.tasks.send_story_invitations) is safe to run
twice or at once, in two steps like the survey invitations (evaluation/invitations.py):

1. ``story_invitations_record`` inserts a StoryInvitation row (unique on enrollment, match,
   occasion) for every occasion that fell due in the last WINDOW_DAYS, ON CONFLICT DO NOTHING.
2. ``story_invitations_send`` claims each unsent row by a conditional update of ``sent_at`` and
   queues its email in the same transaction: whoever wins the claim sends, nobody else. A row no
   longer worth an email (the person withdrew, was erased, or told that story already) is marked
   sent without one.

The email names the program and the occasion, never the partner, and holds no story (there is none
yet): it may be a 15-year-old's inbox.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from evaluation.erasure import ERASED_DOMAIN
from evaluation.kpis.figures import add_months
from evaluation.models import Story, StoryInvitation, StoryOccasion
from evaluation.reminders import first_name
from matching.models import Match, MatchStatus
from mentorship.services import email_queue
from programs.models import EnrollmentStatus

# Months after the match's last day that each occasion falls due.
OCCASION_MONTHS = {StoryOccasion.CLOSURE: 0, StoryOccasion.FOLLOW_UP_3: 3, StoryOccasion.FOLLOW_UP_12: 12}
# An occasion is invited while it is at most this old: a job that missed days catches up, but
# matches closed long before stories existed are not written to.
WINDOW_DAYS = 30
# The dashboard's prompt stays this long after the occasion (or until the story is told).
PROMPT_DAYS = 60


def _told(prefix=""):
    """A story told (and not withdrawn) for the same person, match and occasion."""
    return Exists(
        Story.objects.filter(
            enrollment=OuterRef(f"{prefix}enrollment"),
            match=OuterRef(f"{prefix}match"),
            occasion=OuterRef(f"{prefix}occasion"),
            withdrawn_at__isnull=True,
        )
    )


def _wanted(enrollment_status, user):
    return (
        enrollment_status != EnrollmentStatus.WITHDRAWN
        and user.is_active
        and bool(user.email)
        and not user.email.endswith(f"@{ERASED_DOMAIN}")
    )


def story_invitations_record(*, on=None):
    """A row for every occasion due in the last WINDOW_DAYS, for both people of each closed match
    (not those who withdrew or were erased). Returns how many rows are new."""
    on = on or timezone.localdate()
    oldest = on - dt.timedelta(days=WINDOW_DAYS - 1)
    matches = Match.objects.filter(
        status=MatchStatus.CLOSED,
        started_on__isnull=False,
        ended_on__gte=add_months(oldest, -max(OCCASION_MONTHS.values())),
        ended_on__lte=on,
    ).select_related("mentee__user", "mentor__user")
    rows = []
    for match in matches:
        for occasion, months in OCCASION_MONTHS.items():
            due_on = add_months(match.ended_on, months)
            if not oldest <= due_on <= on:
                continue
            for enrollment in (match.mentee, match.mentor):
                if _wanted(enrollment.status, enrollment.user):
                    rows.append(
                        StoryInvitation(enrollment=enrollment, match=match, occasion=occasion, due_on=due_on)
                    )
    # A fixed order: concurrent sweeps take the unique index's locks in the same order.
    rows.sort(key=lambda row: (row.enrollment_id, row.match_id, row.occasion))
    before = StoryInvitation.objects.count()
    with transaction.atomic():
        StoryInvitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return max(0, StoryInvitation.objects.count() - before)


def _still_wanted(invitation, on):
    if invitation.due_on < on - dt.timedelta(days=WINDOW_DAYS - 1):
        return False
    if invitation.already_told:
        return False
    return _wanted(invitation.enrollment.status, invitation.enrollment.user)


def story_url(invitation):
    return reverse("evaluation:story_new", args=[invitation.enrollment_id]) + f"?invitation={invitation.pk}"


def _send(invitation):
    enrollment = invitation.enrollment
    email_queue(
        to=enrollment.user.email,
        template="story_invitation",
        context={
            "name": first_name(enrollment.user),
            "program_name": enrollment.program.name,
            "occasion": invitation.occasion,
            "story_url": settings.SITE_URL + story_url(invitation),
        },
    )


@dataclass
class SendReport:
    emails: int = 0
    skipped: int = 0  # claimed and marked sent without an email


def story_invitations_send(*, on=None):
    """Claim each unsent invitation (a conditional update of ``sent_at``) and queue its email in the
    same transaction; a row claimed by another run meanwhile is left to it."""
    on = on or timezone.localdate()
    report = SendReport()
    unsent = (
        StoryInvitation.objects.filter(sent_at__isnull=True)
        .annotate(already_told=_told())
        .select_related("enrollment__user__profile", "enrollment__program")
        .order_by("pk")
    )
    for invitation in unsent:
        with transaction.atomic():
            claimed = StoryInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not claimed:
                continue
            if _still_wanted(invitation, on):
                _send(invitation)
                report.emails += 1
            else:
                report.skipped += 1
    return report


@dataclass
class SweepReport:
    recorded: int
    sent: SendReport


def story_invitations_sweep(*, on=None):
    """The daily job: record the occasions that fell due, then email what is unsent."""
    on = on or timezone.localdate()
    recorded = story_invitations_record(on=on)
    return SweepReport(recorded=recorded, sent=story_invitations_send(on=on))


# --- The dashboard's prompt -------------------------------------------------------------------------


def open_invitations(user, *, on=None):
    """``user``'s invitations sent in the last PROMPT_DAYS whose story is not told yet (two queries
    at most, however many)."""
    on = on or timezone.localdate()
    return list(
        StoryInvitation.objects.filter(
            enrollment__user=user,
            enrollment__status=EnrollmentStatus.APPROVED,
            sent_at__isnull=False,
            due_on__gte=on - dt.timedelta(days=PROMPT_DAYS),
        )
        .annotate(already_told=_told())
        .filter(already_told=False)
        .select_related("enrollment__program")
        .order_by("-due_on", "-pk")
    )


def my_story_prompts(request):
    """The dashboard's "Tell your story" panel (settings.DASHBOARD_PANELS): the invitations still
    open, and the shorter versions coordinators proposed that wait for the author. Hidden when
    there is none."""
    user = request.user
    invitations = open_invitations(user)
    proposals = list(
        Story.objects.filter(enrollment__user=user, withdrawn_at__isnull=True)
        .exclude(proposed_text="")
        .select_related("program")
    )
    prompts = [
        {"invitation": invitation, "url": story_url(invitation), "program": invitation.enrollment.program}
        for invitation in invitations
    ]
    return {
        "template": "evaluation/stories/_panel_prompts.html",
        "hidden": not (prompts or proposals),
        "prompts": prompts,
        "proposals": proposals,
    }
