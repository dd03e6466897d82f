"""Staff find a person who asked to be erased, download their data, read the erasure preview,
confirm, and the person is erased (with their email, name and date of birth nowhere on the page)."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from evaluation import retention
from mentorship.models import AuditEntry, User
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(scenarios.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_staff_find_a_person_download_their_data_and_erase_them(page, live_server, look, settings, tmp_path):
    settings.SITE_URL = live_server.url
    history = scenarios.person_with_history()
    marigold = history.user
    scenarios.person(email="sid@example.org", display_name="Sid Staff", is_staff=True)

    log_in(page, live_server, "sid@example.org")
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    page.get_by_label("Email or name").fill("quenby")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 person found.")).to_be_visible()
    look(page, "people-search")

    page.get_by_role("link", name="Marigold Quenby").click()
    expect(page.get_by_role("heading", name="Marigold Quenby")).to_be_visible()
    expect(page.get_by_role("cell", name="Morgan", exact=True)).to_be_visible()
    look(page, "person-page")

    # The copy she asked for first.
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download all their data (zip)").click()
    path = tmp_path / "data.zip"
    caught.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["data"]["mentorship"]["user"][0]["email"] == "marigold.quenby@example.org"
    assert AuditEntry.objects.filter(action="person.data_exported", target_id=marigold.pk).exists()

    page.get_by_role("link", name="Erase this person…").click()
    expect(page.get_by_role("heading", name="What would be erased")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Profile display name"))).to_be_visible()
    expect(page.get_by_text("Screening records: 1")).to_be_visible()
    look(page, "erase-preview")

    # The wrong address is refused; the right one (and the browser's confirmation) erases her.
    page.get_by_label("Type the person's email address to confirm").fill("someone@else.test")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_text("That is not this person's email address.")).to_be_visible()
    page.get_by_label("Type the person's email address to confirm").fill("marigold.quenby@example.org")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Erase this person").click()

    expect(page.get_by_text(f"Person #{marigold.pk} is erased")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Person #{marigold.pk} (erased)")).to_be_visible()
    content = page.content()
    for gone in ("Marigold", "Quenby", "marigold.quenby@example.org", "1990"):
        assert gone not in content, gone
    expect(page.get_by_role("link", name="Erase this person…")).to_have_count(0)
    look(page, "person-erased")
    assert retention.is_anonymised(User.objects.get(pk=marigold.pk))


def test_an_active_participant_cannot_be_erased_and_the_page_says_why(page, live_server, look):
    program = scenarios.program(coordinator=scenarios.coordinator(email="rosa@example.org"))
    tia = scenarios.enroll(
        program=program, user=scenarios.person(email="tia@example.org"), role="mentee"
    ).user
    scenarios.person(email="sid@example.org", display_name="Sid Staff", is_staff=True)
    log_in(page, live_server, "sid@example.org")
    page.goto(f"{live_server.url}/staff/people/{tia.pk}/erase/")
    expect(page.get_by_role("alert")).to_contain_text("still takes part")
    expect(page.get_by_role("button", name="Erase this person")).to_have_count(0)
    look(page, "erase-refused")
