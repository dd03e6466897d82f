"""The demo's discussion boards (evaluation/demo/community.py calls it): a pinned welcome from a
coordinator on each program's board, topics with a few replies from mentors and mentees, and two
topics on the Tuesday Web Makers group's own board. The text is in community_posts.py; nothing in
it is a contact detail, so no post is held. Dated over the last few weeks, newest last."""

import datetime as dt

from django.utils import timezone

from evaluation.demo.community_posts import BOARD_TOPICS
from matching.models import GroupMember, Match, MatchStatus, Post, Topic


def _board_people(site, built, *, lead, circle_lead):
    """Per board: the program (and group), the coordinator, and who "mentor:N", "mentee:N",
    "leader" and "member:N" are (users)."""
    pairs = list(
        Match.objects.filter(program=site.program, status=MatchStatus.ACTIVE)
        .select_related("mentor__user", "mentee__user")
        .order_by("pk")
    )
    tuesday = built.groups[0]
    current = GroupMember.objects.current().filter(group=tuesday).select_related("enrollment__user")
    return {
        "youth": (site.program, None, lead, [m.mentor.user for m in pairs], [m.mentee.user for m in pairs]),
        "eastside": (
            built.eastside,
            None,
            lead,
            [e.user for e in built.eastside_mentors],
            [e.user for e in built.eastside_mentees],
        ),
        "riverside": (
            built.riverside,
            None,
            circle_lead,
            [built.alumna.user],
            [e.user for e in built.circle_members],
        ),
        "group": (
            built.eastside,
            tuesday,
            lead,
            [m.enrollment.user for m in current if m.role == "leader"],
            [m.enrollment.user for m in current if m.role == "member"],
        ),
    }


def _author(code, *, coordinator, mentors, mentees):
    """(user, role on the board) for an author code of community_posts.BOARD_TOPICS."""
    if code == "coordinator":
        return coordinator, "coordinator"
    kind, _, number = code.partition(":")
    index = int(number or 1) - 1
    if kind in ("mentor", "leader"):
        return mentors[index % len(mentors)], "mentor"
    return mentees[index % len(mentees)], "mentee"


def demo_boards(site, built, *, lead, circle_lead):
    boards = _board_people(site, built, lead=lead, circle_lead=circle_lead)
    now = timezone.now()
    count = len(BOARD_TOPICS)
    for k, (board, title, opener, pinned, posts) in enumerate(BOARD_TOPICS):
        program, group, coordinator, mentors, mentees = boards[board]
        people = {"coordinator": coordinator, "mentors": mentors, "mentees": mentees}
        # Welcomes went up first; the other topics over the last three weeks.
        start = now - dt.timedelta(days=40 if pinned else 3 + 20 * (count - k) / count, hours=k)
        author, role = _author(opener, **people)
        topic = Topic.objects.create(
            program=program,
            group=group,
            title=title,
            author=author,
            author_role=role,
            pinned=pinned,
            created_at=start,
            last_post_at=start,
        )
        rows = []
        for n, (code, body) in enumerate(posts):
            author, role = _author(code, **people)
            at = start + dt.timedelta(hours=n * 7 + (n * n) % 5)
            rows.append(Post(topic=topic, author=author, author_role=role, body=body, created_at=at))
        Post.objects.bulk_create(rows)
        Topic.objects.filter(pk=topic.pk).update(last_post_at=rows[-1].created_at)
