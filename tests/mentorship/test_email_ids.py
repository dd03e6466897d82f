"""An outbox row keeps one Message-ID however often it is sent, so a copy sent again after a
worker was killed mid-send can be recognised and dropped by mail servers and clients."""

import pytest

from mentorship.models import OutboundEmail
from mentorship.services import email_queue, email_send, email_send_pending
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_one(db):
    program = scenarios.program(coordinator=scenarios.coordinator(email="c@ids.test"))

    def queue(to):
        return email_queue(to=to, template="suggestions_digest",
                           context={"program": program, "new": 1, "pending": 1, "run": None})  # fmt: skip

    return queue


def message_id(message):
    return message.message()["Message-ID"]


def test_a_row_sent_again_after_a_killed_worker_keeps_its_message_id(queue_one, mailoutbox):
    email = queue_one("ann@ids.test")
    assert email_send(email_id=email.pk)
    # The worker was killed after the mail server took the message, before its transaction
    # committed: the row is unsent again, and the sweep sends it a second time.
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=None)
    assert email_send_pending() == 1
    assert len(mailoutbox) == 2
    assert message_id(mailoutbox[0]) == message_id(mailoutbox[1])


def test_two_rows_have_different_message_ids(queue_one, mailoutbox):
    queue_one("ann@ids.test")
    queue_one("ann@ids.test")
    assert email_send_pending() == 2
    assert message_id(mailoutbox[0]) != message_id(mailoutbox[1])


def test_the_message_id_names_the_row_and_the_site(queue_one, mailoutbox, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    email = queue_one("ann@ids.test")
    email_send(email_id=email.pk)
    header = message_id(mailoutbox[0])
    assert header.startswith(f"<outbox-{email.pk}.") and header.endswith("@mentoring.example.org>")
