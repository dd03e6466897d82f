"""The figures of groups and peer circles, and of events (the data dictionary's GROUPS and EVENTS
sections, evaluation/kpis/definitions.py): their SQL, one single-row aggregate counted by
PostgreSQL whatever the number of groups, sessions, events or RSVPs, and the figures made from it.

``COMMUNITY_SQL`` is run in the same statement as the outcomes (queries.py: ``SUMMARY_SQL``), so a
report still takes the same number of queries. Like every KPI query its scopes are all
``program_id = ANY(%(programs)s)``, so that ``per_program`` runs it for each program at once. Events
reach their programs through ``Event.programs``: an event for several programs is in each program's
scope, and counted once across programs (it is one row of the events table, kept by an EXISTS).
"""

from evaluation.kpis.definitions import NEWCOMER_DAYS, RETENTION_MONTHS
from evaluation.kpis.figures import COUNT, RATING, Figure, mean, share
from matching.models import (
    Group,
    GroupAttendance,
    GroupFeedback,
    GroupMember,
    GroupSession,
    GroupStatus,
    MemberRole,
    SessionStatus,
)
from programs.models import Enrollment, Event, EventFeedback, EventStatus, Rsvp, RsvpStatus

T = {
    "group": Group._meta.db_table,
    "member": GroupMember._meta.db_table,
    "session": GroupSession._meta.db_table,
    "attendance": GroupAttendance._meta.db_table,
    "group_feedback": GroupFeedback._meta.db_table,
    "event": Event._meta.db_table,
    "event_programs": Event.programs.through._meta.db_table,
    "rsvp": Rsvp._meta.db_table,
    "event_feedback": EventFeedback._meta.db_table,
    "enrollment": Enrollment._meta.db_table,
}

# The named parameters these queries (and the groups and events exports) add to ``query_parameters``
# (queries.py).
PARAMETERS = {
    "group_forming": GroupStatus.FORMING,
    "group_closed": GroupStatus.CLOSED,
    "group_member": MemberRole.MEMBER,
    "group_leader": MemberRole.LEADER,
    "session_cancelled": SessionStatus.CANCELLED,
    "event_published": EventStatus.PUBLISHED,
    "event_draft": EventStatus.DRAFT,
    "rsvp_going": RsvpStatus.GOING,
    "rsvp_waitlisted": RsvpStatus.WAITLISTED,
    "newcomer_days": NEWCOMER_DAYS,
}

# The day a group ``g`` started (a group past forming with no start date: the day it was made), and
# the day it closed (a group marked closed with no closing time: closed since it was made).
GROUP_STARTED_ON = (
    "COALESCE(g.started_on, CASE WHEN g.status <> %(group_forming)s "
    "THEN (g.created_at AT TIME ZONE %(tz)s)::date END)"
)
GROUP_CLOSED_ON = (
    "COALESCE((g.closed_at AT TIME ZONE %(tz)s)::date, CASE WHEN g.status = %(group_closed)s "
    "THEN (g.created_at AT TIME ZONE %(tz)s)::date END)"
)
# A session ``s`` the period counts: started in it, not cancelled, and recorded as held.
SESSION_HELD = (
    "s.status <> %(session_cancelled)s AND s.held "
    "AND s.starts_at >= %(start_at)s AND s.starts_at < %(after_end_at)s"
)
# An event ``e`` of the scope: published, for at least one of the programs.
EVENT_OF_PROGRAMS = (
    f"e.status = %(event_published)s AND EXISTS (SELECT 1 FROM {T['event_programs']} ep "  # noqa: S608
    "WHERE ep.event_id = e.id AND ep.program_id = ANY(%(programs)s))"
)
EVENT_IN_PERIOD = "e.starts_at >= %(start_at)s AND e.starts_at < %(after_end_at)s"

# A mentee's membership ``gm`` kept at N months (left later, still there, or left with their group).
_KEPT = (
    "(gm.left_on IS NULL OR gm.left_on >= gm.joined_on + interval '{n} months' OR gm.closed_on <= gm.left_on)"
)

GROUPS_SQL = """
SELECT * FROM (
    SELECT COUNT(*) FILTER (WHERE gs.started_on <= %(on)s AND (gs.closed_on IS NULL OR gs.closed_on > %(on)s))
    FROM (SELECT {started} AS started_on, {closed} AS closed_on
          FROM {group} g WHERE g.program_id = ANY(%(programs)s)) gs
) running CROSS JOIN (
    SELECT COUNT(DISTINCT gm.enrollment_id)
    FROM {member} gm JOIN {group} g ON g.id = gm.group_id
    WHERE g.program_id = ANY(%(programs)s) AND gm.role = %(group_member)s AND gm.joined_on <= %(on)s
      /*people:gm*/ AND (gm.left_on IS NULL OR gm.left_on > %(on)s)
      AND ({closed} IS NULL OR {closed} > %(on)s)
) members CROSS JOIN (
    SELECT COUNT(DISTINCT s.id), COUNT(a.id), COUNT(a.id) FILTER (WHERE a.present)
    FROM {session} s JOIN {group} g ON g.id = s.group_id LEFT JOIN {attendance} a
        ON a.session_id = s.id /*people:a*/
    WHERE g.program_id = ANY(%(programs)s) AND {session_held}
) sessions CROSS JOIN (
    SELECT {retention}
    FROM (
        SELECT gm.joined_on, gm.left_on, {closed} AS closed_on
        FROM {member} gm JOIN {group} g ON g.id = gm.group_id
        WHERE g.program_id = ANY(%(programs)s) AND gm.role = %(group_member)s AND gm.joined_on <= %(on)s
          /*people:gm*/ AND NOT (gm.left_on IS NOT NULL AND EXISTS (
              SELECT 1 FROM {member} moved JOIN {group} mg ON mg.id = moved.group_id
              WHERE moved.enrollment_id = gm.enrollment_id AND moved.id <> gm.id
                AND moved.role = %(group_member)s AND mg.program_id = g.program_id
                AND moved.joined_on = gm.left_on))
    ) gm
) retention CROSS JOIN (
    SELECT COUNT(f.rating), COALESCE(SUM(f.rating), 0)
    FROM {group_feedback} f JOIN {session} s ON s.id = f.session_id JOIN {group} g ON g.id = s.group_id
    WHERE g.program_id = ANY(%(programs)s) /*people:f*/
      AND f.submitted_at >= %(start_at)s AND f.submitted_at < %(after_end_at)s
) satisfaction
""".format(  # noqa: S608 - table names from the models, values as parameters
    started=GROUP_STARTED_ON,
    closed=GROUP_CLOSED_ON,
    session_held=SESSION_HELD,
    retention=",\n    ".join(
        f"COUNT(*) FILTER (WHERE gm.joined_on + interval '{n} months' <= %(on)s), "
        f"COUNT(*) FILTER (WHERE gm.joined_on + interval '{n} months' <= %(on)s AND {_KEPT.format(n=n)})"
        for n in RETENTION_MONTHS
    ),
    **T,
)

