"""What one reader sees of each post, and the reads behind the board's and the topic's pages.

A removed post (or topic) reads "Removed by a coordinator" for everyone but the moderators, who see
it as written, marked removed. A held post reaches the others with its contact details blanked
(matching.messaging.contact.redact, the rule of messages) until a coordinator releases it; its
author and the moderators read it whole, with a line saying why. Each list costs the same number
of queries however long it is.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from matching.boards import rules
from matching.messaging.contact import redact
from matching.models import Post, Topic
from programs.limited import limited_name

HELD_FOR_AUTHOR = (
    "Phone numbers, email addresses and social media names are held back until your coordinator "
    "checks them: this keeps everyone safe. The others see the rest of this post now."
)
HELD_FOR_MODERATOR = "Contact details held back from the board until a coordinator releases them."


@dataclass(frozen=True)
class Viewer:
    user: object
    moderates: bool


@dataclass(frozen=True)
class PostEntry:
    post: Post
    text: str  # what this reader reads
    author_label: str
    mine: bool
    removed: bool  # removed by a coordinator (moderators still read it)
    held_notice: str
    can_release: bool
    can_hide: bool
    can_report: bool

    @property
    def pk(self):
        return self.post.pk


def author_label(author, role, viewer):
    if author is not None and author.pk == viewer.user.pk:
        return "You"
    if author is None or not author.is_active:
        return "A former account"
    return f"{limited_name(author) or 'Someone'} ({role})"


def post_entry(post, viewer):
    mine = post.author_id == viewer.user.pk
    removed = post.is_hidden
    held = post.is_held and not removed
    if removed and not viewer.moderates:
        text = rules.REMOVED
    elif held and not (mine or viewer.moderates):
        text = redact(post.body)
    else:
        text = post.body
    notice = HELD_FOR_AUTHOR if held and mine else HELD_FOR_MODERATOR if held and viewer.moderates else ""
    return PostEntry(
        post=post,
        text=text,
        author_label=author_label(post.author, post.author_role, viewer),
        mine=mine,
        removed=removed,
        held_notice=notice,
        can_release=held and viewer.moderates,
        can_hide=viewer.moderates and not removed,
        can_report=not mine and not removed,
    )


def topic_title(topic, viewer):
    return rules.REMOVED if topic.is_hidden and not viewer.moderates else topic.title


# --- The reads --------------------------------------------------------------------------------------


def board_topics(program, group, viewer):
    """The board's topics, pinned first then by their last post, with their number of posts; the
    removed ones for the moderators only."""
    topics = Topic.objects.filter(program=program)
    topics = topics.filter(group=group) if group is not None else topics.filter(group__isnull=True)
    if not viewer.moderates:
        topics = topics.filter(hidden_at__isnull=True)
    return (
        topics.select_related("author__profile")
        .annotate(post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True)))
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def topic_posts(topic):
    return Post.objects.filter(topic=topic).select_related("author__profile").order_by("pk")
