"""Who reads and who writes each conversation: the pair's (Ada mentors Ben, a minor) and Ben's with
the program's coordinators, for every kind of person: the partner, the program's coordinator,
another program's coordinator, staff, a stranger, the people of another match in the same program,
and nobody signed in. Whatever a person may not read answers 404, through every URL."""

import pytest
from django.http import Http404
from django.urls import reverse

from matching.access import get_conversation_for
from matching.messaging import services
from matching.models import Message
from mentorship.models import AuditEntry
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


PEOPLE = {
    "ada": lambda w: w.ada.user,  # Ben's mentor
    "ben": lambda w: w.ben.user,
    "cora": lambda w: w.cora,  # the program's coordinator
    "olga": lambda w: w.olga,  # another program's coordinator
    "sid": lambda w: w.sid,  # staff
    "stan": lambda w: w.stan,  # signed in, nothing to do with it
    "cy": lambda w: w.cy.user,  # another pair of the same program
    "dee": lambda w: w.dee.user,
}
READERS = {"pair": {"ada", "ben", "cora", "sid"}, "coordinators": {"ben", "cora", "sid"}}
# What each writes as, where they may write.
ROLES_WRITTEN = {"ada": "mentor", "ben": "mentee", "cora": "coordinator", "sid": "staff"}


def conversation_of(mw, which):
    if which == "pair":
        return services.conversation_for_match(match=mw.match)
    return services.conversation_for_enrollment(enrollment=mw.ben)


@pytest.mark.parametrize("which", ["pair", "coordinators"])
@pytest.mark.parametrize("who", list(PEOPLE))
def test_each_person_reads_and_writes_a_conversation_only_if_it_is_theirs_or_their_programs(
    client, mw, which, who
):
    conversation = conversation_of(mw, which)
    written = services.message_send(conversation=conversation, by=mw.ben.user, body="Hello from Ben")
    user = PEOPLE[who](mw)
    reads = who in READERS[which]
    client.force_login(user)

    pages = [
        reverse("matching:conversation", args=[conversation.pk]),
        reverse("matching:conversation_new", args=[conversation.pk]) + "?after=0",
    ]
    if who != "ben":
        pages.append(reverse("matching:message_report", args=[written.pk]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == (200 if reads else 404), url
        assert ("Hello from Ben" in response.text) is reads
    if reads:
        assert get_conversation_for(user, conversation.pk) == conversation
    else:
        with pytest.raises(Http404):
            get_conversation_for(user, conversation.pk)

    response = client.post(pages[0], once(body=f"Hello from {who}"))
    sent = Message.objects.filter(conversation=conversation, body=f"Hello from {who}").first()
    if reads:
        assert response.status_code == 302
        assert sent.sender == user and sent.sender_role == ROLES_WRITTEN[who]
    else:
        assert response.status_code == 404 and sent is None


@pytest.mark.parametrize("who", list(PEOPLE))
def test_only_the_programs_coordinators_and_staff_release_a_held_message(client, mw, who):
    conversation = conversation_of(mw, "pair")
    held = services.message_send(conversation=conversation, by=mw.ada.user, body="Text me on 07700 900123")
    assert held.is_held
    client.force_login(PEOPLE[who](mw))
    response = client.post(reverse("matching:message_release", args=[held.pk]))
    held.refresh_from_db()
    if who in {"cora", "sid"}:
        assert response.status_code == 302 and not held.is_held
    else:
        assert response.status_code == 404 and held.is_held


@pytest.mark.parametrize(
    ("who", "reaches"),
    [("ada", True), ("ben", True), ("cora", True), ("sid", True), ("olga", False), ("stan", False),
     ("dee", False)],
)  # fmt: skip
def test_the_links_that_open_a_conversation_follow_the_same_rule(client, mw, who, reaches):
    client.force_login(PEOPLE[who](mw))
    response = client.get(reverse("matching:match_messages", args=[mw.match.pk]))
    assert response.status_code == (302 if reaches else 404)
    # Ben's conversation with the coordinators: his, and theirs; not his mentor's.
    response = client.get(reverse("matching:enrollment_messages", args=[mw.ben.pk]))
    assert response.status_code == (302 if reaches and who != "ada" else 404)
    if reaches and who != "ada":
        assert response.url.startswith("/conversations/")


def test_nobody_signed_in_is_sent_to_log_in(client, mw):
    conversation = conversation_of(mw, "pair")
    message = services.message_send(conversation=conversation, by=mw.ben.user, body="Hi")
    for url in [
        reverse("matching:conversation", args=[conversation.pk]),
        reverse("matching:conversation_new", args=[conversation.pk]),
        reverse("matching:match_messages", args=[mw.match.pk]),
        reverse("matching:enrollment_messages", args=[mw.ben.pk]),
        reverse("matching:message_report", args=[message.pk]),
        reverse("matching:inbox", args=[mw.program.slug]),
    ]:
        assert client.get(url).url.startswith("/accounts/login/")
    with pytest.raises(Http404):
        get_conversation_for(type("Anonymous", (), {"is_authenticated": False})(), conversation.pk)


def test_a_sender_cannot_report_their_own_message(client, mw):
    message = services.message_send(conversation=conversation_of(mw, "pair"), by=mw.ben.user, body="Hi")
    client.force_login(mw.ben.user)
    assert client.get(reverse("matching:message_report", args=[message.pk])).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("cora", 200), ("sid", 200), ("olga", 404), ("ada", 404)])
def test_the_inbox_is_for_the_programs_coordinators_and_staff(client, mw, who, status):
    client.force_login(PEOPLE[who](mw))
    assert client.get(reverse("matching:inbox", args=[mw.program.slug])).status_code == status


def test_a_coordinator_reading_a_minors_conversation_leaves_an_audit_row_the_pair_does_not(client, mw):
    conversation = conversation_of(mw, "pair")
    url = reverse("matching:conversation", args=[conversation.pk])
    client.force_login(mw.ada.user)
    client.get(url)
    assert not AuditEntry.objects.filter(action="conversation.viewed").exists()
    client.force_login(mw.cora)
    client.get(url)
    entry = AuditEntry.objects.get(action="conversation.viewed")
    assert entry.actor == mw.cora and entry.target_id == conversation.pk
