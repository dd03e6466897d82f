"""The city-scale program's community and safeguarding rows (see evaluation/demo/scale.py): events
with their RSVPs, attendance and feedback; safeguarding concerns with their triage notes; the
audit trail of three years; invitations to apply; trainings and who completed them. Drawn with
numpy from the rows History has written (read back from the database: a few small queries) and
written with COPY, in the builder's transaction.

Tokens (an RSVP's feedback link, an invitation's) are random, not seeded: they are keys.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

import numpy as np

from evaluation.demo.bulk import Counted, copy_in, line, reserve_ids
from evaluation.demo.scale_history import DOMAIN
from matching.models import Concern, ConcernNote, Match
from mentorship.models import AuditEntry
from programs.models import Enrollment, Event, EventFeedback, Invitation, Rsvp, Training, TrainingRecord

EVENT_TITLES = [
    ("meetup", "Mentors' evening"), ("meetup", "Networking breakfast"), ("workshop", "CV workshop"),
    ("workshop", "Interview practice"), ("workshop", "Money basics"), ("celebration", "Summer celebration"),
    ("celebration", "End-of-year awards"), ("other", "Open day at the college"),
]  # fmt: skip
PLACES = ["Town hall", "Central library", "Riverside community centre", "City college, room 4"]
CONCERN_TEXT = [
    "The mentee mentioned trouble at home and seemed upset.",
    "The mentor suggested meeting somewhere private; I said no.",
    "A message asked for a personal phone number.",
    "The mentee has missed school for two weeks, their mentor says.",
    "Someone in the pair's messages used language that worried me.",
]
NOTE_TEXT = [
    "Called the mentor to talk it through.",
    "Spoke to the mentee and their guardian.",
    "Passed to the local authority's safeguarding team.",
    "No further action needed.",
]
STEPS = {"new": [], "acknowledged": ["acknowledged"], "escalated": ["acknowledged", "escalated"]}
RESOLVED, RESOLVED_ESCALATED = ["acknowledged", "resolved"], ["acknowledged", "escalated", "resolved"]
FEEDBACK_TEXT = [
    "",
    "",
    "Great evening, thank you!",
    "Too crowded.",
    "Learnt a lot.",
    "Loved meeting the others.",
]
# Audit actions: (action, target, weight). Targets: e=an enrollment, m=a match, c=a concern,
# p=the program, u=a person (their account).
AUDIT_ACTIONS = [
    ("enrollment.viewed", "e", 30), ("enrollment.status", "e", 20), ("screening.recorded", "e", 15),
    ("match.status", "m", 10), ("consent.requested", "e", 5), ("consent.given", "e", 5),
    ("training.completed", "e", 6), ("concern.viewed", "c", 3), ("person.viewed", "u", 3),
    ("program.updated", "p", 1), ("enrollment.capacity", "e", 2),
]  # fmt: skip
TARGET_TYPE = {
    "e": "programs.enrollment",
    "m": "matching.match",
    "c": "matching.concern",
    "p": "programs.program",
    "u": "mentorship.user",
}
TRAININGS = [  # title, audience, completion share of the approved in that role
    ("Welcome to mentoring", "mentor", 0.9), ("Keeping young people safe", "mentor", 0.8),
    ("Getting the most from your mentor", "mentee", 0.5),
]  # fmt: skip


def write_community(history):
    """Write the rows; returns their counts (the keys of ``Sizes`` they follow, and the others)."""
    sizes = history.sizes
    world = _World(history)
    counts = {}
    counts["events"], counts["rsvps"] = _events(history, world)
    counts["concerns"] = _concerns(history, world)
    counts["audit"] = _audit(history, world)
    counts["invitations"] = _invitations(history)
    counts["training_records"] = _trainings(history, world) if sizes.trainings else 0
    return counts


class _World:
    """What the generated rows point to, read back from what History wrote."""

    def __init__(self, history):
        program = history.program
        rows = list(
            Enrollment.objects.filter(program=program)
            .order_by("pk")
            .values_list("pk", "user_id", "role", "status", "status_changed_at")
        )
        self.enrollments = np.array([r[0] for r in rows], dtype=np.int64)
        self.users = np.array([r[1] for r in rows], dtype=np.int64)
        self.approved = np.array([r[3] == "approved" for r in rows])
        self.mentor = np.array([r[2] == "mentor" for r in rows])
        self.approved_day = np.array([(r[4].date() - history.day0).days for r in rows], dtype=np.int64)
        matches = list(
            Match.objects.filter(program=program)
            .order_by("pk")
            .values_list(
                "pk", "mentee_id", "mentor_id", "started_on", "ended_on", "mentee__user_id", "mentor__user_id"
            )
        )
        self.matches = np.array([r[0] for r in matches], dtype=np.int64)
        self.match_enrollments = np.array([(r[1], r[2]) for r in matches], dtype=np.int64).reshape(-1, 2)
        self.match_users = np.array([(r[5], r[6]) for r in matches], dtype=np.int64).reshape(-1, 2)
        self.match_start = np.array([(r[3] - history.day0).days for r in matches], dtype=np.int64)
        self.match_end = np.array(
            [history.now if r[4] is None else (r[4] - history.day0).days for r in matches], dtype=np.int64
        )
        self.concerns = np.array([], dtype=np.int64)


def _events(history, world):
    """``sizes.events`` events spread over the three years (a tenth still to come, in the next two
    months), and ``sizes.rsvps`` RSVPs from the program's approved people; attendance taken at
    the past ones, and feedback from a third of those who came."""
    rng, sizes, now = history.rng, history.sizes, history.now
    n = sizes.events
    if not n:
        return 0, 0
    day = np.sort(np.concatenate([
        rng.integers(0, now, size=n - n // 10), now + 1 + rng.integers(0, 60, size=n // 10),
    ]))  # fmt: skip
    hour = rng.choice([10, 14, 17, 18, 19], size=n)
    kind = rng.integers(0, len(EVENT_TITLES), size=n)
    status = np.where(
        day > now + 30,
        rng.choice(["published", "draft"], size=n, p=[0.7, 0.3]),
        rng.choice(["published", "cancelled"], size=n, p=[0.95, 0.05]),
    )
    capacity = np.where(rng.random(n) < 0.6, rng.integers(60, 300, size=n), 0)
    ids = reserve_ids(Event, n)
    lead, stamp = history.lead.pk, history.stamp
    past = day < now

    def events():
        for k in range(n):
            kind_k, title = EVENT_TITLES[kind[k]]
            created = max(int(day[k]) - 40, 0)
            taken = stamp(int(day[k]), 22) if past[k] and status[k] == "published" else None
            yield line(
                int(ids[k]),
                f"{title} #{k + 1}",
                kind_k,
                "Meet the others, share news, have fun.",
                stamp(int(day[k]), int(hour[k])),
                120,
                PLACES[k % len(PLACES)],
                "",
                int(capacity[k]) or None,
                "f",
                status[k],
                lead,
                f"event-{uuid.uuid4()}",
                0,
                taken,
                stamp(created, 9),
                stamp(created, 9),
            )

    copy_in(
        Event._meta.db_table,
        """id title kind description starts_at duration_minutes place link capacity
            is_public status created_by_id uid sequence attendance_taken_at created_at updated_at""",
        events(),
    )
    copy_in(
        Event.programs.through._meta.db_table,
        "event_id program_id",
        (line(int(pk), history.program.pk) for pk in ids),
    )

    # RSVPs: per event in proportion to a draw, from people approved before it; never twice.
    published = status != "draft"
    weights = np.where(published, rng.uniform(0.3, 1.7, size=n), 0)
    per_event = rng.multinomial(sizes.rsvps, weights / weights.sum())
    people = np.flatnonzero(world.approved)
    rsvp_rows = []
    for k in np.flatnonzero(per_event).tolist():
        eligible = people[world.approved_day[people] < day[k]]
        count = min(int(per_event[k]), len(eligible))
        if count:
            chosen = rng.choice(eligible, size=count, replace=False)
            rsvp_rows.append(np.column_stack([np.full(count, k), world.users[chosen]]))
    rsvps = np.concatenate(rsvp_rows) if rsvp_rows else np.zeros((0, 2), dtype=np.int64)
    total = len(rsvps)
    rsvp_ids = reserve_ids(Rsvp, total) if total else np.array([], dtype=np.int64)
    state = rng.choice(["going", "cancelled", "waitlisted"], size=total, p=[0.86, 0.1, 0.04])
    replied = np.maximum(day[rsvps[:, 0]] - rng.integers(1, 40, size=total), 0)
    came = rng.random(total) < 0.78
    gave_feedback = rng.random(total) < 0.33
    rating = rng.choice([2, 3, 4, 5], size=total, p=[0.05, 0.2, 0.45, 0.3])
    note = rng.integers(0, len(FEEDBACK_TEXT), size=total)
    feedback = []

    def rsvp_lines():
        for j in range(total):
            k, user = int(rsvps[j, 0]), int(rsvps[j, 1])
            asked = stamp(int(replied[j]), 12)
            waiting = asked if state[j] == "waitlisted" else None
            attended = None
            if past[k] and status[k] == "published" and state[j] == "going":
                attended = "t" if came[j] else "f"
            sent = stamp(int(day[k]) + 1, 9) if attended == "t" else None
            if attended == "t" and gave_feedback[j]:
                feedback.append((int(rsvp_ids[j]), int(rating[j]), FEEDBACK_TEXT[note[j]], int(day[k]) + 2))
            reminded = stamp(int(day[k]) - 1, 9) if past[k] and state[j] != "cancelled" else None
            yield line(
                int(rsvp_ids[j]),
                int(ids[k]),
                user,
                state[j],
                waiting,
                None,
                reminded,
                attended,
                secrets.token_urlsafe(32),
                sent,
                asked,
                asked,
            )

    copy_in(
        Rsvp._meta.db_table,
        """id event_id user_id status waitlisted_at promoted_at reminded_at attended
            feedback_token feedback_sent_at created_at updated_at""",
        rsvp_lines(),
    )
    copy_in(
        EventFeedback._meta.db_table,
        "rsvp_id rating text submitted_at",
        (line(pk, r, text, stamp(min(d, now), 20)) for pk, r, text, d in feedback),
    )
    return n, total


def _concerns(history, world):
    """``sizes.concerns`` concerns about matches, raised by one of the pair or the coordinator
    during it; those older than two months are resolved (a few escalated first), the recent ones
    at every stage: some still new."""
    rng, n, now, lead = history.rng, history.sizes.concerns, history.now, history.lead.pk
    if not n or not len(world.matches):
        return 0
    which = rng.integers(0, len(world.matches), size=n)
    span = np.maximum(world.match_end[which] - world.match_start[which], 0)
    day = world.match_start[which] + (rng.random(n) * (span + 1)).astype(int)
    order = np.argsort(day, kind="stable")
    which, day = which[order], day[order]
    by = rng.choice(3, size=n, p=[0.45, 0.35, 0.2])  # mentee, mentor, coordinator
    urgency = rng.choice(["low", "soon", "urgent"], size=n, p=[0.5, 0.4, 0.1])
    recent = day > now - 60
    status = np.where(
        recent,
        rng.choice(["new", "acknowledged", "escalated", "resolved"], size=n, p=[0.3, 0.3, 0.1, 0.3]),
        "resolved",
    )
    escalated_first = rng.random(n) < 0.1
    text = rng.integers(0, len(CONCERN_TEXT), size=n)
    ids = reserve_ids(Concern, n)
    world.concerns = ids
    stamp, program = history.stamp, history.program.pk
    roles = ("mentee", "mentor", "coordinator")

    def concerns():
        for k in range(n):
            m = int(which[k])
            raiser = lead if by[k] == 2 else int(world.match_users[m, by[k]])
            at = stamp(int(day[k]), 15)
            yield line(
                int(ids[k]),
                program,
                int(world.matches[m]),
                None,
                raiser,
                roles[by[k]],
                None,
                None,
                None,
                CONCERN_TEXT[text[k]],
                urgency[k],
                status[k],
                at,
                at,
            )

    def notes():
        for k in range(n):
            steps = STEPS.get(status[k], RESOLVED_ESCALATED if escalated_first[k] else RESOLVED)
            before = "new"
            for j, after in enumerate(steps):
                at = stamp(min(int(day[k]) + 1 + 3 * j, now), 16)
                yield line(int(ids[k]), lead, NOTE_TEXT[(k + j) % len(NOTE_TEXT)], before, after, at)
                before = after

    copy_in(
        Concern._meta.db_table,
        """id program_id match_id enrollment_id raised_by_id raised_as message_id
            post_id group_id what_happened urgency status created_at updated_at""",
        concerns(),
    )
    copy_in(ConcernNote._meta.db_table, "concern_id author_id text from_status to_status created_at", notes())
    return n


def _audit(history, world):
    """``sizes.audit`` rows of the audit trail over the three years, by the coordinator (a few by
    guardians on their links), about the program's enrollments, matches, concerns and people."""
    rng, n, now, lead = history.rng, history.sizes.audit, history.now, history.lead.pk
    if not n:
        return 0
    weights = np.array([w for _, _, w in AUDIT_ACTIONS], dtype=float)
    action = rng.choice(len(AUDIT_ACTIONS), size=n, p=weights / weights.sum())
    if not len(world.concerns):  # no concern to point to: view an enrollment instead
        action[action == 7] = 0
    day = np.sort(rng.integers(0, now + 1, size=n))
    second = rng.integers(7 * 3600, 20 * 3600, size=n)
    pick = rng.random(n)
    ip = rng.integers(1, 255, size=(n, 2))
    dates = [history.date(d) for d in range(now + 1)]
    program = history.program.pk
    tables = {
        "e": world.enrollments,
        "m": world.matches,
        "c": world.concerns,
        "u": world.users,
        "p": np.array([program]),
    }

    def rows():
        for k in range(n):
            name, target, _ = AUDIT_ACTIONS[action[k]]
            pool = tables[target]
            target_id = int(pool[int(pick[k] * len(pool))])
            s = int(second[k])
            at = f"{dates[day[k]]} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00"
            guardian = name == "consent.given"
            actor, label = (None, "guardian (scale demo)") if guardian else (lead, "")
            summary = "in_screening → approved" if name == "enrollment.status" else ""
            yield line(
                at, actor, label, name, TARGET_TYPE[target], target_id, summary, f"10.0.{ip[k, 0]}.{ip[k, 1]}"
            )

    copy_in(
        AuditEntry._meta.db_table, "at actor_id actor_label action target_type target_id summary ip", rows()
    )
    return n


