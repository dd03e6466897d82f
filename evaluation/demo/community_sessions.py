"""The demo groups' and circles' life so far (evaluation/demo/community.py calls it): sessions every
two weeks (circles: every four weeks) since each started, attendance taken for every member at each
session that happened, the session's check-in (held, notes), members' ratings of sessions they came
to, the next sessions planned, shared goals, and the Tuesday group's conversation.

Exceptions, as in a real program: the Thursday group's fourth session was cancelled (half-term),
and the Tuesday group's latest session still waits for its mentor to take attendance. Bulk-inserted:
it is history.
"""

import datetime as dt
import random

from django.utils import timezone

from evaluation.demo import community_text as text
from matching.models import (
    Conversation,
    ConversationKind,
    GroupAttendance,
    GroupFeedback,
    GroupGoal,
    GroupMember,
    GroupSession,
    Message,
    SessionStatus,
)

UPCOMING = 2  # planned sessions ahead of each group


def _local(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _dates(started, weekday, every, until):
    """Session days from the first ``weekday`` on or after ``started``, every ``every`` days: those
    before ``until``, and UPCOMING after it (none on ``until`` itself, so that "past" and "to come"
    do not depend on the hour the demo is seeded)."""
    day = started + dt.timedelta(days=(weekday - started.weekday()) % 7)
    past, ahead = [], []
    while len(ahead) < UPCOMING:
        if day != until:
            (past if day < until else ahead).append(day)
        day += dt.timedelta(days=every)
    return past, ahead


def _members_on(memberships, day):
    return [m for m in memberships if m.joined_on <= day and (m.left_on is None or m.left_on > day)]


def _group_sessions(rng, group, spec, *, memberships, taker, every, path, upcoming, pending_last, skip):
    """Sessions, attendance and feedback of one group: returns the rows to insert."""
    _name, _focus, _usual, place, weekday, hour, *_ = spec
    link = "" if place else f"https://meet.example.org/{group.name.lower().replace(' ', '-')}"
    today = timezone.localdate()
    past, ahead = _dates(group.started_on, weekday, every, today)
    reliability = {m.enrollment_id: rng.choice([0.95, 0.9, 0.85, 0.75, 0.6]) for m in memberships}
    sessions, attendance, feedback = [], [], []
    step = 0
    for k, day in enumerate(past):
        starts = _local(day, hour)
        base = {
            "group": group,
            "starts_at": starts,
            "place": place,
            "link": link,
            "created_by": taker,
            "created_at": starts - dt.timedelta(days=every),
        }
        if k == skip:
            sessions.append(
                GroupSession(
                    agenda="Half-term: the school is closed.", status=SessionStatus.CANCELLED, **base
                )
            )
            continue
        agenda, notes = path[min(step, len(path) - 1)]
        if step >= len(path):
            agenda, notes = "Project time.", "A steady session of project work; everyone made progress."
        step += 1
        if pending_last and k == len(past) - 1:
            # Happened, but the mentor has not taken attendance yet: on their to-do.
            sessions.append(GroupSession(agenda=agenda, reminded_at=starts - dt.timedelta(days=1), **base))
            continue
        session = GroupSession(
            agenda=agenda,
            held=True,
            notes=notes,
            reminded_at=starts - dt.timedelta(days=1),
            attendance_taken_at=starts + dt.timedelta(hours=2),
            attendance_taken_by=taker,
            **base,
        )
        sessions.append(session)
        for member in _members_on(memberships, day):
            present = rng.random() < reliability[member.enrollment_id]
            attendance.append(
                GroupAttendance(session=session, enrollment_id=member.enrollment_id, present=present)
            )
            if present and rng.random() < 0.4:
                feedback.append(
                    GroupFeedback(
                        session=session,
                        enrollment_id=member.enrollment_id,
                        rating=rng.choice([3, 4, 4, 5, 5, 5]),
                        text=rng.choice(text.SESSION_FEEDBACK),
                        submitted_at=starts + dt.timedelta(hours=rng.randint(3, 40)),
                    )
                )
    for k, day in enumerate(ahead):
        agenda = upcoming[min(k, len(upcoming) - 1)] if isinstance(upcoming, list) else upcoming
        sessions.append(
            GroupSession(
                group=group,
                starts_at=_local(day, hour),
                place=place,
                link=link,
                agenda=agenda,
                created_by=taker,
            )
        )
    return sessions, attendance, feedback


def _goals(rng, built, *, today):
    goals = []
    for group in built.groups:
        leader = group.memberships.filter(role="leader").first()
        for title, status in rng.sample(text.GROUP_GOALS, 3):
            goals.append(
                GroupGoal(
                    group=group,
                    title=title,
                    status=status,
                    created_by=leader.enrollment.user if leader else None,
                    target_date=today + dt.timedelta(days=rng.randint(-20, 90)),
                    created_at=_local(group.started_on + dt.timedelta(days=14), 17),
                    completed_at=timezone.now() - dt.timedelta(days=10) if status == "done" else None,
                )
            )
    GroupGoal.objects.bulk_create(goals)


def _conversation(group, memberships):
    """The Tuesday group's thread: its mentor and three of its members, over the last few days."""
    leader = next(m for m in memberships if m.role == "leader" and m.left_on is None)
    members = [m for m in memberships if m.role == "member" and m.left_on is None]
    start = timezone.now() - dt.timedelta(days=4)
    conversation = Conversation.objects.create(
        program=group.program,
        kind=ConversationKind.GROUP,
        group=group,
        created_at=start - dt.timedelta(days=60),
    )
    messages, k_member = [], 0
    for k, (role, body) in enumerate(text.GROUP_TALK):
        if role == "mentor":
            sender = leader
        else:
            sender, k_member = members[k_member % len(members)], k_member + 1
        messages.append(
            Message(
                conversation=conversation,
                sender_id=sender.enrollment.user_id,
                sender_role=role,
                body=body,
                created_at=start + dt.timedelta(hours=3 * k),
            )
        )
    Message.objects.bulk_create(messages)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=messages[-1].created_at)


def demo_group_life(built, *, circle_lead, today, seed=15):
    rng = random.Random(seed + 1)
    sessions, attendance, feedback = [], [], []
    specs = [(g, s, 14) for g, s in zip(built.groups, text.EASTSIDE_GROUPS, strict=True)]
    specs += [(c, s, 28) for c, s in zip(built.circles, text.RIVERSIDE_CIRCLES, strict=True)]
    for k, (group, spec, every) in enumerate(specs):
        memberships = list(GroupMember.objects.filter(group=group).select_related("enrollment"))
        leaders = [m.enrollment.user for m in memberships if m.role == "leader"]
        circle = group.is_circle
        rows = _group_sessions(
            rng,
            group,
            spec,
            memberships=[m for m in memberships if m.role == "member"],
            taker=leaders[0] if leaders else circle_lead,
            every=every,
            path=text.CIRCLE_PATH if circle else text.SESSION_PATH,
            upcoming=text.CIRCLE_UPCOMING if circle else text.UPCOMING_AGENDAS,
            pending_last=k == 0,
            skip=3 if k == 1 else None,
        )
        sessions += rows[0]
        attendance += rows[1]
        feedback += rows[2]
        if k == 0:
            _conversation(group, memberships)
    GroupSession.objects.bulk_create(sessions)
    GroupAttendance.objects.bulk_create(attendance)
    GroupFeedback.objects.bulk_create(feedback)
    _goals(rng, built, today=today)
