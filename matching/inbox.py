"""Reads about messages: a thread's page of messages, new messages since one, unread counts (for the
match page, the dashboard and the coordinators' inbox) and the inbox itself.

Unread, for a person in a conversation: the messages after their read position
(``ConversationReader.last_read_id``, 0 without a row) that they did not send. Counted in SQL, one
query for any number of conversations: every list here costs the same number of queries however
long it is.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from matching.models import Conversation, ConversationKind, ConversationReader, Message

THREAD_PAGE = 100  # messages on a thread's page; older ones behind a link
NEW_LIMIT = 200  # at most this many new messages in one polling answer


def with_unread(conversations, user):
    """``conversations`` annotated with ``unread``: ``user``'s unread messages in each."""
    position = ConversationReader.objects.filter(conversation=OuterRef("pk"), user_id=user.pk).values(
        "last_read_id"
    )[:1]
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), id__gt=OuterRef("read_up_to"))
        .exclude(sender_id=user.pk)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return conversations.annotate(read_up_to=Coalesce(Subquery(position), 0)).annotate(
        unread=Coalesce(Subquery(unread), 0)
    )


# What a thread shows of a message and its sender (the name, and whether the account is open): the
# rest of the sender's account and profile is not read, a hundred times over.
MESSAGE_FIELDS = (
    "conversation_id", "sender_id", "sender_role", "body", "held", "released_at", "created_at",
    "sender__is_active", "sender__first_name", "sender__last_name", "sender__profile__display_name",
)  # fmt: skip


def _messages(conversation):
    return (
        Message.objects.filter(conversation=conversation)
        .select_related("sender__profile")
        .only(*MESSAGE_FIELDS)
    )


def thread(conversation, *, before=None):
    """A page of the thread, oldest first: the newest THREAD_PAGE messages (before message
    ``before``, for the older pages), and whether there are older ones."""
    rows = _messages(conversation)
    if before:
        rows = rows.filter(pk__lt=before)
    newest_first = list(rows.order_by("-pk")[: THREAD_PAGE + 1])
    has_older = len(newest_first) > THREAD_PAGE
    return list(reversed(newest_first[:THREAD_PAGE])), has_older


def newer_exist(conversation, after):
    return Message.objects.filter(conversation=conversation, pk__gt=after).exists()


def new_messages(conversation, *, after):
    """The messages after message ``after``, oldest first (at most NEW_LIMIT)."""
    return list(_messages(conversation).filter(pk__gt=after).order_by("pk")[:NEW_LIMIT])


def unread_in_match(user, match):
    """(the pair conversation's id or None, ``user``'s unread messages in it)."""
    row = with_unread(Conversation.objects.filter(match=match), user).values_list("pk", "unread").first()
    return row or (None, 0)


def unread_by_match(user, match_ids):
    """{match id: ``user``'s unread messages in its pair conversation} (0 for none yet)."""
    rows = with_unread(Conversation.objects.filter(match_id__in=match_ids), user).values_list(
        "match_id", "unread"
    )
    return dict.fromkeys(match_ids, 0) | dict(rows)


def coordinator_conversations_of(user):
    """The person's own conversations with coordinators that have messages, with ``unread``."""
    rows = Conversation.objects.filter(
        kind=ConversationKind.COORDINATORS, enrollment__user=user, last_message_at__isnull=False
    ).select_related("program", "enrollment")
    return list(with_unread(rows, user).order_by("-last_message_at", "-pk"))


@dataclass(frozen=True)
class InboxFilter:
    kind: str = ""  # "", "pair", "coordinators" or "group"
    unread_only: bool = False


def program_inbox(program, user, filters=InboxFilter()):
    """Every conversation of ``program`` with a message, newest first, with ``user``'s unread
    count in each and who it is between (no query per row)."""
    people = [f"{who}__user__{field}" for who in ("match__mentee", "match__mentor", "enrollment")
              for field in ("first_name", "last_name", "email", "profile__display_name")]  # fmt: skip
    rows = (
        Conversation.objects.filter(program=program, last_message_at__isnull=False)
        .select_related(
            "match__mentee__user__profile",
            "match__mentor__user__profile",
            "enrollment__user__profile",
            "group",
        )
        # Only what the list shows (names, status, role): whole accounts and profiles, ten to a row,
        # cost more than the query.
        .only(
            "program_id",
            "kind",
            "last_message_at",
            "match__status",
            "enrollment__role",
            "group__name",
            *people,
        )
    )
    if filters.kind in ConversationKind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.unread_only:
        # "Has an unread message" as its first unread message's id (the thread's index finds it at
        # once), rather than "unread > 0", which counts them all in every conversation, or EXISTS,
        # which PostgreSQL turns into a join reading every message: a million for the page's count.
        rows = rows.alias(first_unread=_first_unread(user)).filter(first_unread__isnull=False)
    return with_unread(rows, user).order_by("-last_message_at", "-pk")


def _first_unread(user):
    """The id of ``user``'s first unread message in the conversation (the rule of ``with_unread``)."""
    position = ConversationReader.objects.filter(
        conversation=OuterRef(OuterRef("pk")), user_id=user.pk
    ).values("last_read_id")[:1]
    unread = Message.objects.filter(
        conversation=OuterRef("pk"), id__gt=Coalesce(Subquery(position), 0)
    ).exclude(sender_id=user.pk)
    return Subquery(unread.order_by("pk").values("pk")[:1])
