"""Check-in reminders, each sent exactly once (the coordinators' daily digest is in evaluation/digests.py).

Cadence periods, and which of them are due, are the rule of evaluation/periods.py: periods of the
program's cadence from the match's start; a period with a paused day is not due (the pair was not
expected to meet while paused). A period "has a check-in" when any CheckIn (held or missed: logging
a missed meeting is still contact) falls in it.

For each ACTIVE match, on a day ``on``:

- **due**: the current period is due, ends within ``periods.lead_days(c)`` days (``min(max(2, c // 5),
  c - 1)``: two days for a fortnightly cadence, six for a monthly one, never on a period's first
  day) and has no check-in yet: a friendly nudge to both people;
- **overdue**: the previous period was due and ended with no check-in, and none has been logged
  since: a firmer one.

So a pair back from a pause is reminded only about the periods that began after it resumed.
``periods.reminders`` is the same rule in Python, and tests/evaluation/test_periods.py holds the
SQL below to it.

Exactly once, in two steps:

1. ``reminders_record`` is one set-based statement: it computes every pair's current period in
   PostgreSQL and inserts a Reminder row (unique on match, period_start, kind) for each one due,
   ON CONFLICT DO NOTHING. Re-runs and overlapping sweeps insert nothing new. It commits on its
   own, so a crash after it leaves unsent rows that the next sweep picks up.
2. ``reminders_send`` claims unsent rows in batches (SELECT ... FOR UPDATE SKIP LOCKED), queues the
   emails in the outbox and marks the rows sent in the same transaction: either both happen or
   neither does, and a concurrent sweep skips the rows another one holds.

People who turned reminder emails off get none; their row is still marked sent, so nothing goes
out later either. A row that is no longer worth sending when it is claimed (the pair was paused
or closed, a check-in was logged meanwhile, the period is long past after an outage) is marked
sent without an email: late nudges about a period that is over would only confuse.

Meeting reminders (24 hours before a planned meeting: evaluation/meeting_reminders.py) are rows of
the same table, recorded by their own INSERT ... SELECT in the same sweep and claimed by the same
loop below, which hands those rows (they have a meeting_id) to that module.
"""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from evaluation import meeting_reminders, periods
from evaluation.models import CheckIn, Reminder, ReminderKind
from matching.models import Match, MatchPause, MatchStatus
from mentorship.services import email_batch, email_queue
from programs.models import Program

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def _first_word(display_name, account_first_name):
    name = display_name or account_first_name or ""
    return name.split()[0] if name.strip() else "your partner"


def first_name(user):
    """What reminders and the calendar call a person: the first word of their display name (never
    an email address, which is what ``User.display_name`` falls back to)."""
    profile = getattr(user, "profile", None)
    return _first_word(profile.display_name if profile else "", user.first_name)


# --- Step 1: record the due reminders, set-based -------------------------------------------------


def _candidates_sql():
    """A WITH clause naming ``candidate``: (match_id, period_start, kind, since, until) for every
    active pair's due and overdue reminder whose window [since, until) has no check-in."""
    qn = connection.ops.quote_name
    pause_table = qn(MatchPause._meta.db_table)
    current_is_due = periods.is_due_sql("c.match_id", "c.period_start", "c.cadence", pause_table=pause_table)
    previous_is_due = periods.is_due_sql(
        "c.match_id", "c.period_start - c.cadence", "c.cadence", pause_table=pause_table
    )
    # Only table names from the models' _meta are interpolated; every value is a parameter.
    return f"""
    WITH current_period AS (
        SELECT m.id AS match_id,
               m.started_on,
               p.checkin_cadence_days AS cadence,
               {periods.period_start_sql("%(on)s::date", "m.started_on", "p.checkin_cadence_days")}
                 AS period_start
        FROM {qn(Match._meta.db_table)} m
        JOIN {qn(Program._meta.db_table)} p ON p.id = m.program_id
        WHERE m.status = %(active)s AND m.started_on <= %(on)s::date
    ),
    window_ AS (
        -- due: the current period ends within the lead days (see lead_days) with no check-in in it
        SELECT c.match_id, c.period_start, %(due)s AS kind,
               c.period_start AS since, c.period_start + c.cadence AS until
        FROM current_period c
        WHERE c.period_start + c.cadence - %(on)s::date <= {periods.lead_days_sql("c.cadence")}
          AND {current_is_due}
        UNION ALL
        -- overdue: the previous period was due and ended with no check-in, and none since
        SELECT c.match_id, c.period_start - c.cadence, %(overdue)s,
               c.period_start - c.cadence, c.period_start + c.cadence
        FROM current_period c
        WHERE c.period_start - c.cadence >= c.started_on
          AND {previous_is_due}
    ),
    candidate AS (
        SELECT w.* FROM window_ w
        WHERE NOT EXISTS (
            SELECT 1 FROM {qn(CheckIn._meta.db_table)} ci
            WHERE ci.match_id = w.match_id AND ci.occurred_on >= w.since AND ci.occurred_on < w.until
        )
    )"""  # noqa: S608


