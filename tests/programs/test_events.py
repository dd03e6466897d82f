"""Events (programs/events.py and its pages): coordinators create, publish, change and cancel them;
people RSVP, join a wait-list when the event is full, and are promoted (and emailed) when someone
cancels; who may see and come to an event; the public events page; attendance and feedback."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorship.models import AuditEntry, OutboundEmail
from programs import events
from programs.event_followups import event_feedback_requests_send
from programs.models import Event, EventFeedback, Rsvp
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return scenarios.matching_world()


def make_event(world, *, by=None, capacity=2, days=5, publish=True, **fields):
    values = {"title": "Spring meet-up", "description": "Meet the others.", "place": "Town hall"}
    values.update(fields)
    event = events.event_create(
        by=by or world.coordinator,
        programs=[world.program],
        starts_at=timezone.now() + dt.timedelta(days=days),
        capacity=capacity,
        **values,
    )
    if publish:
        events.event_publish(event=event, by=by or world.coordinator)
    return event


def person(world, name):
    group = world.mentors if name in world.mentors else world.mentees
    return group[name].user


def sent(kind):
    return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def test_a_coordinator_creates_a_draft_then_publishes_it_from_the_pages(world, client):
    client.force_login(world.coordinator)
    url = reverse("programs:event_new", args=[world.program.slug])
    assert client.get(url).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(url, {
        "title": "Careers evening", "kind": "workshop", "date": day.isoformat(), "start": "18:30",
        "duration_minutes": 90, "place": "Library", "link": "", "capacity": "20",
        "description": "Talks and questions.", "programs": [world.program.pk],
    })  # fmt: skip
    event = Event.objects.get(title="Careers evening")
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert event.status == "draft" and list(event.programs.all()) == [world.program]
    assert timezone.localtime(event.starts_at).time() == dt.time(18, 30)
    # A draft: the participants do not see it.
    ben = person(world, "ben")
    other = client.__class__()
    other.force_login(ben)
    assert other.get(event.get_absolute_url()).status_code == 404
    client.post(reverse("programs:event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == "published"
    assert other.get(event.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="event.published", target_id=event.pk).exists()


def test_an_invalid_form_is_shown_again_with_its_errors(world, client):
    client.force_login(world.coordinator)
    url = reverse("programs:event_new", args=[world.program.slug])
    response = client.post(url, {"title": "", "programs": []})
    assert response.status_code == 400
    assert not Event.objects.exists()
    # Neither a place nor a link.
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"title": "X", "kind": "meetup", "date": day, "start": "10:00",
                                 "duration_minutes": 60, "description": "Y",
                                 "programs": [world.program.pk]})  # fmt: skip
    assert response.status_code == 400 and b"online link" in response.content


def test_a_coordinator_cannot_open_an_event_to_a_program_they_do_not_run(world):
    other_lead = scenarios.coordinator(email="other@events.test", display_name="Other")
    other = scenarios.program(coordinator=other_lead, name="Other program")
    with pytest.raises(PermissionDenied):
        events.event_create(
            by=world.coordinator,
            programs=[world.program, other],
            title="X",
            description="Y",
            place="Z",
            starts_at=timezone.now() + dt.timedelta(days=2),
        )


def test_rsvp_fills_the_places_then_the_wait_list_in_order(world, client):
    event = make_event(world, capacity=2)
    answers = [events.rsvp(event=event, user=person(world, n)) for n in ("ben", "dee", "eve", "fay")]
    assert [a.status for a in answers] == ["going", "going", "waitlisted", "waitlisted"]
    assert [events.waitlist_position(a) for a in answers] == [None, None, 1, 2]
    with pytest.raises(ValidationError, match="replied already"):
        events.rsvp(event=event, user=person(world, "ben"))
    client.force_login(person(world, "fay"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "on the wait-list: number 2" in page
    # Participants never see who else comes.
    assert "Ben" not in page and "Dee" not in page


def test_a_cancellation_promotes_the_longest_waiting_person_and_emails_them(world, client):
    event = make_event(world, capacity=1)
    events.rsvp(event=event, user=person(world, "ben"))
    events.rsvp(event=event, user=person(world, "dee"))
    events.rsvp(event=event, user=person(world, "eve"))
    client.force_login(person(world, "ben"))
    response = client.post(reverse("programs:event_rsvp_cancel", args=[event.pk]))
    assert response.status_code == 302
    dee = Rsvp.objects.get(event=event, user=person(world, "dee"))
    assert dee.status == "going" and dee.promoted_at is not None
    assert Rsvp.objects.get(event=event, user=person(world, "eve")).status == "waitlisted"
    (email,) = sent("event_promoted")
    assert email.to == person(world, "dee").email
    assert "Spring meet-up" in email.subject and "Town hall" in email.body
    assert event.uid in email.calendar
    assert "Ben" not in email.body and "Eve" not in email.body
    assert Rsvp.objects.filter(event=event, status="going").count() == 1


def test_a_wait_listed_person_leaving_promotes_nobody(world):
    event = make_event(world, capacity=1)
    events.rsvp(event=event, user=person(world, "ben"))
    events.rsvp(event=event, user=person(world, "dee"))
    assert events.rsvp_cancel(event=event, user=person(world, "dee")) is None
    assert not sent("event_promoted")
    # Coming back puts them at the end of the line.
    assert events.rsvp(event=event, user=person(world, "dee")).status == "waitlisted"


def test_a_larger_capacity_moves_the_wait_list_up(world):
    event = make_event(world, capacity=1)
    for name in ("ben", "dee", "eve"):
        events.rsvp(event=event, user=person(world, name))
    events.event_edit(event=event, by=world.coordinator, capacity=2)
    assert Rsvp.objects.filter(event=event, status="going").count() == 2
    assert [e.to for e in sent("event_promoted")] == [person(world, "dee").email]
    with pytest.raises(ValidationError, match="going already"):
        events.event_edit(event=event, by=world.coordinator, capacity=1)


def test_a_new_time_raises_the_sequence_and_tells_those_going(world):
    event = make_event(world, capacity=1)
    events.rsvp(event=event, user=person(world, "ben"))
    events.rsvp(event=event, user=person(world, "dee"))
    events.event_edit(event=event, by=world.coordinator, title="Spring meet-up!")
    event.refresh_from_db()
    assert event.sequence == 0 and not sent("event_updated")
    events.event_edit(event=event, by=world.coordinator, place="The park")
    event.refresh_from_db()
    assert event.sequence == 1
    (email,) = sent("event_updated")
    assert email.to == person(world, "ben").email and "The park" in email.body
    assert "SEQUENCE:1" in email.calendar


def test_cancelling_the_event_asks_first_and_tells_everyone_going_or_waiting(world, client):
    event = make_event(world, capacity=1)
    for name in ("ben", "dee"):
        events.rsvp(event=event, user=person(world, name))
    client.force_login(world.coordinator)
    url = reverse("programs:event_cancel", args=[event.pk])
    page = client.get(url).content.decode()
    assert "button-danger" in page and "1 person is going" in page
    client.post(url)
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    emails = sent("event_cancelled")
    assert sorted(e.to for e in emails) == sorted([person(world, "ben").email, person(world, "dee").email])
    assert "METHOD:CANCEL" in next(e for e in emails if e.to == person(world, "ben").email).calendar
    with pytest.raises(ValidationError):
        events.rsvp(event=event, user=person(world, "eve"))


def test_audience_rules(world, client):
    event = make_event(world)
    other_lead = scenarios.coordinator(email="other@events.test", display_name="Other")
    other = scenarios.program(coordinator=other_lead, name="Other program")
    stranger = scenarios.ready_mentee(program=other, email="s@events.test", display_name="Stranger")
    client.force_login(stranger.user)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.post(reverse("programs:event_rsvp", args=[event.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        events.rsvp(event=event, user=stranger.user)
    client.force_login(other_lead)
    assert client.get(reverse("programs:event_edit", args=[event.pk])).status_code == 404
    # A visitor is asked to sign in, whatever the number.
    client.logout()
    assert client.get(event.get_absolute_url()).url.startswith("/accounts/login/")
    assert client.get(reverse("programs:event", args=[999999])).url.startswith("/accounts/login/")


def test_a_public_event_is_anyones_to_see_and_rsvp_needs_signing_in(world, client):
    event = make_event(world, is_public=True, link="https://meet.example.org/spring")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Spring meet-up" in page and "Create an account" in page
    assert "meet.example.org" not in page  # the link is for those going
    response = client.post(reverse("programs:event_rsvp", args=[event.pk]))
    assert response.url.startswith("/accounts/login/") and "events" in response.url
    visitor = scenarios.person(email="visitor@events.test", display_name="Visitor")
    client.force_login(visitor)
    client.post(reverse("programs:event_rsvp", args=[event.pk]))
    assert Rsvp.objects.get(event=event, user=visitor).status == "going"
    assert "meet.example.org" in client.get(event.get_absolute_url()).content.decode()


def test_the_public_page_lists_only_published_public_events(world, client):
    shown = make_event(world, is_public=True, title="Open day")
    make_event(world, title="Members only")
    make_event(world, is_public=True, title="Draft open day", publish=False)
    past = make_event(world, is_public=True, title="Last year's party")
    Event.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=30))
    page = client.get(reverse("programs:public_events", args=[world.program.slug])).content.decode()
    assert shown.title in page and "Last year" in page
    assert "Members only" not in page and "Draft open day" not in page
    detail = client.get(reverse("programs:detail", args=[world.program.slug])).content.decode()
    assert reverse("programs:public_events", args=[world.program.slug]) in detail


def test_the_coordinator_sees_the_attendee_list_and_takes_attendance_from_the_start(world, client):
    event = make_event(world, capacity=5)
    for name in ("ben", "dee"):
        events.rsvp(event=event, user=person(world, name))
    client.force_login(world.coordinator)
    assert "Ben" in client.get(event.get_absolute_url()).content.decode()
    url = reverse("programs:event_attendance", args=[event.pk])
    ben = Rsvp.objects.get(event=event, user=person(world, "ben"))
    with pytest.raises(ValidationError, match="once the event has started"):
        events.attendance_take(event=event, present={ben.pk: True}, by=world.coordinator)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    assert client.get(url).status_code == 200
    client.post(url, {f"came_{ben.pk}": "on"})
    ben.refresh_from_db()
    assert ben.attended is True
    assert Rsvp.objects.get(event=event, user=person(world, "dee")).attended is False
    assert "1 came" in client.get(reverse("programs:events", args=[world.program.slug])).content.decode()


def test_those_who_came_are_asked_for_feedback_once_and_can_change_it(world, client):
    event = make_event(world, capacity=5)
    events.rsvp(event=event, user=person(world, "ben"))
    events.rsvp(event=event, user=person(world, "dee"))
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    ben = Rsvp.objects.get(event=event, user=person(world, "ben"))
    dee = Rsvp.objects.get(event=event, user=person(world, "dee"))
    events.attendance_take(event=event, present={ben.pk: True, dee.pk: False}, by=world.coordinator)
    assert event_feedback_requests_send() == 1
    assert event_feedback_requests_send() == 0
    (email,) = sent("event_feedback")
    assert email.to == person(world, "ben").email and ben.feedback_token in email.body
    url = reverse("programs:event_feedback", args=[ben.feedback_token])
    assert client.get(url).status_code == 200  # no sign-in: the link is the key
    assert client.post(url, {"rating": "9"}).status_code == 400
    client.post(url, {"rating": "4", "text": "Good talks."})
    client.post(url, {"rating": "5", "text": "Great talks."})
    feedback = EventFeedback.objects.get()
    assert (feedback.rating, feedback.text, feedback.rsvp_id) == (5, "Great talks.", ben.pk)
    # Someone who did not come has no feedback page.
    assert client.get(reverse("programs:event_feedback", args=[dee.feedback_token])).status_code == 404


def test_the_calendar_feed_lists_events_going_to_with_their_uid(world, client):
    from evaluation.views.feeds import calendar_for

    event = make_event(world, capacity=5)
    ben = person(world, "ben")
    events.rsvp(event=event, user=ben)
    feed = calendar_for(ben, on=timezone.localdate())
    assert f"UID:{event.uid}" in feed and "STATUS:CONFIRMED" in feed
    events.event_cancel(event=event, by=world.coordinator)
    feed = calendar_for(ben, on=timezone.localdate())
    assert "STATUS:CANCELLED" in feed and "SEQUENCE:1" in feed
    client.force_login(ben)
    ics = client.get(reverse("programs:event_ics", args=[event.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and event.uid in ics.content.decode()


def test_the_dashboard_panel_shows_upcoming_events_and_the_reply(world, client):
    event = make_event(world, capacity=5)
    ben = person(world, "ben")
    client.force_login(ben)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Upcoming events" in page and event.title in page and "Not replied yet" in page
    events.rsvp(event=event, user=ben)
    assert "Going" in client.get(reverse("dashboard")).content.decode()


def test_the_events_list_takes_the_same_queries_however_many_events(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse("programs:events", args=[world.program.slug])

    def queries_with(more):
        for i in range(more):
            event = make_event(world, title=f"Event {i}", capacity=1)
            events.rsvp(event=event, user=person(world, "ben"))
            events.rsvp(event=event, user=person(world, "dee"))
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with(2) == queries_with(4)
