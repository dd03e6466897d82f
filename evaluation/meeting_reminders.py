"""Meeting reminders: an email to both of a pair 24 hours before a planned meeting, exactly once.

The same mechanism as the check-in reminders (evaluation/reminders.py), and the same send loop:

1. ``meeting_reminders_record`` is one INSERT ... SELECT: a Reminder row (kind "meeting", the
   meeting, the start it reminds of, the pair, and the meeting's local date as ``period_start``)
   for every accepted meeting of an active pair starting within the next 24 hours, ON CONFLICT
   (meeting_id, meeting_starts_at) DO NOTHING. Re-runs insert nothing; a meeting moved to a new
   time gets a row for that time, once.
2. ``reminders.reminders_send`` claims unsent rows (SELECT ... FOR UPDATE SKIP LOCKED), check-in
   and meeting reminders alike, and hands the meeting rows to ``deliveries`` and ``send`` here:
   the emails are queued and the rows marked sent in one transaction.

A row that is not worth an email when it is claimed (the meeting was moved, cancelled or declined,
it has started, the pair is no longer active) is marked sent with none. People who turned
reminder emails off get none. A break (programs.breaks) does not stop them: unlike a check-in
reminder, the person chose this meeting themselves, and accepted it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from evaluation.models import Reminder, ReminderKind
from matching.meeting_calendar import meetings_url
from matching.models import Match, MatchStatus, Meeting, MeetingStatus
from mentorship.services import email_queue
from programs.limited import limited_first_name

AHEAD = dt.timedelta(hours=24)
TOPIC_PREFIX = "meeting-reminder"


def meeting_reminders_record(*, now=None):
    """Insert a Reminder row for every planned meeting starting within ``AHEAD``; returns how many
    are new. The fixed ORDER BY makes concurrent sweeps take the unique index's locks in the same
    order, so they queue instead of deadlocking."""
    now = now or timezone.now()
    qn = connection.ops.quote_name
    sql = f"""
    WITH inserted AS (
        INSERT INTO {qn(Reminder._meta.db_table)}
            (match_id, period_start, kind, meeting_id, meeting_starts_at, created_at)
        SELECT mt.match_id, (mt.starts_at AT TIME ZONE %(tz)s)::date, %(kind)s, mt.id, mt.starts_at, %(now)s
        FROM {qn(Meeting._meta.db_table)} mt
        JOIN {qn(Match._meta.db_table)} m ON m.id = mt.match_id
        WHERE mt.status = %(accepted)s AND m.status = %(active)s
          AND mt.starts_at > %(now)s AND mt.starts_at <= %(until)s
        ORDER BY mt.id
        ON CONFLICT (meeting_id, meeting_starts_at) WHERE meeting_id IS NOT NULL DO NOTHING
        RETURNING 1
    )
    SELECT count(*) FROM inserted"""  # noqa: S608 (table names from the models only)
    params = {
        "tz": settings.TIME_ZONE,
        "kind": ReminderKind.MEETING.value,
        "accepted": MeetingStatus.ACCEPTED.value,
        "active": MatchStatus.ACTIVE.value,
        "now": now,
        "until": now + AHEAD,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@dataclass
class MeetingDelivery:
    """What handling one meeting reminder comes to: who is emailed, who opted out, or why none."""

    reminder_id: int
    meeting: Meeting
    starts_at: dt.datetime  # the time the reminder is for
    to: list = field(default_factory=list)  # (user, own enrollment, partner enrollment)
    opted_out: list = field(default_factory=list)
    skipped: str = ""

    @property
    def kind(self):
        return ReminderKind.MEETING


def _skip_reason(meeting, starts_at, now):
    if meeting.starts_at != starts_at:
        return "the meeting was moved"
    if meeting.status == MeetingStatus.PROPOSED:
        return "the meeting is not confirmed"  # moved and back to the same time, not accepted yet
    if meeting.status != MeetingStatus.ACCEPTED:
        return f"the meeting was {meeting.status}"  # declined, cancelled
    if meeting.starts_at <= now:
        return "the meeting has started"
    if meeting.match.status != MatchStatus.ACTIVE:
        return f"the pair is {meeting.match.status}"
    return ""


def deliveries(reminders, *, now=None):
    """A MeetingDelivery for each meeting reminder of the ``reminders`` queryset, in a constant
    number of queries."""
    now = now or timezone.now()
    rows = reminders.filter(meeting__isnull=False).select_related(
        "meeting__match__program",
        "meeting__match__mentee__user__profile",
        "meeting__match__mentor__user__profile",
    )
    found = []
    for reminder in rows.order_by("pk"):
        meeting = reminder.meeting
        delivery = MeetingDelivery(
            reminder_id=reminder.pk, meeting=meeting, starts_at=reminder.meeting_starts_at
        )
        delivery.skipped = _skip_reason(meeting, reminder.meeting_starts_at, now)
        if not delivery.skipped:
            _address(delivery)
        found.append(delivery)
    return found


def _address(delivery):
    """Both of the pair: those who want reminder emails, and those who turned them off."""
    match = delivery.meeting.match
    for side, partner in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
        user = side.user
        wants = user.is_active and user.profile.email_reminders
        (delivery.to if wants else delivery.opted_out).append((user, side, partner))


def reminder_topic(meeting_id, starts_at):
    """What a meeting reminder email is about: its Reminder's unique key."""
    return f"{TOPIC_PREFIX}:{meeting_id}:{starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def send(delivery, profile_url, batch):
    """Queue the delivery's emails (first names only; the place, never the note)."""
    meeting = delivery.meeting
    for user, side, partner in delivery.to:
        email_queue(
            to=user.email,
            template="meeting_reminder",
            context={
                "meeting": meeting,
                "name": limited_first_name(side),
                "partner_name": limited_first_name(partner),
                "meetings_url": meetings_url(meeting.match),
                "profile_url": profile_url,
            },
            topic=reminder_topic(meeting.pk, delivery.starts_at),
            batch=batch,
        )