def _params(on):
    return {
        "on": on,
        "active": MatchStatus.ACTIVE.value,
        "due": ReminderKind.DUE.value,
        "overdue": ReminderKind.OVERDUE.value,
        "now": timezone.now(),
    }


def reminders_record(*, on=None):
    """Insert a Reminder row for every reminder due on ``on``; returns {kind: rows inserted}.

    One INSERT ... SELECT over all active matches. The fixed ORDER BY makes concurrent sweeps take
    the unique index's locks in the same order, so they queue instead of deadlocking.
    """
    on = on or timezone.localdate()
    reminder_table = connection.ops.quote_name(Reminder._meta.db_table)
    sql = f"""{_candidates_sql()},
    inserted AS (
        INSERT INTO {reminder_table} (match_id, period_start, kind, created_at)
        SELECT match_id, period_start, kind, %(now)s FROM candidate
        ORDER BY match_id, kind
        ON CONFLICT (match_id, period_start, kind) WHERE meeting_id IS NULL DO NOTHING
        RETURNING kind
    )
    SELECT kind, count(*) FROM inserted GROUP BY kind"""  # noqa: S608 (table names only)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, _params(on))
        counts = dict(cursor.fetchall())
    return {kind: counts.get(kind, 0) for kind in (ReminderKind.DUE, ReminderKind.OVERDUE)}


# --- Step 2: claim, email, mark sent --------------------------------------------------------------


# The send step handles thousands of reminders a run: it reads flat rows (values()) rather than
# building nine model instances per reminder, which cost more than the queries themselves.
_PERSON_FIELDS = (
    "id",
    "email",
    "first_name",
    "is_active",
    "profile__display_name",
    "profile__email_reminders",
)


def _pair_fields(prefix):
    fields = [
        f"{prefix}id",
        f"{prefix}status",
        f"{prefix}program__checkin_cadence_days",
        f"{prefix}program__name",
        f"{prefix}mentee__on_break_until",
        f"{prefix}mentor__on_break_until",
    ]
    return fields + [
        f"{prefix}{role}__user__{name}" for role in ("mentee", "mentor") for name in _PERSON_FIELDS
    ]


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str
    name: str  # first name only
    wants_email: bool


@dataclass(frozen=True)
class Pair:
    match_id: int
    status: str
    cadence: int
    program_name: str
    mentee: Person
    mentor: Person
    # The later return date of the two if either is on a break (programs.breaks), else None.
    break_until: dt.date | None = None


def _pair_from_row(row, prefix):
    def person(role):
        def get(name):
            return row[f"{prefix}{role}__user__{name}"]

        return Person(
            user_id=get("id"),
            email=get("email"),
            name=_first_word(get("profile__display_name"), get("first_name")),
            wants_email=bool(get("is_active") and get("profile__email_reminders")),
        )

    return Pair(
        match_id=row[f"{prefix}id"],
        status=row[f"{prefix}status"],
        cadence=row[f"{prefix}program__checkin_cadence_days"],
        program_name=row[f"{prefix}program__name"],
        mentee=person("mentee"),
        mentor=person("mentor"),
        break_until=max(
            (
                d
                for d in (row[f"{prefix}mentee__on_break_until"], row[f"{prefix}mentor__on_break_until"])
                if d
            ),
            default=None,
        ),
    )


