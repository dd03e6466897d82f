"""A public visitor comes to a public event: they find it on the program's public events page,
sign up from the event's page, join the wait-list (the event is full), and are promoted, and told by
email, when the person going cancels. On a phone."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import OutboundEmail
from programs import events
from programs.models import Rsvp
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-and-unusual-passphrase"


def test_a_visitor_signs_up_is_wait_listed_then_promoted(page, live_server, mailoutbox, axe_check):
    world = scenarios.matching_world()
    event = events.event_create(by=world.coordinator, programs=[world.program], title="Open evening",
                                description="Come and meet us.", place="Town hall", capacity=1,
                                is_public=True, starts_at=timezone.now() + dt.timedelta(days=4))  # fmt: skip
    events.event_publish(event=event, by=world.coordinator)
    ben = world.mentees["ben"].user
    events.rsvp(event=event, user=ben)  # the one place is taken

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/programs/{world.program.slug}/")
    page.get_by_role("link", name="Events open to the public").click()
    page.get_by_role("link", name="Open evening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open evening")
    expect(page.get_by_text("Full: a wait-list is kept")).to_be_visible()
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name:", exact=True).fill("Vic Visitor")
    page.get_by_label("Email:", exact=True).fill("vic@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("button", name="Join the wait-list").click()
    expect(page.get_by_text("You're on the wait-list: number 1").first).to_be_visible()
    visitor = Rsvp.objects.get(event=event, user__email="vic@example.org")
    assert visitor.status == "waitlisted"

    events.rsvp_cancel(event=event, user=ben)  # the place comes free
    page.reload()
    expect(page.get_by_text("You're going")).to_be_visible()
    axe_check(page)
    email = OutboundEmail.objects.get(kind="event_promoted")
    assert email.to == "vic@example.org" and "Open evening" in email.subject
