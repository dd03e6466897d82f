"""The boards' daily digest (matching/boards/digest.py): at most one email a day per person, only
when something new was posted on their boards by someone else; none for those who opted out in
their profile; the email links to the profile to opt out. A youth program's digest names the topics,
never the posts' text; an adult program's may quote it, contact details blanked."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from matching.boards import services
from matching.boards.digest import board_digests_send
from matching.messaging.contact import HELD_TEXT
from matching.models import BoardDigest
from mentorship.models import OutboundEmail
from tests import scenarios

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2031, 3, 4, 7, 30, tzinfo=dt.UTC)


@pytest.fixture
def mw(db):
    return scenarios.messages_world()


def digests_to(user):
    return list(OutboundEmail.objects.filter(to=user.email, kind="board_digest").order_by("pk"))


def topic(mw, by, body="Anyone going to the careers fair?", title="Careers fair"):
    return services.topic_create(program=mw.program, by=by, title=title, body=body)


def test_two_runs_the_same_day_send_one_email_and_the_next_day_another(mw):
    with time_machine.travel(DAY - dt.timedelta(hours=2), tick=False):
        first = topic(mw, mw.ada.user)
    with time_machine.travel(DAY, tick=False):
        board_digests_send()
        services.post_reply(topic=first, by=mw.dee.user, body="Me!")
        board_digests_send()
    (email,) = digests_to(mw.ben.user)
    assert "Careers fair" in email.body and "1 new post" in email.subject
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        board_digests_send()
        board_digests_send()
    emails = digests_to(mw.ben.user)
    assert len(emails) == 2 and "1 new post" in emails[1].subject  # only what came after the first
    assert BoardDigest.objects.get(user=mw.ben.user).sent_on == (DAY + dt.timedelta(days=1)).date()


def test_nothing_new_sends_nothing(mw):
    with time_machine.travel(DAY, tick=False):
        report = board_digests_send()
    assert report.sent == 0 and not OutboundEmail.objects.filter(kind="board_digest").exists()
    with time_machine.travel(DAY - dt.timedelta(hours=1), tick=False):
        topic(mw, mw.ada.user)
    with time_machine.travel(DAY, tick=False):
        board_digests_send()
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        board_digests_send()  # nothing since yesterday's
    assert len(digests_to(mw.ben.user)) == 1


def test_own_posts_are_left_out(mw):
    with time_machine.travel(DAY - dt.timedelta(hours=1), tick=False):
        mine = topic(mw, mw.ben.user, title="My own topic")
    with time_machine.travel(DAY, tick=False):
        board_digests_send()
    assert digests_to(mw.ben.user) == []  # only his own post is new
    assert len(digests_to(mw.ada.user)) == 1
    with time_machine.travel(DAY + dt.timedelta(hours=20), tick=False):
        services.post_reply(topic=mine, by=mw.ben.user, body="Bump")
        services.post_reply(topic=mine, by=mw.cora, body="Good question")
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        board_digests_send()
    (email,) = digests_to(mw.ben.user)
    assert "1 new post" in email.subject


def test_people_who_opted_out_get_none_and_the_email_says_how(client, mw):
    client.force_login(mw.dee.user)
    page = client.get(reverse("profile")).text
    assert 'name="board_digest"' in page
    mw.dee.user.profile.board_digest = False
    mw.dee.user.profile.save(update_fields=["board_digest"])
    with time_machine.travel(DAY - dt.timedelta(hours=1), tick=False):
        topic(mw, mw.ada.user)
    with time_machine.travel(DAY, tick=False):
        board_digests_send()
    assert digests_to(mw.dee.user) == []
    (email,) = digests_to(mw.ben.user)
    assert reverse("profile") in email.body and "once a day" in email.body


def test_a_youth_programs_digest_never_quotes_a_post_an_adult_programs_blanks_contact_details(db):
    youth = scenarios.messages_world()
    with time_machine.travel(DAY - dt.timedelta(hours=1), tick=False):
        topic(youth, youth.ada.user, body="The secret plan is here")
    adult = scenarios.messages_world(audience="adult", domain="adults.test")
    with time_machine.travel(DAY - dt.timedelta(hours=1), tick=False):
        topic(adult, adult.ada.user, body="Call me on 07700 900123 about the fair")
    with time_machine.travel(DAY, tick=False):
        board_digests_send()
    (youth_email,) = digests_to(youth.ben.user)
    assert "secret plan" not in youth_email.body and "Careers fair" in youth_email.body
    (adult_email,) = digests_to(adult.ben.user)
    assert "about the fair" in adult_email.body
    assert "07700" not in adult_email.body and HELD_TEXT in adult_email.body
