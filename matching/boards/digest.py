"""The boards' daily digest: for each person who has not opted out (``Profile.board_digest``), the
new posts on the boards they take part in since their last digest, at most one email a day and
only when there is something new.

Their boards: the program boards of the programs they coordinate or take part in (an approved
enrollment), every group board of the programs they coordinate, and the boards of the groups they
are a current member or leader of. (Staff read every board, but are not emailed about all of them.)
Left out: their own posts, removed posts and topics. A held post's contact details never reach an
email (blanked as on the board); in a program that may have minors no post's text does: the email
says which topics have new posts, with links, and the posts stay on the site.

``BoardDigest.last_post_id`` remembers where a person's last digest stopped; ``sent_on`` is claimed
with a conditional update (not yet sent today), so two runs on the same day, even at once, send
one email. The email is queued in the outbox in the claim's transaction.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matching.boards import rules
from matching.messaging.contact import redact
from matching.models import BoardDigest, GroupMember, Post
from mentorship.models import User
from mentorship.services import email_queue
from programs.limited import limited_name
from programs.models import Enrollment, EnrollmentStatus, Program

WINDOW_DAYS = 7  # a first digest (or one after a long gap) covers this many days at most
MAX_TOPICS = 20  # topics listed in one email; the rest are counted
EXCERPT = 300  # characters of a post an adult program's digest may quote


@dataclass
class DigestReport:
    sent: int = 0
    nothing_new: int = 0


def readers():
    """Who may get a digest: active accounts that want it and take part in some board."""
    return (
        User.objects.filter(is_active=True, profile__board_digest=True)
        .filter(
            Q(pk__in=Program.coordinators.through.objects.values("user_id"))
            | Q(pk__in=Enrollment.objects.filter(status=EnrollmentStatus.APPROVED).values("user_id"))
            | Q(pk__in=GroupMember.objects.current().values("enrollment__user_id"))
        )
        .order_by("pk")
    )


def boards_filter(user):
    """A Q on Post for the boards ``user`` takes part in (see the module's docstring)."""
    coordinated = list(Program.objects.filter(coordinators=user).values_list("pk", flat=True))
    taking_part = list(
        Enrollment.objects.filter(user=user, status=EnrollmentStatus.APPROVED).values_list(
            "program_id", flat=True
        )
    )
    groups = list(
        GroupMember.objects.current().filter(enrollment__user=user).values_list("group_id", flat=True)
    )
    return (
        Q(topic__program_id__in=coordinated)
        | Q(topic__group__isnull=True, topic__program_id__in=taking_part)
        | Q(topic__group_id__in=groups)
    )


def new_posts(user, *, after, now):
    """The posts of ``user``'s boards after post ``after`` (and within WINDOW_DAYS), oldest first."""
    return list(
        Post.objects.filter(
            boards_filter(user), pk__gt=after, created_at__gte=now - dt.timedelta(days=WINDOW_DAYS)
        )
        .filter(hidden_at__isnull=True, topic__hidden_at__isnull=True)
        .exclude(author=user)
        .select_related("topic__program", "topic__group")
        .order_by("pk")
    )


def _excerpt(post):
    if post.topic.program.may_have_minors:
        return ""
    text = redact(post.body) if post.is_held else post.body
    text = " ".join(text.split())
    return text[:EXCERPT].rstrip() + "…" if len(text) > EXCERPT else text


def digest_topics(posts):
    """The email's list: a line per topic with new posts (newest activity first)."""
    by_topic = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)
    topics = []
    for group in sorted(by_topic.values(), key=lambda ps: ps[-1].pk, reverse=True):
        topic = group[0].topic
        topics.append(
            {
                "title": topic.title,
                "board": rules.board_name(topic.program, topic.group),
                "count": len(group),
                "excerpt": _excerpt(group[0]),
                "url": settings.SITE_URL + reverse("matching:topic", args=[topic.pk]) + "?page=last",
            }
        )
    return topics


def _greeting_name(user):
    name = limited_name(user)
    return name.split()[0] if name else "there"


@transaction.atomic
def digest_send_one(*, user, on, now):
    """``user``'s digest for day ``on``, if they have not had one today and there is something new.
    Returns True when an email was queued."""
    state, _ = BoardDigest.objects.get_or_create(user=user)
    if state.sent_on is not None and state.sent_on >= on:
        return False
    posts = new_posts(user, after=state.last_post_id, now=now)
    if not posts:
        return False
    claimed = (
        BoardDigest.objects.filter(pk=state.pk)
        .filter(Q(sent_on__isnull=True) | Q(sent_on__lt=on))
        .update(sent_on=on, last_post_id=posts[-1].pk)
    )
    if not claimed:  # another run sent today's meanwhile
        return False
    topics = digest_topics(posts)
    email_queue(
        to=user.email,
        template="board_digest",
        context={
            "name": _greeting_name(user),
            "count": len(posts),
            "topics": topics[:MAX_TOPICS],
            "more": max(0, len(topics) - MAX_TOPICS),
            "profile_url": settings.SITE_URL + reverse("profile") + "#id_board_digest",
        },
    )
    return True


def board_digests_send(*, on=None):
    """Every reader's digest for today (each at most once a day): safe to run twice, or at once."""
    now = timezone.now()
    on = on or timezone.localdate(now)
    report = DigestReport()
    for user in readers().select_related("profile").iterator(chunk_size=200):
        if digest_send_one(user=user, on=on, now=now):
            report.sent += 1
        else:
            report.nothing_new += 1
    return report