@dataclass
class Delivery:
    """What handling one reminder comes to: the people emailed, those who opted out, or why none."""

    pair: Pair
    period_start: dt.date
    kind: str
    to: list = field(default_factory=list)  # (person, partner): one email each
    opted_out: list = field(default_factory=list)  # people with reminder emails off
    skipped: str = ""  # why nobody is emailed


def _unsent_rows(reminders):
    """Flat rows of the given Reminder queryset, with its pair and whether a check-in made it moot."""
    return reminders.annotate(
        # A check-in on or after the reminder's period start makes it moot (for "due" that is the
        # period itself or later; for "overdue", the missed period or since).
        met_since=Exists(
            CheckIn.objects.filter(match=OuterRef("match"), occurred_on__gte=OuterRef("period_start"))
        )
    ).values("period_start", "kind", "met_since", *_pair_fields("match__"))


def _delivery(pair, period_start, kind, *, met_since, on):
    # A due nudge is moot once its period is over; an overdue one once the next period is over too
    # (a newer overdue reminder takes its place).
    lasts_until = period_start + dt.timedelta(
        days=pair.cadence if kind == ReminderKind.DUE else 2 * pair.cadence
    )
    delivery = Delivery(pair=pair, period_start=period_start, kind=kind)
    if pair.status != MatchStatus.ACTIVE:
        delivery.skipped = f"the pair is {pair.status}"
    elif met_since:
        delivery.skipped = "a check-in was logged"
    elif on >= lasts_until:
        delivery.skipped = "the period is over"
    elif pair.break_until and pair.break_until > on:
        # Left out while either of the pair is on a break; the reminder is marked sent, not kept.
        delivery.skipped = "one of the pair is on a break"
    else:
        for person, partner in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee)):
            if person.wants_email:
                delivery.to.append((person, partner))
            else:
                delivery.opted_out.append(person)
    return delivery


def _delivery_from_row(row, on):
    return _delivery(
        _pair_from_row(row, "match__"), row["period_start"], row["kind"], met_since=row["met_since"], on=on
    )


def _send(delivery, profile_url, batch):
    """Queue the delivery's emails (one per person who wants them), each naming the partner."""
    if not delivery.to:
        return
    pair = delivery.pair
    shared = {
        "program_name": pair.program_name,
        "cadence": pair.cadence,
        "period_start": delivery.period_start,
        "last_day": delivery.period_start + dt.timedelta(days=pair.cadence - 1),
        "match_url": reverse("evaluation:checkin_new", args=[pair.match_id]),
        "profile_url": profile_url,
    }
    for person, partner in delivery.to:
        email_queue(
            to=person.email,
            template=f"reminder_{delivery.kind}",
            context={**shared, "name": person.name, "partner_name": partner.name},
            topic=reminder_topic(pair.match_id, delivery.period_start, delivery.kind),
            batch=batch,
        )


TOPIC_PREFIX = "reminder"


def reminder_topic(match_id, period_start, kind):
    """What a reminder email is about, kept on its outbox row: the reminder's own unique key."""
    return f"{TOPIC_PREFIX}:{match_id}:{period_start.isoformat()}:{kind}"


def outbox_moot(emails, *, on=None):
    """settings.OUTBOX_CHECKS: of the outbox rows the email sweep is about to send late (their task
    was lost), the reminders that are not needed any more, and why. The rule is the one that
    decided to send them (``_delivery``): a check-in logged since, the period over, the pair no
    longer active. Returns {email id: reason}."""
    on = on or timezone.localdate()
    keys = {}
    for email in emails:
        prefix, _, rest = email.topic.partition(":")
        if prefix == TOPIC_PREFIX:
            match_id, period_start, kind = rest.split(":")
            keys[email.pk] = (int(match_id), dt.date.fromisoformat(period_start), kind)
    if not keys:
        return {}
    reminders = Reminder.objects.filter(match_id__in={key[0] for key in keys.values()}, meeting__isnull=True)
    reasons = {}
    for row in _unsent_rows(reminders):
        delivery = _delivery_from_row(row, on)
        if delivery.skipped:
            reasons[(delivery.pair.match_id, delivery.period_start, delivery.kind)] = delivery.skipped
    return {pk: reasons[key] for pk, key in keys.items() if key in reasons}


