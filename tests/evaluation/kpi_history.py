"""The KPIs' hand-built history, whose answers tests/evaluation/test_kpis.py works out date by date;
the report, export and retention tests use it too.

The history is recorded directly (matches with their start and end dates, check-ins, surveys,
goals) because the services only ever write "today"; applications go through the services and
get their dates moved back.
"""

import datetime as dt

from evaluation import kpis
from evaluation.models import CheckIn, Goal, SurveyResponse
from matching.models import Match
from programs.models import Enrollment, Program, StatusChange
from tests import scenarios

D = dt.date(2026, 6, 30)
START, END = dt.date(2025, 7, 1), D  # the default period: the 12 months up to D


def at(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def enrolled(program, role, email, *, applied_on, approved_on=None):
    user = scenarios.person(email=email, display_name=email.split("@")[0].capitalize())
    return enrolled_user(program, role, user, applied_on=applied_on, approved_on=approved_on)


def enrolled_user(program, role, user, *, applied_on, approved_on=None):
    status = "approved" if approved_on else "applied"
    enrollment = scenarios.enroll(program=program, user=user, role=role, status=status)
    Enrollment.objects.filter(pk=enrollment.pk).update(created_at=at(applied_on))
    StatusChange.objects.filter(enrollment=enrollment).update(changed_at=at(applied_on))
    if approved_on:
        StatusChange.objects.filter(enrollment=enrollment, to_status="approved").update(
            changed_at=at(approved_on)
        )
    return enrollment


def pair(program, mentee, mentor, *, started_on, ended_on=None, reason=""):
    return Match.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        source="manual",
        status="closed" if ended_on else "active",
        started_on=started_on,
        ended_on=ended_on,
        closure_reason=reason,
        proposed_at=at(started_on - dt.timedelta(days=5)),
    )


def checkin(match, day, *, by, held=True, rating=None):
    return CheckIn.objects.create(match=match, logged_by=by, occurred_on=day, held=held, rating=rating)


def survey(match, enrollment, kind, day, *, rating=None, confidence=None, period=0):
    answers = {} if confidence is None else {"confidence": confidence}
    return SurveyResponse.objects.create(
        match=match, respondent=enrollment.user, role=enrollment.role, kind=kind, period=period,
        rating=rating, answers=answers, submitted_at=at(day),
    )  # fmt: skip


def goal(match, created_on, status, completed_on=None):
    return Goal.objects.create(
        match=match, title=f"Goal {status}", status=status, created_at=at(created_on),
        completed_at=at(completed_on) if completed_on else None,
    )  # fmt: skip


