"""A person logs in on a phone, fills in part of their profile and saves it."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.models import Profile, Tag
from tests.scenarios import DEMO_PASSWORD, person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_person_edits_their_profile_on_a_phone(page, live_server, axe_check):
    user = person(email="phone@example.org", display_name="Pat")
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill("phone@example.org")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto(live_server.url + "/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    # The availability table scrolls inside its own box, if at all; the page never does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)

    page.get_by_label("Pronouns:").fill("they/them")
    page.get_by_label("Monday morning").check()
    page.get_by_label("Wednesday evening").check()
    page.get_by_label("Interests:").fill("Birdwatching")
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_label("Wednesday evening")).to_be_checked()
    expect(page.get_by_label("Interests:")).to_have_value("Birdwatching")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)

    profile = Profile.objects.get(user=user)
    assert profile.available_slots() == [0, 8]
    assert profile.pronouns == "they/them"
    assert profile.meeting_mode == "online"
    assert list(profile.interests.values_list("name", flat=True)) == ["Birdwatching"]
    assert Tag.objects.filter(name="Birdwatching").count() == 1


def test_a_refused_save_puts_the_problems_first_and_keeps_what_was_typed(page, live_server, axe_check):
    person(email="typo@example.org", display_name="Sam")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill("typo@example.org")
    page.get_by_label("Password:", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto(live_server.url + "/profile/")
    # Nobody but staff is asked for coordinates (item 13): the area comes from an application.
    expect(page.get_by_label(re.compile("latitude|longitude", re.I))).to_have_count(0)
    page.get_by_label("Text message").check()
    page.get_by_label("Goals:").fill("Find a first job")
    page.get_by_role("button", name="Save profile").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Your profile is not saved yet")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Phone number:")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Text message")).to_be_checked()
    expect(page.get_by_label("Goals:")).to_have_value("Find a first job")
    axe_check(page)
