"""Local partners: coordinators keep the records, people are tagged with the partner that brought
them (application, invitation, import, the applicant page), and the applicant list filters by it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship.models import AuditEntry
from programs import invitations, partners
from programs.models import Enrollment, HeardAbout, Invitation, Partner, Role
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
MANAGERS = {"coordinator", "staff"}


def make_partner(program, name="Riverside High School", **fields):
    fields = {"kind": "school", "contact_name": "Ada Head", "contact_email": "ada@riverside.test", **fields}
    return partners.partner_create(program=program, by=program.coordinators.first(), name=name, **fields)


def partner_data(**overrides):
    data = {
        "partner-name": "Harbour Bakery",
        "partner-kind": "business",
        "partner-contact_name": "Bo Baker",
        "partner-contact_email": "bo@harbour.test",
        "partner-contact_phone": "0700 111222",
        "partner-notes": "Met at the fair.",
    }
    return {**data, **overrides}


# --- The records, and who may keep them ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinators_and_staff_see_and_keep_partners(client, world, role, login_as):
    partner = make_partner(world.program)
    login_as(world, role)
    urls = [
        reverse("programs:partners", args=[world.program.slug]),
        reverse("programs:partner", args=[world.program.slug, partner.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in MANAGERS else 404)
    response = client.post(urls[0], partner_data())
    assert Partner.objects.filter(name="Harbour Bakery").exists() == (role in MANAGERS)
    response = client.post(reverse("programs:partner_archive", args=[world.program.slug, partner.pk]))
    partner.refresh_from_db()
    assert (partner.archived_at is not None) == (role in MANAGERS)


def test_a_coordinator_adds_edits_archives_and_restores_a_partner_on_the_audit_trail(client, world):
    client.force_login(world.people.coordinator)
    slug = world.program.slug
    response = client.post(reverse("programs:partners", args=[slug]), partner_data())
    partner = Partner.objects.get(name="Harbour Bakery")
    assert response.status_code == 302 and response.url == reverse(
        "programs:partner", args=[slug, partner.pk]
    )
    assert partner.contact_email == "bo@harbour.test" and partner.kind == "business"

    response = client.post(
        reverse("programs:partner", args=[slug, partner.pk]),
        partner_data(**{"partner-name": "Harbour Bakes"}),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Harbour Bakes"

    client.post(reverse("programs:partner_archive", args=[slug, partner.pk]))
    partner.refresh_from_db()
    assert partner.archived_at is not None
    page = client.get(reverse("programs:partners", args=[slug])).text
    assert "Archived" in page and "Harbour Bakes" in page
    client.post(reverse("programs:partner_restore", args=[slug, partner.pk]))
    partner.refresh_from_db()
    assert partner.archived_at is None
    actions = set(AuditEntry.objects.filter(target_id=partner.pk).values_list("action", flat=True))
    assert {"partner.created", "partner.updated", "partner.archived", "partner.restored"} <= actions


def test_a_partner_form_with_mistakes_shows_again_with_400(client, world):
    make_partner(world.program, name="Harbour Bakery")
    client.force_login(world.people.coordinator)
    url = reverse("programs:partners", args=[world.program.slug])
    response = client.post(url, partner_data(**{"partner-name": "harbour bakery"}))
    assert response.status_code == 400
    assert "already has a partner with that name" in response.text
    response = client.post(url, partner_data(**{"partner-kind": "spaceship", "partner-contact_email": "x"}))
    assert response.status_code == 400
    assert Partner.objects.filter(program=world.program).count() == 1


def test_a_partners_page_counts_the_people_it_brought_by_role_and_status(client, world):
    partner = make_partner(world.program)
    for n in range(3):
        user = scenarios.person(email=f"brought{n}@example.org")
        scenarios.enroll(program=world.program, user=user, role=Role.MENTEE, partner=partner)
    mentor = scenarios.person(email="brought-mentor@example.org", profile={"date_of_birth": "1980-01-01"})
    scenarios.enroll(program=world.program, user=mentor, role=Role.MENTOR, partner=partner, status="approved")
    table, total = partners.partner_people_counts(partner)
    assert total == 4
    assert table == {"Mentee": [("Applied", 3)], "Mentor": [("Approved", 1)]}
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:partner", args=[world.program.slug, partner.pk])).text
    assert "4 people" in page


# --- Tagging --------------------------------------------------------------------------------------------


def apply_data(heard_about, partner=None):
    data = {
        "motivation": "I want to learn.",
        "heard_about": heard_about,
        "heard_about_detail": "",
        "date_of_birth": "2000-01-01",
    }
    if partner is not None:
        data["partner"] = str(partner.pk)
    return data


def test_the_application_offers_the_programs_current_partners_and_tags_the_enrollment(client, world):
    partner = make_partner(world.program)
    archived = make_partner(world.program, name="Closed Youth Club")
    partners.partner_archive(partner=archived, by=world.people.coordinator)
    other = make_partner(world.other_program, name="Elsewhere College")
    client.force_login(world.people.outsider)
    url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    page = client.get(url).text
    assert "Which partner organisation?" in page and "Riverside High School" in page
    assert "Closed Youth Club" not in page and "Elsewhere College" not in page
    # Another program's partner is refused (the form again, nothing saved).
    response = client.post(url, apply_data(HeardAbout.PARTNER, other))
    assert "Select a valid choice" in response.text
    assert not Enrollment.objects.filter(user=world.people.outsider).exists()
    response = client.post(url, apply_data(HeardAbout.PARTNER, partner))
    assert response.status_code == 302
    assert Enrollment.objects.get(user=world.people.outsider).partner == partner


def test_a_partner_picked_with_another_answer_is_not_recorded(client, world):
    partner = make_partner(world.program)
    client.force_login(world.people.outsider)
    url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    assert client.post(url, apply_data(HeardAbout.FRIEND, partner)).status_code == 302
    assert Enrollment.objects.get(user=world.people.outsider).partner is None


def test_a_program_without_partners_asks_no_partner(client, world):
    client.force_login(world.people.outsider)
    page = client.get(reverse("programs:apply", args=[world.program.slug, "mentee"])).text
    assert "Which partner organisation?" not in page


def test_an_invitation_tagged_with_a_partner_tags_the_enrollment_when_accepted(client, world):
    partner = make_partner(world.program)
    client.force_login(world.people.coordinator)
    response = client.post(
        reverse("programs:invite", args=[world.program.slug]),
        {"email": world.people.outsider.email, "role": "mentee", "note": "", "partner": str(partner.pk)},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email=world.people.outsider.email)
    assert invitation.partner == partner
    # A resend keeps the tag.
    invitations.invitation_resend(invitation=invitation, by=world.people.coordinator)
    invitation.refresh_from_db()
    assert invitation.partner == partner

    client.force_login(world.people.outsider)
    client.post(reverse("programs:invitation", args=[invitation.token]))
    response = client.post(
        reverse("programs:apply", args=[world.program.slug, "mentee"]), apply_data(HeardAbout.INVITATION)
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(user=world.people.outsider).partner == partner


CSV = """email,name,role,partner
new.one@example.org,New One,mentee,riverside high school
new.two@example.org,New Two,mentee,Nowhere Academy
new.three@example.org,New Three,mentee,
{existing},Someone,mentee,Riverside High School
"""


def test_an_import_tags_rows_by_partner_name_and_reports_an_unknown_name_on_its_row(client, world):
    partner = make_partner(world.program)
    client.force_login(world.people.coordinator)
    url = reverse("programs:import", args=[world.program.slug])
    text = CSV.format(existing=world.people.outsider.email)
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "Unknown partner “Nowhere Academy”" in preview.text
    assert "Brought by Riverside High School" in preview.text
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', preview.text).group(1)
    response = client.post(url, {"digest": digest})
    assert response.status_code == 302
    enrollments = {e.user.email: e for e in Enrollment.objects.filter(program=world.program)}
    assert enrollments["new.one@example.org"].partner == partner
    assert enrollments["new.three@example.org"].partner is None
    assert "new.two@example.org" not in enrollments  # the row with the problem, and only it, waits
    # The existing account gets an invitation, tagged.
    assert Invitation.objects.get(email=world.people.outsider.email).partner == partner


def test_a_coordinator_changes_an_applicants_partner_and_filters_the_list_by_partner(client, world):
    partner = make_partner(world.program)
    other = make_partner(world.program, name="Harbour Bakery")
    client.force_login(world.people.coordinator)
    slug, enrollment = world.program.slug, world.mentee_enrollment
    page = client.get(reverse("programs:applicant", args=[slug, enrollment.pk])).text
    assert 'name="partner"' in page and "Riverside High School" in page
    response = client.post(
        reverse("programs:applicant_partner", args=[slug, enrollment.pk]), {"partner": partner.pk}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.partner == partner
    assert AuditEntry.objects.filter(action="enrollment.partner", target_id=enrollment.pk).exists()

    listed = client.get(reverse("programs:applicants", args=[slug]), {"partner": partner.pk}).text
    assert world.people.mentee.display_name in listed and world.people.mentor.display_name not in listed
    listed = client.get(reverse("programs:applicants", args=[slug]), {"partner": other.pk}).text
    assert world.people.mentee.display_name not in listed

    # Another program's partner is refused; "No partner" clears the tag.
    elsewhere = make_partner(world.other_program, name="Elsewhere College")
    client.post(reverse("programs:applicant_partner", args=[slug, enrollment.pk]), {"partner": elsewhere.pk})
    enrollment.refresh_from_db()
    assert enrollment.partner == partner
    client.post(reverse("programs:applicant_partner", args=[slug, enrollment.pk]), {"partner": ""})
    enrollment.refresh_from_db()
    assert enrollment.partner is None


def test_the_other_programs_coordinator_cannot_tag_this_programs_applicants(client, world):
    partner = make_partner(world.program)
    client.force_login(world.people.other_coordinator)
    url = reverse("programs:applicant_partner", args=[world.program.slug, world.mentee_enrollment.pk])
    assert client.post(url, {"partner": partner.pk}).status_code == 404
    world.mentee_enrollment.refresh_from_db()
    assert world.mentee_enrollment.partner is None


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_partner_pages_take_the_same_queries_however_many_partners_and_people(client, world):
    first = make_partner(world.program)
    partners.viewer_grant(partner=first, email="ada@riverside.test", by=world.people.coordinator)
    client.force_login(world.people.coordinator)
    list_url = reverse("programs:partners", args=[world.program.slug])
    page_url = reverse("programs:partner", args=[world.program.slug, first.pk])
    few = (_queries(client, list_url), _queries(client, page_url))
    for n in range(4):
        make_partner(world.program, name=f"Partner {n}")
        user = scenarios.person(email=f"more{n}@example.org")
        scenarios.enroll(program=world.program, user=user, role=Role.MENTEE, partner=first)
        partners.viewer_grant(partner=first, email=f"contact{n}@riverside.test", by=world.people.coordinator)
    assert (_queries(client, list_url), _queries(client, page_url)) == few
