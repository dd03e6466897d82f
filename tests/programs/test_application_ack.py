"""An applicant is told by email that their application arrived: once, after the application is
saved, at their own address; a minor's holds nothing private and says a guardian is asked."""

import datetime as dt

import pytest
from django.urls import reverse

from mentorship.models import OutboundEmail
from programs.models import Enrollment, Role
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_program(db):
    lead = scenarios.coordinator(email="lead@ack.test", display_name="Lee Lead")
    return scenarios.program(coordinator=lead, name="Harbour Mentoring")


def apply(client, program, role="mentee", **data):
    form = {"motivation": "I want help choosing a college course.", "heard_about": "school", **data}
    return client.post(reverse("programs:apply", args=[program.slug, role]), form)


def acknowledgements():
    return OutboundEmail.objects.filter(kind="application_received")


def test_applying_queues_one_acknowledgement_sent_after_the_application_is_saved(
    client, open_program, django_capture_on_commit_callbacks, mailoutbox, send_queued_emails
):
    adult = scenarios.person(
        email="ana@ack.test", display_name="Ana", profile={"date_of_birth": dt.date(1990, 1, 1)}
    )
    client.force_login(adult)
    with django_capture_on_commit_callbacks() as callbacks:
        response = apply(client, open_program)
        # Queued in the application's transaction; nothing goes to the worker before it commits.
        assert acknowledgements().count() == 1
    assert callbacks, "the email's task is sent after commit"
    assert response.status_code == 302
    send_queued_emails()
    (message,) = [m for m in mailoutbox if "We have your application" in m.subject]
    assert message.to == ["ana@ack.test"]
    assert "Harbour Mentoring" in message.subject
    enrollment = Enrollment.objects.get(user=adult)
    assert enrollment.get_absolute_url() in message.body
    assert "a coordinator will look at it soon" in message.body


def test_applying_again_sends_no_second_acknowledgement(client, open_program):
    adult = scenarios.person(
        email="ben@ack.test", display_name="Ben", profile={"date_of_birth": dt.date(1990, 1, 1)}
    )
    client.force_login(adult)
    apply(client, open_program)
    apply(client, open_program)
    assert acknowledgements().filter(to="ben@ack.test").count() == 1


def test_a_refused_application_sends_no_acknowledgement(client, open_program):
    teen = scenarios.person(email="kid@ack.test", display_name="Kid")
    client.force_login(teen)
    born = dt.date.today().replace(year=dt.date.today().year - 15)
    response = apply(client, open_program, role="mentor", capacity="1", date_of_birth=born.isoformat())
    assert response.status_code == 200  # a minor cannot mentor: the form is shown again
    assert not acknowledgements().exists()


def test_a_minors_acknowledgement_goes_to_them_says_a_guardian_is_asked_and_holds_nothing_private(
    client, open_program, mailoutbox, send_queued_emails
):
    teen = scenarios.person(email="tia@ack.test", display_name="Tia")
    client.force_login(teen)
    born = dt.date.today().replace(year=dt.date.today().year - 15) - dt.timedelta(days=10)
    apply(
        client,
        open_program,
        date_of_birth=born.isoformat(),
        guardian_name="Pat Brooks",
        guardian_email="pat.brooks@ack.test",
        motivation="Things at home are hard and I need someone to talk to.",
    )
    send_queued_emails()
    (ack,) = [m for m in mailoutbox if "We have your application" in m.subject]
    assert ack.to == ["tia@ack.test"]
    assert "As you are under 18, we also need a parent or guardian to say yes" in ack.body
    assert "We have emailed the parent or guardian you named" in ack.body
    for private in ("pat.brooks@ack.test", "Pat Brooks", "Things at home", born.isoformat(), str(born.year)):
        assert private not in ack.body
    # The guardian gets their own request, as before.
    assert [m for m in mailoutbox if m.to == ["pat.brooks@ack.test"]]


def test_an_adults_acknowledgement_says_nothing_about_a_guardian(
    client, open_program, mailoutbox, send_queued_emails
):
    adult = scenarios.person(
        email="cy@ack.test", display_name="Cy", profile={"date_of_birth": dt.date(1980, 5, 5)}
    )
    client.force_login(adult)
    apply(client, open_program, role=Role.MENTOR, capacity="1")
    send_queued_emails()
    (ack,) = [m for m in mailoutbox if "We have your application" in m.subject]
    assert "guardian" not in ack.body
    assert "screening steps" in ack.body  # a mentor is told what screening asks
