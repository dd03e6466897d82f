"""Meeting reminders: 24 hours before a planned meeting, exactly once (twice in a row, two sweeps at
once), by the check-in reminders' own sweep and send loop; a moved meeting is reminded of its new
time, a cancelled or moved one not of the old; nothing for people who turned reminders off."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from evaluation import meeting_reminders, reminders
from evaluation.models import Reminder, ReminderKind
from matching import meetings
from mentorship.models import OutboundEmail
from mentorship.services import email_send_pending
from tests.evaluation.reminder_helpers import deliver, set_reminders, start_pair
from tests.matching.meeting_helpers import clock, moment, pair_world, plan

pytestmark = pytest.mark.django_db


def planned(world, when=None):
    """Ada plans a meeting with Ben: Thursday 4 March at 18:00 UTC unless ``when``."""
    return plan(world.match, when=when or moment(3))


def meeting_emails(mailoutbox):
    return sorted(
        (m.to[0].split("@")[0], m.subject) for m in mailoutbox if m.subject.startswith("Reminder: meeting")
    )


@pytest.fixture
def world(mailoutbox):
    """Ada mentors Ben from START; a monthly cadence, so no check-in reminder in these days."""
    world = pair_world(mailoutbox, checkin_cadence_days=30)
    world.meeting = planned(world)
    deliver()
    mailoutbox.clear()
    return world


def test_a_day_ahead_both_are_reminded_once_however_often_the_sweep_runs(world, mailoutbox):
    with clock(2, 17, 30):  # 24.5 hours before: not yet
        report = reminders.reminders_sweep()
    assert report.meetings_recorded == 0 and not Reminder.objects.exists()
    for hour in (19, 20, 21):
        with clock(2, hour):
            reminders.reminders_sweep()
    deliver()
    assert meeting_emails(mailoutbox) == [
        ("ada", "Reminder: meeting with Ben Thu 4 Mar, 18:00"),
        ("ben", "Reminder: meeting with Ada Thu 4 Mar, 18:00"),
    ]
    row = Reminder.objects.get()
    assert (row.kind, row.meeting, row.match, row.period_start) == (
        ReminderKind.MEETING,
        world.meeting,
        world.match,
        dt.date(2027, 3, 4),
    )
    assert row.meeting_starts_at == world.meeting.starts_at and row.sent_at is not None
    body = mailoutbox[0].body
    assert "Thursday 4 March 2027, 18:00 to 19:00" in body and "Central Library" in body


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_email_each(mailoutbox):
    world = pair_world(mailoutbox, checkin_cadence_days=30)
    plan(world.match, when=moment(3))
    plan(start_pair(world, "fay", "gus"), when=moment(3, 10))
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def sweep():
        try:
            barrier.wait()
            reports.append(reminders.reminders_sweep(batch_size=1))  # small batches interleave more
        except Exception as exc:  # reported below: an exception in a thread is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    with clock(2, 19):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deliver()
    assert errors == []
    assert sum(r.meetings_recorded for r in reports) == 2
    assert sum(r.sent.reminders for r in reports) == 2
    assert sum(r.sent.emails for r in reports) == 4
    assert sorted(m.to[0].split("@")[0] for m in mailoutbox) == ["ada", "ben", "fay", "gus"]
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


def test_a_moved_meeting_is_reminded_of_its_new_time_once_it_is_accepted_again(world, mailoutbox):
    with clock(2, 19):
        reminders.reminders_sweep()
        moved = meetings.meeting_move(meeting=world.meeting, by=world.ben, starts_at=moment(3, 21))
    deliver()
    mailoutbox.clear()
    with clock(2, 22):  # 23 hours before the new time, not yet accepted: no reminder
        reminders.reminders_sweep()
        meetings.meeting_accept(meeting=moved, by=world.ada)
    with clock(2, 23):
        reminders.reminders_sweep()
        reminders.reminders_sweep()
    deliver()
    assert meeting_emails(mailoutbox) == [
        ("ada", "Reminder: meeting with Ben Thu 4 Mar, 21:00"),
        ("ben", "Reminder: meeting with Ada Thu 4 Mar, 21:00"),
    ]
    assert sorted(r.meeting_starts_at.hour for r in Reminder.objects.all()) == [18, 21]


def test_a_meeting_moved_between_recording_and_sending_is_not_reminded_of_the_old_time(world, mailoutbox):
    with clock(2, 19):
        assert meeting_reminders.meeting_reminders_record() == 1
        meetings.meeting_move(meeting=world.meeting, by=world.ben, starts_at=moment(5))
        deliver()
        mailoutbox.clear()
        report = reminders.reminders_send()
    deliver()
    assert meeting_emails(mailoutbox) == []
    assert report.skipped == {"the meeting was moved": 1}
    assert Reminder.objects.get().sent_at is not None


def test_a_cancelled_meeting_gets_no_reminder(world, mailoutbox):
    with clock(2, 10):
        meetings.meeting_cancel(meeting=world.meeting, by=world.ben)
    with clock(2, 19):
        report = reminders.reminders_sweep()
    deliver()
    assert report.meetings_recorded == 0
    assert meeting_emails(mailoutbox) == []


def test_a_meeting_cancelled_after_recording_or_already_begun_is_marked_sent_without_email(world, mailoutbox):
    with clock(3, 17, 30):  # half an hour before
        meeting_reminders.meeting_reminders_record()
    with clock(3, 18, 5):  # the sweep came late: it has begun
        report = reminders.reminders_send()
    deliver()
    assert report.skipped == {"the meeting has started": 1}
    assert meeting_emails(mailoutbox) == []


def test_people_who_turned_reminders_off_get_none(world, mailoutbox):
    set_reminders(world.ben, False)
    with clock(2, 19):
        report = reminders.reminders_sweep()
    deliver()
    assert report.sent.opted_out == 1
    assert meeting_emails(mailoutbox) == [("ada", "Reminder: meeting with Ben Thu 4 Mar, 18:00")]


def test_a_reminder_sent_late_by_the_outbox_sweep_is_dropped_if_the_meeting_was_cancelled(world, mailoutbox):
    with clock(2, 19):
        reminders.reminders_sweep()  # queued; its task is lost
        meetings.meeting_cancel(meeting=world.meeting, by=world.ada)
    with clock(2, 20):
        email_send_pending()
    assert meeting_emails(mailoutbox) == []
    dropped = OutboundEmail.objects.get(kind="meeting_reminder", to=world.ben.email)
    assert dropped.dropped_at is not None and "cancelled" in dropped.last_error


def test_the_reminder_date_is_the_meetings_local_date(world, settings):
    settings.TIME_ZONE = "America/New_York"
    late = planned(world, when=moment(4, 2))  # 02:00 UTC on Friday is Thursday evening in New York
    with clock(3, 9):
        meeting_reminders.meeting_reminders_record()
    assert Reminder.objects.get(meeting=late).period_start == dt.date(2027, 3, 4)


def test_the_dry_run_and_the_command_show_meeting_reminders(world):
    out = io.StringIO()
    with clock(2, 19):
        call_command("send_reminders", "--dry-run", stdout=out)
        assert not Reminder.objects.exists()
        call_command("send_reminders", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"pair {world.match.pk}: meeting at 2027-03-04 18:00: Ben, Ada"
    assert lines[1] == "Dry run: 1 reminder, 2 emails would be sent. Nothing changed."
    assert lines[2] == (
        "Recorded 0 due and 0 overdue reminders, and 1 meeting reminder (new rows; each is sent once)."
    )
    assert lines[3].startswith("Handled 1 reminder: 2 emails queued")
