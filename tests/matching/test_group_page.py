"""The group's page and its sessions' pages, through the client: who sees what (former members and
other groups' people get 404; members do not run sessions), members by their limited profile only,
the forms (a bad one answers 400 with the reasons), the attendance page, the dashboard's panel, and
a constant number of queries as members and sessions grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import group_sessions
from matching.models import GroupAttendance, GroupGoal, GroupSession
from tests.matching.group_helpers import add, group_world, past_session, plan, soon
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def gw(db):
    return group_world()


SEES = {"lena", "mia", "noah", "gina", "sid"}
RUNS = {"lena", "gina", "sid"}
EVERYONE = ["lena", "mia", "noah", "finn", "pia", "theo", "stan", "olga", "gina", "sid"]


@pytest.mark.parametrize("who", EVERYONE)
def test_the_group_and_its_sessions_are_seen_by_its_people_and_coordinators_only(client, gw, who):
    session = past_session(gw)
    client.force_login(gw.user(who))
    seen = [
        reverse("matching:group", args=[gw.group.pk]),
        reverse("matching:group_session", args=[session.pk]),
        reverse("matching:group_messages", args=[gw.group.pk]),
    ]
    for url in seen:
        assert client.get(url).status_code in ((200, 302) if who in SEES else (404,)), url
    run = [
        reverse("matching:group_session_new", args=[gw.group.pk]),
        reverse("matching:group_attendance", args=[session.pk]),
        reverse("matching:group_goal_new", args=[gw.group.pk]),
        reverse("matching:group_session_cancel", args=[session.pk]),
        reverse("matching:group_session_edit", args=[session.pk]),
    ]
    for url in run:
        assert client.get(url).status_code == (200 if who in RUNS else 404), url


def test_a_member_cannot_take_attendance(client, gw):
    session = past_session(gw)
    client.force_login(gw.mia.user)
    url = reverse("matching:group_attendance", args=[session.pk])
    response = client.post(url, {"held": "yes", f"present_{gw.mia.pk}": "on"})
    assert response.status_code == 404
    assert not GroupAttendance.objects.exists()


def test_members_see_each_other_by_their_limited_profile_and_coordinators_reach_applications(client, gw):
    url = reverse("matching:group", args=[gw.group.pk])
    client.force_login(gw.mia.user)
    page = client.get(url).text
    assert "Noah" in page and "Omar" in page and "Lena" in page
    assert "Finn" not in page and "Pia" not in page  # left; another group
    assert "@groups.test" not in page  # no email address
    assert "/applicants/" not in page
    assert "Plan a session" not in page and "Add a shared goal" not in page
    client.force_login(gw.gina)
    page = client.get(url).text
    assert reverse("programs:applicant", args=[gw.program.slug, gw.noah.pk]) in page
    assert "Plan a session" in page


def test_a_leader_plans_a_session_on_the_page_and_a_bad_form_answers_400(client, gw):
    client.force_login(gw.lena.user)
    url = reverse("matching:group_session_new", args=[gw.group.pk])
    when = soon(days=3)
    bad = client.post(url, once(date=when.date().isoformat(), time="17:00", duration_minutes=90,
                                place="", link="javascript:alert(1)"))  # fmt: skip
    assert bad.status_code == 400 and "https://" in bad.text
    assert not GroupSession.objects.exists()
    good = client.post(url, once(date=when.date().isoformat(), time="17:00", duration_minutes=90,
                                 place="Eastside Library", agenda="Maps"))  # fmt: skip
    session = GroupSession.objects.get()
    assert good.status_code == 302 and good.url == reverse("matching:group_session", args=[session.pk])
    page = client.get(good.url).text
    assert "Eastside Library" in page and "Maps" in page and "Cancel it" in page


def test_editing_and_cancelling_through_the_pages(client, gw):
    session = plan(gw)
    client.force_login(gw.gina)
    when = soon(days=4)
    response = client.post(
        reverse("matching:group_session_edit", args=[session.pk]),
        once(date=when.date().isoformat(), time="18:00", duration_minutes=60, place="Town Hall"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.place == "Town Hall" and session.sequence == 1
    page = client.get(reverse("matching:group_session_cancel", args=[session.pk])).text
    assert "button-danger" in page
    client.post(reverse("matching:group_session_cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.is_cancelled


def test_the_attendance_page_has_a_row_per_member_and_saves(client, gw):
    session = past_session(gw)
    client.force_login(gw.lena.user)
    url = reverse("matching:group_attendance", args=[session.pk])
    page = client.get(url).text
    assert page.count('class="attendance-row"') == 3
    assert client.post(url, {f"present_{gw.mia.pk}": "on"}).status_code == 400  # held not said
    response = client.post(url, {"held": "yes", f"present_{gw.mia.pk}": "on", "notes": "Went well"})
    assert response.status_code == 302
    assert list(GroupAttendance.objects.filter(present=True).values_list("enrollment_id", flat=True)) == [
        gw.mia.pk
    ]
    page = client.get(reverse("matching:group_session", args=[session.pk])).text
    assert "1 of 3 came" in page and "Went well" in page
    # The member who came sees the feedback form and rates; the leader sees the ratings.
    client.force_login(gw.mia.user)
    page = client.get(reverse("matching:group_session", args=[session.pk])).text
    assert "How was the session?" in page and "Went well" not in page
    client.post(reverse("matching:group_feedback", args=[session.pk]), {"rating": "5", "text": "Loved it"})
    client.force_login(gw.lena.user)
    page = client.get(reverse("matching:group_session", args=[session.pk])).text
    assert "1 rating, 5.0 out of 5" in page and "Loved it" in page
    client.force_login(gw.noah.user)  # absent: no form, and a POST is refused
    assert "How was the session?" not in client.get(reverse("matching:group_session", args=[session.pk])).text
    client.post(reverse("matching:group_feedback", args=[session.pk]), {"rating": "1"})
    assert session.feedback.count() == 1


def test_goals_on_the_page(client, gw):
    client.force_login(gw.lena.user)
    assert (
        client.post(reverse("matching:group_goal_new", args=[gw.group.pk]), once(title="")).status_code == 400
    )
    client.post(reverse("matching:group_goal_new", args=[gw.group.pk]), once(title="Build a website"))
    goal = GroupGoal.objects.get()
    client.post(reverse("matching:group_goal_status", args=[goal.pk]), {"status": "in_progress"})
    goal.refresh_from_db()
    assert goal.status == "in_progress"
    client.force_login(gw.mia.user)
    assert (
        client.post(reverse("matching:group_goal_status", args=[goal.pk]), {"status": "done"}).status_code
        == 404
    )
    assert "Build a website" in client.get(reverse("matching:group", args=[gw.group.pk])).text


def test_the_dashboard_lists_ones_groups_and_asks_leaders_to_take_attendance(client, gw):
    session = past_session(gw)
    coming = plan(gw, when=soon(days=6))
    client.force_login(gw.lena.user)
    page = client.get(reverse("dashboard")).text
    assert "My groups" in page and "Tuesday Group" in page
    assert reverse("matching:group_attendance", args=[session.pk]) in page
    assert reverse("matching:group_session", args=[coming.pk]) in page
    client.force_login(gw.mia.user)
    page = client.get(reverse("dashboard")).text
    assert "Tuesday Group" in page and "Take attendance" not in page
    client.force_login(gw.stan)
    assert "My groups" not in client.get(reverse("dashboard")).text


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_group_page_costs_the_same_queries_as_members_and_sessions_grow(client, gw):
    from tests import scenarios

    url = reverse("matching:group", args=[gw.group.pk])
    client.force_login(gw.gina)
    past_session(gw)
    plan(gw)
    group_sessions.goal_add(group=gw.group, by=gw.gina, title="One")
    before = _queries(client, url)
    for n in range(4):
        mentee = scenarios.ready_mentee(
            program=gw.program, email=f"more{n}@groups.test", display_name=f"More {n}"
        )
        add(gw.group, mentee)
        session = past_session(gw)
        group_sessions.attendance_take(session=session, by=gw.gina, present=[mentee.pk])
        plan(gw, when=soon(days=3 + n))
        group_sessions.goal_add(group=gw.group, by=gw.gina, title=f"Goal {n}")
    assert _queries(client, url) == before
    client.force_login(gw.mia.user)
    assert _queries(client, url) <= before
