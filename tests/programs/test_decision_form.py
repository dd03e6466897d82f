"""The applicant's decision form preselects no move: one click on its button cannot wait-list,
decline or email anybody by default."""

import re

import pytest
from django.urls import reverse

from mentorship.models import OutboundEmail
from programs.models import EnrollmentStatus, Role
from tests import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(db):
    lead = scenarios.coordinator(email="lead@decide.test", display_name="Lee")
    program = scenarios.program(coordinator=lead, name="Decisions")
    user = scenarios.person(email="ana@decide.test", display_name="Ana")
    enrollment = scenarios.enroll(program=program, user=user, role=Role.MENTEE, status="approved", by=lead)
    return lead, program, enrollment


def test_no_decision_is_preselected_after_approval(client, approved):
    lead, program, enrollment = approved
    client.force_login(lead)
    page = client.get(reverse("programs:applicant", args=[program.slug, enrollment.pk])).text
    select = re.search(r'<select name="decision-status".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>Choose a decision…</option>' in select
    assert select.count("selected") == 1


def test_sending_the_form_without_a_choice_changes_nothing_and_says_why(client, approved):
    lead, program, enrollment = approved
    client.force_login(lead)
    emails = OutboundEmail.objects.count()
    response = client.post(
        reverse("programs:applicant_status", args=[program.slug, enrollment.pk]),
        {"decision-status": "", "decision-note": ""},
    )
    assert response.status_code == 400
    assert "Choose the decision to make." in response.text
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPROVED
    assert OutboundEmail.objects.count() == emails