# ``events``: the scope's published events up to D; ``came``: who was marked as having come to one.
EVENTS_SQL = """
WITH events AS (
    SELECT e.id, e.starts_at, e.attendance_taken_at, ({in_period}) AS in_period
    FROM {event} e WHERE {of_programs} AND e.starts_at < %(after_on_at)s
), came AS (
    SELECT r.user_id, r.event_id, ev.starts_at, ev.in_period
    FROM {rsvp} r JOIN events ev ON ev.id = r.event_id WHERE r.attended /*people:r*/
)
SELECT * FROM (
    SELECT COUNT(*) FROM events WHERE in_period
) held CROSS JOIN (
    SELECT COUNT(*) FILTER (WHERE r.status = %(rsvp_going)s OR r.attended), COUNT(*) FILTER (WHERE r.attended)
    FROM {rsvp} r JOIN events ev ON ev.id = r.event_id
    WHERE ev.in_period AND ev.attendance_taken_at IS NOT NULL /*people:r*/
) attendance CROSS JOIN (
    SELECT COUNT(*) FILTER (WHERE people.again), COUNT(*) FROM (
        -- Who came in the period, and whether they came to another event too: to two events or
        -- more, counted in one pass over ``came`` (grouped, not a search of it for each person).
        SELECT c.user_id, COUNT(DISTINCT c.event_id) >= 2 AS again
        FROM came c GROUP BY c.user_id HAVING bool_or(c.in_period)
    ) people
) repeat CROSS JOIN (
    SELECT COUNT(DISTINCT newcomer.user_id) FROM (
        -- Each person who came: their first enrollment, in one grouped pass (not a search each).
        SELECT en.user_id, MIN(en.created_at) AS first_at
        FROM {enrollment} en WHERE en.user_id IN (SELECT user_id FROM came)
        GROUP BY en.user_id
    ) newcomer
    JOIN came c ON c.user_id = newcomer.user_id  -- a join, not a search of ``came`` for each person
    WHERE newcomer.first_at >= %(start_at)s AND newcomer.first_at < %(after_end_at)s
      AND (newcomer.first_at AT TIME ZONE %(tz)s)::date
          BETWEEN (c.starts_at AT TIME ZONE %(tz)s)::date
              AND (c.starts_at AT TIME ZONE %(tz)s)::date + %(newcomer_days)s::integer
) newcomers
""".format(in_period=EVENT_IN_PERIOD, of_programs=EVENT_OF_PROGRAMS, **T)  # noqa: S608 - table names from the models

COMMUNITY_SQL = f"SELECT * FROM ({GROUPS_SQL}) community_groups CROSS JOIN ({EVENTS_SQL}) community_events"  # noqa: S608
# How many columns COMMUNITY_SQL gives: they end the row of the statement it is joined to.
COLUMNS = 5 + 2 * len(RETENTION_MONTHS) + 2 + 6


def joined(sql):
    """``sql`` (a single-row aggregate) and COMMUNITY_SQL in one statement: its columns, then these."""
    return f"SELECT * FROM ({sql}) joined_outcomes CROSS JOIN ({COMMUNITY_SQL}) joined_community"  # noqa: S608


def assemble(row):
    """The figures of groups and events, from COMMUNITY_SQL's columns."""
    running, members, held, marks, present = row[:5]
    figures = [
        Figure("groups_running", "Groups running on D", running, COUNT),
        Figure("group_members", "Mentees in groups on D", members, COUNT),
        Figure("group_sessions", "Group sessions held", held, COUNT),
        share("group_attendance", "Group attendance rate", present, marks),
    ]
    for k, n in enumerate(RETENTION_MONTHS):
        base, kept = row[5 + 2 * k], row[6 + 2 * k]
        figures.append(share("group_retention", f"Group retention at {n} months", kept, base, f"{n} months"))
    ratings, total = row[5 + 2 * len(RETENTION_MONTHS) : 7 + 2 * len(RETENTION_MONTHS)]
    figures.append(
        Figure("group_satisfaction", "Group satisfaction", mean(total, ratings), RATING, basis=ratings)
    )
    events, going, came, again, people, newcomers = row[7 + 2 * len(RETENTION_MONTHS) :]
    figures += [
        Figure("events_held", "Events held", events, COUNT),
        share("event_attendance", "Event attendance", came or 0, going or 0),
        share("event_repeat", "Repeat attendance", again or 0, people),
        Figure("event_newcomers", "New people through events", newcomers, COUNT),
    ]
    return figures
