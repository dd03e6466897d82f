"""Contact details held back: the one rule that finds them (matching.messaging.contact), and in a
program that holds them, a pair's message with one reaches the partner with it blanked, on the page
and in the polling answer, until a coordinator releases it (audited). The sender is told why."""

import pytest
from django.urls import reverse

from matching.messaging import services
from matching.messaging.contact import HELD_TEXT, contact_details, redact
from matching.messaging.display import HELD_FOR_SENDER
from mentorship.models import AuditEntry
from programs.presets import preset_initial
from programs.setup_forms import ProgramForm
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Call me on 07700 900123 tonight", "phone"),
        ("My number: +44 (0)20 7946-0958", "phone"),
        ("ring 555-1234567", "phone"),
        ("write to kit.b+x@example.co.uk", "email"),
        ("follow @kit_99 on there", "handle"),
        ("see https://www.instagram.com/kit_99/", "social"),
        ("it's x.com/kit99", "social"),
        ("whatsapp: wa.me/447700900123", "social"),
        ("discord.gg/abcdef", "social"),
        ("my snap is kit_99", "phrase"),
        ("add me on snapchat: kitty", "phrase"),
        ("My insta is kit.b", "phrase"),
    ],
)
def test_contact_details_are_found(text, kind):
    spans = contact_details(text)
    assert spans and spans[0].kind == kind
    assert HELD_TEXT in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Does Thursday at 4 still work? Library again?",
        "We meet on 2031-05-14 at 10:30, or 14/05/2031.",
        "I scored 100 and 250 in the tests",
        "I like instagram a lot",
        "See https://www.example.org/careers/first-cv and netflix.com/watch",
        "",
    ],
)
def test_ordinary_text_is_not_held(text):
    assert contact_details(text) == []
    assert redact(text) == text


def test_redact_keeps_the_rest_of_the_message():
    assert redact(f"Hi Ben, text me on {PHONE} or at me@example.org!") == (
        f"Hi Ben, text me on {HELD_TEXT} or at {HELD_TEXT}!"
    )


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


def pair(mw):
    return services.conversation_for_match(match=mw.match)


def page(client, user, conversation, *, poll=False):
    client.force_login(user)
    name = "matching:conversation_new" if poll else "matching:conversation"
    return client.get(reverse(name, args=[conversation.pk]) + ("?after=0" if poll else "")).text


def test_in_a_youth_program_a_phone_number_is_held_from_the_partner_until_a_coordinator_releases_it(
    client, mw
):
    conversation = pair(mw)
    assert mw.program.holds_contact_details and mw.program.may_have_minors
    client.force_login(mw.ada.user)
    response = client.post(
        reverse("matching:conversation", args=[conversation.pk]), once(body=f"See you Thursday! {PHONE}")
    )
    message = conversation.messages.get()
    assert message.held and message.is_held
    # The sender is told why, on the next page and beside the message.
    assert HELD_FOR_SENDER in client.get(response.url).text
    assert PHONE in page(client, mw.ada.user, conversation)

    # The partner: the rest of the message, the number blanked, on the page and when polling.
    for poll in (False, True):
        text = page(client, mw.ben.user, conversation, poll=poll)
        assert "See you Thursday!" in text and HELD_TEXT in text
        assert "900123" not in text

    # The coordinator: all of it, and a button to release it.
    text = page(client, mw.cora, conversation)
    assert PHONE in text and "Release contact details" in text
    client.post(reverse("matching:message_release", args=[message.pk]))
    message.refresh_from_db()
    assert message.released_by == mw.cora and not message.is_held
    entry = AuditEntry.objects.get(action="message.released")
    assert entry.actor == mw.cora and entry.target_id == message.pk

    for poll in (False, True):
        text = page(client, mw.ben.user, conversation, poll=poll)
        assert PHONE in text and HELD_TEXT not in text
    assert "Release contact details" not in page(client, mw.cora, conversation)


def test_releasing_twice_is_refused_with_a_message(client, mw):
    message = services.message_send(conversation=pair(mw), by=mw.ben.user, body=f"my snap is ben_99 {PHONE}")
    services.message_release(message=message, by=mw.cora)
    client.force_login(mw.cora)
    response = client.post(reverse("matching:message_release", args=[message.pk]), follow=True)
    assert "already released" in response.text
    assert AuditEntry.objects.filter(action="message.released").count() == 1


def test_coordinators_messages_and_messages_to_the_coordinators_are_never_held(mw):
    body = f"Call the office on {PHONE}"
    assert not services.message_send(conversation=pair(mw), by=mw.cora, body=body).held
    with_coordinators = services.conversation_for_enrollment(enrollment=mw.ben)
    assert not services.message_send(conversation=with_coordinators, by=mw.ben.user, body=body).held
    assert not services.message_send(conversation=with_coordinators, by=mw.cora, body=body).held


def test_a_program_that_does_not_hold_contact_details_lets_them_through(client, mw):
    mw.program.holds_contact_details = False
    mw.program.save()
    message = services.message_send(conversation=pair(mw), by=mw.ada.user, body=f"Text me: {PHONE}")
    assert not message.held
    assert PHONE in page(client, mw.ben.user, pair(mw))


def test_the_program_settings_say_whether_contact_details_are_held_and_adult_programs_start_without():
    assert "holds_contact_details" in ProgramForm().fields
    assert preset_initial("professional")["holds_contact_details"] is False
    assert preset_initial("youth").get("holds_contact_details", True) is True


def test_the_coordinators_settings_page_changes_it(client, mw):
    client.force_login(mw.cora)
    url = reverse("programs:settings", args=[mw.program.slug])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "holds_contact_details"
    }
    data.update({f"weight_{k}": v for k, v in mw.program.criteria_weights.items()})
    assert "hold back contact details in messages" in client.get(url).text.lower()
    client.post(url, data)
    mw.program.refresh_from_db()
    assert mw.program.holds_contact_details is False
