"""The demo's group and peer-circle programs, events, boards and thank-you notes
(evaluation/demo/community.py): there, believable, and consistent with the rules the services keep."""

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from evaluation.demo.site import demo_site
from evaluation.models import ThankYou
from matching.messaging.contact import has_contact_details
from matching.models import (
    Conversation,
    GroupAttendance,
    GroupFeedback,
    GroupMember,
    GroupSession,
    Message,
    Post,
    Topic,
)
from programs.models import Enrollment, Event, EventFeedback, Format, Program, Rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Seeding takes a few seconds: once for the module, rolled back after its last test.
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(demo, db):
    return demo


def _programs():
    named = Program.objects.get
    return named(name="Eastside Girls Who Code"), named(name="Riverside Peer Circles")


def test_a_group_program_runs_three_groups_within_their_sizes_led_by_screened_mentors(site):
    eastside, _ = _programs()
    assert eastside.format == Format.GROUP and eastside.audience == "youth" and eastside.status == "running"
    assert site.coordinator in eastside.coordinators.all()
    running = list(eastside.groups.filter(status="running"))
    assert len(running) == 3
    matchable = set(eastside.enrollments.matchable().values_list("pk", flat=True))
    today = timezone.localdate()
    for group in running:
        current = GroupMember.objects.current().filter(group=group)
        members, leaders = current.members(), current.leaders()
        assert 5 <= members.count() <= min(8, group.places), group
        assert 1 <= leaders.count() <= 2
        assert all(m.enrollment.role == "mentor" and m.enrollment_id in matchable for m in leaders)
        assert all(m.enrollment.role == "mentee" and m.enrollment.program_id == eastside.pk for m in members)
        assert 120 <= (today - group.started_on).days <= 215
    # One current group per mentee at most; the pilot is closed and its members have left.
    per_mentee = (
        GroupMember.objects.current().members().values("enrollment").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not per_mentee.exists()
    pilot = eastside.groups.get(status="closed")
    assert pilot.memberships.count() == 4 and not pilot.memberships.current().exists()
    # Five approved girls in no group, matchable (minors with a guardian's consent): group matching
    # has something to do, and the groups have room for them.
    placed = GroupMember.objects.current().values("enrollment")
    waiting = eastside.enrollments.matchable().filter(role="mentee").exclude(pk__in=placed)
    assert waiting.count() == 5
    minors = [e for e in waiting.select_related("user__profile") if e.user.profile.is_minor()]
    assert minors and all(e.guardian_consent for e in minors)
    room = sum(g.places - GroupMember.objects.current().members().filter(group=g).count() for g in running)
    assert room >= 5


def test_peer_circles_of_five_one_facilitated_by_a_former_mentee_and_six_waiting(site):
    _, riverside = _programs()
    assert riverside.format == Format.PEER_CIRCLES and riverside.audience == "adult"
    circles = list(riverside.groups.all())
    assert len(circles) == 3 and all(c.kind == "circle" and c.status == "running" for c in circles)
    for circle in circles:
        assert GroupMember.objects.current().members().filter(group=circle).count() == riverside.circle_size
    leaders = GroupMember.objects.current().leaders().filter(group__program=riverside)
    assert leaders.count() == 1
    facilitator = leaders.get().enrollment
    assert facilitator.role == "mentor" and facilitator in riverside.enrollments.matchable()
    # The milestone: a mentee enrollment in another program, long closed, before this one.
    earlier = Enrollment.objects.get(user=facilitator.user, role="mentee")
    assert earlier.program.name == "Eastside Girls Who Code" and earlier.status == "withdrawn"
    assert earlier.created_at < facilitator.created_at
    assert earlier.group_memberships.get().left_on is not None
    placed = GroupMember.objects.current().values("enrollment")
    waiting = riverside.enrollments.matchable().filter(role="mentee").exclude(pk__in=placed)
    assert waiting.count() == 6


def test_past_sessions_have_attendance_and_check_ins_and_future_ones_are_planned(site):
    now = timezone.now()
    sessions = GroupSession.objects.filter(group__status="running")
    past = sessions.filter(starts_at__lt=now, status="planned")
    taken = past.filter(attendance_taken_at__isnull=False)
    assert taken.count() >= 30 and all(s.held and s.notes for s in taken)
    # Each taken session has a row for every member then in the group, and nobody else.
    for session in taken.select_related("group"):
        then = session.starts_at.date()
        members = set(
            session.group.memberships.members()
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=then), joined_on__lte=then)
            .values_list("enrollment", flat=True)
        )
        assert set(session.attendance.values_list("enrollment", flat=True)) == members
    attendance = GroupAttendance.objects.filter(session__in=taken)
    assert attendance.filter(present=False).exists() and attendance.filter(present=True).count() > 100
    ratings = set(GroupFeedback.objects.values_list("rating", flat=True))
    assert ratings and ratings <= {3, 4, 5}
    for feedback in GroupFeedback.objects.select_related("session")[:50]:
        assert GroupAttendance.objects.filter(
            session=feedback.session, enrollment=feedback.enrollment_id, present=True
        ).exists()
    # One session waits for attendance (the Tuesday group's latest); one was cancelled.
    assert past.filter(attendance_taken_at__isnull=True).count() == 1
    assert sessions.filter(status="cancelled").count() == 1
    upcoming = sessions.filter(starts_at__gt=now)
    assert upcoming.count() == 2 * 6 and not GroupAttendance.objects.filter(session__in=upcoming).exists()
    assert all(s.agenda and (s.place or s.link) for s in upcoming)
    assert len({s.uid for s in sessions}) == sessions.count()


