"""Group session reminders: the day before a planned session, one email to each current member and
leader, exactly once: a sweep run twice, or two sweeps at once, email once. Not for a session
further ahead, cancelled, or of a closed group; not to those who turned reminders off; a session
moved to a new time is reminded of again."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from matching import group_sessions
from matching.group_reminders import group_reminders_send
from matching.models import GroupStatus
from matching.tasks import send_group_reminders
from mentorship.models import OutboundEmail
from tests.matching.group_helpers import group_world, plan


def reminders():
    return list(OutboundEmail.objects.filter(kind="group_session_reminder").order_by("to"))


def recipients():
    return sorted(email.to.split("@")[0] for email in reminders())


def in_hours(hours):
    return timezone.now() + dt.timedelta(hours=hours)


@pytest.mark.django_db
def test_each_member_and_leader_is_reminded_once_the_day_before():
    gw = group_world()
    session = plan(gw, when=in_hours(20))
    plan(gw, when=in_hours(30))  # more than a day ahead: not yet
    assert group_reminders_send() == (1, 4)
    assert recipients() == ["lena", "mia", "noah", "omar"]  # not Finn (left), not Pia
    assert all("Tuesday Group" in e.subject and "Eastside Library" in e.body for e in reminders())
    assert "@groups.test" not in "".join(e.body for e in reminders())
    assert group_reminders_send() == (0, 0)  # run again: nothing more
    send_group_reminders()  # the beat's task
    assert len(reminders()) == 4
    session.refresh_from_db()
    assert session.reminded_at is not None


@pytest.mark.django_db
def test_no_reminder_for_cancelled_sessions_closed_groups_or_those_who_opted_out():
    gw = group_world()
    cancelled = plan(gw, when=in_hours(20))
    group_sessions.session_cancel(session=cancelled, by=gw.lena.user)
    group_sessions.session_plan(group=gw.other_group, by=gw.gina, starts_at=in_hours(20), place="Hall")
    gw.other_group.status = GroupStatus.CLOSED
    gw.other_group.save()
    assert group_reminders_send() == (0, 0)
    gw.noah.user.profile.email_reminders = False
    gw.noah.user.profile.save()
    plan(gw, when=in_hours(21))
    assert group_reminders_send() == (1, 3)
    assert recipients() == ["lena", "mia", "omar"]


@pytest.mark.django_db
def test_a_session_moved_to_a_new_time_is_reminded_of_again():
    gw = group_world()
    session = plan(gw, when=in_hours(20))
    group_reminders_send()
    group_sessions.session_edit(session=session, by=gw.lena.user, starts_at=in_hours(22), duration_minutes=60,
                                place="Town Hall")  # fmt: skip
    assert group_reminders_send() == (1, 4)
    assert len(reminders()) == 8 and sum("Town Hall" in e.body for e in reminders()) == 4


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_once():
    gw = group_world()
    plan(gw, when=in_hours(20))
    plan(gw, when=in_hours(22))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(group_reminders_send())
        except Exception as exc:  # reported below: an exception in a thread is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sessions for sessions, _ in results) == 2
    assert sum(emails for _, emails in results) == 8
    assert len(reminders()) == 8
    assert len({(e.to, e.topic) for e in reminders()}) == 8


@pytest.mark.django_db
def test_a_late_reminder_of_a_session_cancelled_or_moved_meanwhile_is_not_sent():
    from mentorship.services import email_send_pending

    gw = group_world()
    cancelled, moved, kept = (plan(gw, when=in_hours(hours)) for hours in (20, 21, 22))
    OutboundEmail.objects.update(sent_at=timezone.now())  # the invitations went out
    group_reminders_send()
    group_sessions.session_cancel(session=cancelled, by=gw.lena.user)
    group_sessions.session_edit(session=moved, by=gw.lena.user, starts_at=in_hours(40), duration_minutes=60,
                                place="Hall")  # fmt: skip
    OutboundEmail.objects.exclude(kind="group_session_reminder").update(sent_at=timezone.now())
    email_send_pending()
    rows = OutboundEmail.objects.filter(kind="group_session_reminder")
    sent = {int(e.topic.split(":")[1]) for e in rows.filter(sent_at__isnull=False)}
    assert sent == {kept.pk}
    assert rows.filter(dropped_at__isnull=False).count() == 8
