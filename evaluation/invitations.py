"""Survey invitations: when a survey's window opens, each person it is due to gets one email with a
link that opens that survey without signing in (evaluation/views/survey_links.py).

Which surveys are open, for whom and until when is ``evaluation.selectors.surveys_due`` (its
windows, SURVEY_WINDOW_DAYS): the one definition the dashboard, the pair's page, the digest and
these emails share.

Exactly once, like the check-in reminders (evaluation/reminders.py), in two steps:

1. ``invitations_record`` inserts a SurveyInvitation row (unique on match, respondent, kind,
   period) for every survey open today, ON CONFLICT DO NOTHING: re-runs and overlapping sweeps
   insert nothing new. It commits on its own, so a crash after it leaves unsent rows that the next
   sweep picks up (the sweep for invitations whose email never went).
2. ``invitations_send`` claims unsent rows in batches (SELECT ... FOR UPDATE SKIP LOCKED), queues
   the emails in the outbox (sent to the worker after commit) and marks the rows sent in the same
   transaction: either both happen or neither does, and a concurrent sweep skips the rows another
   one holds. A row no longer worth an email when it is claimed (answered meanwhile, its window
   over, the account closed) is marked sent without one.

The email names the program and the survey, and says until when it is open; nothing else (no
partner, no match details): it may be a 16-year-old's inbox. Invitations are not reminders, so
the "reminder emails" setting does not turn them off: each survey is asked once.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evaluation.models import SurveyInvitation, participant_title
from evaluation.reminders import first_name
from evaluation.selectors import surveys_due
from matching.models import Match, MatchStatus
from mentorship.services import email_batch, email_queue

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
TOPIC_PREFIX = "survey-invitation"


def _candidate_matches():
    return Match.objects.filter(
        status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.CLOSED], started_on__isnull=False
    )


def invitations_record(*, on=None):
    """A SurveyInvitation row for every survey open on ``on`` and not answered; returns how many
    were new."""
    on = on or timezone.localdate()
    rows = [
        SurveyInvitation(
            match_id=due.match.pk,
            respondent_id=due.respondent_id,
            kind=due.kind,
            period=due.period,
            opens_on=due.opens_on,
            closes_on=due.closes_on,
        )
        for due in surveys_due(_candidate_matches(), on=on)
    ]
    # A fixed order: concurrent sweeps take the unique index's locks in the same order.
    rows.sort(key=lambda row: (row.match_id, row.respondent_id, row.kind, row.period))
    with transaction.atomic():
        created = SurveyInvitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # With ignore_conflicts PostgreSQL returns no ids: count what this run inserted by its tokens.
    return SurveyInvitation.objects.filter(token__in=[row.token for row in created]).count()


def invitation_topic(invitation):
    return f"{TOPIC_PREFIX}:{invitation.pk}"


def _still_due(invitations, on):
    """The keys (match, respondent, kind, period) of ``invitations`` still open and unanswered."""
    match_ids = {invitation.match_id for invitation in invitations}
    if not match_ids:
        return set()
    return {due.key for due in surveys_due(Match.objects.filter(pk__in=match_ids), on=on)}


def _key(invitation):
    return (invitation.match_id, invitation.respondent_id, invitation.kind, invitation.period)


def _why_not(invitation, still_due):
    if _key(invitation) not in still_due:
        return "the survey is answered or closed"
    if not invitation.respondent.is_active or not invitation.respondent.email:
        return "the account is closed"
    return ""


def _partner_role(invitation):
    match = invitation.match
    return "mentor" if invitation.respondent_id == match.mentee.user_id else "mentee"


def _send(invitation, batch):
    email_queue(
        to=invitation.respondent.email,
        template="survey_invitation",
        context={
            "name": first_name(invitation.respondent),
            "program_name": invitation.match.program.name,
            # The participant's title, naming no partner (this may be a 16-year-old's inbox).
            "survey": participant_title(invitation.kind, partner_role=_partner_role(invitation)),
            "closes_on": invitation.closes_on,
            "survey_url": reverse("evaluation:survey_link", args=[invitation.token]),
        },
        topic=invitation_topic(invitation),
        batch=batch,
    )


@dataclass
class SendReport:
    invitations: int = 0  # rows claimed and marked sent
    emails: int = 0
    skipped: int = 0  # rows marked sent with no email


def invitations_send(*, on=None, batch_size=BATCH_SIZE):
    """Claim unsent invitations batch by batch, queue their emails, mark them sent."""
    on = on or timezone.localdate()
    report = SendReport()
    while True:
        with transaction.atomic(), email_batch() as emails:
            claimed = list(
                SurveyInvitation.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            invitations = list(
                SurveyInvitation.objects.filter(pk__in=claimed)
                .select_related("match__program", "match__mentee", "respondent__profile")
                .order_by("pk")
            )
            still_due = _still_due(invitations, on)
            for invitation in invitations:
                if _why_not(invitation, still_due):
                    report.skipped += 1
                else:
                    _send(invitation, emails)
                    report.emails += 1
            SurveyInvitation.objects.filter(pk__in=claimed).update(sent_at=timezone.now())
            report.invitations += len(claimed)
        if len(claimed) < batch_size:
            return report


@dataclass
class SweepReport:
    recorded: int
    sent: SendReport


def invitations_sweep(*, on=None, batch_size=BATCH_SIZE):
    """The hourly job: record the surveys that opened, then email what is unsent (this run's and any
    a crashed run left)."""
    on = on or timezone.localdate()
    recorded = invitations_record(on=on)
    return SweepReport(recorded=recorded, sent=invitations_send(on=on, batch_size=batch_size))


def outbox_moot(emails, *, on=None):
    """settings.OUTBOX_CHECKS: of the outbox rows about to go late (their task was lost), the
    invitations whose survey was answered or closed meanwhile. Returns {email id: reason}."""
    on = on or timezone.localdate()
    ids = {}
    for email in emails:
        prefix, _, rest = email.topic.partition(":")
        if prefix == TOPIC_PREFIX and rest.isdigit():
            ids[email.pk] = int(rest)
    if not ids:
        return {}
    invitations = {
        invitation.pk: invitation
        for invitation in SurveyInvitation.objects.filter(pk__in=set(ids.values())).select_related(
            "respondent"
        )
    }
    still_due = _still_due(list(invitations.values()), on)
    reasons = {}
    for email_id, invitation_id in ids.items():
        invitation = invitations.get(invitation_id)
        reason = "the invitation is gone" if invitation is None else _why_not(invitation, still_due)
        if reason:
            reasons[email_id] = reason
    return reasons


def invitation_for_token(token, *, on=None):
    """The invitation a survey link holds, while its survey is open for that person; else None."""
    on = on or timezone.localdate()
    invitation = (
        SurveyInvitation.objects.filter(Q(token=token), opens_on__lte=on, closes_on__gte=on)
        .select_related("match__program", "match__mentee__user", "match__mentor__user", "respondent")
        .first()
    )
    if invitation is None or not invitation.respondent.is_active:
        return None
    return invitation
