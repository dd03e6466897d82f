"""Check-in reminders and the coordinators' digest: when they are due, and that each goes out once
(twice in a row, two sweeps at once, after a crash), never to paused or closed pairs or to people
who turned them off."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from evaluation import digests, periods, reminders, tasks
from evaluation.models import CoordinatorDigest, Reminder
from matching import services as matching_services
from matching.models import ClosureReason, Match
from mentorship.models import OutboundEmail
from tests import scenarios
from tests.evaluation.reminder_helpers import (
    START,
    at,
    day,
    deliver,
    flush_outbox,
    log_checkin,
    reminder_world,
    set_reminders,
    start_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mailoutbox):
    """Ada mentors Ben from START; fortnightly check-ins (periods from 1, 15, 29 March)."""
    world = reminder_world(checkin_cadence_days=14)
    world.match = start_pair(world, "ben", "ada")
    flush_outbox(mailoutbox)
    return world


def recorded():
    return {(r.kind, (r.period_start - START).days) for r in Reminder.objects.all()}


def reminder_emails(mailoutbox):
    return sorted((m.to[0].split("@")[0], m.subject) for m in mailoutbox)


# --- When a reminder is due ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, set()),  # the first day
        (11, set()),  # three days left in the period
        (12, {("due", 0)}),  # two days left: the nudge
        (13, {("due", 0)}),  # the last day: the same nudge
        (14, {("overdue", 0)}),  # the period ended with no check-in
        (25, {("overdue", 0)}),  # still overdue (once), the next period not ending yet
        (26, {("overdue", 0), ("due", 14)}),
        (28, {("overdue", 14)}),  # only the period just ended counts
    ],
)
def test_reminders_are_due_at_the_period_boundaries(world, offset, expected):
    with at(day(offset)):
        reminders.reminders_record()
    assert recorded() == expected


def test_a_check_in_in_the_period_means_no_reminder(world):
    log_checkin(world.match, day(3))
    for offset in (12, 13, 14, 20):
        with at(day(offset)):
            reminders.reminders_record()
    assert recorded() == set()


def test_a_missed_meeting_logged_counts_as_a_check_in(world):
    log_checkin(world.match, day(12), held=False)
    for offset in (13, 14):
        with at(day(offset)):
            reminders.reminders_record()
    assert recorded() == set()


def test_a_check_in_logged_late_stops_the_overdue_reminder(world):
    log_checkin(world.match, day(14))  # the first day of the next period
    with at(day(15)):
        reminders.reminders_record()
    assert recorded() == set()


def test_a_check_in_on_the_last_day_of_the_period_counts_for_it(world):
    log_checkin(world.match, day(13))
    with at(day(14)):
        reminders.reminders_record()
    assert ("overdue", 0) not in recorded()


@pytest.mark.parametrize("cadence", [1, 2, 3, 7, 14, 30])
def test_the_sql_follows_the_documented_rule_for_every_cadence(world, cadence):
    """Day by day over four periods (with one check-in, on the first day of the third), what the
    set-based SQL finds is what the module's docstring says."""
    world.program.checkin_cadence_days = cadence
    world.program.save(update_fields=["checkin_cadence_days"])
    lead = periods.lead_days(cadence)
    checkins = []

    def met(since, until):
        return any(since <= offset < until for offset in checkins)

    for offset in range(4 * cadence):
        if offset == 2 * cadence:
            log_checkin(world.match, day(offset))
            checkins.append(offset)
        start = offset // cadence * cadence
        expected = set()
        if cadence - (offset - start) <= lead and not met(start, start + cadence):
            expected.add(("due", start))
        if start >= cadence and not met(start - cadence, start + cadence):
            expected.add(("overdue", start - cadence))
        with at(day(offset)):
            found = {(d.kind, (d.period_start - START).days) for d in reminders.reminders_preview()}
        assert found == expected, f"cadence {cadence}, day {offset}"


def test_the_lead_time_grows_with_the_cadence():
    assert [periods.lead_days(c) for c in (1, 2, 3, 7, 14, 30, 60)] == [0, 1, 2, 2, 2, 6, 12]


# --- Exactly once ---------------------------------------------------------------------------------


def test_the_due_reminder_goes_to_both_people_with_first_names_only(world, mailoutbox, send_queued_emails):
    with at(day(12)):
        reminders.reminders_sweep()
        deliver(send_queued_emails)
    assert reminder_emails(mailoutbox) == [
        ("ada", "A check-in with Ben is due by Sunday 14 March"),
        ("ben", "A check-in with Ada is due by Sunday 14 March"),
    ]
    to_ben = next(m for m in mailoutbox if m.to == ["ben@matching.test"])
    assert "Hello Ben," in to_ben.body
    assert f"/matches/{world.match.pk}/checkins/new/" in to_ben.body
    assert "ada@matching.test" not in to_ben.body  # the partner's address is never in it


