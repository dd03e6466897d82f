"""A group's sessions through the services: planning, changing and cancelling them (with the emails
and their calendar parts), attendance and the session's check-in, members' feedback, shared goals,
and the sessions in each person's calendar feed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CalendarFeed
from matching import group_sessions
from matching.models import GroupAttendance, GroupFeedback, GroupGoalStatus, GroupStatus, SessionStatus
from mentorship.models import AuditEntry, OutboundEmail
from tests.matching.group_helpers import group_world, past_session, plan, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def gw(db):
    return group_world()


def emails(kind):
    return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def test_planning_a_session_invites_every_current_member_and_leader_with_a_calendar_part(gw):
    session = plan(gw, link="https://meet.example.org/tuesday")
    sent = emails("group_session_planned")
    assert sorted(e.to for e in sent) == sorted(
        gw.user(name).email for name in ("lena", "mia", "noah", "omar")
    )  # not Finn (left), not Pia (another group)
    for email in sent:
        assert "METHOD:REQUEST" in email.calendar and f"UID:{session.uid}" in email.calendar
        assert "SEQUENCE:0" in email.calendar and "STATUS:CONFIRMED" in email.calendar
        assert "Eastside Library" in email.body and "https://meet.example.org/tuesday" in email.body
        # A youth program: the agenda (free text) stays on the site.
        assert "Introductions" not in email.body and "Introductions" not in email.calendar
        assert "@groups.test" not in email.calendar  # nobody's address in a calendar
    assert AuditEntry.objects.filter(action="group_session.planned").count() == 1


def test_an_adult_program_email_carries_the_agenda(db):
    gw = group_world(audience="adult", domain="adults.test")
    plan(gw)
    assert all("Introductions" in e.body for e in emails("group_session_planned"))


@pytest.mark.parametrize("who", ["mia", "finn", "pia", "theo", "stan", "olga"])
def test_only_those_who_run_the_group_plan_its_sessions(gw, who):
    with pytest.raises(PermissionDenied):
        plan(gw, by=gw.user(who))
    assert not emails("group_session_planned")


@pytest.mark.parametrize("who", ["lena", "gina", "sid"])
def test_leaders_coordinators_and_staff_plan_sessions(gw, who):
    assert plan(gw, by=gw.user(who)).status == SessionStatus.PLANNED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"when": timezone.now() - dt.timedelta(hours=1)}, "starts_at"),
        ({"when": timezone.now() + dt.timedelta(days=400)}, "starts_at"),
        ({"place": "", "link": ""}, "place"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "ftp://files.example.org"}, "link"),
    ],
)
def test_a_session_needs_a_future_time_and_a_place_or_a_web_link(gw, fields, field):
    with pytest.raises(ValidationError) as refused:
        plan(gw, **fields)
    assert field in refused.value.error_dict


def test_a_closed_group_plans_nothing(gw):
    gw.group.status = GroupStatus.CLOSED
    gw.group.save()
    with pytest.raises(ValidationError, match="closed"):
        plan(gw)


def test_changing_a_session_sends_an_update_with_the_same_uid_and_a_higher_sequence(gw):
    session = plan(gw)
    session.reminded_at = timezone.now()
    session.save()
    changed = group_sessions.session_edit(
        session=session, by=gw.gina, starts_at=soon(days=3), duration_minutes=60, place="Town Hall", link=""
    )
    assert changed.sequence == 1 and changed.reminded_at is None  # a new time is reminded of again
    sent = emails("group_session_changed")
    assert len(sent) == 4
    assert all(f"UID:{session.uid}" in e.calendar and "SEQUENCE:1" in e.calendar for e in sent)
    assert all("Town Hall" in e.body for e in sent)


def test_cancelling_a_session_sends_a_cancellation_once(gw):
    session = plan(gw)
    group_sessions.session_cancel(session=session, by=gw.lena.user)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    sent = emails("group_session_cancelled")
    assert len(sent) == 4
    assert all("METHOD:CANCEL" in e.calendar and "STATUS:CANCELLED" in e.calendar for e in sent)
    with pytest.raises(ValidationError, match="already cancelled"):
        group_sessions.session_cancel(session=session, by=gw.lena.user)
    with pytest.raises(ValidationError, match="cancelled"):
        group_sessions.session_edit(session=session, by=gw.lena.user, starts_at=soon(), duration_minutes=60,
                                    place="X")  # fmt: skip


def test_attendance_is_taken_from_the_start_and_taking_it_again_updates_it(gw):
    session = plan(gw)
    with pytest.raises(ValidationError, match="start"):
        group_sessions.attendance_take(session=session, by=gw.lena.user, present=[gw.mia.pk])
    session = past_session(gw)
    group_sessions.attendance_take(
        session=session, by=gw.lena.user, present=[gw.mia.pk, gw.noah.pk], held=True, notes="Good start."
    )
    rows = dict(GroupAttendance.objects.filter(session=session).values_list("enrollment_id", "present"))
    assert rows == {gw.mia.pk: True, gw.noah.pk: True, gw.omar.pk: False}
    session.refresh_from_db()
    assert (
        session.held is True
        and session.notes == "Good start."
        and session.attendance_taken_by == gw.lena.user
    )

    group_sessions.attendance_take(session=session, by=gw.gina, present=[gw.omar.pk], held=True)
    rows = dict(GroupAttendance.objects.filter(session=session).values_list("enrollment_id", "present"))
    assert rows == {gw.mia.pk: False, gw.noah.pk: False, gw.omar.pk: True}
    audit = AuditEntry.objects.filter(target_id=str(session.pk), action__startswith="group_session.att")
    actions = list(audit.values_list("action", flat=True))
    assert sorted(actions) == ["group_session.attendance", "group_session.attendance_changed"]


def test_a_session_not_held_has_nobody_present_and_strangers_cannot_be_marked(gw):
    session = past_session(gw)
    group_sessions.attendance_take(session=session, by=gw.lena.user, present=[gw.mia.pk], held=False)
    assert not GroupAttendance.objects.filter(session=session, present=True).exists()
    for stranger in (gw.finn, gw.pia):
        with pytest.raises(ValidationError, match="current members"):
            group_sessions.attendance_take(session=session, by=gw.lena.user, present=[stranger.pk])
    with pytest.raises(PermissionDenied):
        group_sessions.attendance_take(session=session, by=gw.mia.user, present=[gw.mia.pk])


def test_a_member_who_came_rates_the_session_once_and_may_change_it(gw):
    session = past_session(gw)
    group_sessions.attendance_take(session=session, by=gw.lena.user, present=[gw.mia.pk])
    group_sessions.feedback_give(session=session, by=gw.mia.user, rating=4, text="Fun")
    group_sessions.feedback_give(session=session, by=gw.mia.user, rating=5, text="Great")
    feedback = GroupFeedback.objects.get(session=session)
    assert (feedback.enrollment_id, feedback.rating, feedback.text) == (gw.mia.pk, 5, "Great")
    for who in ("noah", "lena", "pia"):  # absent, a leader, another group's
        with pytest.raises(PermissionDenied):
            group_sessions.feedback_give(session=session, by=gw.user(who), rating=3)
    with pytest.raises(ValidationError):
        group_sessions.feedback_give(session=session, by=gw.mia.user, rating=9)


def test_shared_goals_are_added_and_moved_by_those_who_run_the_group(gw):
    goal = group_sessions.goal_add(group=gw.group, by=gw.lena.user, title="  Build a  website ")
    assert goal.title == "Build a website" and goal.status == GroupGoalStatus.NOT_STARTED
    group_sessions.goal_set_status(goal=goal, by=gw.gina, status=GroupGoalStatus.DONE)
    assert goal.completed_at is not None
    with pytest.raises(PermissionDenied):
        group_sessions.goal_add(group=gw.group, by=gw.mia.user, title="Mine")
    with pytest.raises(ValidationError):
        group_sessions.goal_set_status(goal=goal, by=gw.lena.user, status="nonsense")


def _feed(client, user):
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return client.get(reverse("evaluation:feed", args=[feed.token])).text


def test_the_calendar_feed_holds_the_sessions_of_ones_current_groups(client, gw):
    kept = plan(gw)
    dropped = plan(gw, when=soon(days=5))
    group_sessions.session_cancel(session=dropped, by=gw.lena.user)
    for who in ("mia", "lena"):
        text = _feed(client, gw.user(who))
        assert f"UID:{kept.uid}\r\nSEQUENCE:0" in text
        assert f"UID:{dropped.uid}\r\nSEQUENCE:1" in text
        block = text.split(f"UID:{dropped.uid}")[1].split("END:VEVENT")[0]
        assert "STATUS:CANCELLED" in block
        assert "SUMMARY:Group session: Tuesday Group" in text
        assert _feed(client, gw.user(who)) == text  # a re-read changes nothing
    for who in ("finn", "pia", "stan"):
        assert kept.uid not in _feed(client, gw.user(who))


def test_a_session_that_has_begun_is_neither_changed_nor_cancelled(gw):
    session = past_session(gw)
    with pytest.raises(ValidationError, match="begun"):
        group_sessions.session_edit(
            session=session, by=gw.lena.user, starts_at=soon(), duration_minutes=60, place="Hall"
        )
    with pytest.raises(ValidationError, match="begun"):
        group_sessions.session_cancel(session=session, by=gw.lena.user)
