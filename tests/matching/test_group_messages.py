"""The group's conversation: the same messages as a pair's, for the group's current leaders and
members (and its program's coordinators and staff); former members and other groups' people get
404. Leaders write as "mentor" ("facilitator" in a circle), members as "mentee"; contact details
are held as in a pair's; a closed group's conversation is read-only; the others are emailed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.messaging import services
from matching.messaging.contact import HELD_TEXT
from matching.models import Concern, GroupKind, GroupStatus, Message
from mentorship.models import OutboundEmail
from tests.matching.group_helpers import group_world
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def gw(db):
    return group_world()


def conversation_url(client, gw):
    response = client.get(reverse("matching:group_messages", args=[gw.group.pk]))
    assert response.status_code == 302
    return response.url


READERS = {"lena": "mentor", "mia": "mentee", "noah": "mentee", "gina": "coordinator", "sid": "staff"}


@pytest.mark.parametrize("who", ["lena", "mia", "noah", "finn", "pia", "theo", "stan", "olga", "gina", "sid"])
def test_the_group_conversation_is_read_and_written_by_its_people_only(client, gw, who):
    conversation = services.conversation_for_group(group=gw.group)
    services.message_send(conversation=conversation, by=gw.lena.user, body="Welcome, everyone")
    url = reverse("matching:conversation", args=[conversation.pk])
    client.force_login(gw.user(who))
    response = client.get(url)
    assert response.status_code == (200 if who in READERS else 404)
    client.post(url, once(body=f"Hello from {who}"))
    sent = Message.objects.filter(body=f"Hello from {who}").first()
    if who in READERS:
        assert sent.sender_role == READERS[who]
        assert "Welcome, everyone" in response.text and "Messages in Tuesday Group" in response.text
    else:
        assert sent is None
    if who not in READERS:
        assert client.get(reverse("matching:group_messages", args=[gw.group.pk])).status_code == 404


def test_the_link_makes_one_conversation(client, gw):
    client.force_login(gw.mia.user)
    first = conversation_url(client, gw)
    client.force_login(gw.lena.user)
    assert conversation_url(client, gw) == first


def test_a_circles_leader_writes_as_facilitator(gw):
    gw.group.kind = GroupKind.CIRCLE
    gw.group.save()
    conversation = services.conversation_for_group(group=gw.group)
    message = services.message_send(conversation=conversation, by=gw.lena.user, body="Hi circle")
    assert message.sender_role == "facilitator"


def test_contact_details_are_held_from_the_other_members_as_in_a_pair(client, gw):
    conversation = services.conversation_for_group(group=gw.group)
    message = services.message_send(conversation=conversation, by=gw.mia.user, body="Text me on 07700 900123")
    assert message.held
    url = reverse("matching:conversation", args=[conversation.pk])
    client.force_login(gw.noah.user)
    page = client.get(url).text
    assert "07700 900123" not in page and HELD_TEXT in page
    client.force_login(gw.gina)
    assert "07700 900123" in client.get(url).text
    coordinator = services.message_send(conversation=conversation, by=gw.gina, body="Call 07700 900999")
    assert not coordinator.held


def test_a_closed_groups_conversation_is_read_only(client, gw):
    conversation = services.conversation_for_group(group=gw.group)
    services.message_send(conversation=conversation, by=gw.mia.user, body="Before")
    gw.group.status = GroupStatus.CLOSED
    gw.group.save()
    conversation = services.conversation_for_group(group=gw.group)
    with pytest.raises(ValidationError, match="group is closed"):
        services.message_send(conversation=conversation, by=gw.mia.user, body="After")
    client.force_login(gw.mia.user)
    page = client.get(reverse("matching:conversation", args=[conversation.pk])).text
    assert "Before" in page and "the group is closed" in page


def test_the_other_people_of_the_group_are_emailed_not_the_sender_nor_former_members(gw):
    conversation = services.conversation_for_group(group=gw.group)
    services.message_send(conversation=conversation, by=gw.mia.user, body="Hello group")
    sent = sorted(OutboundEmail.objects.filter(kind="message_new").values_list("to", flat=True))
    assert sent == sorted(gw.user(name).email for name in ("lena", "noah", "omar"))
    # A youth program: the email holds no text, and names a role, never a person.
    assert all("Hello group" not in e.body for e in OutboundEmail.objects.filter(kind="message_new"))


def test_a_reported_group_message_becomes_a_concern_about_the_group(gw):
    conversation = services.conversation_for_group(group=gw.group)
    message = services.message_send(conversation=conversation, by=gw.lena.user, body="Something odd")
    services.message_report(message=message, by=gw.mia.user, what_worries="It worried me.", urgency="soon")
    concern = Concern.objects.get()
    assert concern.group == gw.group and concern.message == message and concern.raised_as == "mentee"


def test_members_read_who_writes_as_what_and_the_coordinators_inbox_lists_the_group(client, gw):
    conversation = services.conversation_for_group(group=gw.group)
    services.message_send(conversation=conversation, by=gw.lena.user, body="Welcome")
    client.force_login(gw.mia.user)
    assert "Lena (mentor)" in client.get(reverse("matching:conversation", args=[conversation.pk])).text
    client.force_login(gw.gina)
    page = client.get(reverse("matching:inbox", args=[gw.program.slug]) + "?kind=group").text
    assert "Tuesday Group" in page and "The group's conversation" in page
