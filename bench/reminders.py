"""Benchmark of the check-in reminder sweep over 50,000 active matches (issue 5, item 9).

Runs on a database of its own, ``bench_<pid>``, created on the configured PostgreSQL server
(Django's test-database machinery: create, migrate, and drop at the end, also on failure), so a
developer's data is never touched. The data: 50,000 active pairs in 12 programs with cadences of
7 to 30 days, started over the last two years, about 88% of cadence periods with a check-in and
one person in ten with reminder emails off.

Measured side by side in the same run (the machines are shared and noisy), each the median of a
few repetitions where the step can be repeated:

- baseline: ``SELECT count(*)`` of the active matches (the least any sweep must do);
- the record step (one INSERT ... SELECT ... ON CONFLICT DO NOTHING) on its first run, when every
  reminder due is new, and on a re-run, when all of them conflict (the hourly case);
- the send step (claim with SKIP LOCKED, queue the emails, mark sent) for that first run, and the
  same step without emails (everybody opted out, rolled back), which splits the step's own cost
  from the outbox's (rendering two templates and one INSERT per email);
- a whole sweep the next day (a day's worth of new reminders), and an idle hourly sweep.

Target: a sweep over 50,000 active matches in 2 s or less.

    .venv/bin/python -m bench.reminders
"""

import datetime as dt
import os
import random
import statistics
import time

N_MATCHES = 50_000
MENTEES_PER_MENTOR = 2
CADENCES = [7, 14, 14, 14, 14, 14, 14, 21, 28, 30, 30, 30]
MEET_RATE = 0.88
OPT_OUT_RATE = 0.10
TARGET_SECONDS = 2.0


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


def _timed(fn, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _populate(today, rng):
    """50,000 active pairs with their people, and ~2 periods of check-in history each."""
    from django.db import transaction

    from evaluation.models import CheckIn
    from matching.models import Match, MatchSource, MatchStatus
    from mentorship.models import Profile, User
    from programs.models import Enrollment, EnrollmentStatus, HeardAbout, Program, ProgramStatus, Role

    n_mentors = N_MATCHES // MENTEES_PER_MENTOR
    with transaction.atomic():
        programs = Program.objects.bulk_create(
            Program(
                name=f"Bench program {k}",
                slug=f"bench-{k}",
                description="Benchmark data.",
                status=ProgramStatus.RUNNING,
                checkin_cadence_days=cadence,
            )
            for k, cadence in enumerate(CADENCES)
        )
        users = User.objects.bulk_create(
            (User(email=f"p{k}@bench.test", password="!") for k in range(N_MATCHES + n_mentors)),
            batch_size=10_000,
        )
        Profile.objects.bulk_create(
            (
                Profile(user=user, display_name=f"Person {k}", email_reminders=rng.random() >= OPT_OUT_RATE)
                for k, user in enumerate(users)
            ),
            batch_size=10_000,
        )
        mentors = Enrollment.objects.bulk_create(
            (
                Enrollment(
                    program=programs[k % len(programs)],
                    user=users[N_MATCHES + k],
                    role=Role.MENTOR,
                    status=EnrollmentStatus.APPROVED,
                    heard_about=HeardAbout.FRIEND,
                    capacity=MENTEES_PER_MENTOR,
                )
                for k in range(n_mentors)
            ),
            batch_size=10_000,
        )
        mentees = Enrollment.objects.bulk_create(
            (
                Enrollment(
                    program=mentors[k % n_mentors].program,
                    user=users[k],
                    role=Role.MENTEE,
                    status=EnrollmentStatus.APPROVED,
                    heard_about=HeardAbout.FRIEND,
                )
                for k in range(N_MATCHES)
            ),
            batch_size=10_000,
        )
        matches = Match.objects.bulk_create(
            (
                Match(
                    program=mentee.program,
                    mentee=mentee,
                    mentor=mentors[k % n_mentors],
                    status=MatchStatus.ACTIVE,
                    source=MatchSource.MANUAL,
                    started_on=today - dt.timedelta(days=rng.randint(0, 730)),
                )
                for k, mentee in enumerate(mentees)
            ),
            batch_size=10_000,
        )
        checkins = []
        for match in matches:
            cadence = match.program.checkin_cadence_days
            elapsed = (today - match.started_on).days
            current = elapsed // cadence
            for period in range(max(0, current - 2), current + 1):
                first = period * cadence
                last = min(first + cadence - 1, elapsed)
                # The current period is partly over: the chance that its meeting happened already
                # grows with the share of it gone.
                share = (last - first + 1) / cadence
                if rng.random() < MEET_RATE * share:
                    occurred = match.started_on + dt.timedelta(days=rng.randint(first, last))
                    checkins.append(CheckIn(match=match, occurred_on=occurred, held=rng.random() < 0.9))
        CheckIn.objects.bulk_create(checkins, batch_size=10_000)
    return len(checkins)


def _baseline():
    from django.db import connection

    from matching.models import Match

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(Match._meta.db_table)} WHERE status = %s",  # noqa: S608
            ["active"],
        )
        return cursor.fetchone()[0]


