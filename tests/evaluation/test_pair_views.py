"""The pair's pages as every kind of visitor, what the journal shows to whom, and query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import CheckIn, Goal, GoalNote, StaffContact, SurveyResponse
from matching import services as matching_services
from tests.evaluation.helpers import more_active_matches, pair_world
from tests.once import once
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def pw():
    """Ada mentors Ben since 1 March 2027, with a goal and a meeting held on 5 March; today is 20 March."""
    with on(START.date()):
        world = pair_world()
    with on(dt.date(2027, 3, 20)):
        services.checkin_log(match=world.match, by=world.mentor, occurred_on=dt.date(2027, 3, 5), rating=4)
        world.goal = services.goal_create(match=world.match, by=world.mentee, title="Finish my CV")
        yield world


# Per view: the expected status for each role (the matrix of the issue).
PAIR = {
    "anonymous": 302,
    "mentee": 200,
    "mentor": 200,
    "coordinator": 200,
    "staff": 200,
    "other_coordinator": 404,
    "outsider": 404,
}
# Coordinators may see the match but check-ins are the pair's own record: read-only for them.
PAIR_WRITES_ONLY = {**PAIR, "coordinator": 403, "staff": 403}
MANAGE = {**PAIR, "mentee": 404, "mentor": 404}
# A survey answers only whom it is due for; the self-assessment is the mentee's alone.
MENTEE_SURVEY = {**PAIR, "mentor": 404, "coordinator": 404, "staff": 404}
BOTH_SURVEY = {**PAIR, "coordinator": 404, "staff": 404}


def matrix(pw):
    match = pw.match.pk
    return [
        (reverse("evaluation:pair", args=[match]), PAIR),
        (reverse("evaluation:goal_new", args=[match]), PAIR),
        (reverse("evaluation:goal_edit", args=[pw.goal.pk]), PAIR),
        (reverse("evaluation:checkin_new", args=[match]), PAIR_WRITES_ONLY),
        (reverse("evaluation:contact_new", args=[match]), MANAGE),
        (reverse("evaluation:contacts_due", args=[pw.program.slug]), MANAGE),
        (reverse("evaluation:survey", args=[match, "self_start"]), MENTEE_SURVEY),
        (reverse("evaluation:survey", args=[match, "pairing_fit"]), BOTH_SURVEY),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_as_expected(client, pw, role, login_as):
    login_as(pw, role)
    for url, expected in matrix(pw):
        response = client.get(url)
        assert response.status_code == expected[role], f"{role} at {url}"
        if role == "anonymous":
            assert response.url.startswith(LOGIN)


POSTS = [
    ("evaluation:checkin_new", {"occurred_on": "2027-03-19", "held": "yes", "mode": "video"}),
    ("evaluation:contact_new", {"contacted_on": "2027-03-19", "method": "phone"}),
    ("evaluation:goal_new", {"title": "Sneaky goal"}),
    ("evaluation:survey", {"rating": "1"}),
]


@pytest.mark.parametrize("role", ["anonymous", "other_coordinator", "outsider"])
def test_strangers_change_nothing(client, pw, role, login_as):
    login_as(pw, role)
    for name, data in POSTS:
        args = [pw.match.pk, "pairing_fit"] if name == "evaluation:survey" else [pw.match.pk]
        response = client.post(reverse(name, args=args), once(data))
        assert response.status_code == (302 if role == "anonymous" else 404)
    edit = client.post(
        reverse("evaluation:goal_edit", args=[pw.goal.pk]), {"title": "Hacked", "status": "done"}
    )
    assert edit.status_code == (302 if role == "anonymous" else 404)
    assert CheckIn.objects.count() == 1 and Goal.objects.count() == 1
    assert not StaffContact.objects.exists() and not SurveyResponse.objects.exists()
    assert Goal.objects.get().title == "Finish my CV"


def test_a_missing_match_or_goal_is_not_found(client, pw):
    client.force_login(pw.staff)
    assert client.get(reverse("evaluation:pair", args=[pw.match.pk + 1000])).status_code == 404
    assert client.get(reverse("evaluation:goal_edit", args=[pw.goal.pk + 1000])).status_code == 404


# --- What the journal shows ----------------------------------------------------------------------


def journal(client, pw, who):
    client.force_login(pw.as_role(who))
    response = client.get(reverse("evaluation:pair", args=[pw.match.pk]))
    assert response.status_code == 200
    return response


def test_the_journal_lists_check_ins_newest_first_and_goals_with_their_notes(client, pw):
    services.checkin_log(
        match=pw.match,
        by=pw.mentee,
        occurred_on=dt.date(2027, 3, 19),
        notes="Mock interview",
        duration_minutes=40,
    )
    services.goal_update(
        goal=pw.goal,
        by=pw.mentor,
        title="Finish my CV",
        target_date=None,
        status="in_progress",
        note="First draft done",
    )
    for who in ("mentee", "mentor", "coordinator"):
        response = journal(client, pw, who)
        assert [c.occurred_on for c in response.context["checkins"]] == [
            dt.date(2027, 3, 19),
            dt.date(2027, 3, 5),
        ]
        page = response.content.decode()
        assert "Mock interview" in page and "40 min" in page and "4 of 5" in page
        assert "Finish my CV" in page and "First draft done" in page and "In progress" in page


def test_the_pair_sees_the_surveys_due_for_them_with_links(client, pw):
    base = f"/matches/{pw.match.pk}/surveys/"
    # 20 March: the pairing fit (first meeting 5 March) and the start's self-assessment are open.
    mentee = journal(client, pw, "mentee")
    links = {s["label"]: s["url"] for s in mentee.context["surveys"]}
    assert links == {
        "How is it going with Ada?": base + "pairing_fit/",
        "Where you are starting from": base + "self_start/",
    }
    mentor_kinds = [s["label"] for s in journal(client, pw, "mentor").context["surveys"]]
    assert mentor_kinds == ["How is it going with Ben?"]
    assert journal(client, pw, "coordinator").context["surveys"] == []
    with on(dt.date(2027, 5, 30)):  # day 90: the first satisfaction survey; the others have closed
        mentee = journal(client, pw, "mentee")
        links = {s["label"]: s["url"] for s in mentee.context["surveys"]}
        assert links == {"How is your mentoring going?": base + "satisfaction/?period=1"}
        assert f'href="{base}satisfaction/?period=1"' in mentee.content.decode()
        mentor_kinds = [s["label"] for s in journal(client, pw, "mentor").context["surveys"]]
        assert mentor_kinds == ["How is your mentoring going?"]


def test_only_coordinators_see_staff_contacts_and_whether_one_is_overdue(client, pw):
    services.staff_contact_log(
        match=pw.match, by=pw.coordinator, contacted_on=dt.date(2027, 3, 10), notes="Call"
    )
    with on(dt.date(2027, 4, 5)):  # 35 days in: two contacts expected, one logged
        for who in ("coordinator", "staff"):
            response = journal(client, pw, who)
            assert response.context["contacts"]["missing"] == 1
            assert "1 staff contact overdue: 1 of the 2 expected" in response.content.decode()
        for who in ("mentee", "mentor"):
            response = journal(client, pw, who)
            assert response.context["contacts"] is None
            assert "Staff contacts" not in response.content.decode()
    with on(dt.date(2027, 3, 20)):
        assert "Up to date" in journal(client, pw, "coordinator").content.decode()


def test_the_buttons_follow_the_matchs_state_and_the_viewer(client, pw):
    checkin_url = reverse("evaluation:checkin_new", args=[pw.match.pk])
    goal_url = reverse("evaluation:goal_new", args=[pw.match.pk])
    assert checkin_url in journal(client, pw, "mentor").content.decode()
    coordinator_page = journal(client, pw, "coordinator").content.decode()
    assert checkin_url not in coordinator_page and goal_url in coordinator_page
    matching_services.match_pause(match=pw.match, by=pw.coordinator)
    assert checkin_url in journal(client, pw, "mentee").content.decode()
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)
    closed = journal(client, pw, "mentee").content.decode()
    assert checkin_url not in closed and goal_url not in closed
    assert "Finish my CV" in closed  # the history stays


# --- Query counts --------------------------------------------------------------------------------


def grow(pw, checkins, goals):
    for i in range(checkins):
        CheckIn.objects.create(
            match=pw.match,
            logged_by=pw.mentee if i % 2 else pw.mentor,
            occurred_on=dt.date(2027, 3, 1 + i % 19),
            rating=1 + i % 5,
            notes=f"Meeting {i}",
        )
    for i in range(goals):
        goal = Goal.objects.create(match=pw.match, created_by=pw.mentor, title=f"Goal {i}")
        GoalNote.objects.bulk_create(
            GoalNote(goal=goal, author=author, text="Progress") for author in (pw.mentee, pw.coordinator)
        )
    for day in range(1, 1 + checkins // 5):
        StaffContact.objects.create(
            match=pw.match, coordinator=pw.coordinator, contacted_on=dt.date(2027, 3, day)
        )


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_the_journal_runs_a_constant_number_of_queries(client, pw, who, django_assert_max_num_queries):
    client.force_login(pw.as_role(who))
    url = reverse("evaluation:pair", args=[pw.match.pk])
    grow(pw, checkins=1, goals=1)  # with the fixture's: 2 check-ins, 2 goals
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(pw, checkins=28, goals=10)  # 30 check-ins, 12 goals, 22 notes
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["checkins"]) == 30
    assert len(few) <= 14


def test_the_staff_contacts_due_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with on(START.date()):
        pw = pair_world()
    url = reverse("evaluation:contacts_due", args=[pw.program.slug])
    with on(dt.date(2027, 5, 1)):
        client.force_login(pw.coordinator)  # sessions expire: log in on the day
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(url).context["rows"]) == 1
    with on(START.date()):
        more_active_matches(program=pw.program, count=8)
    with on(dt.date(2027, 5, 1)), django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["rows"]) == 9
    assert len(few) <= 8
