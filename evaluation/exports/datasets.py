"""The datasets an export offers: their columns (the documentation the export page renders), the
SQL that reads them, and the scope (programs, dates) of one export."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from evaluation import kpis
from evaluation.kpis import community
from evaluation.models import CheckIn, SurveyResponse
from matching.models import Match
from mentorship.models import Profile, User
from mentorship.spreadsheet import DANGEROUS_FIRST
from programs.models import Enrollment, Program

logger = logging.getLogger(__name__)

XLSX_IN_REQUEST_ROWS = 10_000
CHUNK_ROWS = 2_000
FORMATS = {"csv": "CSV (opens in any spreadsheet)", "xlsx": "Excel workbook (XLSX)"}
EXPORTS_DIR = "exports"
CSV_NEWLINE = "\n"  # what COPY writes; every spreadsheet reads it

TEXT, CODE, INT, NUMBER, DATE, DATETIME, BOOL = "text", "code", "int", "number", "date", "datetime", "bool"


# The first characters of DANGEROUS_FIRST as character codes: ascii(text) IN (...) is the cheapest
# test PostgreSQL has (no substring is built), and it runs for every text cell of every row.
_SQL_DANGEROUS = ", ".join(str(ord(c)) for c in DANGEROUS_FIRST)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: str = TEXT  # TEXT: free text, neutralised; CODE: one of a fixed set of values
    sql: str = ""  # the value's SQL expression (row-level datasets)

    def copy_sql(self):
        """The value for COPY's CSV (which quotes what needs quoting): text neutralised by the rule
        of ``csv_safe`` (empty text as an empty field), true/false spelled out, timestamps to the
        second, anything else as PostgreSQL prints it."""
        if self.kind == TEXT:
            return (
                f"CASE WHEN ascii({self.sql}) IN ({_SQL_DANGEROUS}) THEN '''' || {self.sql} "
                f"ELSE NULLIF({self.sql}, '') END"
            )
        if self.kind == BOOL:
            return f"({self.sql})::text"
        if self.kind == DATETIME:
            return f"date_trunc('second', {self.sql})"
        return self.sql


@dataclass(frozen=True)
class Dataset:
    key: str
    name: str
    description: str
    columns: tuple
    source: str = ""  # SQL FROM ... WHERE ..., with the parameters of kpis.query_parameters
    order: str = ""

    @property
    def header(self):
        return [c.name for c in self.columns]

    @property
    def text_positions(self):
        return [k for k, c in enumerate(self.columns) if c.kind == TEXT]

    @property
    def select(self):
        return ", ".join(c.sql for c in self.columns)

    @property
    def copy_select(self):
        return ", ".join(c.copy_sql() for c in self.columns)

    @property
    def copy_statement(self):
        """The COPY that writes the rows as CSV (without the header)."""
        return f"COPY (SELECT {self.copy_select} {self.source} {self.order}) TO STDOUT WITH (FORMAT csv)"


T = {
    "match": Match._meta.db_table,
    "program": Program._meta.db_table,
    "enrollment": Enrollment._meta.db_table,
    "user": User._meta.db_table,
    "profile": Profile._meta.db_table,
    "checkin": CheckIn._meta.db_table,
    "survey": SurveyResponse._meta.db_table,
}


# Sliced by partner: only the pairs where the mentee or the mentor is one of its people.
_PAIR_OF_PEOPLE = (
    "AND (NOT %(partner_sliced)s OR m.mentee_id = ANY(%(partner_people)s) "
    "OR m.mentor_id = ANY(%(partner_people)s))"
)


def _name(alias):
    # The same fallbacks as User.display_name: profile name, full name, the email's local part.
    return (
        f"COALESCE(NULLIF({alias}p.display_name, ''), NULLIF(TRIM({alias}u.first_name || ' ' || "
        f"{alias}u.last_name), ''), split_part({alias}u.email, '@', 1))"
    )


KPIS = Dataset(
    "kpis",
    "KPI summary",
    "Every figure of the dashboard, one row each, with its definition.",
    (
        Column("kpi", "the KPI's key, as on the definitions page", CODE),
        Column("kpi_name", "the KPI's name"),
        Column("figure", "what this row counts (e.g. “Retention at 6 months”)"),
        Column("segment", "the role or the retention horizon the figure is for, if any", CODE),
        Column("value", "the figure; shares as a fraction from 0 to 1; empty when nothing to count", NUMBER),
        Column("unit", "count, share, days, per match-month, mean rating (1-5), points or hours", CODE),
        Column("shown_as", "the figure as the dashboard shows it"),
        Column("numerator", "for shares and rates: what was counted", NUMBER),
        Column("denominator", "for shares and rates: out of how many", NUMBER),
        Column("based_on", "for medians and means: how many values; for meetings: how many matches", INT),
        Column("reporting_date", "D, the reporting date", DATE),
        Column("period_start", "the first day of the period", DATE),
        Column("period_end", "the last day of the period", DATE),
        Column("scope", "the program, or “All programs”"),
        Column("definition", "how the figure is counted"),
        Column(
            "enough_data",
            "false when the figure rests on fewer than its definition's smallest base (the definitions "
            "page): the value is kept, shown_as says “too early to tell”",
            BOOL,
        ),
    ),
)

MATCHES = Dataset(
    "matches",
    "Matches",
    "One row per match proposed by the end of the period and not closed before it began.",
    (
        Column("match_id", "the match's number in this site", INT, "m.id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("mentee_id", "the mentee's application number in the program", INT, "m.mentee_id"),
        Column("mentee_name", "the mentee's display name", TEXT, _name("e")),
        Column("mentor_id", "the mentor's application number in the program", INT, "m.mentor_id"),
        Column("mentor_name", "the mentor's display name", TEXT, _name("o")),
        Column("status", "proposed, active, paused or closed (today)", CODE, "m.status"),
        Column("source", "suggestion, manual or request: how the pair was made", CODE, "m.source"),
        Column("score", "the matching score, 0-100 (empty if matched without one)", NUMBER, "m.score"),
        Column("proposed_on", "the day it was proposed", DATE, "(m.proposed_at AT TIME ZONE %(tz)s)::date"),
        Column("started_on", "the day both people had confirmed (empty: not started)", DATE, "m.started_on"),
        Column("ended_on", "the day the match closed (empty: still open)", DATE, "m.ended_on"),
        Column("closure_reason", "completed, moved, schedule, mismatch, safety or other", CODE,
               "m.closure_reason"),
        Column("closure_anticipated", "whether the closure was foreseen", BOOL, "m.closure_anticipated"),
        Column(
            "length_days", "days from start to end, or to the reporting date if still open", INT,
            "CASE WHEN m.started_on IS NOT NULL "
            "THEN LEAST(COALESCE(m.ended_on, %(on)s), %(on)s) - m.started_on END",
        ),
        Column(
            "meetings_held", "check-ins with a meeting held, up to the reporting date", INT,
            f"(SELECT COUNT(*) FROM {T['checkin']} c WHERE c.match_id = m.id AND c.held "  # noqa: S608
            "AND c.occurred_on <= %(on)s)",
        ),
        Column(
            "last_meeting_on", "the last meeting held, up to the reporting date", DATE,
            f"(SELECT MAX(c.occurred_on) FROM {T['checkin']} c WHERE c.match_id = m.id AND c.held "  # noqa: S608
            "AND c.occurred_on <= %(on)s)",
        ),
    ),
    source=f"""
        FROM {T["match"]} m
        JOIN {T["program"]} p ON p.id = m.program_id
        JOIN {T["enrollment"]} ee ON ee.id = m.mentee_id
        JOIN {T["user"]} eu ON eu.id = ee.user_id LEFT JOIN {T["profile"]} ep ON ep.user_id = eu.id
        JOIN {T["enrollment"]} oe ON oe.id = m.mentor_id
        JOIN {T["user"]} ou ON ou.id = oe.user_id LEFT JOIN {T["profile"]} op ON op.user_id = ou.id
        WHERE m.program_id = ANY(%(programs)s) AND (m.proposed_at AT TIME ZONE %(tz)s)::date <= %(end)s
          AND (m.ended_on IS NULL OR m.ended_on >= %(start)s) {_PAIR_OF_PEOPLE}
    """,
    order="ORDER BY m.id",
)  # fmt: skip

CHECKINS = Dataset(
    "checkins",
    "Check-ins",
    "One row per check-in dated in the period.",
    (
        Column("checkin_id", "the check-in's number in this site", INT, "c.id"),
        Column("match_id", "the match (see the matches export)", INT, "c.match_id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("occurred_on", "the date of the meeting", DATE, "c.occurred_on"),
        Column("held", "whether the meeting took place (true or false)", BOOL, "c.held"),
        Column("duration_minutes", "its length in minutes, if given", INT, "c.duration_minutes"),
        Column("mode", "in_person, video, phone or message", CODE, "c.mode"),
        Column("rating", "how it went, 1-5, if rated", INT, "c.rating"),
        Column(
            "logged_by", "mentee, mentor or coordinator (anyone else); empty if the account is gone", CODE,
            "CASE WHEN c.logged_by_id IS NULL THEN '' WHEN c.logged_by_id = ee.user_id THEN 'mentee' "
            "WHEN c.logged_by_id = oe.user_id THEN 'mentor' ELSE 'coordinator' END",
        ),
        Column("notes", "the pair's short notes", TEXT, "c.notes"),
        Column("logged_at", "when it was logged (local time)", DATETIME, "c.created_at AT TIME ZONE %(tz)s"),
    ),
    source=f"""
        FROM {T["checkin"]} c
        JOIN {T["match"]} m ON m.id = c.match_id
        JOIN {T["program"]} p ON p.id = m.program_id
        JOIN {T["enrollment"]} ee ON ee.id = m.mentee_id
        JOIN {T["enrollment"]} oe ON oe.id = m.mentor_id
        WHERE m.program_id = ANY(%(programs)s) AND c.occurred_on BETWEEN %(start)s AND %(end)s
          {_PAIR_OF_PEOPLE}
    """,
    order="ORDER BY c.id",
)  # fmt: skip

SURVEYS = Dataset(
    "surveys",
    "Survey answers",
    "One row per survey answer submitted in the period.",
    (
        Column("response_id", "the answer's number in this site", INT, "s.id"),
        Column("match_id", "the match it is about (see the matches export)", INT, "s.match_id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("respondent_role", "mentee or mentor", CODE, "s.role"),
        Column(
            "kind", "pairing_fit, satisfaction, exit, self_start, self_end, follow_up_3, follow_up_12",
            CODE, "s.kind",
        ),
        Column("period", "for satisfaction surveys: 1, 2, ... (0 for the others)", INT, "s.period"),
        Column("rating", "the 1-5 rating, if the survey asks for one", INT, "s.rating"),
        Column("nps", "exit survey: would you recommend this program, 0-10", INT, "s.nps"),
        Column(
            "confidence", "self-assessments: confidence, 1-5", NUMBER,
            "CASE WHEN jsonb_typeof(s.answers -> 'confidence') = 'number' "
            "THEN (s.answers ->> 'confidence')::numeric END",
        ),
        Column("answers", "every other answer, as JSON", TEXT, "s.answers::text"),
        Column("text", "the free-text answer", TEXT, "s.text"),
        Column("submitted_at", "when it was submitted (local time)", DATETIME,
               "s.submitted_at AT TIME ZONE %(tz)s"),
    ),
    source=f"""
        FROM {T["survey"]} s
        JOIN {T["match"]} m ON m.id = s.match_id
        JOIN {T["program"]} p ON p.id = m.program_id
        WHERE m.program_id = ANY(%(programs)s)
          AND s.submitted_at >= %(start_at)s AND s.submitted_at < %(after_end_at)s
          AND (NOT %(partner_sliced)s OR (s.role = %(mentee)s AND m.mentee_id = ANY(%(partner_people)s))
               OR (s.role = %(mentor)s AND m.mentor_id = ANY(%(partner_people)s)))
    """,
    order="ORDER BY s.id",
)  # fmt: skip

# Groups and events (issue 15): figures per group and per event, no person's name; the rules of what
# counts (a session held, a group's closing day, an event of the programs) are the KPIs' own
# (evaluation/kpis/community.py).
_C = {**community.T, "program": T["program"]}
_GROUP_CLOSED_ON = community.GROUP_CLOSED_ON
_MEMBERS_ON_D = (
    f"(SELECT COUNT(*) FROM {_C['member']} gm WHERE gm.group_id = g.id AND gm.role = {{role}} "  # noqa: S608
    "AND gm.joined_on <= %(on)s AND (gm.left_on IS NULL OR gm.left_on > %(on)s))"
)
_HELD_SESSIONS = f"FROM {_C['session']} s WHERE s.group_id = g.id AND {community.SESSION_HELD}"  # noqa: S608
_MARKS = f"FROM {_C['attendance']} a JOIN {_C['session']} s ON s.id = a.session_id WHERE s.group_id = g.id AND {community.SESSION_HELD}"  # noqa: S608,E501
_RATINGS = (
    f"FROM {_C['group_feedback']} f JOIN {_C['session']} s ON s.id = f.session_id WHERE s.group_id = g.id "  # noqa: S608
    "AND f.submitted_at >= %(start_at)s AND f.submitted_at < %(after_end_at)s"
)

GROUPS = Dataset(
    "groups",
    "Groups and peer circles",
    "One row per group or peer circle made by the end of the period and not closed before it began: "
    "its members counted on the reporting date, its sessions, attendance and ratings in the period. "
    "No member is named.",
    (
        Column("group_id", "the group's number in this site", INT, "g.id"),
        Column("program", "the program's name", TEXT, "p.name"),
        Column("kind", "group (led by mentors) or circle (a peer circle)", CODE, "g.kind"),
        Column("name", "the group's name", TEXT, "g.name"),
        Column("status", "forming, running or closed (today)", CODE, "g.status"),
        Column("started_on", "the day it started (empty: not yet)", DATE, "g.started_on"),
        Column("closed_on", "the day it closed (empty: still open)", DATE,
               "(g.closed_at AT TIME ZONE %(tz)s)::date"),
        Column("leaders", "its mentors or facilitators on the reporting date", INT,
               _MEMBERS_ON_D.format(role="%(group_leader)s")),
        Column("members", "its mentees on the reporting date", INT,
               _MEMBERS_ON_D.format(role="%(group_member)s")),
        Column("sessions_held", "sessions held in the period (as “Group sessions held” counts them)", INT,
               f"(SELECT COUNT(*) {_HELD_SESSIONS})"),
        Column("attendance_marks", "attendance marks at those sessions (present or absent)", INT,
               f"(SELECT COUNT(*) {_MARKS})"),
        Column("attendance_rate", "the share of those marks “present”, 0 to 1 (empty: none)", NUMBER,
               f"(SELECT ROUND(AVG(a.present::int), 4) {_MARKS})"),
        Column("ratings", "members' ratings of its sessions given in the period", INT,
               f"(SELECT COUNT(*) {_RATINGS})"),
        Column("satisfaction", "their mean, 1-5 (empty: none)", NUMBER,
               f"(SELECT ROUND(AVG(f.rating), 2) {_RATINGS})"),
    ),
    source=f"""
        FROM {_C["group"]} g
        JOIN {_C["program"]} p ON p.id = g.program_id
        WHERE g.program_id = ANY(%(programs)s) AND (g.created_at AT TIME ZONE %(tz)s)::date <= %(end)s
          AND ({_GROUP_CLOSED_ON} IS NULL OR {_GROUP_CLOSED_ON} >= %(start)s)
          AND (NOT %(partner_sliced)s OR EXISTS (SELECT 1 FROM {_C["member"]} pm
               WHERE pm.group_id = g.id AND pm.enrollment_id = ANY(%(partner_people)s)))
    """,  # noqa: S608 - table names from the models, values as parameters
    order="ORDER BY p.name, g.name, g.id",
)  # fmt: skip

_RSVPS = f"(SELECT COUNT(*) FROM {_C['rsvp']} r WHERE r.event_id = e.id AND {{where}})"  # noqa: S608
_FEEDBACK = f"FROM {_C['event_feedback']} fb JOIN {_C['rsvp']} r ON r.id = fb.rsvp_id WHERE r.event_id = e.id"  # noqa: S608

EVENTS = Dataset(
    "events",
    "Events",
    "One row per event of these programs (published or cancelled; drafts left out) that starts in the "
    "period, with its RSVPs, attendance and feedback counted. No person is named.",
    (
        Column("event_id", "the event's number in this site", INT, "e.id"),
        Column("title", "the event's title", TEXT, "e.title"),
        Column("kind", "meetup, workshop, celebration or other", CODE, "e.kind"),
        Column("status", "published or cancelled (today)", CODE, "e.status"),
        Column("starts_on", "the day it starts", DATE, "(e.starts_at AT TIME ZONE %(tz)s)::date"),
        Column("starts_at", "when it starts (local time)", DATETIME, "e.starts_at AT TIME ZONE %(tz)s"),
        Column("programs", "the programs of this export it is for, separated by “; ”", TEXT,
               f"(SELECT string_agg(pp.name, '; ' ORDER BY pp.name) FROM {_C['event_programs']} ep "  # noqa: S608
               f"JOIN {_C['program']} pp ON pp.id = ep.program_id "
               "WHERE ep.event_id = e.id AND ep.program_id = ANY(%(programs)s))"),
        Column("is_public", "open to the public", BOOL, "e.is_public"),
        Column("capacity", "the most people going (empty: no limit)", INT, "e.capacity"),
        Column("going", "RSVPs going (today)", INT, _RSVPS.format(where="r.status = %(rsvp_going)s")),
        Column("waitlisted", "RSVPs on the wait-list (today)", INT,
               _RSVPS.format(where="r.status = %(rsvp_waitlisted)s")),
        Column("attendance_taken", "whether attendance was taken", BOOL, "e.attendance_taken_at IS NOT NULL"),
        Column("attended", "people marked as having come", INT, _RSVPS.format(where="r.attended")),
        Column("feedback", "feedback answers", INT, f"(SELECT COUNT(*) {_FEEDBACK})"),
        Column("mean_feedback", "their mean rating, 1-5 (empty: none)", NUMBER,
               f"(SELECT ROUND(AVG(fb.rating), 2) {_FEEDBACK})"),
    ),
    source=f"""
        FROM {_C["event"]} e
        WHERE e.status <> %(event_draft)s AND EXISTS (
            SELECT 1 FROM {_C["event_programs"]} ep
            WHERE ep.event_id = e.id AND ep.program_id = ANY(%(programs)s))
          AND {community.EVENT_IN_PERIOD}
          AND (NOT %(partner_sliced)s OR EXISTS (
            SELECT 1 FROM {_C["rsvp"]} pr JOIN {_C["enrollment"]} pe ON pe.user_id = pr.user_id
            WHERE pr.event_id = e.id AND pe.id = ANY(%(partner_people)s)))
    """,  # noqa: S608 - table names from the models, values as parameters
    order="ORDER BY e.starts_at, e.id",
)  # fmt: skip

DATASETS = {d.key: d for d in (KPIS, MATCHES, CHECKINS, SURVEYS, GROUPS, EVENTS)}
# Sliced by partner (Scope.people), each row-level dataset keeps what concerns the partner's people:
# the matches (and their check-ins) where the mentee or the mentor is one of them, the survey answers
# they gave, the groups they are members of and the events they replied to.


@dataclass(frozen=True)
class Scope:
    """What an export covers: these programs, reporting date ``on``, period [start, end]."""

    program_ids: tuple
    on: dt.date
    start: dt.date
    end: dt.date
    label: str  # the program's name, or "All programs"
    program_id: int | None = None  # the one program of a per-program export
    slug: str = ""
    # Sliced by a local partner: its people (enrollment ids), noted on the export record.
    partner_id: int | None = None
    partner_name: str = ""
    people: tuple | None = None

    def as_parameters(self):
        return {
            "programs": list(self.program_ids),
            "program": self.program_id,
            "on": self.on.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
            "slug": self.slug,
            **(
                {"partner": self.partner_id, "partner_name": self.partner_name, "people": list(self.people)}
                if self.people is not None
                else {}
            ),
        }

    @classmethod
    def from_parameters(cls, parameters):
        return cls(
            program_ids=tuple(parameters["programs"]),
            on=dt.date.fromisoformat(parameters["on"]),
            start=dt.date.fromisoformat(parameters["start"]),
            end=dt.date.fromisoformat(parameters["end"]),
            label=parameters["label"],
            program_id=parameters.get("program"),
            slug=parameters.get("slug", ""),
            partner_id=parameters.get("partner"),
            partner_name=parameters.get("partner_name", ""),
            people=tuple(parameters["people"]) if parameters.get("people") is not None else None,
        )

    @classmethod
    def for_programs(cls, programs, *, on, start, end, program=None, partner=None, people=None):
        """``partner`` (with ``people``, its enrollment ids): only what concerns those people."""
        ids = tuple(programs.order_by("pk").values_list("pk", flat=True))
        if program is None:
            return cls(ids, on, start, end, "All programs")
        if partner is None:
            return cls(ids, on, start, end, program.name, program.pk, program.slug)
        label = f"{program.name}: people brought by {partner.name}"
        return cls(
            ids, on, start, end, label, program.pk, program.slug, partner.pk, partner.name, tuple(people)
        )

    def sql_parameters(self):
        parameters = kpis.query_parameters(self.program_ids, on=self.on, start=self.start, end=self.end)
        parameters["partner_sliced"] = self.people is not None
        parameters["partner_people"] = list(self.people or ())
        return parameters

    def programs(self):
        return Program.objects.filter(pk__in=self.program_ids)
