"""City-scale data: a program "City Scale Demo" with three years of history, for benchmarks and for
trying the dashboards as a big program would (`manage.py seed_demo --scale city`).

At city size: 20,000 people (8,000 mentors, 12,000 mentees), 10,000 matches (a tenth of them a
mentee's second match), 500,000 check-ins, 1,000,000 messages, and the surveys and goals that go
with them; 150 events with 20,000 RSVPs (attendance, feedback), 400 safeguarding concerns (the
recent ones open) with their notes, 200,000 rows of the audit trail, 3,000 invitations, and three
trainings with their completions (evaluation/demo/scale_community.py). Rows are
generated with numpy (seeded: the same data every time) and written with PostgreSQL COPY, each
table in one stream, inside one transaction: all of it or nothing. Primary keys that other rows
point to are taken from the tables' sequences first. The people cannot log in (unusable
passwords); the program's coordinator can (city-coordinator@example.org, the demo password), and
the demo's coordinator is added if present.

It sits beside the normal demo, and refuses to run twice (``AlreadyBuilt``).

Time taken (`seed_demo --scale city`, development container with 2 shared vCPUs, embedded
PostgreSQL 16): 10-11 s on a quiet machine, about 21 s while other test runs shared it (before
the community rows; with them, 200-280 s on a machine loaded by six benchmark runs, not yet timed
quiet).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection, transaction

from evaluation.demo import people
from evaluation.demo.scale_community import write_community

# DOMAIN (the generated people's email domain) is part of this module's interface.
from evaluation.demo.scale_history import DOMAIN, History  # noqa: F401
from evaluation.models import CheckIn, Goal, StaffContact, SurveyResponse
from matching.models import Concern, ConcernNote, Conversation, ConversationReader, Match, Message
from mentorship.models import AuditEntry, Profile, User
from programs.models import (
    Enrollment,
    Event,
    Invitation,
    Program,
    ProgramStatus,
    Rsvp,
    StatusChange,
    TrainingRecord,
)

PROGRAM_NAME = "City Scale Demo"
COORDINATOR_EMAIL = "city-coordinator@example.org"


@dataclass(frozen=True)
class Sizes:
    people: int
    matches: int
    checkins: int
    messages: int = 0
    # The community and safeguarding rows (evaluation/demo/scale_community.py).
    events: int = 0
    rsvps: int = 0
    concerns: int = 0
    audit: int = 0
    invitations: int = 0
    trainings: bool = False


SCALES = {
    "city": Sizes(
        people=20_000,
        matches=10_000,
        checkins=500_000,
        messages=1_000_000,
        events=150,
        rsvps=20_000,
        concerns=400,
        audit=200_000,
        invitations=3_000,
        trainings=True,
    )
}


class AlreadyBuilt(Exception):
    pass


@dataclass
class Built:
    program: Program
    coordinator: User
    counts: dict
    seconds: float


def build_city(*, sizes=SCALES["city"], today=None, seed=2026, log=None):
    """Build the program and its history; returns ``Built`` with the row counts and the time."""
    if Program.objects.filter(name=PROGRAM_NAME).exists():
        raise AlreadyBuilt(f"“{PROGRAM_NAME}” exists already: scale data is built once per database.")
    began = time.perf_counter()
    today = today or dt.date.today()
    log = log or (lambda message: None)
    with transaction.atomic():
        lead = _coordinator()
        program = people.program(
            coordinator=lead,
            name=PROGRAM_NAME,
            status=ProgramStatus.RUNNING,
            description="A big program's three years of history, generated for benchmarks and load trials.",
            checkin_cadence_days=14,
            min_commitment_months=12,
        )
        demo_lead = User.objects.filter(email="coordinator@example.org").first()
        if demo_lead is not None:
            program.coordinators.add(demo_lead)
        history = History(program=program, lead=lead, sizes=sizes, today=today, seed=seed, log=log)
        counts = history.write()
        log("events, concerns, audit trail, invitations and trainings")
        counts.update(write_community(history))
    # Fresh statistics for the planner; outside a transaction also the visibility map (VACUUM), so
    # that index-only scans work at once, as they would after autovacuum on a live site.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (
            User,
            Profile,
            Enrollment,
            StatusChange,
            Match,
            CheckIn,
            StaffContact,
            SurveyResponse,
            Goal,
            Conversation,
            ConversationReader,
            Message,
            Event,
            Rsvp,
            Concern,
            ConcernNote,
            AuditEntry,
            Invitation,
            TrainingRecord,
        ):
            cursor.execute(f"{command} {model._meta.db_table}")
    return Built(program=program, coordinator=lead, counts=counts, seconds=time.perf_counter() - began)


def _coordinator():
    existing = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if existing is not None:
        return existing
    return people.coordinator(email=COORDINATOR_EMAIL, display_name="Casey Scale", pronouns="they/them")
