"""The message pages in a browser, at 375 px and 1280 px (``look``): a mentee reads his thread, with
his mentor's phone number held back, and her next message appears without a reload; the
coordinator reads the inbox and the thread, with the number and the button to release it."""

import pytest
from playwright.sync_api import expect

from matching.messaging import services
from matching.messaging.contact import HELD_TEXT
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_thread_updates_itself_and_holds_contact_details_on_a_phone_and_a_laptop(
    page, live_server, log_in, log_out, look
):
    mw = scenarios.messages_world(domain="e2e-messages.test")
    conversation = services.conversation_for_match(match=mw.match)
    services.message_send(
        conversation=conversation, by=mw.ada.user, body="Hi Ben! See https://example.org/club"
    )
    services.message_send(conversation=conversation, by=mw.ben.user, body="Hi Ada, Thursday works for me.")
    services.message_send(conversation=conversation, by=mw.ada.user, body="Great. Text me on 07700 900123.")

    log_in(mw.ben.user.email)
    page.goto(live_server.url + f"/matches/{mw.match.pk}/")
    page.get_by_role("link", name="Messages with your mentor").click()
    thread = page.locator("#thread")
    expect(thread.get_by_text(HELD_TEXT)).to_be_visible()
    expect(page.get_by_text("Your program's coordinators can read every message")).to_be_visible()
    look(page, "conversation-mentee")

    services.message_send(conversation=conversation, by=mw.ada.user, body="Did the number come through?")
    expect(thread.get_by_text("Did the number come through?")).to_be_visible(timeout=10_000)

    page.get_by_label("Your message").fill("It says it is held for the coordinator.")
    page.get_by_role("button", name="Send").click()
    expect(thread.locator(".msg-mine").last).to_contain_text("It says it is held")
    thread.locator(".msg", has_text="Did the number").get_by_role("link", name="Report this message").click()
    expect(page.get_by_label("What worries you about this message?")).to_be_visible()
    look(page, "conversation-report")
    log_out()

    log_in(mw.cora.email)
    page.goto(live_server.url + f"/programs/{mw.program.slug}/messages/")
    look(page, "conversation-inbox")
    page.get_by_role("link", name="Ada Mentor and Ben Mentee").click()
    expect(page.locator("#thread").get_by_text("07700 900123")).to_be_visible()
    expect(page.get_by_role("button", name="Release contact details")).to_be_visible()
    look(page, "conversation-coordinator")
