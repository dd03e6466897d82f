"""Reporting a message makes a safeguarding concern with the message attached (the leads are told at
once, the concern page shows the message); the retention policy deletes old conversations' messages,
but never one kept with a concern."""

import datetime as dt

import pytest
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from evaluation import retention
from evaluation.erasure import erased_email
from matching import services as matching_services
from matching.messaging import services
from matching.models import Concern, Match, Message
from mentorship.models import OutboundEmail, User
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


def pair(mw):
    return services.conversation_for_match(match=mw.match)


def test_the_partner_reports_a_message_and_it_becomes_a_concern_with_the_message(client, mw):
    message = services.message_send(conversation=pair(mw), by=mw.ada.user, body="Don't tell your mum we met.")
    client.force_login(mw.ben.user)
    url = reverse("matching:message_report", args=[message.pk])
    page = client.get(url).text
    assert "Don&#x27;t tell your mum we met." in page and "What worries you about this message?" in page

    response = client.post(url, once(what_worries="It made me uneasy.", urgency="soon"))
    assert response.status_code == 302 and response.url == reverse(
        "matching:conversation", args=[pair(mw).pk]
    )
    concern = Concern.objects.get()
    assert concern.message == message and concern.match == mw.match
    assert concern.raised_by == mw.ben.user and concern.raised_as == "mentee"
    assert concern.what_happened == "It made me uneasy." and concern.urgency == "soon"
    # The lead (here the coordinator) is told at once, without the text.
    (email,) = OutboundEmail.objects.filter(kind="concern_raised")
    assert email.to == mw.cora.email and "uneasy" not in email.body and "mum" not in email.body

    client.force_login(mw.cora)
    concern_page = client.get(concern.get_absolute_url()).text
    assert "The reported message" in concern_page
    assert "Don&#x27;t tell your mum we met." in concern_page and "Ada Mentor" in concern_page
    assert message.created_at.strftime("%Y") in concern_page


def test_a_report_from_the_conversation_with_the_coordinators_is_about_the_participant(mw):
    conversation = services.conversation_for_enrollment(enrollment=mw.ben)
    message = services.message_send(conversation=conversation, by=mw.ben.user, body="I want to stop.")
    concern = services.message_report(
        message=message, by=mw.cora, what_worries="He sounds low.", urgency="urgent"
    )
    assert concern.enrollment == mw.ben and concern.match is None and concern.raised_as == "coordinator"


def test_a_report_without_what_worries_them_is_shown_again_with_the_reason(client, mw):
    message = services.message_send(conversation=pair(mw), by=mw.ada.user, body="Hi")
    client.force_login(mw.ben.user)
    response = client.post(reverse("matching:message_report", args=[message.pk]), once(what_worries=" "))
    assert response.status_code == 400
    assert "Say what worries you" in response.text and "Choose how urgent it is." in response.text
    assert not Concern.objects.exists()


def test_a_reported_message_is_kept_whatever_happens_to_the_conversation(mw):
    message = services.message_send(conversation=pair(mw), by=mw.ada.user, body="Meet me alone")
    services.message_report(message=message, by=mw.ben.user, what_worries="Odd.", urgency="urgent")
    with pytest.raises(ProtectedError):
        message.delete()


# --- Retention ------------------------------------------------------------------------------------------


def close(match, by, on):
    match = matching_services.match_close(match=match, by=by, reason="completed", anticipated=True)
    Match.objects.filter(pk=match.pk).update(ended_on=on)


def test_the_nightly_retention_deletes_messages_of_long_closed_matches_but_not_a_reported_one(mw, settings):
    settings.RETENTION_ADULT_YEARS = 6
    conversation = pair(mw)
    services.message_send(conversation=conversation, by=mw.ada.user, body="Ordinary")
    reported = services.message_send(conversation=conversation, by=mw.ada.user, body="Reported")
    services.message_report(message=reported, by=mw.ben.user, what_worries="Odd.", urgency="low")
    other = services.conversation_for_match(match=mw.other_match)
    services.message_send(conversation=other, by=mw.cy.user, body="Still going")
    closed_on = dt.date(2030, 6, 1)
    close(mw.match, mw.cora, closed_on)

    assert retention.messages_expire(on=dt.date(2036, 5, 31)) == 0  # not yet six years
    retention.retention_apply(on=dt.date(2036, 6, 1))  # the nightly sweep
    assert list(Message.objects.filter(conversation=conversation)) == [reported]
    assert Message.objects.filter(conversation=other).count() == 1  # an open match keeps its messages
    conversation.refresh_from_db()
    assert conversation.last_message_at == reported.created_at
    assert retention.messages_expire(on=dt.date(2036, 6, 1)) == 0  # twice: nothing more


def test_the_messages_of_an_anonymised_person_go_at_once(mw):
    with_coordinators = services.conversation_for_enrollment(enrollment=mw.dee)
    services.message_send(conversation=with_coordinators, by=mw.dee.user, body="My address is ...")
    services.message_send(
        conversation=services.conversation_for_match(match=mw.other_match), by=mw.cy.user, body="x"
    )
    services.message_send(conversation=pair(mw), by=mw.ada.user, body="Ben's pair: not touched")
    User.objects.filter(pk=mw.dee.user_id).update(email=erased_email(mw.dee.user_id))
    assert retention.messages_expire() == 2
    assert list(Message.objects.values_list("body", flat=True)) == ["Ben's pair: not touched"]
