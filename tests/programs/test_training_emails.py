"""Emails about in-person training sessions (programs/training_emails.py): a place confirmed when
someone signs up or a coordinator gives them one, and everyone signed up told when a session is
cancelled. Sent to the person taking the training only: a minor mentee who signed up hears
herself (no one else), a parent or guardian hears about their orientation session."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import dateformat, timezone

from mentorship.models import OutboundEmail
from programs import guardians, training_progress, trainings
from programs.models import SessionSignup, Training, TrainingSession
from tests import scenarios

pytestmark = pytest.mark.django_db
PLACE, CANCELLED = "training_session_place", "training_session_cancelled"


@pytest.fixture
def world():
    return scenarios.matching_world()


def in_person(program, *, audience="mentor", title="Meet the team", days=7, capacity=5, note=""):
    """A published in-person training with one session in ``days`` days, 18:30 local time."""
    training = Training.objects.create(
        program=program, title=title, audience=audience, kind="in_person", published_at=timezone.now()
    )
    return training, session_of(training, days=days, capacity=capacity, note=note)


def session_of(training, *, days=7, capacity=5, note=""):
    day = timezone.localdate() + dt.timedelta(days=days)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30)))
    return TrainingSession.objects.create(
        training=training,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Central Library, room 2",
        capacity=capacity,
        note=note,
    )


def sent(kind):
    return list(OutboundEmail.objects.filter(kind=kind).order_by("pk"))


def when(session):
    return dateformat.format(timezone.localtime(session.starts_at), "l j F Y, H:i")


def test_signing_up_confirms_the_place_with_the_details_and_the_way_back(world, client):
    ada = world.mentors["ada"]
    training, session = in_person(world.program, note="Bring a photo ID.")
    client.force_login(ada.user)
    client.post(reverse("programs:training_session_signup", args=[training.pk, session.pk]))
    assert SessionSignup.objects.filter(session=session, enrollment=ada).exists()
    [email] = sent(PLACE)
    assert email.to == ada.user.email
    assert "Meet the team" in email.subject
    assert email.body.startswith("Hello Ada,")
    assert "You have a place at a session of the training “Meet the team”" in email.body
    assert f"When:  {when(session)} to 20:30" in email.body
    assert "Where: Central Library, room 2" in email.body and "Note:  Bring a photo ID." in email.body
    assert "give your place back on the training page" in email.body
    assert settings.SITE_URL + reverse("programs:training", args=[training.pk]) in email.body


def test_a_refused_signup_sends_nothing(world):
    training, session = in_person(world.program, capacity=1)
    training_progress.session_signup(session=session, enrollment=world.mentors["ada"])
    with pytest.raises(ValidationError, match="full"):
        training_progress.session_signup(session=session, enrollment=world.mentors["cy"])
    assert [email.to for email in sent(PLACE)] == [world.mentors["ada"].user.email]


def test_a_coordinator_giving_a_place_is_announced_but_not_after_the_session(world, client):
    training, session = in_person(world.program)
    cy = world.mentors["cy"]
    client.force_login(world.coordinator)
    add = reverse("programs:training_attendance_add", args=[world.program.slug, training.pk, session.pk])
    assert client.post(add, {"add-enrollment": cy.pk}).status_code == 302
    [email] = sent(PLACE)
    assert email.to == cy.user.email
    assert f"The coordinators of {world.program.name} have given you a place" in email.body
    # Someone who came without signing up, added when attendance is taken: no email.
    _, held = in_person(world.program, title="Last week's evening", days=-7)
    trainings.session_add_person(session=held, enrollment=world.mentors["gus"])
    assert len(sent(PLACE)) == 1


def test_a_minor_mentee_who_signs_up_is_the_only_one_told(world, client):
    dee = world.mentees["dee"]  # 15, her guardian consented
    training, session = in_person(world.program, audience="mentee", title="Welcome evening")
    before = OutboundEmail.objects.count()
    client.force_login(dee.user)
    client.post(reverse("programs:training_session_signup", args=[training.pk, session.pk]))
    assert [email.to for email in OutboundEmail.objects.order_by("pk")[before:]] == [dee.user.email]
    body = sent(PLACE)[0].body
    assert body.startswith("Hello Dee,") and "guardian" not in body.lower()


def test_cancelling_a_session_tells_everyone_signed_up_once(world, client, mailoutbox, send_queued_emails):
    training, session = in_person(world.program)
    for name in ("ada", "cy"):
        training_progress.session_signup(session=session, enrollment=world.mentors[name])
    client.force_login(world.coordinator)
    call_off = reverse(
        "programs:training_session_call_off", args=[world.program.slug, training.pk, session.pk]
    )
    client.post(call_off)
    emails = sent(CANCELLED)
    assert sorted(email.to for email in emails) == ["ada@matching.test", "cy@matching.test"]
    body = emails[0].body
    assert f"the training “Meet the team” you had a place at: {when(session)}" in body
    assert "choose another session on the training page" in body
    assert settings.SITE_URL + reverse("programs:training", args=[training.pk]) in body
    client.post(call_off)  # already cancelled: nobody is told twice
    assert len(sent(CANCELLED)) == 2
    send_queued_emails()
    subjects = [message.subject for message in mailoutbox]
    assert sum(subject.startswith("Session cancelled: “Meet the team”") for subject in subjects) == 2


def test_cancelling_a_session_nobody_signed_up_to_sends_nothing(world):
    _, session = in_person(world.program)
    trainings.session_cancel(session=session, by=world.coordinator)
    assert not sent(CANCELLED)


def test_a_guardian_given_a_place_hears_with_their_link_and_the_mentee_does_not(world):
    dee = world.mentees["dee"]
    consent = dee.consents.get(revoked_at__isnull=True)
    training, session = in_person(world.program, audience="guardian", title="Parents' evening")
    trainings.session_add_person(session=session, enrollment=dee)
    [email] = sent(PLACE)
    assert email.to == consent.guardian_email and email.body.startswith(f"Hello {consent.guardian_name},")
    link = reverse("programs:guardian_training", args=[consent.manage_token, training.pk])
    assert settings.SITE_URL + link in email.body and "please tell the coordinators" in email.body
    trainings.session_cancel(session=session, by=world.coordinator)
    [cancelled] = sent(CANCELLED)
    assert cancelled.to == consent.guardian_email and "ask the coordinators for a place" in cancelled.body
    assert not OutboundEmail.objects.filter(to=dee.user.email, kind__in=[PLACE, CANCELLED]).exists()
    # A guardian who withdrew their consent is not emailed about the orientation any more.
    guardians.guardian_withdraw(consent=consent)
    trainings.session_add_person(session=session_of(training, days=14), enrollment=dee)
    assert len(sent(PLACE)) == 1
