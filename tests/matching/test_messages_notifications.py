"""A new message emails the other readers: at most one email per conversation per reader per
MESSAGE_EMAIL_MINUTES, only while they have something unread, never with the text where mentees
may be under 18 (an adult program's email may quote it, contact details held as on the site)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from matching.messaging import services
from matching.messaging.contact import HELD_TEXT
from mentorship.models import OutboundEmail, User
from tests import scenarios

pytestmark = pytest.mark.django_db

START = dt.datetime(2031, 3, 4, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


def emails_to(user, kind="message_new"):
    return list(OutboundEmail.objects.filter(to=user.email, kind=kind).order_by("pk"))


def pair(mw):
    return services.conversation_for_match(match=mw.match)


def test_two_messages_within_the_quiet_time_send_one_email_and_a_later_one_another(mw, settings):
    assert settings.MESSAGE_EMAIL_MINUTES == 15
    conversation = pair(mw)
    with time_machine.travel(START, tick=False):
        services.message_send(conversation=conversation, by=mw.ada.user, body="Hi Ben!")
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        services.message_send(conversation=conversation, by=mw.ada.user, body="Are you free Thursday?")
    assert len(emails_to(mw.ben.user)) == 1
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        services.message_send(conversation=conversation, by=mw.ada.user, body="Or Friday?")
    assert len(emails_to(mw.ben.user)) == 2
    # The sender is never emailed about their own message; the coordinators read the pair's
    # conversation but are not emailed about it.
    assert emails_to(mw.ada.user) == [] and emails_to(mw.cora) == []


def test_a_youth_programs_email_says_there_is_a_message_and_links_to_it_never_the_text(
    mw, mailoutbox, send_queued_emails
):
    conversation = pair(mw)
    send_queued_emails()
    mailoutbox.clear()  # the world's own (applications, the match)
    services.message_send(conversation=conversation, by=mw.ada.user, body="The museum trip is on Saturday")
    send_queued_emails()
    (email,) = mailoutbox
    assert email.to == [mw.ben.user.email]
    assert "You have a new message" in email.subject
    assert f"/conversations/{conversation.pk}/" in email.body
    assert "museum" not in email.body and "museum" not in email.subject
    assert "your mentor" in email.body and "Ada" not in email.body  # a role, never a name


def test_an_adult_programs_email_may_quote_the_message_with_contact_details_held(
    db, mailoutbox, send_queued_emails
):
    mw = scenarios.messages_world(audience="adult", domain="adults.test")
    assert not mw.program.may_have_minors
    conversation = pair(mw)
    services.message_send(conversation=conversation, by=mw.ada.user, body="Lovely to meet you, Ben.")
    send_queued_emails()
    assert "Lovely to meet you, Ben." in mailoutbox[-1].body
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=20)):
        services.message_send(conversation=conversation, by=mw.ada.user, body="Call me: 07700 900123")
        send_queued_emails()
    assert HELD_TEXT in mailoutbox[-1].body and "900123" not in mailoutbox[-1].body


def test_a_participants_message_to_the_coordinators_emails_each_coordinator_and_their_reply_the_participant(
    mw,
):
    second = scenarios.coordinator(email="carl@messages.test", display_name="Carl Coordinator")
    mw.program.coordinators.add(second)
    conversation = services.conversation_for_enrollment(enrollment=mw.ben)
    services.message_send(conversation=conversation, by=mw.ben.user, body="Can I change my meeting day?")
    assert len(emails_to(mw.cora)) == 1 and len(emails_to(second)) == 1
    assert emails_to(mw.ben.user) == []
    services.message_send(conversation=conversation, by=mw.cora, body="Of course, tell us which.")
    assert len(emails_to(mw.ben.user)) == 1
    assert "your program's coordinators" in emails_to(mw.ben.user)[0].body


def test_no_email_about_what_the_reader_has_already_read(mw):
    conversation = pair(mw)
    with time_machine.travel(START, tick=False):
        message = services.message_send(conversation=conversation, by=mw.ada.user, body="One")
    # Ben read it (and more) before the quiet time was over: a reader whose position is past the
    # message is not emailed about it.
    services.conversation_mark_read(conversation=conversation, user=mw.ben.user, up_to=message.pk + 1000)
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        services.message_send(conversation=conversation, by=mw.ada.user, body="Two")
    assert len(emails_to(mw.ben.user)) == 1


def test_a_closed_account_is_not_emailed(mw):
    User.objects.filter(pk=mw.ben.user_id).update(is_active=False)
    services.message_send(conversation=pair(mw), by=mw.ada.user, body="Hello?")
    assert emails_to(mw.ben.user) == []


@pytest.mark.django_db(transaction=True)
def test_two_messages_sent_at_the_same_moment_email_once(transactional_db):
    mw = scenarios.messages_world(domain="race.test")
    conversation = pair(mw)
    errors = []

    def send_from_another_request():
        try:
            services.message_send(conversation=conversation, by=mw.ada.user, body="Second, at once")
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        services.message_send(conversation=conversation, by=mw.ada.user, body="First")
        other = threading.Thread(target=send_from_another_request)
        other.start()
        other.join(timeout=1)
        assert other.is_alive()  # it waits for this transaction: the claim is one row's update
    other.join(timeout=10)
    assert not errors and conversation.messages.count() == 2
    assert len(emails_to(mw.ben.user)) == 1


def test_a_coordinator_writing_in_the_pairs_conversation_emails_both_of_the_pair(mw):
    services.message_send(conversation=pair(mw), by=mw.cora, body="Reminder: the trip is on Saturday.")
    assert len(emails_to(mw.ada.user)) == 1 and len(emails_to(mw.ben.user)) == 1
    assert "your program's coordinators" in emails_to(mw.ben.user)[0].body
