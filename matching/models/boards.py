"""Discussion boards (matching/boards/ writes them): each program has one, and so does each group.

A ``Topic`` belongs to the program's board (``group`` empty) or to a group's. Its members read and
write it: the program's participants and coordinators (and staff); a group's current members and
leaders, and the program's coordinators. Coordinators pin, lock and hide topics and hide posts. Any
reader may report a post: the report becomes a safeguarding ``Concern`` (``Concern.post``). In
programs that hold contact details, a post with a phone number, an email address or a social handle
is ``held`` like a message (the same rule, matching/messaging/contact.py) until a coordinator
releases it. A daily digest of new posts goes to people who have not opted out
(``Profile.board_digest``); ``BoardDigest`` remembers where each person's last digest stopped.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from matching.models.groups import Group
from programs.models import Program

POST_MAX_LENGTH = 4000


class Topic(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="topics")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="topics")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the author was on this board: "mentor", "mentee", "coordinator", "staff".
    author_role = models.CharField(max_length=12)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [models.Index(fields=["program", "group", "last_post_at"])]

    def __str__(self):
        return self.title

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(max_length=12)
    body = models.TextField(max_length=POST_MAX_LENGTH)
    held = models.BooleanField(default=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["topic", "id"]), models.Index(fields=["created_at"])]

    def __str__(self):
        return f"Post {self.pk} in topic {self.topic_id}"

    @property
    def is_held(self):
        return self.held and self.released_at is None

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class BoardDigest(models.Model):
    """Where a person's last daily digest stopped: the newest post id it covered, and when it went
    (at most one a day: claimed by a conditional update on ``sent_on``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_digest_state"
    )
    last_post_id = models.BigIntegerField(default=0)
    sent_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Board digest of {self.user_id}"