def outbox_moot(emails, *, now=None):
    """settings.OUTBOX_CHECKS: of the outbox rows the email sweep would send late, the meeting
    reminders no longer needed (the rule of ``deliveries``: moved, cancelled, started...)."""
    now = now or timezone.now()
    keys = {}
    for email in emails:
        prefix, _, rest = email.topic.partition(":")
        if prefix == TOPIC_PREFIX:
            meeting_id, _, stamp = rest.partition(":")
            starts_at = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            keys[email.pk] = (int(meeting_id), starts_at)
    if not keys:
        return {}
    reminders = Reminder.objects.filter(meeting_id__in={meeting_id for meeting_id, _ in keys.values()})
    reasons = {(d.meeting.pk, d.starts_at): d.skipped for d in deliveries(reminders, now=now) if d.skipped}
    return {pk: reasons[key] for pk, key in keys.items() if key in reasons}


def meeting_reminders_preview(*, now=None):
    """What a sweep would send now about meetings, changing nothing: the unsent rows waiting, then
    the meetings it would record (each a MeetingDelivery with no reminder id)."""
    now = now or timezone.now()
    found = deliveries(Reminder.objects.filter(sent_at__isnull=True), now=now)
    coming = (
        Meeting.objects.filter(
            status=MeetingStatus.ACCEPTED,
            match__status=MatchStatus.ACTIVE,
            starts_at__gt=now,
            starts_at__lte=now + AHEAD,
        )
        .exclude(
            Exists(Reminder.objects.filter(meeting=OuterRef("pk"), meeting_starts_at=OuterRef("starts_at")))
        )
        .select_related("match__program", "match__mentee__user__profile", "match__mentor__user__profile")
    )
    for meeting in coming:
        delivery = MeetingDelivery(reminder_id=None, meeting=meeting, starts_at=meeting.starts_at)
        _address(delivery)
        found.append(delivery)
    return found
