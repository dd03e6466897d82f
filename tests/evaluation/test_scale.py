"""The city-scale builder, run small: its data is consistent and the KPIs read it; it runs once.

The full size (`seed_demo --scale city`) is timed by hand and by bench/evaluation.py, not here.
"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from evaluation import kpis
from evaluation.demo import scale
from evaluation.demo.people import DEMO_PASSWORD
from evaluation.models import CheckIn, Goal, SurveyResponse
from matching.models import Concern, ConcernNote, Conversation, ConversationReader, Match, Message
from mentorship.models import AuditEntry, User
from programs.models import (
    Enrollment,
    Event,
    EventFeedback,
    Invitation,
    Program,
    Rsvp,
    StatusChange,
    Training,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db

SMALL = scale.Sizes(
    people=500,
    matches=200,
    checkins=6_000,
    messages=5_000,
    events=12,
    rsvps=600,
    concerns=30,
    audit=3_000,
    invitations=50,
    trainings=True,
)
TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def built():
    return scale.build_city(sizes=SMALL, today=TODAY, seed=7)


def test_it_builds_the_sizes_asked_for_in_its_own_program(built):
    program = built.program
    assert program.name == "City Scale Demo" and program.status == "running"
    assert User.objects.filter(email__endswith=f"@{scale.DOMAIN}").count() == 500
    assert Enrollment.objects.filter(program=program, role="mentor").count() == 200
    assert Enrollment.objects.filter(program=program, role="mentee").count() == 300
    assert Match.objects.filter(program=program).count() == 200
    assert CheckIn.objects.filter(match__program=program).count() == 6_000
    assert SurveyResponse.objects.filter(match__program=program).count() == built.counts["surveys"] > 200
    assert Goal.objects.filter(match__program=program).count() == built.counts["goals"]
    assert built.coordinator in program.coordinators.all()


def test_the_history_is_consistent(built):
    program = built.program
    matches = Match.objects.filter(program=program)
    # Every match started after its mentee's approval and its mentor's; closed ones have an end.
    assert not matches.filter(ended_on__lt=F("started_on")).exists()
    assert not matches.filter(status="closed", ended_on__isnull=True).exists()
    assert not matches.exclude(status="closed").filter(ended_on__isnull=False).exists()
    assert not matches.filter(started_on__gt=TODAY).exists()
    approvals = StatusChange.objects.filter(to_status="approved")
    for match in matches.select_related("mentee", "mentor")[:50]:
        approved_on = approvals.get(enrollment=match.mentee).changed_at.date()
        assert approved_on <= match.started_on
        assert approvals.get(enrollment=match.mentor).changed_at.date() <= match.started_on
    # Check-ins fall within their match's span.
    assert (
        not CheckIn.objects.filter(match__program=program)
        .filter(Q(occurred_on__lt=F("match__started_on")) | Q(occurred_on__gt=F("match__ended_on")))
        .exists()
    )
    assert not CheckIn.objects.filter(occurred_on__gt=TODAY).exists()
    # A tenth of the matches are a mentee's second, after the first closed.
    mentees = Enrollment.objects.filter(program=program, role="mentee").annotate(n=Count("matches_as_mentee"))
    assert mentees.filter(n=1).count() == 160 and mentees.filter(n=2).count() == 20


def test_every_pair_has_a_conversation_whose_messages_are_its_own(built):
    program = built.program
    assert Message.objects.filter(conversation__program=program).count() == 5_000
    pairs = Conversation.objects.filter(program=program, kind="pair")
    assert pairs.count() == 200
    coordinators = Conversation.objects.filter(program=program, kind="coordinators")
    assert coordinators.exists()
    # A pair's messages are written by its two people; a coordinator thread's by the mentee or the lead.
    pair_messages = Message.objects.filter(conversation__kind="pair")
    assert not pair_messages.exclude(
        Q(sender=F("conversation__match__mentee__user")) | Q(sender=F("conversation__match__mentor__user"))
    ).exists()
    assert not (
        Message.objects.filter(conversation__kind="coordinators")
        .exclude(Q(sender=F("conversation__enrollment__user")) | Q(sender=built.coordinator))
        .exists()
    )
    # Nobody's read position is past the thread's newest message, and a few have unread ones.
    for conversation in pairs[:30]:
        newest = conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
        assert conversation.readers.count() == 2
        assert all(r.last_read_id <= newest for r in conversation.readers.all())
    assert ConversationReader.objects.filter(conversation__program=program).count() == 2 * (
        pairs.count() + coordinators.count()
    )
    assert not Message.objects.filter(created_at__date__gt=TODAY).exists()


def test_the_program_has_events_with_rsvps_attendance_and_feedback(built):
    program = built.program
    events = Event.objects.filter(programs=program)
    assert events.count() == 12 == built.counts["events"]
    assert (
        events.filter(starts_at__date__gt=TODAY).exists()
        and events.filter(starts_at__date__lt=TODAY).exists()
    )
    rsvps = Rsvp.objects.filter(event__programs=program)
    assert rsvps.count() == built.counts["rsvps"] > 500
    # From the program's approved people, at most once per event, and replied before the event.
    people = Enrollment.objects.filter(program=program, status="approved").values("user_id")
    assert not rsvps.exclude(user_id__in=people).exists()
    assert not rsvps.filter(created_at__gt=F("event__starts_at")).exists()
    # Attendance at past published events only; feedback only from those who came.
    assert rsvps.filter(attended=True).exists()
    assert not rsvps.filter(attended__isnull=False, event__starts_at__date__gt=TODAY).exists()
    assert not rsvps.filter(attended__isnull=False).exclude(status="going").exists()
    assert EventFeedback.objects.filter(rsvp__event__programs=program).exists()
    assert not EventFeedback.objects.exclude(rsvp__attended=True).exists()
    assert len(set(rsvps.values_list("feedback_token", flat=True))) == rsvps.count()


def test_concerns_are_about_its_matches_and_the_recent_ones_are_open(built):
    concerns = Concern.objects.filter(program=built.program)
    assert concerns.count() == 30
    assert not concerns.filter(match__isnull=True).exists()
    assert not concerns.exclude(match__program=built.program).exists()
    assert not concerns.filter(created_at__date__lt=F("match__started_on")).exists()
    assert (
        not concerns.filter(created_at__date__lt=TODAY - dt.timedelta(days=61))
        .exclude(status="resolved")
        .exists()
    )
    # Each step of the triage has its note, in order: a resolved concern was acknowledged first.
    for concern in concerns.exclude(status="new"):
        steps = list(concern.notes.values_list("from_status", "to_status"))
        assert steps[0] == ("new", "acknowledged") and steps[-1][1] == concern.status
    assert not ConcernNote.objects.filter(concern__status="new").exists()


def test_the_audit_trail_invitations_and_trainings(built):
    # The generated rows carry an address; creating the program wrote a few more, without one.
    entries = AuditEntry.objects.filter(ip__isnull=False)
    assert entries.count() == 3_000 == built.counts["audit"]
    assert not entries.filter(at__date__gt=TODAY).exists()
    viewed = entries.filter(action="enrollment.viewed").first()
    assert Enrollment.objects.get(pk=viewed.target_id).program == built.program
    concern_views = entries.filter(action="concern.viewed").values_list("target_id", flat=True)
    assert set(concern_views) <= set(Concern.objects.values_list("pk", flat=True))
    assert Invitation.objects.filter(program=built.program).count() == 50
    trainings = Training.objects.filter(program=built.program)
    assert trainings.count() == 3 and not trainings.filter(required=True).exists()
    records = TrainingRecord.objects.filter(training__program=built.program)
    assert records.count() == built.counts["training_records"] > 50
    assert not records.exclude(enrollment__status="approved").exists()
    assert not records.exclude(enrollment__role=F("training__audience")).exists()


def test_the_kpis_read_it(built):
    report = kpis.compute(
        Program.objects.filter(pk=built.program.pk), on=TODAY, start=dt.date(2025, 11, 3), end=TODAY
    )
    assert report.value("active_matches") == built.counts["active_matches"]
    assert 0 < report.value("compliance") < 1
    assert 1 <= report.value("satisfaction", "mentee") <= 5
    assert report.value("mentees_matched") is not None
    assert report.get("meetings").numerator > 0


def test_the_coordinator_can_log_in(built, client):
    assert client.login(email=scale.COORDINATOR_EMAIL, password=DEMO_PASSWORD)


def test_it_refuses_to_run_twice(built):
    with pytest.raises(scale.AlreadyBuilt):
        scale.build_city(sizes=SMALL, today=TODAY)
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_demo", "--scale", "city")
    assert Match.objects.filter(program=built.program).count() == 200


def test_it_sits_beside_the_demo(capsys):
    call_command("seed_demo")
    scale.build_city(sizes=SMALL, today=TODAY)
    demo = Program.objects.get(name="City Youth Mentoring")
    city = Program.objects.get(name="City Scale Demo")
    lead = User.objects.get(email="coordinator@example.org")
    assert lead in city.coordinators.all() and lead in demo.coordinators.all()
    assert demo.enrollments.count() == 100
