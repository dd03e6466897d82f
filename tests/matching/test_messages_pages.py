"""The conversation page: who reads it is said above the message box; a pair writes only while the
match is active (the page says why not, the service refuses too); length and rate limits with a
clear message that keeps the text; text escaped and only http(s) links made; long threads paged by
message id; each page costs the same number of queries however long the thread."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import services as matching_services
from matching.inbox import THREAD_PAGE
from matching.messaging import services
from matching.models import Message
from matching.models.conversations import MESSAGE_MAX_LENGTH
from matching.templatetags.messaging import message_html
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

READERS_NOTICE = "Your program's coordinators can read every message in this conversation."


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


def pair(mw):
    return services.conversation_for_match(match=mw.match)


def url_of(conversation):
    return reverse("matching:conversation", args=[conversation.pk])


def test_the_page_says_plainly_that_coordinators_read_every_message_prominently_for_minors(client, mw):
    client.force_login(mw.ben.user)
    text = client.get(url_of(pair(mw))).text
    assert READERS_NOTICE in text and 'class="message message-warning" id="readers-notice"' in text
    adults = scenarios.messages_world(audience="adult", domain="adults.test")
    client.force_login(adults.ben.user)
    text = client.get(url_of(pair(adults))).text
    assert READERS_NOTICE.rstrip(".") in text and 'class="meta" id="readers-notice"' in text


# --- Read-only when the match is not active -----------------------------------------------------


def test_a_closed_match_leaves_the_conversation_to_read_and_nothing_to_send(client, mw):
    conversation = pair(mw)
    services.message_send(conversation=conversation, by=mw.ben.user, body="Thank you for everything")
    matching_services.match_close(match=mw.match, by=mw.cora, reason="completed", anticipated=True)
    client.force_login(mw.ada.user)
    text = client.get(url_of(conversation)).text
    assert "Thank you for everything" in text
    assert "This conversation has ended" in text and 'name="body"' not in text
    response = client.post(url_of(conversation), once(body="One more thing"))
    assert response.status_code == 400 and "This conversation has ended" in response.text
    conversation = services.conversation_for_match(match=mw.match.__class__.objects.get(pk=mw.match.pk))
    with pytest.raises(ValidationError, match="ended"):
        services.message_send(conversation=conversation, by=mw.cora, body="Even a coordinator")
    assert conversation.messages.count() == 1


def test_a_proposed_match_says_they_can_write_once_both_confirm(client, db):
    world = scenarios.messages_world(domain="proposed.test")
    mentor = scenarios.ready_mentor(program=world.program, email="eve@proposed.test", display_name="Eve")
    mentee = scenarios.ready_mentee(program=world.program, email="fay@proposed.test", display_name="Fay")
    match = matching_services.match_propose(
        program=world.program, mentee=mentee, mentor=mentor, by=world.cora, source="manual"
    )
    conversation = services.conversation_for_match(match=match)
    client.force_login(mentee.user)
    assert "once you have both confirmed" in client.get(url_of(conversation)).text
    with pytest.raises(ValidationError, match="both confirmed"):
        services.message_send(conversation=conversation, by=mentee.user, body="Hi!")


def test_a_paused_match_says_why_and_points_to_the_coordinators(client, mw):
    matching_services.match_pause(match=mw.match, by=mw.cora, reason="Contact paused by a safeguarding lead")
    conversation = services.conversation_for_match(match=mw.match)
    client.force_login(mw.ben.user)
    text = client.get(url_of(conversation)).text
    assert "The match is paused (contact paused by a safeguarding lead)" in text
    with pytest.raises(ValidationError, match="paused"):
        services.message_send(conversation=conversation, by=mw.ben.user, body="Hello?")
    # Their conversation with the coordinators stays open.
    with_coordinators = services.conversation_for_enrollment(enrollment=mw.ben)
    assert services.message_send(conversation=with_coordinators, by=mw.ben.user, body="Why?").pk


# --- Limits ---------------------------------------------------------------------------------------


def test_a_message_too_long_is_refused_with_a_clear_message_and_the_text_kept(client, mw):
    conversation = pair(mw)
    client.force_login(mw.ben.user)
    long = "word " * (MESSAGE_MAX_LENGTH // 5) + "end"
    response = client.post(url_of(conversation), once(body=long))
    assert response.status_code == 400
    assert f"A message can be {MESSAGE_MAX_LENGTH} characters at most" in response.text
    assert "word word" in response.text  # still in the box
    with pytest.raises(ValidationError, match=str(MESSAGE_MAX_LENGTH)):
        services.message_send(conversation=conversation, by=mw.ben.user, body=long)
    response = client.post(url_of(conversation), once(body="   "))
    assert response.status_code == 400 and "Write a message first." in response.text
    assert not conversation.messages.exists()


def test_too_many_messages_in_a_short_time_are_refused_until_a_few_minutes_pass(client, mw, settings):
    settings.MESSAGE_RATE_LIMIT, settings.MESSAGE_RATE_MINUTES = 3, 10
    conversation = pair(mw)
    start = dt.datetime(2031, 3, 4, 16, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(mw.ben.user)  # a session of that day
        for k in range(3):
            assert client.post(url_of(conversation), once(body=f"Message {k}")).status_code == 302
        response = client.post(url_of(conversation), once(body="The fourth, kept in the box"))
        assert response.status_code == 400
        assert "You have sent 3 messages in the last 10 minutes" in response.text
        assert "The fourth, kept in the box" in response.text
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        client.force_login(mw.ben.user)
        assert client.post(url_of(conversation), once(body="The fourth, later")).status_code == 302
    assert conversation.messages.count() == 4


def test_the_same_form_sent_twice_sends_one_message(client, mw):
    conversation = pair(mw)
    client.force_login(mw.ben.user)
    data = once(body="Only once please")
    client.post(url_of(conversation), data)
    client.post(url_of(conversation), data)
    assert conversation.messages.count() == 1


# --- Escaping and links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("data:text/html,<b>x</b>", "data:text/html,&lt;b&gt;x&lt;/b&gt;"),
        ("mailto:a@b.org", "mailto:a@b.org"),
        (
            "See https://example.org/a?b=1&c=2.",
            'See <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" '
            'target="_blank">https://example.org/a?b=1&amp;c=2</a>.',
        ),
        (
            'https://x.org/"onmouseover="alert(1)',
            '<a href="https://x.org/" rel="nofollow noopener noreferrer" target="_blank">https://x.org/</a>'
            "&quot;onmouseover=&quot;alert(1)",
        ),
        (
            "(https://en.wikipedia.org/wiki/Mentor_(disambiguation))",
            '(<a href="https://en.wikipedia.org/wiki/Mentor_(disambiguation)" '
            'rel="nofollow noopener noreferrer" target="_blank">'
            "https://en.wikipedia.org/wiki/Mentor_(disambiguation)</a>)",
        ),
        ("line one\nline <two>", "line one<br>line &lt;two&gt;"),
    ],
)
def test_message_text_is_escaped_and_only_http_links_are_made(text, html):
    assert message_html(text) == html


def test_a_message_with_markup_is_shown_as_text_on_the_page_and_in_the_polling_answer(client, mw):
    conversation = pair(mw)
    services.message_send(
        conversation=conversation, by=mw.ada.user, body='<img src=x onerror="alert(1)"> javascript:alert(2)'
    )
    client.force_login(mw.ben.user)
    for url in (url_of(conversation), reverse("matching:conversation_new", args=[conversation.pk])):
        text = client.get(url).text
        assert "<img src=x" not in text and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
        assert 'href="javascript' not in text


# --- Unread counts, polling and long threads ----------------------------------------------------------


def test_unread_counts_show_on_the_match_page_and_the_dashboard_and_reading_clears_them(client, mw):
    conversation = pair(mw)
    for k in range(3):
        services.message_send(conversation=conversation, by=mw.ada.user, body=f"News {k}")
    client.force_login(mw.ben.user)
    assert "3 new" in client.get(reverse("matching:match", args=[mw.match.pk])).text
    assert "3 new" in client.get(reverse("dashboard")).text
    client.get(url_of(conversation))  # read
    assert "new</span>" not in client.get(reverse("matching:match", args=[mw.match.pk])).text
    assert "new</span>" not in client.get(reverse("dashboard")).text
    # The sender has nothing unread: their own messages do not count.
    client.force_login(mw.ada.user)
    assert "new</span>" not in client.get(reverse("matching:match", args=[mw.match.pk])).text


def test_coordinators_messages_show_on_the_participants_dashboard(client, mw):
    conversation = services.conversation_for_enrollment(enrollment=mw.ben)
    services.message_send(conversation=conversation, by=mw.cora, body="How are things?")
    client.force_login(mw.ben.user)
    text = client.get(reverse("dashboard")).text
    assert "Messages with your coordinators in Riverside Mentoring" in text and "1 new" in text


def test_polling_answers_only_the_newer_messages_and_marks_them_read(client, mw):
    conversation = pair(mw)
    first = services.message_send(conversation=conversation, by=mw.ada.user, body="First")
    services.message_send(conversation=conversation, by=mw.ada.user, body="Second")
    client.force_login(mw.ben.user)
    poll = reverse("matching:conversation_new", args=[conversation.pk])
    text = client.get(f"{poll}?after={first.pk}").text
    assert "Second" in text and "First" not in text
    assert "new</span>" not in client.get(reverse("matching:match", args=[mw.match.pk])).text
    assert client.get(f"{poll}?after={first.pk + 1000}").json() == {"html": "", "last_id": first.pk + 1000}
    assert client.get(f"{poll}?after=nonsense").status_code == 200


def test_a_long_thread_shows_the_newest_and_links_to_older_ones(client, mw):
    conversation = scenarios.conversation_with_messages(mw.match, THREAD_PAGE + 5)
    client.force_login(mw.ben.user)
    text = client.get(url_of(conversation)).text
    assert f"Message {THREAD_PAGE + 5}:" in text and "Message 6:" in text and "Message 5:" not in text
    oldest_shown = Message.objects.filter(conversation=conversation).order_by("pk")[5].pk
    assert f'href="?before={oldest_shown}"' in text and "data-poll-url" in text
    older = client.get(f"{url_of(conversation)}?before={oldest_shown}").text
    assert "Message 5:" in older and "Message 1:" in older and "Message 6:" not in older
    assert "Older messages" not in older and "Newest messages" in older and "data-poll-url" not in older


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["ben", "cora"])
def test_the_thread_page_costs_the_same_queries_for_3_or_90_messages(client, mw, who):
    client.force_login(mw.ben.user if who == "ben" else mw.cora)
    conversation = scenarios.conversation_with_messages(mw.match, 3)
    url = url_of(conversation)
    queries_of(client, url)  # read: the next visit finds the read position where it is
    short = queries_of(client, url)
    scenarios.conversation_with_messages(mw.match, 87)
    Message.objects.filter(
        conversation=conversation, pk__gt=conversation.messages.order_by("pk")[40].pk
    ).update(held=True)  # held ones cost nothing more
    queries_of(client, url)
    assert queries_of(client, url) == short


def test_the_inbox_lists_every_conversation_newest_first_at_a_constant_number_of_queries(client, mw):
    client.force_login(mw.cora)
    inbox = reverse("matching:inbox", args=[mw.program.slug])
    scenarios.conversation_with_messages(mw.match, 2)
    services.message_send(
        conversation=services.conversation_for_enrollment(enrollment=mw.dee), by=mw.dee.user, body="Hi"
    )
    few = queries_of(client, inbox)
    for k in range(6):
        mentor = scenarios.ready_mentor(
            program=mw.program, email=f"m{k}@inbox.test", display_name=f"Mentor {k}"
        )
        mentee = scenarios.ready_mentee(
            program=mw.program, email=f"e{k}@inbox.test", display_name=f"Mentee {k}"
        )
        match = scenarios.active_match(program=mw.program, mentee=mentee, mentor=mentor, by=mw.cora)
        scenarios.conversation_with_messages(match, k + 1)
    assert queries_of(client, inbox) == few
    text = client.get(inbox).text
    assert text.index("Mentor 5 and Mentee 5") < text.index("Mentor 0 and Mentee 0")
    assert "Dee Mentee with the coordinators" in text and "1 unread" in text
    only_coordinators = client.get(inbox + "?kind=coordinators").text
    assert "Dee Mentee" in only_coordinators and "Mentor 5" not in only_coordinators
    client.get(url_of(services.conversation_for_enrollment(enrollment=mw.dee)))
    unread = client.get(inbox + "?unread=1").text
    assert "Dee Mentee with the coordinators" not in unread and "Mentor 5 and Mentee 5" in unread


def test_the_application_and_the_match_page_lead_to_the_conversation_with_the_coordinators(client, mw):
    client.force_login(mw.ben.user)
    link = reverse("matching:enrollment_messages", args=[mw.ben.pk])
    assert link in client.get(reverse("programs:enrollment", args=[mw.ben.pk])).text
    assert link in client.get(reverse("matching:match", args=[mw.match.pk])).text
    # The coordinator writes first, from the match page, to either of the pair.
    client.force_login(mw.cora)
    page = client.get(reverse("matching:match", args=[mw.match.pk])).text
    assert link in page and reverse("matching:enrollment_messages", args=[mw.ada.pk]) in page
