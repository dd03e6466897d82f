"""Conversations: the pair's own thread (one per match) and each participant's thread with the
program's coordinators (one per enrollment). The program's coordinators (and staff) read every
conversation of their program; nobody else reads a conversation they are not in.

Messages are stored as written. In programs that hold contact details (``Program.holds_contact_
details``), a message with a phone number, an email address or a social handle is saved with
``held=True``: its partner sees it with those details blanked until a coordinator releases it
(matching/messaging/contact.py has the one rule that finds them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from matching.models.groups import Group
from matching.models.pairs import Match
from programs.models import Enrollment, Program

MESSAGE_MAX_LENGTH = 2000


class ConversationKind(models.TextChoices):
    PAIR = "pair", "The pair"
    COORDINATORS = "coordinators", "With the coordinators"
    GROUP = "group", "The group"


class Conversation(models.Model):
    """A thread. ``kind`` pair: ``match`` set (the mentor and the mentee). ``kind`` coordinators:
    ``enrollment`` set (that participant and every coordinator of the program). ``kind`` group:
    ``group`` set (its current leaders and members)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(max_length=12, choices=ConversationKind.choices)
    match = models.OneToOneField(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="conversation"
    )
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="coordinator_conversation"
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="conversation"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The newest message's time: lists sort by it without reading the messages.
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="pair", match__isnull=False, enrollment__isnull=True, group__isnull=True))
                | Q(kind="coordinators", match__isnull=True, enrollment__isnull=False, group__isnull=True)
                | Q(kind="group", match__isnull=True, enrollment__isnull=True, group__isnull=False),
                name="conversation_has_its_subject",
            )
        ]
        indexes = [models.Index(fields=["program", "last_message_at"])]

    def __str__(self):
        return f"Conversation {self.pk} ({self.kind})"

    @property
    def is_pair(self):
        return self.kind == ConversationKind.PAIR

    @property
    def is_group(self):
        return self.kind == ConversationKind.GROUP


class ConversationReader(models.Model):
    """One person's place in a conversation: the last message they read (unread counts are the
    messages after it, not theirs) and when they were last emailed about it (at most one email per
    conversation per ``MESSAGE_EMAIL_MINUTES``)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_reader_per_conversation")
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self):
        return f"{self.user_id} in conversation {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the sender was in this conversation when they wrote: "mentor", "mentee", "coordinator".
    sender_role = models.CharField(max_length=12)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    # Contact details held back from the partner until a coordinator releases them.
    held = models.BooleanField(default=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["sender", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self):
        return f"Message {self.pk} in conversation {self.conversation_id}"

    @property
    def is_held(self):
        """Held back from the partner now: contact details, not yet released."""
        return self.held and self.released_at is None