@dataclass
class SendReport:
    reminders: int = 0  # rows claimed and marked sent
    emails: int = 0
    opted_out: int = 0  # people not emailed because they turned reminders off
    skipped: Counter = field(default_factory=Counter)  # reason -> rows marked sent with no email


def reminders_send(*, on=None, batch_size=BATCH_SIZE):
    """Claim unsent reminders batch by batch, queue their emails, mark them sent. Rows another
    sweep holds are skipped (it sends them); each batch is one transaction."""
    on = on or timezone.localdate()
    report = SendReport()
    profile_url = reverse("profile")
    while True:
        with transaction.atomic(), email_batch() as emails:
            # Claim first, with a narrow query that the partial index on unsent rows answers; then
            # read what the emails need. (Locking through the seven-table join would make the
            # planner join whole tables before it could lock 500 rows.)
            rows = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True)
                .order_by("created_at")
                .values_list("pk", "meeting_id")[:batch_size]
            )
            claimed = [pk for pk, _ in rows]
            # Check-in reminders here; meeting reminders (a meeting_id) are meeting_reminders'.
            checkin_ids = [pk for pk, meeting_id in rows if meeting_id is None]
            deliveries = [
                (_delivery_from_row(row, on), _send)
                for row in _unsent_rows(Reminder.objects.filter(pk__in=checkin_ids).order_by("pk"))
            ]
            if len(checkin_ids) < len(claimed):
                meeting_rows = Reminder.objects.filter(pk__in=claimed, meeting__isnull=False)
                deliveries += [
                    (d, meeting_reminders.send) for d in meeting_reminders.deliveries(meeting_rows)
                ]
            for delivery, send in deliveries:
                send(delivery, profile_url, emails)
                report.emails += len(delivery.to)
                report.opted_out += len(delivery.opted_out)
                if delivery.skipped:
                    report.skipped[delivery.skipped] += 1
            Reminder.objects.filter(pk__in=claimed).update(sent_at=timezone.now())
            report.reminders += len(claimed)
        if len(claimed) < batch_size:
            return report


@dataclass
class SweepReport:
    recorded: dict  # check-in reminders: {kind: new rows}
    sent: SendReport  # check-in and meeting reminders
    meetings_recorded: int = 0  # new meeting reminder rows


def reminders_sweep(*, on=None, batch_size=BATCH_SIZE):
    """The hourly job: record what is due, then send what is unsent (this run's and any left over)."""
    on = on or timezone.localdate()
    recorded = reminders_record(on=on)
    meetings = meeting_reminders.meeting_reminders_record()
    return SweepReport(
        recorded=recorded, sent=reminders_send(on=on, batch_size=batch_size), meetings_recorded=meetings
    )


def reminders_preview(*, on=None):
    """What a sweep would send now, changing nothing: the unsent reminders waiting, then those it
    would record, each as a Delivery."""
    on = on or timezone.localdate()
    reminder_table = connection.ops.quote_name(Reminder._meta.db_table)
    sql = f"""{_candidates_sql()}
    SELECT c.match_id, c.period_start, c.kind FROM candidate c
    WHERE NOT EXISTS (
        SELECT 1 FROM {reminder_table} r
        WHERE r.match_id = c.match_id AND r.period_start = c.period_start AND r.kind = c.kind
    )
    ORDER BY c.match_id, c.kind"""  # noqa: S608 (table names only)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(on))
        new = cursor.fetchall()
    waiting = _unsent_rows(
        Reminder.objects.filter(sent_at__isnull=True, meeting__isnull=True).order_by("created_at", "pk")
    )
    deliveries = [_delivery_from_row(row, on) for row in waiting]
    pairs = {
        row["id"]: _pair_from_row(row, "")
        for row in Match.objects.filter(pk__in=[match_id for match_id, _, _ in new]).values(*_pair_fields(""))
    }
    # The SQL found no check-in for these.
    deliveries += [_delivery(pairs[m], start, kind, met_since=False, on=on) for m, start, kind in new]
    return deliveries
