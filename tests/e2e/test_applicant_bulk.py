"""The applicant list in a browser: a coordinator ticks people, the move asks first and says how
many people it affects, cancelling changes nothing, and confirming moves them; the page reads well
at 375 px and 1280 px."""

import pytest
from playwright.sync_api import expect

from programs.models import Enrollment, EnrollmentStatus, Role
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_bulk_move_asks_first_with_the_number_of_people_then_moves_them(page, live_server, log_in, look):
    world = scenarios.role_world()
    for name in ("Noor Haddad", "Owen Price"):
        user = scenarios.person(email=f"{name.split()[0].lower()}@bulk.test", display_name=name)
        scenarios.enroll(program=world.program, user=user, role=Role.MENTEE)
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/")
    look(page, "applicant-list")
    expect(page.get_by_role("columnheader", name="Blocks matching")).to_be_visible()

    page.get_by_label("Tick Noor Haddad").check()
    page.get_by_label("Tick Owen Price").check()
    expect(page.get_by_text("2 people ticked.")).to_be_visible()

    said = []

    def dismiss(dialog):
        said.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Move to screening").click()
    page.wait_for_timeout(300)
    assert said and "Move to screening: 2 people?" in said[0], said
    assert not Enrollment.objects.filter(status=EnrollmentStatus.IN_SCREENING).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Move to screening").click()
    expect(page.get_by_text("Move to screening: done for 2 people")).to_be_visible()
    moved = Enrollment.objects.filter(status=EnrollmentStatus.IN_SCREENING)
    assert sorted(e.user.display_name for e in moved) == ["Noor Haddad", "Owen Price"]


def test_a_private_note_is_added_on_the_applicant_page_and_labels_find_their_fields(
    page, live_server, log_in, look
):
    world = scenarios.role_world()
    log_in(world.people.coordinator.email)
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/{world.mentor_enrollment.pk}/")
    # Each "note" label leads to its own field.
    expect(page.get_by_label("Note to the applicant (optional)")).to_have_attribute("name", "decision-note")
    expect(page.get_by_label("Note on this item")).to_have_attribute("name", "screening-note")
    page.get_by_role("textbox", name="Private note").fill("Prefers to be called in the evening.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Note saved. Only coordinators see it.")).to_be_visible()
    expect(page.get_by_text("Prefers to be called in the evening.")).to_be_visible()
    look(page, "applicant-detail")