def test_the_sweep_run_twice_sends_one_email_per_person(world, mailoutbox, send_queued_emails):
    with at(day(12)):
        first = reminders.reminders_sweep()
        second = reminders.reminders_sweep()
    with at(day(13)):  # the nudge's second day: the same reminder, so nothing new
        third = reminders.reminders_sweep()
        deliver(send_queued_emails)
    assert (first.recorded, first.sent.reminders, first.sent.emails) == ({"due": 1, "overdue": 0}, 1, 2)
    for again in (second, third):
        assert (again.recorded, again.sent.reminders, again.sent.emails) == ({"due": 0, "overdue": 0}, 0, 0)
    assert len(mailoutbox) == 2
    assert Reminder.objects.get().sent_at is not None


def test_the_overdue_reminder_is_firmer_and_also_goes_once(world, mailoutbox, send_queued_emails):
    for hour in (9, 10, 11):
        with at(day(14), hour):
            tasks.send_reminders()  # the hourly task
    deliver(send_queued_emails)
    assert reminder_emails(mailoutbox) == [
        ("ada", "Your check-in with Ben is overdue"),
        ("ben", "Your check-in with Ada is overdue"),
    ]
    assert "from 1 March to 14 March" in mailoutbox[0].body


def test_reminders_recorded_before_a_crash_are_sent_by_the_next_sweep(world, mailoutbox, send_queued_emails):
    with at(day(12)):
        reminders.reminders_record()  # ... and the process dies before sending
    with at(day(12), hour=10):
        report = reminders.reminders_sweep()
        reminders.reminders_sweep()
    deliver(send_queued_emails)
    assert (report.recorded["due"], report.sent.reminders, report.sent.emails) == (0, 1, 2)
    assert len(mailoutbox) == 2


def test_a_nudge_left_unsent_until_its_period_ended_is_dropped_for_the_overdue_one(
    world, mailoutbox, send_queued_emails
):
    with at(day(12)):
        reminders.reminders_record()
    with at(day(14)):  # the worker was down for two days
        report = reminders.reminders_sweep()
    deliver(send_queued_emails)
    assert report.sent.skipped == {"the period is over": 1}
    assert reminder_emails(mailoutbox) == [
        ("ada", "Your check-in with Ben is overdue"),
        ("ben", "Your check-in with Ada is overdue"),
    ]
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(mailoutbox, send_queued_emails):
    world = reminder_world(checkin_cadence_days=14)
    for mentee, mentor in (("ben", "ada"), ("dee", "cy"), ("fay", "gus")):
        start_pair(world, mentee, mentor)
    flush_outbox(mailoutbox)
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

    with at(day(12)):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deliver(send_queued_emails)
    assert errors == []
    assert sum(r.recorded["due"] for r in reports) == 3
    assert sum(r.sent.reminders for r in reports) == 3
    assert sum(r.sent.emails for r in reports) == 6
    assert len(mailoutbox) == 6
    assert len({m.to[0] for m in mailoutbox}) == 6
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


# --- Who gets nothing ------------------------------------------------------------------------------


def test_nothing_for_paused_or_closed_pairs(world, mailoutbox, send_queued_emails):
    closed = start_pair(world, "fay", "gus")
    with at(day(5)):
        matching_services.match_pause(match=world.match, by=world.coordinator)
        matching_services.match_close(
            match=closed, by=world.coordinator, reason=ClosureReason.MOVED, anticipated=False
        )
    flush_outbox(mailoutbox)
    for offset in (12, 14, 30):
        with at(day(offset)):
            report = reminders.reminders_sweep()
            assert report.recorded == {"due": 0, "overdue": 0}
    deliver(send_queued_emails)
    assert mailoutbox == []


def test_a_pair_back_from_a_pause_is_reminded_only_about_periods_after_it(world):
    with at(day(5)):
        matching_services.match_pause(match=world.match, by=world.coordinator)
    with at(day(40)):  # back in the period of days 28-41; the periods of 14-27 and 28-41 do not count
        matching_services.match_resume(match=world.match, by=world.coordinator)
        assert reminders.reminders_sweep().recorded == {"due": 0, "overdue": 0}
    with at(day(41)):
        assert reminders.reminders_sweep().recorded == {"due": 0, "overdue": 0}
    with at(day(54)):  # the first whole period since (days 42-55) ends in two days
        reminders.reminders_sweep()
    with at(day(56)):  # ... and ended with no check-in
        reminders.reminders_sweep()
    assert recorded() == {("due", 42), ("overdue", 42)}


def test_a_pair_paused_after_the_reminder_was_recorded_is_not_emailed(world, mailoutbox, send_queued_emails):
    with at(day(12)):
        reminders.reminders_record()
        matching_services.match_pause(match=world.match, by=world.coordinator)
        report = reminders.reminders_send()
    deliver(send_queued_emails)
    assert report.skipped == {"the pair is paused": 1}
    assert mailoutbox == []
    assert Reminder.objects.get().sent_at is not None


