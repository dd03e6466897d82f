"""Group session reminders: the day before a planned session, one email to each current member and
leader of the group, exactly once.

Each session due (planned, its group not closed, starting within the next ``AHEAD``, not reminded
yet) is claimed by one conditional update of ``GroupSession.reminded_at``; only the sweep whose
update changed the row emails, in the same transaction (email_queue sends after commit). Two sweeps
at once, or one run twice, email once. A session moved to a new time (matching.group_sessions.
session_edit) is claimed again for the new time. People who turned reminder emails off get none.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matching import group_calendar
from matching.models import GroupMember, GroupSession, GroupStatus, SessionStatus
from mentorship.services import email_batch, email_queue
from programs.limited import limited_first_name

AHEAD = dt.timedelta(hours=24)
TOPIC_PREFIX, STAMP = "group-session-reminder", "%Y%m%dT%H%M%SZ"


def due_sessions(*, now):
    return GroupSession.objects.filter(
        status=SessionStatus.PLANNED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + AHEAD,
    ).exclude(group__status=GroupStatus.CLOSED)


def _remind(session, *, now, profile_url, batch):
    """Claim ``session`` and email its group: the number of emails, or None if another sweep (or
    an earlier run) has it."""
    # On the session's own row only (no join): a join would make the update "id IN (SELECT ...)",
    # whose condition PostgreSQL does not check again after waiting for the other sweep's lock.
    claimed = GroupSession.objects.filter(
        pk=session.pk, status=SessionStatus.PLANNED, reminded_at__isnull=True, starts_at=session.starts_at
    ).update(reminded_at=now)
    if not claimed:
        return None
    people = (
        GroupMember.objects.current()
        .filter(group_id=session.group_id, enrollment__user__is_active=True)
        .select_related("enrollment__user__profile")
    )
    sent = 0
    for membership in people:
        user = membership.enrollment.user
        if not user.profile.email_reminders:
            continue
        email_queue(
            to=user.email,
            template="group_session_reminder",
            context={
                "session": session,
                "group": session.group,
                "name": limited_first_name(membership.enrollment),
                "is_leader": membership.is_leader,
                "session_url": group_calendar.session_url(session),
                "profile_url": profile_url,
            },
            topic=f"{TOPIC_PREFIX}:{session.pk}:{session.starts_at.astimezone(dt.UTC).strftime(STAMP)}",
            batch=batch,
        )
        sent += 1
    return sent


def group_reminders_send(*, now=None):
    """Remind every session due; returns (sessions reminded, emails queued)."""
    now = now or timezone.now()
    profile_url = reverse("profile")
    sessions = emails = 0
    for session in due_sessions(now=now).select_related("group").order_by("starts_at", "pk"):
        with transaction.atomic(), email_batch() as batch:
            sent = _remind(session, now=now, profile_url=profile_url, batch=batch)
        if sent is not None:
            sessions += 1
            emails += sent
    return sessions, emails


def outbox_moot(emails, *, now=None):
    """settings.OUTBOX_CHECKS: of the outbox rows the email sweep would send late, the group
    session reminders no longer needed (the session was cancelled, moved or has begun)."""
    now = now or timezone.now()
    keys = {}
    for email in emails:
        prefix, _, rest = email.topic.partition(":")
        if prefix == TOPIC_PREFIX:
            session_id, _, stamp = rest.partition(":")
            keys[email.pk] = (int(session_id), dt.datetime.strptime(stamp, STAMP).replace(tzinfo=dt.UTC))
    if not keys:
        return {}
    sessions = GroupSession.objects.in_bulk({session_id for session_id, _ in keys.values()})
    found = {}
    for pk, (session_id, starts_at) in keys.items():
        session = sessions.get(session_id)
        if session is None or session.is_cancelled:
            found[pk] = "the session was cancelled"
        elif session.starts_at.replace(microsecond=0) != starts_at:  # the topic keeps whole seconds
            found[pk] = "the session was moved"
        elif session.starts_at <= now:
            found[pk] = "the session has begun"
    return found
