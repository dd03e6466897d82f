"""Every form that creates a row does it once per rendered form: a double click or a resent POST
(same one-time token) writes nothing the second time; two forms filled in separately write two."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CheckIn, Goal, GoalNote, StaffContact
from matching.models import Concern, ConcernNote
from mentorship.models import FormSubmission
from mentorship.once import form_tokens_prune
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db


def checkin():
    """A check-in form's fields, dated today when the test runs (not when the module was read: a
    run that passes midnight would log it yesterday, before the match started)."""
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "held": "yes",
        "duration_minutes": "45",
        "mode": "phone",
    }


@pytest.fixture
def pw():
    return pair_world()


def post_twice(client, url, data):
    token = str(uuid.uuid4())
    first = client.post(url, {**data, "once": token})
    second = client.post(url, {**data, "once": token}, follow=True)
    return first, second


def test_a_double_submitted_check_in_is_logged_once(client, pw):
    client.force_login(pw.mentee)
    first, second = post_twice(client, reverse("evaluation:checkin_new", args=[pw.match.pk]), checkin())
    assert first.status_code == 302
    assert "already sent" in second.content.decode()
    assert CheckIn.objects.count() == 1


def test_two_check_ins_from_two_forms_are_both_logged(client, pw):
    client.force_login(pw.mentee)
    url = reverse("evaluation:checkin_new", args=[pw.match.pk])
    for _ in range(2):
        assert client.post(url, {**checkin(), "once": str(uuid.uuid4())}).status_code == 302
    assert CheckIn.objects.count() == 2


def test_a_form_without_its_token_asks_to_be_sent_again_and_keeps_what_was_typed(client, pw):
    client.force_login(pw.mentee)
    response = client.post(
        reverse("evaluation:checkin_new", args=[pw.match.pk]), {**checkin(), "notes": "Typed"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "please check and send it again" in page and "Typed" in page
    assert not CheckIn.objects.exists()


def test_a_refused_submission_leaves_its_token_free(client, pw):
    client.force_login(pw.mentee)
    url = reverse("evaluation:checkin_new", args=[pw.match.pk])
    token = str(uuid.uuid4())
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert client.post(url, {**checkin(), "occurred_on": future, "once": token}).status_code == 400
    assert client.post(url, {**checkin(), "once": token}).status_code == 302
    assert CheckIn.objects.count() == 1


def test_goals_contacts_and_progress_notes_are_written_once(client, pw):
    client.force_login(pw.mentee)
    post_twice(client, reverse("evaluation:goal_new", args=[pw.match.pk]), {"title": "Apply to college"})
    assert Goal.objects.count() == 1
    goal = Goal.objects.get()
    edit = {"title": "Apply to college", "status": "in_progress", "note": "Sent one application."}
    post_twice(client, reverse("evaluation:goal_edit", args=[goal.pk]), edit)
    assert GoalNote.objects.filter(goal=goal).count() == 1
    client.force_login(pw.coordinator)
    contact = {"contacted_on": timezone.localdate().isoformat(), "method": "phone", "notes": "All well."}
    post_twice(client, reverse("evaluation:contact_new", args=[pw.match.pk]), contact)
    assert StaffContact.objects.count() == 1


def test_concerns_and_their_notes_are_written_once(client, pw):
    client.force_login(pw.mentor)
    raise_url = reverse("matching:match_concern", args=[pw.match.pk])
    post_twice(client, raise_url, {"what_happened": "Something worrying.", "urgency": "soon"})
    assert Concern.objects.count() == 1
    client.force_login(pw.coordinator)
    post_twice(client, reverse("matching:concern_note", args=[Concern.objects.get().pk]), {"text": "Called."})
    assert ConcernNote.objects.filter(text="Called.").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_write_one_row():
    pw = pair_world()
    url = reverse("evaluation:checkin_new", args=[pw.match.pk])
    data = {**checkin(), "once": str(uuid.uuid4())}
    barrier, statuses = threading.Barrier(2), []

    def submit():
        client = Client()
        client.force_login(pw.mentee)
        barrier.wait()
        statuses.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert CheckIn.objects.count() == 1


def test_old_tokens_are_pruned_after_a_day(pw):
    FormSubmission.objects.create(token=uuid.uuid4(), created_at=timezone.now() - dt.timedelta(days=2))
    fresh = FormSubmission.objects.create(token=uuid.uuid4())
    assert form_tokens_prune() == 1
    assert list(FormSubmission.objects.all()) == [fresh]