def test_people_who_turned_reminders_off_get_none_and_nothing_later(world, mailoutbox, send_queued_emails):
    set_reminders(world.match.mentee.user, False)
    with at(day(12)):
        report = reminders.reminders_sweep()
    set_reminders(world.match.mentee.user, True)  # turning them back on does not send the old one
    with at(day(13)):
        reminders.reminders_sweep()
    deliver(send_queued_emails)
    assert report.sent.opted_out == 1
    assert reminder_emails(mailoutbox) == [("ada", "A check-in with Ben is due by Sunday 14 March")]
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


# --- The command -----------------------------------------------------------------------------------


def test_the_dry_run_shows_what_would_go_and_changes_nothing(world):
    set_reminders(world.match.mentor.user, False)
    out = io.StringIO()
    with at(day(12)):
        call_command("send_reminders", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"pair {world.match.pk}: due, period from 2027-03-01: Ben, not Ada (reminders off)" in text
    assert "Dry run: 1 reminder, 1 email would be sent. Nothing changed." in text
    assert "@" not in text  # no email addresses
    assert Reminder.objects.count() == 0
    assert not OutboundEmail.objects.filter(kind__startswith="reminder").exists()


def test_the_dry_run_also_shows_reminders_left_unsent(world):
    with at(day(12)):
        reminders.reminders_record()
        out = io.StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
    assert f"pair {world.match.pk}: due" in out.getvalue()
    assert Reminder.objects.get().sent_at is None


def test_the_command_sends_and_reports_counts(world, mailoutbox, send_queued_emails):
    out = io.StringIO()
    with at(day(14)):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    deliver(send_queued_emails)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Recorded 0 due and 1 overdue reminders (new rows; each is sent once)."
    assert lines[1] == "Handled 1 reminder: 2 emails queued, 0 with reminders off, 0 no longer needed."
    assert lines[2].startswith("Recorded 0 due and 0 overdue reminders")
    assert lines[3] == "Handled 0 reminders: 0 emails queued, 0 with reminders off, 0 no longer needed."
    assert len(mailoutbox) == 2


# --- The coordinators' daily digest ---------------------------------------------------------------


@pytest.fixture
def quiet_coordinator():
    """A coordinator whose program has no pairs: nothing to say."""
    with at(START):
        user = scenarios.coordinator(email="quiet@matching.test", display_name="Quinn Quiet")
        scenarios.program(coordinator=user, name="Quiet Program")
    return user


def test_the_digest_lists_pairs_at_risk_once_a_day(world, quiet_coordinator, mailoutbox, send_queued_emails):
    start_pair(world, "fay", "gus")
    log_checkin(Match.objects.get(mentee=world.mentees["fay"]), day(25))
    flush_outbox(mailoutbox)
    with at(day(30), hour=7):
        first = digests.coordinator_digests_send()
        tasks.send_coordinator_digests()
        again = digests.coordinator_digests_send()
        deliver(send_queued_emails)
    assert (first.sent, first.nothing_to_say, again.sent) == (1, 1, 0)
    assert [m.to for m in mailoutbox] == [["lead@matching.test"]]
    digest = mailoutbox[0]
    # Fay's and Gus's pairing fit (they met on day 25); the self-assessments at the start closed on day 27.
    # The four people of the two pairs have not been seen for 30 days (evaluation/activity.py).
    assert digest.subject == "2 pairs at risk, 2 surveys due, 4 people inactive (31 March)"
    assert "Ada (mentor) and Ben (mentee): no meeting for 30 days" in digest.body
    assert "Gus (mentor) and Fay (mentee)" in digest.body  # met on day 25 but no staff contact yet
    assert "2 surveys due and not yet answered" in digest.body  # the coordinator's to-do list
    assert f"/matches/{world.match.pk}/" in digest.body
    assert CoordinatorDigest.objects.filter(sent_at__isnull=False).count() == 1
    assert not CoordinatorDigest.objects.filter(coordinator=quiet_coordinator).exists()

    with at(day(31), hour=7):  # the next day: a new digest
        assert digests.coordinator_digests_send().sent == 1


def test_no_digest_when_there_is_nothing_to_say(quiet_coordinator, mailoutbox, send_queued_emails):
    with at(day(30), hour=7):
        report = digests.coordinator_digests_send()
    deliver(send_queued_emails)
    assert (report.sent, report.nothing_to_say) == (0, 1)
    assert mailoutbox == []


def test_the_digest_dry_run_changes_nothing(world):
    out = io.StringIO()
    with at(day(30), hour=7):
        call_command("send_reminders", "--digests", "--dry-run", stdout=out)
    # Ben's self-assessment at the start closed on day 27 (evaluation.selectors.SURVEY_WINDOW_DAYS).
    assert "(Lead): 1 pair at risk, 2 people inactive\n" in out.getvalue()  # Ada and Ben, unseen for 30 days
    assert CoordinatorDigest.objects.count() == 0
