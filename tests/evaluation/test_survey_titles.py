"""Participants read each survey under a title in plain words (issue 12, walk finding 13): "How is
it going with Ada?", not "Pairing fit (after the first meeting)". One table of titles
(evaluation.models.PARTICIPANT_TITLES) serves the dashboard, the journal, the survey page, the
emailed link's page and the invitation email; staff pages keep the technical names."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from evaluation import invitations, services
from evaluation.models import PARTICIPANT_TITLES, SurveyKind
from mentorship.services import email_send_pending
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)
JARGON = ("Pairing fit", "Self-assessment", "after the first meeting", "at the start")
LINK = re.compile(r"https?://[^/\s]+(/surveys/answer/[^/\s]+/)")


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def pw():
    """Ada mentors Ben from 1 March; they first met on 3 March."""
    with on(START):
        world = pair_world()
    with on(dt.date(2027, 3, 3)):
        services.checkin_log(match=world.match, by=world.mentor, occurred_on=dt.date(2027, 3, 3))
    return world


def test_every_survey_kind_has_a_participant_title():
    assert set(PARTICIPANT_TITLES) == set(SurveyKind)


def test_the_dashboard_names_the_surveys_in_plain_words(client, pw):
    with on(dt.date(2027, 3, 5)):
        client.force_login(pw.mentee)
        page = client.get(reverse("dashboard")).content.decode()
        assert "How is it going with Ada?" in page  # the pairing fit, naming the mentor
        assert "Where you are starting from" in page  # the self-assessment at the start
        for words in JARGON:
            assert words not in page, words
        client.force_login(pw.mentor)
        assert "How is it going with Ben?" in client.get(reverse("dashboard")).content.decode()


def test_the_survey_page_has_the_same_title(client, pw):
    with on(dt.date(2027, 3, 5)):
        client.force_login(pw.mentee)
        page = client.get(reverse("evaluation:survey", args=[pw.match.pk, "pairing_fit"])).content.decode()
    assert "<h1>How is it going with Ada?</h1>" in page
    assert "<title>How is it going with Ada?" in page
    assert "Pairing fit" not in page


def test_the_invitation_email_and_its_page_use_the_title_without_the_partners_name(client, pw, mailoutbox):
    with on(dt.date(2027, 3, 3)):
        invitations.invitations_sweep()
        email_send_pending()
    mine = {m.subject: m for m in mailoutbox if m.to[0] == pw.mentee.email and "survey" in m.subject}
    assert set(mine) == {
        "Matching Test Program survey: How is it going with your mentor?",
        "Matching Test Program survey: Where you are starting from",
    }
    mail = mine["Matching Test Program survey: How is it going with your mentor?"]
    assert '"How is it going with your mentor?"' in mail.body
    for words in (*JARGON, "Ada"):  # a forwarded email or link names nobody
        assert words not in mail.subject + mail.body, words
    client.logout()
    with on(dt.date(2027, 3, 4)):
        page = client.get(LINK.search(mail.body).group(1)).content.decode()
    assert "<h1>How is it going with your mentor?</h1>" in page and "Ada" not in page


def test_staff_pages_keep_the_technical_names(client, pw):
    with on(dt.date(2027, 3, 5)):
        client.force_login(pw.coordinator)
        page = client.get(reverse("evaluation:pair", args=[pw.match.pk])).content.decode()
    assert "Pairing fit (after the first meeting)" in page
    assert "How is it going with" not in page
