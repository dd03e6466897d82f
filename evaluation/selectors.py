"""Shared reads of the evaluation app: which pairs are at risk, and which surveys are due.

Both are used by the coordinator's dashboard, the daily digest and people's own pages, so they
live in one place and use one definition.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Min, Q
from django.db.models.expressions import RawSQL

from evaluation.models import LOW_RATING, CheckIn, StaffContact, SurveyKind, SurveyResponse
from evaluation.periods import Pause, days_without_meeting
from matching.models import Match, MatchPause, MatchStatus


def staff_contacts_expected(started_on, on):
    """How many staff contacts a pair should have had by ``on``: two in the first month, then one
    a month (the field's standard)."""
    if started_on is None or on < started_on:
        return 0
    days = (on - started_on).days
    if days < 14:
        return 0
    if days < 30:
        return 1
    return 2 + (days - 30) // 30


_MATCH = Match._meta.db_table
# The correlated subqueries of pairs_at_risk, on the outer query's match row.
_LAST_CHECKIN = (
    f"SELECT c.occurred_on FROM {CheckIn._meta.db_table} c "  # noqa: S608 - table names from the models
    f'WHERE c.match_id = "{_MATCH}"."id" AND {{condition}} ORDER BY c.occurred_on DESC LIMIT 1'
)
_CONTACTS = f'SELECT COUNT(*) FROM {StaffContact._meta.db_table} s WHERE s.match_id = "{_MATCH}"."id"'  # noqa: S608
_PAUSES = (
    f"ARRAY(SELECT ARRAY[p.started_on, p.ended_on] FROM {MatchPause._meta.db_table} p "  # noqa: S608
    f'WHERE p.match_id = "{_MATCH}"."id" ORDER BY p.id)'
)


NOT_MET = "no meeting for"  # the start of the reason for twice the cadence without a meeting


class RiskList(list):
    """The pairs at risk to show (``limit`` at most, longest without a meeting first); in
    ``total``, how many there are in all, and in ``by_program``, {program id: (pairs not met for
    twice the cadence, other pairs at risk)} (the coordinator's to-do list counts them so)."""

    total = 0
    by_program = None


def pairs_at_risk(matches, *, on, limit=None):
    """Active matches (from the queryset ``matches``) at risk on ``on``, each with its reasons:
    no check-in held for twice the cadence, a low rating in the last cadence period, or a staff
    contact missing against the standard. Days the pair was paused do not count towards "no
    meeting" (evaluation/periods.py: a pair is not expected to meet while paused).

    Every active match is classified from plain values (subquery annotations: joining check-ins
    and staff contacts in one GROUP BY would multiply rows); model objects are loaded only for the
    pairs returned, in one more query: two queries whatever the number of pairs (one with
    ``limit=0``: the counts alone)."""

    # Subqueries, not joins: joining check-ins and staff contacts in one GROUP BY multiplies rows.
    # Each reads an index and stops at the first row it needs: the (match, occurred_on) index
    # backwards for the last meeting held; low ratings have their own partial index (CheckIn.Meta),
    # so the last one is one probe away; the contacts are counted from their match index alone.
    # The rows are read with a plain cursor: thousands of them, no model and no converter needed.
    rows = (
        matches.filter(status=MatchStatus.ACTIVE)
        .annotate(  # our SQL, no value from outside (the rating as a parameter)
            last_held=RawSQL(_LAST_CHECKIN.format(condition="c.held"), ()),  # noqa: S611
            last_low=RawSQL(_LAST_CHECKIN.format(condition="c.rating <= %s"), (LOW_RATING,)),  # noqa: S611
            contacts=RawSQL(_CONTACTS, ()),  # noqa: S611
            pause_spans=RawSQL(_PAUSES, ()),  # noqa: S611 - [[start, end], ...]: most pairs have none
        )
        .order_by("pk")
        .values_list(
            "pk",
            "program_id",
            "started_on",
            "program__checkin_cadence_days",
            "last_held",
            "last_low",
            "contacts",
            "pause_spans",
        )  # fmt: skip
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        classified = cursor.fetchall()
    found = []
    by_program = {}
    for pk, program_id, started_on, cadence, last_held, last_low, contacts, pauses in classified:
        reasons = []
        since = last_held or started_on
        # Paused days only ever lower the count: a pair within twice the cadence by the calendar
        # is within it without them, and its pauses need not be looked at.
        if since is not None and (on - since).days > 2 * cadence:
            spans = [Pause(start, end) for start, end in pauses]
            days, calendar_days = days_without_meeting(since, on, spans)
            if days > 2 * cadence:
                paused = calendar_days - days
                aside = f" ({calendar_days} days, {paused} of them paused)" if paused else ""
                reasons.append(f"{NOT_MET} {days} days{aside}")
        if last_low is not None and (on - last_low).days <= cadence:
            reasons.append("a low rating at a recent check-in")
        if contacts < staff_contacts_expected(started_on, on):
            reasons.append("a staff contact is overdue")
        if reasons:
            found.append((since or on, pk, reasons, last_held))
            not_met, other = by_program.get(program_id, (0, 0))
            met_now = reasons[0].startswith(NOT_MET)
            by_program[program_id] = (not_met + met_now, other + (not met_now))
    found.sort(key=lambda item: (item[0], item[1]))  # longest without a meeting first
    shown = found if limit is None else found[:limit]
    objects = Match.objects.select_related(
        "program", "mentee__user__profile", "mentor__user__profile"
    ).in_bulk([pk for _, pk, _, _ in shown])
    result = RiskList(
        RiskyPair(match=objects[pk], reasons=reasons, last_meeting=held) for _, pk, reasons, held in shown
    )
    result.total = len(found)
    result.by_program = by_program
    return result


@dataclass
class RiskyPair:
    match: Match
    reasons: list
    last_meeting: dt.date | None


# How long each survey stays open, in days from the day its window opens (its anchor, below).
# After that it is not offered, not invited, not answerable and not counted as due: a survey that
# was missed is gone, so surveys never pile up. A satisfaction survey closes sooner when the
# program asks for them more often (never after the next one opens).
SURVEY_WINDOW_DAYS = {
    SurveyKind.PAIRING_FIT: 28,
    SurveyKind.SELF_START: 28,
    SurveyKind.SATISFACTION: 21,
    SurveyKind.EXIT: 28,
    SurveyKind.SELF_END: 28,
    SurveyKind.FOLLOW_UP_3: 30,
    SurveyKind.FOLLOW_UP_12: 30,
}
# Follow-ups open this many days after closure.
FOLLOW_UP_AFTER_DAYS = {SurveyKind.FOLLOW_UP_3: 90, SurveyKind.FOLLOW_UP_12: 365}
_OLDEST_CLOSURE_DAYS = max(after + SURVEY_WINDOW_DAYS[kind] for kind, after in FOLLOW_UP_AFTER_DAYS.items())


@dataclass
class DueSurvey:
    match: Match
    respondent_id: int
    role: str
    kind: str
    period: int
    opens_on: dt.date
    closes_on: dt.date  # the last day it can be answered

    @property
    def label(self):
        return SurveyKind(self.kind).label

    @property
    def key(self):
        return (self.match.pk, self.respondent_id, self.kind, self.period)


def survey_window(kind, anchor, *, interval=None):
    """(first day, last day) of a survey of ``kind`` whose window opens on ``anchor``."""
    days = SURVEY_WINDOW_DAYS[kind]
    if kind == SurveyKind.SATISFACTION and interval:
        days = min(days, interval)
    return anchor, anchor + dt.timedelta(days=days - 1)


def surveys_due(matches, *, on, user=None):
    """Surveys open on ``on`` and not yet answered, for the matches in ``matches`` (and only for
    ``user``, if given). Each is open for a window from its anchor (SURVEY_WINDOW_DAYS) and only
    then: before it opens and after it closes it is not offered, answered, invited or counted.

    - pairing fit: both people, from the pair's first meeting held, while the match is open;
    - self-assessment at the start: the mentee, from the match's start, while it is open;
    - satisfaction: both people, every ``program.satisfaction_survey_days`` of an open match
      (period 1, 2, ...), each from the day it falls due;
    - exit and self-assessment at closure: from closure (exit both, self-assessment the mentee);
    - follow-ups: both people, from 3 and 12 months after closure (90 and 365 days).

    "Open" is active or paused: once a match is closed its start-of-match surveys are over, however
    recently they opened.
    """
    oldest_closure = on - dt.timedelta(days=_OLDEST_CLOSURE_DAYS)
    matches = matches.filter(
        Q(status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED])
        | Q(status=MatchStatus.CLOSED, ended_on__gte=oldest_closure, ended_on__lte=on)
    ).select_related("program", "mentee", "mentor")
    matches = matches.annotate(
        first_meeting=Min("checkins__occurred_on", filter=Q(checkins__held=True)),
    )
    rows = list(matches)
    answered = set(
        SurveyResponse.objects.filter(match__in=[m.pk for m in rows]).values_list(
            "match_id", "respondent_id", "kind", "period"
        )
    )
    due = []

    def add(match, people, kind, anchor, period=0):
        opens_on, closes_on = survey_window(kind, anchor, interval=match.program.satisfaction_survey_days)
        if not opens_on <= on <= closes_on:
            return
        for person, role in people:
            if user is not None and person.user_id != user.pk:
                continue
            if (match.pk, person.user_id, kind, period) not in answered:
                due.append(
                    DueSurvey(
                        match=match,
                        respondent_id=person.user_id,
                        role=role,
                        kind=kind,
                        period=period,
                        opens_on=opens_on,
                        closes_on=closes_on,
                    )
                )

    for match in rows:
        both = [(match.mentee, "mentee"), (match.mentor, "mentor")]
        mentee = [(match.mentee, "mentee")]
        if match.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED) and match.started_on:
            if match.first_meeting:
                add(match, both, SurveyKind.PAIRING_FIT, match.first_meeting)
            add(match, mentee, SurveyKind.SELF_START, match.started_on)
            interval = match.program.satisfaction_survey_days
            period = (on - match.started_on).days // interval
            if period >= 1:
                anchor = match.started_on + dt.timedelta(days=period * interval)
                add(match, both, SurveyKind.SATISFACTION, anchor, period)
        if match.status == MatchStatus.CLOSED and match.ended_on:
            add(match, both, SurveyKind.EXIT, match.ended_on)
            if match.started_on:
                add(match, mentee, SurveyKind.SELF_END, match.ended_on)
            for kind, after in FOLLOW_UP_AFTER_DAYS.items():
                add(match, both, kind, match.ended_on + dt.timedelta(days=after))
    return due
