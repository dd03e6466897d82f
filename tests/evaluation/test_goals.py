"""Goals and their progress notes: who sets them, statuses and completion, closed matches, the forms."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import Goal, GoalNote, GoalStatus
from matching import services as matching_services
from tests.evaluation.helpers import active_match, pair_world
from tests.once import once

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 3, 15)


@pytest.fixture
def pw():
    with time_machine.travel(START, tick=False):
        world = pair_world()
    with time_machine.travel(START + dt.timedelta(days=14), tick=False):
        yield world


def create(pw, by=None, **fields):
    fields.setdefault("title", "Apply for two apprenticeships")
    return services.goal_create(match=pw.match, by=by or pw.mentee, **fields)


def update(goal, by, **fields):
    values = {"title": goal.title, "target_date": goal.target_date, "status": goal.status, **fields}
    return services.goal_update(goal=goal, by=by, **values)


@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator", "staff"])
def test_either_person_or_a_coordinator_sets_a_goal(pw, who):
    goal = create(pw, by=pw.as_role(who), title="  Finish   my CV ", target_date=dt.date(2027, 5, 1))
    goal.refresh_from_db()
    assert (goal.match, goal.created_by, goal.title, goal.target_date, goal.status) == (
        pw.match,
        pw.as_role(who),
        "Finish my CV",
        dt.date(2027, 5, 1),
        GoalStatus.NOT_STARTED,
    )
    assert goal.completed_at is None


@pytest.mark.parametrize("who", ["other_coordinator", "outsider"])
def test_nobody_else_sets_or_changes_goals(pw, who):
    someone = pw.as_role(who)
    with pytest.raises(PermissionDenied):
        create(pw, by=someone)
    goal = create(pw)
    with pytest.raises(PermissionDenied):
        update(goal, someone, status=GoalStatus.DONE)
    with pytest.raises(PermissionDenied):
        services.goal_note_add(goal=goal, by=someone, text="Hello")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.NOT_STARTED
    assert not GoalNote.objects.exists()


def test_a_goal_needs_a_title(pw):
    with pytest.raises(ValidationError) as error:
        create(pw, title="   ")
    assert "title" in error.value.message_dict


def test_a_new_goal_cannot_have_a_target_date_in_the_past(pw):
    with pytest.raises(ValidationError) as error:
        create(pw, target_date=TODAY - dt.timedelta(days=1))
    assert "target_date" in error.value.message_dict
    assert create(pw, target_date=TODAY).pk


def test_a_target_date_that_has_passed_may_stay_but_not_be_moved_into_the_past(pw):
    goal = create(pw, target_date=dt.date(2027, 3, 20))
    with time_machine.travel(dt.datetime(2027, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        goal = update(goal, pw.mentor, status=GoalStatus.IN_PROGRESS)  # target unchanged: fine
        with pytest.raises(ValidationError) as error:
            update(goal, pw.mentor, target_date=dt.date(2027, 3, 25))
        assert "target_date" in error.value.message_dict
        update(goal, pw.mentor, target_date=dt.date(2027, 5, 1))
    goal.refresh_from_db()
    assert (goal.status, goal.target_date) == (GoalStatus.IN_PROGRESS, dt.date(2027, 5, 1))


def test_completed_at_is_set_when_a_goal_is_done_and_cleared_when_it_is_reopened(pw):
    goal = create(pw)
    update(goal, pw.mentee, status=GoalStatus.IN_PROGRESS)
    goal.refresh_from_db()
    assert goal.completed_at is None
    update(goal, pw.mentee, status=GoalStatus.DONE)
    goal.refresh_from_db()
    done_at = goal.completed_at
    assert done_at is not None and done_at.date() == TODAY
    with time_machine.travel(dt.datetime(2027, 3, 20, 10, tzinfo=dt.UTC), tick=False):
        update(goal, pw.mentor, status=GoalStatus.DONE, title="Applied for two apprenticeships")
    goal.refresh_from_db()
    assert goal.completed_at == done_at  # still done: the first completion stands
    update(goal, pw.coordinator, status=GoalStatus.IN_PROGRESS)
    goal.refresh_from_db()
    assert goal.completed_at is None


def test_an_unknown_status_is_refused(pw):
    goal = create(pw)
    with pytest.raises(ValidationError) as error:
        update(goal, pw.mentee, status="abandoned")
    assert "status" in error.value.message_dict


def test_notes_are_added_with_an_update_or_on_their_own(pw):
    goal = create(pw)
    update(goal, pw.mentor, status=GoalStatus.IN_PROGRESS, note="  Sent the first application. ")
    update(goal, pw.mentor, status=GoalStatus.IN_PROGRESS, note="   ")  # blank: no note
    services.goal_note_add(goal=goal, by=pw.coordinator, text="Great progress.")
    notes = list(goal.notes.values_list("author__email", "text"))
    assert notes == [
        (pw.mentor.email, "Sent the first application."),
        (pw.coordinator.email, "Great progress."),
    ]
    with pytest.raises(ValidationError):
        services.goal_note_add(goal=goal, by=pw.mentee, text=" ")


def test_a_closed_matchs_goals_are_kept_as_they_were(pw):
    goal = create(pw)
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)
    goal = Goal.objects.select_related("match__mentee", "match__mentor", "match__program").get(pk=goal.pk)
    with pytest.raises(ValidationError, match="is closed"):
        create(pw)
    with pytest.raises(ValidationError, match="is closed"):
        update(goal, pw.mentee, status=GoalStatus.DONE)
    with pytest.raises(ValidationError, match="is closed"):
        services.goal_note_add(goal=goal, by=pw.mentee, text="Late note")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.NOT_STARTED and not goal.notes.exists()


def test_a_paused_match_still_takes_goals(pw):
    matching_services.match_pause(match=pw.match, by=pw.coordinator)
    assert create(pw).pk


# --- The forms -----------------------------------------------------------------------------------


def test_a_goal_set_through_the_form(client, pw):
    client.force_login(pw.mentee)
    url = reverse("evaluation:goal_new", args=[pw.match.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, once({"title": "Pass my driving test", "target_date": "2027-06-30"}))
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.title, goal.target_date, goal.created_by) == (
        "Pass my driving test",
        dt.date(2027, 6, 30),
        pw.mentee,
    )


def test_bad_goal_input_comes_back_with_errors_and_what_was_typed(client, pw):
    client.force_login(pw.mentee)
    url = reverse("evaluation:goal_new", args=[pw.match.pk])
    response = client.post(url, once({"title": "Pass my driving test", "target_date": "2027-01-30"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The target date has passed" in page
    assert 'value="Pass my driving test"' in page and 'value="2027-01-30"' in page
    assert client.post(url, once({"title": "", "target_date": ""})).status_code == 400
    assert not Goal.objects.exists()


def test_posting_the_match_author_status_or_completion_on_a_new_goal_changes_nothing(client, pw):
    other = active_match(program=pw.program, mentee=pw.world.mentees["dee"], mentor=pw.world.mentors["cy"])
    client.force_login(pw.mentee)
    data = {
        "title": "Read a book a month",
        "match": other.pk,
        "created_by": pw.coordinator.pk,
        "status": "done",
        "completed_at": "2027-03-01T00:00:00Z",
    }
    client.post(reverse("evaluation:goal_new", args=[pw.match.pk]), once(data))
    goal = Goal.objects.get()
    assert (goal.match, goal.created_by, goal.status, goal.completed_at) == (
        pw.match,
        pw.mentee,
        GoalStatus.NOT_STARTED,
        None,
    )


def test_a_goal_updated_and_noted_through_the_form(client, pw):
    goal = create(pw, target_date=dt.date(2027, 4, 30))
    client.force_login(pw.mentor)
    url = reverse("evaluation:goal_edit", args=[goal.pk])
    page = client.get(url).content.decode()
    assert 'value="Apply for two apprenticeships"' in page and 'value="2027-04-30"' in page
    data = {"title": goal.title, "target_date": "2027-04-30", "status": "done", "note": "Both sent!"}
    assert client.post(url, once(data)).status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.DONE and goal.completed_at is not None
    assert goal.notes.get().text == "Both sent!"


def test_posting_the_match_or_the_author_on_a_goal_update_changes_nothing(client, pw):
    goal = create(pw)
    other = active_match(program=pw.program, mentee=pw.world.mentees["dee"], mentor=pw.world.mentors["cy"])
    client.force_login(pw.mentor)
    data = {
        "title": goal.title,
        "status": "in_progress",
        "note": "Going well",
        "match": other.pk,
        "created_by": pw.coordinator.pk,
        "author": pw.coordinator.pk,
        "completed_at": "2027-03-01T00:00:00Z",
    }
    assert client.post(reverse("evaluation:goal_edit", args=[goal.pk]), once(data)).status_code == 302
    goal.refresh_from_db()
    assert (goal.match, goal.created_by, goal.completed_at) == (pw.match, pw.mentee, None)
    assert goal.notes.get().author == pw.mentor


def test_a_closed_matchs_goal_page_is_read_only(client, pw):
    goal = create(pw)
    matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)
    client.force_login(pw.mentee)
    url = reverse("evaluation:goal_edit", args=[goal.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "its goals are kept as they were" in response.content.decode()
    assert '<form method="post" class="card' not in response.content.decode()
    response = client.post(url, once({"title": "Changed", "status": "done"}), follow=True)
    assert "This match is closed" in response.content.decode()
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Apply for two apprenticeships", GoalStatus.NOT_STARTED)
    assert client.get(reverse("evaluation:goal_new", args=[pw.match.pk])).status_code == 302
