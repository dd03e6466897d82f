"""The applicant page: coordinators' private notes (never shown or emailed to the applicant; in the
person's data download and erased with them), the status note said plainly to be emailed, and
every label pointing at its own field (the decision's and the screening's "note" differ)."""

import re
from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse

from evaluation import erasure, personal_data
from mentorship.models import OutboundEmail
from programs.models import ApplicantNote, Role
from tests import scenarios

pytestmark = pytest.mark.django_db
SECRET = "Reference from the football club is lukewarm: call them back."


@pytest.fixture
def applicant(db):
    lead = scenarios.coordinator(email="lead@notes.test", display_name="Lee Lead")
    program = scenarios.program(coordinator=lead, name="Quayside Mentoring")
    user = scenarios.person(email="max@notes.test", display_name="Max Quill")
    enrollment = scenarios.enroll(
        program=program, user=user, role=Role.MENTOR, status="in_screening", by=lead
    )
    return lead, program, enrollment


def note_url(program, enrollment):
    return reverse("programs:applicant_note", args=[program.slug, enrollment.pk])


def once_token(client, program, enrollment):
    page = client.get(reverse("programs:applicant", args=[program.slug, enrollment.pk])).text
    return re.search(r'name="private-once" value="([^"]+)"', page).group(1)


def test_a_coordinators_private_note_is_kept_once_and_never_reaches_the_applicant(client, applicant):
    lead, program, enrollment = applicant
    client.force_login(lead)
    emails = OutboundEmail.objects.count()
    data = {"private-text": SECRET, "private-once": once_token(client, program, enrollment)}
    assert client.post(note_url(program, enrollment), data).status_code == 302
    assert client.post(note_url(program, enrollment), data).status_code == 302  # a double click
    assert ApplicantNote.objects.filter(enrollment=enrollment, author=lead, text=SECRET).count() == 1
    page = client.get(reverse("programs:applicant", args=[program.slug, enrollment.pk])).text
    assert SECRET in page and "Lee Lead" in page
    assert OutboundEmail.objects.count() == emails  # nothing emailed
    client.force_login(enrollment.user)
    own = client.get(reverse("programs:enrollment", args=[enrollment.pk])).text
    assert SECRET not in own and "Private notes" not in own


def test_an_empty_note_is_shown_again_with_the_error(client, applicant):
    lead, program, enrollment = applicant
    client.force_login(lead)
    data = {"private-text": "   ", "private-once": once_token(client, program, enrollment)}
    response = client.post(note_url(program, enrollment), data)
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not ApplicantNote.objects.exists()


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_coordinator"])
def test_only_the_programs_coordinators_add_notes(client, world, login_as, role):
    login_as(world, role)
    response = client.post(note_url(world.program, world.mentor_enrollment), {"private-text": "Mine now"})
    assert response.status_code == 404
    assert not ApplicantNote.objects.exists()


def test_notes_are_in_the_persons_data_download_and_are_emptied_by_their_erasure(applicant):
    lead, program, enrollment = applicant
    ApplicantNote.objects.create(enrollment=enrollment, author=lead, text=SECRET)
    data = personal_data.person_data(enrollment.user)
    (row,) = data["data"]["programs"]["applicantnote"]
    assert row["text"] == SECRET and row["author"] == personal_data.SOMEONE_ELSE
    # The coordinator's own download does not carry notes they wrote about someone else.
    assert not personal_data.person_data(lead)["data"]["programs"]["applicantnote"]
    with transaction.atomic():
        erasure.erase_person(enrollment.user)
    assert ApplicantNote.objects.get().text == ""


def applicant_page(client, applicant):
    lead, program, enrollment = applicant
    client.force_login(lead)
    return client.get(reverse("programs:applicant", args=[program.slug, enrollment.pk])).text


def test_the_status_note_says_plainly_that_it_is_emailed(client, applicant):
    page = applicant_page(client, applicant)
    label = re.search(r'<label for="id_decision-note">(.*?)</label>', page).group(1)
    assert "Note to the applicant" in label
    assert "it is included in the email about the decision" in page


def test_each_label_on_the_applicant_page_points_at_its_own_field(client, applicant):
    page = applicant_page(client, applicant)
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [value for value, count in ids.items() if count > 1] == []
    labels = dict(re.findall(r'<label for="([^"]+)">(.*?)</label>', page))
    fields = dict(re.findall(r'<(?:input|select|textarea)[^>]*?name="([^"]+)"[^>]*?id="([^"]+)"', page))
    by_id = {field_id: name for name, field_id in fields.items()}
    assert (
        by_id[next(i for i, text in labels.items() if text.startswith("Note to the applicant"))]
        == "decision-note"
    )
    assert (
        by_id[next(i for i, text in labels.items() if text.startswith("Note on this item"))]
        == "screening-note"
    )
    assert by_id[next(i for i, text in labels.items() if text.startswith("Private note"))] == "private-text"