def _invitations(history):
    """``sizes.invitations`` invitations to apply, sent over the years by the coordinator; those
    older than a month expired (a third were taken up: their accepted date is kept)."""
    rng, n, now, lead = history.rng, history.sizes.invitations, history.now, history.lead.pk
    if not n:
        return 0
    day = np.sort(rng.integers(0, now + 1, size=n))
    role = rng.choice(["mentor", "mentee"], size=n, p=[0.4, 0.6])
    accepted = rng.random(n) < 0.33
    stamp = history.stamp

    def rows():
        for k in range(n):
            sent = stamp(int(day[k]), 11)
            taken = stamp(min(int(day[k]) + 3, now), 18) if accepted[k] else None
            yield line(
                history.program.pk,
                f"invitee-{k + 1:05d}@invited.{DOMAIN}",
                role[k],
                uuid.uuid4().hex,
                lead,
                sent,
                sent,
                stamp(int(day[k]) + 30, 11),
                "invited",
                None,
                taken,
                None,
            )

    copy_in(
        Invitation._meta.db_table,
        """program_id email role token invited_by_id created_at sent_at expires_at
            source partner_id accepted_at enrollment_id""",
        rows(),
    )
    return n


def _trainings(history, world):
    """The program's online trainings (published, not required: matching is not held up), each
    with three pages and a two-question quiz, and their completions by the approved people of
    their audience (a few rows: made with the ORM; the completions with COPY)."""
    created = dt.datetime.combine(history.day0, dt.time(9), tzinfo=dt.UTC)
    made = []
    for k, (title, audience, _) in enumerate(TRAININGS):
        training = Training.objects.create(
            program=history.program, title=title, summary=f"What every new {audience} needs to know.",
            audience=audience, pass_mark=80, order=k, published_at=created,
        )  # fmt: skip
        for n in (1, 2, 3):
            training.pages.create(order=n, title=f"Part {n}", body="Listen first. Meet in public places.")
        for n in (1, 2):
            question = training.questions.create(order=n, text=f"Who do you tell about a worry? ({n})")
            question.choices.create(order=1, text="The coordinator", is_correct=True)
            question.choices.create(order=2, text="Nobody")
        made.append(training.pk)
    counter = Counted(_training_records(history, world, np.array(made)))
    copy_in(
        TrainingRecord._meta.db_table,
        """training_id enrollment_id pages_read started_at completed_on
            expires_on score hours completed_by recorded_by_id note updated_at""",
        counter,
    )
    return counter.count


def _training_records(history, world, training_ids):
    rng, now = history.rng, history.now
    for (_, audience, share), training in zip(TRAININGS, training_ids.tolist(), strict=True):
        people = np.flatnonzero(world.approved & (world.mentor == (audience == "mentor")))
        done = people[rng.random(len(people)) < share]
        for index, delay in zip(done.tolist(), rng.integers(0, 30, size=len(done)).tolist(), strict=True):
            day = min(int(world.approved_day[index]) + delay, now)
            at = history.stamp(day, 19)
            yield line(
                training,
                int(world.enrollments[index]),
                3,
                at,
                history.date(day),
                None,
                int(rng.integers(80, 101)),
                None,
                "online",
                None,
                "",
                at,
            )
