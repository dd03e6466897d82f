"""Every write on the discussion boards: topics started, replies, moderation (pin, lock, hide),
held contact details released, and posts reported (a safeguarding concern, through
matching.concerns.concern_raise, which tells the program's leads at once).

Who may do what is matching.boards.rules; the services check it again (PermissionDenied) after the
views' 404s, and refuse what cannot be done now with a ValidationError that says why.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from matching import concerns
from matching.boards import rules
from matching.models import Post, Topic
from matching.models.boards import POST_MAX_LENGTH
from mentorship.services import audit_record, user_seen

TITLE_MAX_LENGTH = 200


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > POST_MAX_LENGTH:
        raise ValidationError(
            f"A post can be {POST_MAX_LENGTH} characters at most; this one has {len(body)}. "
            "Shorten it, or post it in two parts."
        )
    return body


def _clean_title(program, role, title):
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Give the topic a title.")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(f"Keep the title to {TITLE_MAX_LENGTH} characters or fewer.")
    if rules.holds(program, role, title):
        # A title is shown everywhere (lists, the digest): it cannot be held, so it is refused.
        raise ValidationError(
            "Keep phone numbers, email addresses and social media names out of the title; "
            "they can go in the post, where your coordinator checks them first."
        )
    return title


def _check_rate(user, now):
    """The messages' limit, for posts: at most MESSAGE_RATE_LIMIT in MESSAGE_RATE_MINUTES."""
    limit, minutes = settings.MESSAGE_RATE_LIMIT, settings.MESSAGE_RATE_MINUTES
    if Post.objects.filter(author=user, created_at__gte=now - dt.timedelta(minutes=minutes)).count() >= limit:
        raise ValidationError(
            f"You have posted {limit} times in the last {minutes} minutes, the most the site allows. "
            "Please wait a few minutes and post this again: your text is still in the box."
        )


def _role_to_write(program, group, by):
    role = rules.author_role(by, program, group) if rules.reads(by, program, group) else None
    if role is None:
        raise PermissionDenied("You cannot write on this board.")
    return role


def _new_post(topic, by, role, body, now):
    post = Post.objects.create(
        topic=topic,
        author=by,
        author_role=role,
        body=body,
        held=rules.holds(topic.program, role, body),
        created_at=now,
    )
    user_seen(user=by, at=now)
    return post


@transaction.atomic
def topic_create(*, program, by, title, body, group=None):
    """``by`` starts a topic on the board of ``group`` (or, without one, of ``program``) with its
    first post. Returns the topic; its first post is ``topic.first_post``."""
    role = _role_to_write(program, group, by)
    problem = rules.write_problem(program, group)
    if problem:
        raise ValidationError(problem)
    title = _clean_title(program, role, title)
    body = _clean_body(body)
    now = timezone.now()
    _check_rate(by, now)
    topic = Topic.objects.create(
        program=program,
        group=group,
        title=title,
        author=by,
        author_role=role,
        created_at=now,
        last_post_at=now,
    )
    topic.first_post = _new_post(topic, by, role, body, now)
    return topic


@transaction.atomic
def post_reply(*, topic, by, body):
    """``by`` replies in ``topic``. Refused on a locked or removed topic (and a closed group's)."""
    role = _role_to_write(topic.program, topic.group, by)
    # The topic as it is now (a coordinator may have locked it since the page was read).
    topic = Topic.objects.select_for_update(of=("self",)).select_related("program", "group").get(pk=topic.pk)
    problem = rules.write_problem(topic.program, topic.group, topic)
    if problem:
        raise ValidationError(problem)
    body = _clean_body(body)
    now = timezone.now()
    _check_rate(by, now)
    post = _new_post(topic, by, role, body, now)
    Topic.objects.filter(pk=topic.pk).update(last_post_at=now)
    return post


# --- Moderation (the program's coordinators and staff) --------------------------------------------


def _check_moderator(program, by):
    if not rules.moderates(by, program):
        raise PermissionDenied("Only the program's coordinators moderate its boards.")


def _set(topic, by, action, summary, **values):
    _check_moderator(topic.program, by)
    Topic.objects.filter(pk=topic.pk).update(**values)
    for name, value in values.items():
        setattr(topic, name, value)
    audit_record(actor=by, action=f"board.{action}", target=topic, summary=summary)
    return topic


@transaction.atomic
def topic_pin(*, topic, by):
    return _set(topic, by, "pinned", "pinned to the top of the board", pinned=True)


@transaction.atomic
def topic_unpin(*, topic, by):
    return _set(topic, by, "unpinned", "no longer pinned", pinned=False)


@transaction.atomic
def topic_lock(*, topic, by):
    return _set(topic, by, "locked", "locked: no new replies", locked=True)


@transaction.atomic
def topic_unlock(*, topic, by):
    return _set(topic, by, "unlocked", "takes replies again", locked=False)


@transaction.atomic
def topic_hide(*, topic, by):
    """Remove a topic from the board: its readers see "Removed by a coordinator" instead."""
    if topic.is_hidden:
        raise ValidationError("This topic was already removed.")
    return _set(topic, by, "topic_hidden", "topic removed", hidden_at=timezone.now(), hidden_by=by)


@transaction.atomic
def topic_unhide(*, topic, by):
    if not topic.is_hidden:
        raise ValidationError("This topic is on the board.")
    return _set(topic, by, "topic_restored", "topic put back", hidden_at=None, hidden_by=None)


@transaction.atomic
def post_hide(*, post, by):
    """Remove a post: its readers see "Removed by a coordinator" instead. Conditional, so that two
    coordinators clicking at once remove it once (the second is told)."""
    _check_moderator(post.topic.program, by)
    now = timezone.now()
    if not Post.objects.filter(pk=post.pk, hidden_at__isnull=True).update(hidden_at=now, hidden_by=by):
        raise ValidationError("This post was already removed.")
    post.hidden_at, post.hidden_by = now, by
    audit_record(actor=by, action="board.post_hidden", target=post, summary="post removed")
    return post


@transaction.atomic
def post_release(*, post, by):
    """A coordinator lets everyone read a held post in full. Conditional on it being held still,
    so two coordinators clicking at once release it once (the second is told)."""
    _check_moderator(post.topic.program, by)
    if not post.held:
        raise ValidationError("This post holds nothing back.")
    now = timezone.now()
    released = Post.objects.filter(pk=post.pk, held=True, released_at__isnull=True).update(
        released_by=by, released_at=now
    )
    if not released:
        raise ValidationError("This post was already released.")
    post.released_by, post.released_at = by, now
    audit_record(actor=by, action="board.post_released", target=post, summary="contact details released")
    return post


def post_report(*, post, by, what_worries, urgency):
    """A reader (not its author) reports a post: it becomes a safeguarding concern with the post
    attached (and its group, on a group's board), and the program's safeguarding leads are told at
    once (concern_raise), as for a reported message."""
    topic = post.topic
    if not rules.reads(by, topic.program, topic.group):
        raise PermissionDenied("You cannot report this post.")
    if post.author_id == by.pk:
        raise ValidationError("You cannot report your own post.")
    return concerns.concern_raise(post=post, by=by, what_happened=what_worries, urgency=urgency)