def build_history():
    """A program (check-ins every 14 days, 12 months' commitment) and its history up to D:

    match  mentee  started     ended                   notes
    A      m1      2025-08-09  –                       check-ins; approved 2025-07-10
    B      m2      2025-09-11  2026-01-15 (moved)      no check-ins at all; an early closure
    C      m3      2024-03-01  2025-03-01 (completed)  closed exactly 12 months after its start
    C2     m3      2025-08-01  –                       m3's second match
    E      m6      2026-06-30  –                       starts on D
    F      m7      2025-03-01  2026-06-30 (completed)  closed on D
    """
    lead = scenarios.coordinator(email="lead@kpi.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="History Program", status="running")
    Program.objects.filter(pk=program.pk).update(checkin_cadence_days=14, min_commitment_months=12)
    other = scenarios.program(coordinator=lead, name="Elsewhere Program")
    p = program
    m1 = enrolled(
        p, "mentee", "m1@kpi.test", applied_on=dt.date(2025, 6, 20), approved_on=dt.date(2025, 7, 10)
    )
    m2 = enrolled(p, "mentee", "m2@kpi.test", applied_on=dt.date(2025, 8, 1), approved_on=dt.date(2025, 9, 1))
    m3 = enrolled(
        p, "mentee", "m3@kpi.test", applied_on=dt.date(2024, 1, 10), approved_on=dt.date(2024, 2, 1)
    )
    enrolled(p, "mentee", "m4@kpi.test", applied_on=dt.date(2026, 1, 5), approved_on=dt.date(2026, 2, 1))
    enrolled(p, "mentee", "m5@kpi.test", applied_on=dt.date(2026, 6, 1))
    m6 = enrolled(
        p, "mentee", "m6@kpi.test", applied_on=dt.date(2025, 10, 1), approved_on=dt.date(2025, 10, 15)
    )
    m7 = enrolled(p, "mentee", "m7@kpi.test", applied_on=dt.date(2025, 1, 1), approved_on=dt.date(2025, 2, 1))
    t1 = enrolled(
        p, "mentor", "t1@kpi.test", applied_on=dt.date(2023, 12, 1), approved_on=dt.date(2024, 1, 15)
    )
    t2 = enrolled(
        p, "mentor", "t2@kpi.test", applied_on=dt.date(2025, 7, 15), approved_on=dt.date(2025, 8, 1)
    )
    enrolled(p, "mentor", "t3@kpi.test", applied_on=dt.date(2025, 12, 1))

    a = pair(p, m1, t1, started_on=dt.date(2025, 8, 9))
    b = pair(p, m2, t2, started_on=dt.date(2025, 9, 11), ended_on=dt.date(2026, 1, 15), reason="moved")
    c = pair(p, m3, t1, started_on=dt.date(2024, 3, 1), ended_on=dt.date(2025, 3, 1), reason="completed")
    c2 = pair(p, m3, t2, started_on=dt.date(2025, 8, 1))
    e = pair(p, m6, t2, started_on=D)
    f = pair(p, m7, t1, started_on=dt.date(2025, 3, 1), ended_on=D, reason="completed")

    checkin(a, dt.date(2025, 8, 15), by=m1.user)
    checkin(a, dt.date(2025, 8, 30), by=t1.user)
    checkin(a, dt.date(2025, 9, 10), by=m1.user, held=False)  # missed, but logged
    checkin(a, dt.date(2025, 10, 1), by=lead, rating=1)  # a coordinator's rating: not satisfaction
    checkin(a, dt.date(2026, 6, 29), by=m1.user, rating=4)
    checkin(c2, dt.date(2026, 6, 1), by=t2.user, rating=5)
    checkin(c2, D, by=m3.user)
    checkin(f, dt.date(2025, 6, 15), by=m7.user, rating=1)  # before the period
    checkin(f, dt.date(2025, 7, 5), by=m7.user, rating=2)

    survey(a, m1, "satisfaction", dt.date(2026, 3, 1), rating=5, period=1)
    survey(a, t1, "satisfaction", dt.date(2026, 3, 1), rating=3, period=1)
    survey(b, m2, "exit", dt.date(2026, 1, 16), rating=1)  # exit ratings are not satisfaction
    survey(f, t1, "satisfaction", dt.date(2025, 6, 1), rating=1, period=1)  # before the period
    survey(a, m1, "self_start", dt.date(2025, 8, 10), confidence=2)  # no closure answer yet
    survey(b, m2, "self_start", dt.date(2025, 9, 12), confidence=3)
    survey(b, m2, "self_end", dt.date(2026, 1, 16), confidence=4)  # +1
    survey(c, m3, "self_start", dt.date(2024, 3, 2), confidence=1)
    survey(c, m3, "self_end", dt.date(2025, 3, 2), confidence=5)  # before the period
    survey(f, m7, "self_start", dt.date(2025, 3, 5), confidence=2)
    survey(f, m7, "self_end", D, confidence=4)  # +2
    survey(e, m6, "self_end", D, confidence=5)  # no start answer: left out

    goal(a, dt.date(2025, 9, 1), "done", dt.date(2026, 2, 1))
    goal(a, dt.date(2025, 9, 1), "in_progress")
    goal(a, dt.date(2025, 9, 1), "dropped")
    goal(b, dt.date(2025, 10, 1), "done", dt.date(2025, 12, 1))
    goal(c, dt.date(2024, 5, 1), "done", dt.date(2024, 9, 1))  # set before the period

    # Ripple: m3 (closed 2025-03-01) became a mentor elsewhere afterwards; m7 had applied as a
    # mentor before their match closed; m2 only after D.
    enrolled_user(other, "mentor", m3.user, applied_on=dt.date(2025, 5, 1))
    enrolled_user(other, "mentor", m7.user, applied_on=dt.date(2025, 1, 1))
    enrolled_user(other, "mentor", m2.user, applied_on=dt.date(2026, 7, 5))
    return program


def report_for(program, on=D, start=START, end=END):
    return kpis.compute(Program.objects.filter(pk=program.pk), on=on, start=start, end=end)