def _measure(today):
    from django.db import connection, transaction
    from django.urls import reverse

    from evaluation import reminders
    from evaluation.models import Reminder
    from mentorship.models import OutboundEmail, Profile

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    reverse("profile")  # a worker has its URLconf loaded (2 s of imports on the first reverse)
    figures = {}
    figures["baseline"], active = _timed(_baseline, repeat=5)
    figures["record_first"], recorded = _timed(lambda: reminders.reminders_record(on=today))
    # The send step's own work (claim, check, mark sent) without the emails: the same step with
    # everybody's reminders off, rolled back.
    with transaction.atomic():
        Profile.objects.update(email_reminders=False)
        figures["claim_only"], _ = _timed(lambda: reminders.reminders_send(on=today))
        transaction.set_rollback(True)
    figures["send_first"], sent = _timed(lambda: reminders.reminders_send(on=today))
    figures["record_again"], again = _timed(lambda: reminders.reminders_record(on=today), repeat=5)
    figures["sweep_idle"], idle = _timed(lambda: reminders.reminders_sweep(on=today), repeat=5)
    tomorrow = today + dt.timedelta(days=1)
    figures["sweep_next_day"], next_day = _timed(lambda: reminders.reminders_sweep(on=tomorrow))
    assert sum(again.values()) == 0 and sum(idle.recorded.values()) == 0 and idle.sent.reminders == 0
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert OutboundEmail.objects.count() == sent.emails + next_day.sent.emails  # each once
    return {"active": active, "recorded": recorded, "sent": sent, "next_day": next_day, "figures": figures}


def run():
    _setup_django()
    from django.db import connection

    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{os.getpid()}"
    old_name = settings_dict["NAME"]
    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        created = time.perf_counter()
        today = dt.date(2027, 6, 15)
        n_checkins = _populate(today, random.Random(2027))
        populated = time.perf_counter()
        result = _measure(today)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    _report(result, n_checkins, setup=(created - started, populated - created))
    return result


def _report(result, n_checkins, *, setup):
    f = result["figures"]
    base = f["baseline"]
    recorded, sent, next_day = result["recorded"], result["sent"], result["next_day"]
    first_sweep = f["record_first"] + f["send_first"]
    per_email = (f["send_first"] - f["claim_only"]) / max(sent.emails, 1)
    rows = [
        ("baseline: SELECT count(*) of active matches", base, ""),
        (
            "record, first run (all new)",
            f["record_first"],
            f"{recorded['due']} due + {recorded['overdue']} overdue",
        ),
        ("claim + mark sent, no emails", f["claim_only"], f"{sent.reminders} reminders"),
        ("send, first run (claim, queue emails, mark)", f["send_first"], f"{sent.emails} emails queued"),
        ("first sweep (record + send)", first_sweep, ""),
        ("record, re-run (all conflict)", f["record_again"], "0 new"),
        ("idle hourly sweep", f["sweep_idle"], "0 new, 0 emails"),
        (
            "next day's sweep",
            f["sweep_next_day"],
            f"{sum(next_day.recorded.values())} new, {next_day.sent.emails} emails",
        ),
    ]
    print(f"Reminder sweep over {result['active']:,} active matches ({n_checkins:,} check-ins)")
    print(f"  setup: database created and migrated in {setup[0]:.1f} s, data loaded in {setup[1]:.1f} s")
    for label, seconds, note in rows:
        print(f"  {label:<46} {seconds * 1000:9.1f} ms {seconds / base:8.1f}x  {note}")
    sql_sweep = f["record_first"] + f["claim_only"]
    print(f"  queuing one email (render + one outbox INSERT): {per_email * 1000:.2f} ms")
    print(
        f"  target <= {TARGET_SECONDS:.0f} s: sweep without email queuing {sql_sweep:.2f} s, "
        f"idle {f['sweep_idle']:.2f} s, next day {f['sweep_next_day']:.2f} s, first ever {first_sweep:.2f} s"
    )


if __name__ == "__main__":
    run()