def test_events_past_with_attendance_and_upcoming_with_a_full_public_one_and_its_wait_list(site):
    now = timezone.now()
    past = Event.objects.filter(starts_at__lt=now)
    upcoming = Event.objects.filter(starts_at__gte=now)
    assert past.count() == 3 and upcoming.count() == 3
    assert all(e.is_published and e.uid.startswith("event-") for e in Event.objects.all())
    for event in past:
        rsvps = event.rsvps.exclude(status="cancelled")
        assert event.attendance_taken_at and not rsvps.filter(attended=None).exists()
        assert rsvps.filter(attended=False).exists() and rsvps.filter(attended=True).count() >= 8
    assert EventFeedback.objects.filter(rsvp__attended=True).count() >= 10
    assert not EventFeedback.objects.exclude(rsvp__attended=True).exists()
    full = upcoming.get(is_public=True)
    assert full.capacity == full.rsvps.filter(status="going").count() == 12
    waiting = list(full.rsvps.filter(status="waitlisted").order_by("waitlisted_at"))
    assert len(waiting) == 2 and waiting[0].waitlisted_at < waiting[1].waitlisted_at
    assert waiting[1].user.email == "visitor1@example.org" and not waiting[1].user.enrollments.exists()
    assert upcoming.filter(is_public=False, programs__name="Riverside Peer Circles").exists()
    assert Rsvp.objects.filter(event__in=upcoming, user__email="mentee1@example.org", status="going").exists()
    # Two people came to the public careers evening before they applied to Riverside.
    careers = past.get(is_public=True)
    came = Rsvp.objects.filter(event=careers, attended=True).values("user")
    newcomers = Enrollment.objects.filter(user__in=came, created_at__gt=careers.starts_at)
    assert newcomers.count() == 2


def test_boards_have_pinned_welcomes_topics_with_replies_and_no_contact_details(site):
    eastside, riverside = _programs()
    for program in (site.program, eastside, riverside):
        board = Topic.objects.filter(program=program, group=None)
        welcome = board.get(pinned=True)
        assert welcome.author_role == "coordinator" and welcome.author in program.coordinators.all()
        assert board.filter(pinned=False).exists()
    replied = Topic.objects.annotate(n=Count("posts")).filter(pinned=False)
    assert all(2 <= t.n <= 6 for t in replied)
    group_topics = Topic.objects.filter(group__isnull=False)
    assert group_topics.count() == 2 and group_topics.first().group.name == "Tuesday Web Makers"
    posts = Post.objects.all()
    assert posts.count() >= 30 and not posts.filter(held=True).exists()
    assert not [p.body for p in posts if has_contact_details(p.body)]
    for topic in Topic.objects.prefetch_related("posts"):
        assert topic.last_post_at == max(p.created_at for p in topic.posts.all())
        assert {p.author_role for p in topic.posts.all()} <= {"coordinator", "mentor", "mentee"}


def test_a_group_conversation_and_thank_you_notes(site):
    conversation = Conversation.objects.get(kind="group")
    assert conversation.group.name == "Tuesday Web Makers"
    messages = Message.objects.filter(conversation=conversation)
    assert messages.count() >= 5 and not messages.filter(held=True).exists()
    senders = set(messages.values_list("sender", flat=True))
    current = set(conversation.group.memberships.current().values_list("enrollment__user", flat=True))
    assert senders <= current and len(senders) >= 3
    notes = ThankYou.objects.select_related("enrollment", "program")
    assert notes.count() == 2 and all(n.enrollment.role == "mentor" and not n.dismissed_at for n in notes)
    assert {n.program.name for n in notes} == {"City Youth Mentoring", "Eastside Girls Who Code"}
