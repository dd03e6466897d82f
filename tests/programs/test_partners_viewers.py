"""A partner contact's read-only login: granted by an emailed single-use link, bound to the account
that follows it, revoked by a coordinator. Nothing tells anyone whether an email has an account."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import OutboundEmail
from programs import partners
from programs.models import PartnerViewer
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(world):
    return partners.partner_create(
        program=world.program,
        by=world.people.coordinator,
        name="Riverside High School",
        kind="school",
        contact_name="Ada Head",
        contact_email="ada@riverside.test",
    )


def grant_url(partner):
    return reverse("programs:partner_viewer_grant", args=[partner.program.slug, partner.pk])


def accept_url(viewer):
    return reverse("programs:partner_viewer_accept", args=[viewer.token])


def report_url(partner):
    return reverse("evaluation:partner_report", args=[partner.pk])


def test_the_grant_form_defaults_to_the_contacts_email_and_sends_a_single_use_link(client, world, partner):
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:partner", args=[world.program.slug, partner.pk])).text
    assert 'value="ada@riverside.test"' in page
    response = client.post(grant_url(partner), {"viewer-email": "ada@riverside.test"})
    assert response.status_code == 302
    viewer = PartnerViewer.objects.get(partner=partner)
    assert viewer.email == "ada@riverside.test" and viewer.user is None
    assert viewer.expires_at - viewer.invited_at == dt.timedelta(days=14)
    email = OutboundEmail.objects.get(to="ada@riverside.test", kind="partner_viewer")
    assert accept_url(viewer) in email.body and "never a name" in email.body


def test_a_grant_reads_the_same_whether_or_not_the_email_has_an_account(client, world, partner):
    client.force_login(world.people.coordinator)
    said, rows = [], []
    for email in [world.people.mentor.email, "nobody.here@example.org"]:
        response = client.post(grant_url(partner), {"viewer-email": email}, follow=True)
        said.append([str(m).replace(email, "EMAIL") for m in response.context["messages"]])
        row = re.search(rf"<li>{re.escape(email)}:(.*?)</li>", response.text, re.S).group(1)
        rows.append(re.sub(r'value="[^"]+"|/viewers/\d+/', "", row).replace(email, "EMAIL"))
    assert said[0] == said[1] and rows[0] == rows[1]


def test_a_resend_makes_a_new_link_and_the_old_one_stops_working(client, world, partner):
    viewer, _ = partners.viewer_grant(
        partner=partner, email="ada@riverside.test", by=world.people.coordinator
    )
    old = viewer.token
    client.force_login(world.people.coordinator)
    response = client.post(
        reverse("programs:partner_viewer_resend", args=[world.program.slug, partner.pk, viewer.pk])
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.token != old and PartnerViewer.objects.filter(partner=partner).count() == 1
    assert client.get(reverse("programs:partner_viewer_accept", args=[old])).status_code == 404


def test_the_contact_signs_up_through_the_link_and_the_link_works_once(client, world, partner):
    viewer, _ = partners.viewer_grant(
        partner=partner, email="ada@riverside.test", by=world.people.coordinator
    )
    page = client.get(accept_url(viewer)).text
    assert f"/accounts/login/?next={accept_url(viewer)}" in page.replace("%3A", ":").replace("%2F", "/")
    assert "/accounts/signup/" in page
    contact = scenarios.person(email="ada@riverside.test", display_name="Ada Head")
    client.force_login(contact)
    assert client.get(accept_url(viewer)).status_code == 200
    assert client.get(report_url(partner)).status_code == 404  # a GET of the link binds nothing
    response = client.post(accept_url(viewer))
    assert response.status_code == 302 and response.url == report_url(partner)
    viewer.refresh_from_db()
    assert viewer.user == contact and viewer.accepted_at is not None
    assert client.get(report_url(partner)).status_code == 200
    # The dashboard links to the partner's page.
    assert report_url(partner) in client.get(reverse("dashboard")).text
    # Used: someone else holding the link gets nothing.
    stranger = scenarios.person(email="stranger@example.org")
    client.force_login(stranger)
    response = client.post(accept_url(viewer))
    assert "already been used" in response.text
    viewer.refresh_from_db()
    assert viewer.user == contact
    assert client.get(report_url(partner)).status_code == 404


def test_an_expired_link_binds_nobody(client, world, partner):
    viewer, _ = partners.viewer_grant(
        partner=partner, email="ada@riverside.test", by=world.people.coordinator
    )
    PartnerViewer.objects.filter(pk=viewer.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    contact = scenarios.person(email="ada@riverside.test")
    client.force_login(contact)
    response = client.post(accept_url(viewer))
    assert response.status_code == 200 and "expired" in response.text
    viewer.refresh_from_db()
    assert viewer.user is None
    assert client.get(report_url(partner)).status_code == 404


def test_a_revoked_login_answers_404_and_its_link_no_longer_works(client, world, partner):
    viewer, _ = partners.viewer_grant(
        partner=partner, email="ada@riverside.test", by=world.people.coordinator
    )
    contact = scenarios.person(email="ada@riverside.test")
    partners.viewer_accept(token=viewer.token, user=contact)
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:partner", args=[world.program.slug, partner.pk])).text
    assert "button-danger" in page and "data-confirm" in page
    response = client.post(
        reverse("programs:partner_viewer_revoke", args=[world.program.slug, partner.pk, viewer.pk])
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.revoked_at is not None
    client.force_login(contact)
    assert client.get(report_url(partner)).status_code == 404
    assert report_url(partner) not in client.get(reverse("dashboard")).text
    # A pending link revoked stops working too.
    pending, _ = partners.viewer_grant(
        partner=partner, email="bo@riverside.test", by=world.people.coordinator
    )
    partners.viewer_revoke(viewer=pending, by=world.people.coordinator)
    response = client.post(accept_url(pending))
    assert "no longer works" in response.text
    assert client.get(report_url(partner)).status_code == 404


def test_only_the_programs_coordinators_and_staff_grant_and_revoke(client, world, partner):
    viewer, _ = partners.viewer_grant(
        partner=partner, email="ada@riverside.test", by=world.people.coordinator
    )
    for user in [world.people.other_coordinator, world.people.mentee]:
        client.force_login(user)
        assert client.post(grant_url(partner), {"viewer-email": "x@example.org"}).status_code == 404
        url = reverse("programs:partner_viewer_revoke", args=[world.program.slug, partner.pk, viewer.pk])
        assert client.post(url).status_code == 404
    viewer.refresh_from_db()
    assert viewer.revoked_at is None and PartnerViewer.objects.count() == 1
