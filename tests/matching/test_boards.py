"""Discussion boards (matching/boards/): a program's board is for its approved participants, its
coordinators and staff (an applicant, someone who withdrew and another program's people get 404); a
group's board follows the group's membership. Coordinators pin, lock and remove; removed content
reads "Removed by a coordinator" for everyone else. Contact details in a post are held from the
others until a coordinator releases them, as in messages. A report becomes a concern the leads are
told about, with the post. Each page costs the same queries however many topics or posts."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.boards import services
from matching.messaging.contact import HELD_TEXT
from matching.models import Concern, Group, GroupMember, Post, Topic
from mentorship.models import AuditEntry, OutboundEmail
from programs.models import EnrollmentStatus, Role
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
REMOVED = "Removed by a coordinator"


@dataclass
class BoardWorld:
    mw: object
    program: object
    group: object
    applicant: object
    withdrawn: object
    elsewhere: object  # a mentee of another program


@pytest.fixture
def bw(db):
    mw = scenarios.messages_world()
    main = mw.program
    applicant = scenarios.enroll(
        program=main,
        user=scenarios.person(email="app@boards.test", display_name="Al Applicant"),
        role=Role.MENTEE,
    )
    withdrawn = scenarios.enroll(
        program=main,
        user=scenarios.person(email="wd@boards.test", display_name="Wil Withdrawn"),
        role=Role.MENTEE,
        status=EnrollmentStatus.WITHDRAWN,
    )
    other = mw.olga.coordinated_programs.get()
    elsewhere = scenarios.ready_mentee(program=other, email="else@boards.test", display_name="Elsa Elsewhere")
    group = Group.objects.create(program=main, name="Tuesday group")
    GroupMember.objects.create(group=group, enrollment=mw.ada, role="leader")
    GroupMember.objects.create(group=group, enrollment=mw.ben, role="member")
    return BoardWorld(mw, main, group, applicant, withdrawn, elsewhere)


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def topic_of(bw, by, *, group=None, title="Hello all", body="Glad to be here."):
    return services.topic_create(program=bw.program, group=group, by=by, title=title, body=body)


def test_the_program_board_is_for_its_approved_participants_coordinators_and_staff(client, bw):
    mw = bw.mw
    url = reverse("matching:board", args=[bw.program.slug])
    for user in (mw.ada.user, mw.ben.user, mw.dee.user, mw.cora, mw.sid):
        assert status(client, user, url) == 200, user
    for user in (bw.applicant.user, bw.withdrawn.user, bw.elsewhere.user, mw.olga, mw.stan):
        assert status(client, user, url) == 404, user
    topic = topic_of(bw, mw.ada.user)
    for url in (
        reverse("matching:topic", args=[topic.pk]),
        reverse("matching:topic_new", args=[bw.program.slug]),
    ):
        assert status(client, bw.applicant.user, url) == 404
        assert status(client, bw.elsewhere.user, url) == 404
        assert status(client, mw.ben.user, url) == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_a_participant_starts_a_topic_and_others_reply(client, bw):
    mw = bw.mw
    client.force_login(mw.ben.user)
    response = client.post(
        reverse("matching:topic_new", args=[bw.program.slug]),
        once(title="Revision tips?", body="What works?"),
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == reverse("matching:topic", args=[topic.pk])
    assert (topic.author_role, topic.group) == ("mentee", None)
    client.force_login(mw.cora)
    response = client.post(reverse("matching:post_reply", args=[topic.pk]), once(body="Little and often."))
    assert response.status_code == 302
    assert [p.author_role for p in topic.posts.all()] == ["mentee", "coordinator"]
    # An empty reply is shown again with what is wrong (400), never a 500.
    assert client.post(reverse("matching:post_reply", args=[topic.pk]), once(body="")).status_code == 400
    page = client.get(reverse("matching:board", args=[bw.program.slug])).text
    assert "Revision tips?" in page and "2 posts" in page


def test_a_group_board_follows_the_groups_membership(client, bw):
    mw = bw.mw
    url = reverse("matching:group_board", args=[bw.group.pk])
    for user in (mw.ada.user, mw.ben.user, mw.cora, mw.sid):
        assert status(client, user, url) == 200, user
    for user in (mw.dee.user, mw.cy.user, mw.olga, bw.applicant.user):
        assert status(client, user, url) == 404, user
    topic = topic_of(bw, mw.ada.user, group=bw.group, title="Session 2 plans")
    assert topic.author_role == "mentor"
    assert status(client, mw.dee.user, reverse("matching:topic", args=[topic.pk])) == 404
    # A group topic is not on the program's board.
    client.force_login(mw.dee.user)
    assert "Session 2 plans" not in client.get(reverse("matching:board", args=[bw.program.slug])).text
    # Leaving the group ends access.
    GroupMember.objects.filter(enrollment=mw.ben).update(left_on=timezone.localdate())
    assert status(client, mw.ben.user, url) == 404
    assert status(client, mw.ben.user, reverse("matching:topic", args=[topic.pk])) == 404


def test_coordinators_pin_and_lock_participants_may_not(client, bw):
    mw = bw.mw
    first = topic_of(bw, mw.ada.user, title="First topic")
    topic_of(bw, mw.ben.user, title="Second topic")  # newer: on top until the first is pinned
    board = reverse("matching:board", args=[bw.program.slug])
    client.force_login(mw.ben.user)
    assert client.post(reverse("matching:topic_pin", args=[first.pk])).status_code == 404
    assert client.post(reverse("matching:topic_lock", args=[first.pk])).status_code == 404
    assert client.post(reverse("matching:topic_hide", args=[first.pk])).status_code == 404
    page = client.get(board).text
    assert page.index("Second topic") < page.index("First topic")
    client.force_login(mw.cora)
    client.post(reverse("matching:topic_pin", args=[first.pk]))
    client.post(reverse("matching:topic_lock", args=[first.pk]))
    first.refresh_from_db()
    assert first.pinned and first.locked
    client.force_login(mw.ben.user)
    page = client.get(board).text
    assert page.index("First topic") < page.index("Second topic")
    response = client.post(reverse("matching:post_reply", args=[first.pk]), once(body="Me too"))
    assert response.status_code == 400 and "locked" in response.text
    assert first.posts.count() == 1
    client.force_login(mw.cora)
    client.post(reverse("matching:topic_lock", args=[first.pk]), {"locked": "0"})
    client.post(reverse("matching:topic_pin", args=[first.pk]), {"pinned": "0"})
    first.refresh_from_db()
    assert not first.pinned and not first.locked
    services.post_reply(topic=first, by=mw.ben.user, body="Me too")
    assert AuditEntry.objects.filter(action="board.pinned").exists()


def test_removed_topics_and_posts_read_removed_by_a_coordinator_for_everyone_but_moderators(client, bw):
    mw = bw.mw
    topic = topic_of(bw, mw.ada.user, title="Rude title", body="First post")
    post = services.post_reply(topic=topic, by=mw.dee.user, body="Something unkind")
    client.force_login(mw.cora)
    client.post(reverse("matching:post_hide", args=[post.pk]))
    url = reverse("matching:topic", args=[topic.pk])
    client.force_login(mw.ben.user)
    page = client.get(url).text
    assert "Something unkind" not in page and REMOVED in page
    client.force_login(mw.cora)
    page = client.get(url).text
    assert "Something unkind" in page and "button-danger" in page
    client.post(reverse("matching:topic_hide", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.is_hidden
    client.force_login(mw.ben.user)
    assert "Rude title" not in client.get(reverse("matching:board", args=[bw.program.slug])).text
    page = client.get(url).text
    assert "Rude title" not in page and "First post" not in page and REMOVED in page
    with pytest.raises(Exception, match="removed"):
        services.post_reply(topic=topic, by=mw.ben.user, body="hello?")
    client.force_login(mw.cora)
    assert "Rude title" in client.get(reverse("matching:board", args=[bw.program.slug])).text


def test_contact_details_are_held_from_the_others_until_a_coordinator_releases_them(client, bw):
    mw = bw.mw
    topic = topic_of(bw, mw.ada.user)
    post = services.post_reply(topic=topic, by=mw.ben.user, body=f"Text me on {PHONE} about it")
    assert post.held
    url = reverse("matching:topic", args=[topic.pk])
    client.force_login(mw.dee.user)
    page = client.get(url).text
    assert PHONE not in page and HELD_TEXT in page and "about it" in page
    client.force_login(mw.ben.user)
    assert PHONE in client.get(url).text  # the author reads their own post
    client.force_login(mw.dee.user)
    assert client.post(reverse("matching:post_release", args=[post.pk])).status_code == 404
    client.force_login(mw.cora)
    page = client.get(url).text
    assert PHONE in page and "Release contact details" in page
    client.post(reverse("matching:post_release", args=[post.pk]))
    post.refresh_from_db()
    assert post.released_by == mw.cora
    client.force_login(mw.dee.user)
    assert PHONE in client.get(url).text
    # A coordinator's post is never held, and a title cannot carry contact details.
    assert not services.post_reply(topic=topic, by=mw.cora, body=f"Office: {PHONE}").held
    with pytest.raises(Exception, match="title"):
        topic_of(bw, mw.ben.user, title=f"Call {PHONE}")


def test_a_program_that_does_not_hold_contact_details_shows_them(bw):
    bw.program.holds_contact_details = False
    bw.program.save(update_fields=["holds_contact_details"])
    topic = topic_of(bw, bw.mw.ada.user)
    assert not services.post_reply(topic=topic, by=bw.mw.ben.user, body=f"Call {PHONE}").held


def test_a_report_becomes_a_concern_the_leads_see_with_the_post(client, bw):
    mw = bw.mw
    topic = topic_of(bw, mw.ada.user)
    post = services.post_reply(topic=topic, by=mw.dee.user, body="Meet me after, don't tell anyone")
    report = reverse("matching:post_report", args=[post.pk])
    assert status(client, mw.dee.user, report) == 404  # not one's own
    assert status(client, bw.elsewhere.user, report) == 404
    client.force_login(mw.ben.user)
    assert client.get(report).status_code == 200
    assert client.post(report, once(what_worries="", urgency="urgent")).status_code == 400
    response = client.post(report, once(what_worries="This worries me.", urgency="urgent"))
    assert response.status_code == 302
    concern = Concern.objects.get(post=post)
    assert (concern.program, concern.group, concern.raised_as) == (bw.program, None, "mentee")
    assert OutboundEmail.objects.filter(to=mw.cora.email, kind="concern_raised").exists()
    client.force_login(mw.cora)
    page = client.get(concern.get_absolute_url()).text
    assert "The reported post" in page and "don&#x27;t tell anyone" in page
    # On a group's board the concern is about the group too.
    group_topic = topic_of(bw, mw.ben.user, group=bw.group)
    group_post = group_topic.first_post
    concern = services.post_report(post=group_post, by=mw.ada.user, what_worries="Hm.", urgency="soon")
    assert (concern.group, concern.raised_as) == (bw.group, "mentor")


def _make_topics(bw, n):
    author = bw.mw.ada.user
    now = timezone.now()
    for i in range(n):
        topic = Topic.objects.create(
            program=bw.program, title=f"Topic {i}", author=author, author_role="mentor",
            last_post_at=now - dt.timedelta(minutes=i),
        )  # fmt: skip
        Post.objects.create(topic=topic, author=author, author_role="mentor", body=f"Body {i}")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["ben", "cora"])
def test_the_board_costs_the_same_queries_for_3_or_18_topics(client, bw, who):
    user = bw.mw.cora if who == "cora" else bw.mw.ben.user
    client.force_login(user)
    url = reverse("matching:board", args=[bw.program.slug])
    _make_topics(bw, 3)
    queries_of(client, url)
    few = queries_of(client, url)
    _make_topics(bw, 15)
    assert queries_of(client, url) == few


@pytest.mark.parametrize("who", ["ben", "cora"])
def test_a_topic_costs_the_same_queries_for_3_or_24_posts(client, bw, who):
    mw = bw.mw
    user = mw.cora if who == "cora" else mw.ben.user
    topic = topic_of(bw, mw.ada.user)
    authors = [(mw.ada.user, "mentor"), (mw.dee.user, "mentee"), (mw.cy.user, "mentor")]

    def add(n):
        for i in range(n):
            author, role = authors[i % 3]
            Post.objects.create(
                topic=topic, author=author, author_role=role, body=f"Post {i} {PHONE}", held=True
            )

    add(2)
    client.force_login(user)
    url = reverse("matching:topic", args=[topic.pk])
    queries_of(client, url)
    few = queries_of(client, url)
    add(21)
    assert queries_of(client, url) == few
