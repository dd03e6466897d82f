"""Success stories and the invitations to tell them (evaluation/stories.py says what is published;
evaluation/story_services.py writes them)."""

from django.db import models
from django.utils import timezone

from matching.models import Match
from programs.models import Enrollment, Program


class StoryOccasion(models.TextChoices):
    CLOSURE = "closure", "At the end of the match"
    FOLLOW_UP_3 = "3_months", "Three months after the match"
    FOLLOW_UP_12 = "12_months", "A year after the match"
    OTHER = "other", "Any time"


class StoryConsent(models.TextChoices):
    NAMED = "named", "Share it with my name"
    ANONYMOUS = "anonymous", "Share it without my name"
    NOT_SHARED = "not_shared", "Don't share it (only the program's coordinators read it)"


class GuardianApproval(models.TextChoices):
    NOT_NEEDED = "", "Not needed"
    PENDING = "pending", "Waiting for the guardian"
    GIVEN = "given", "Given by the guardian"
    REFUSED = "refused", "Refused by the guardian"


class Story(models.Model):
    """A participant's success story (evaluation/stories.py). It is published (the program's
    public stories page, the funder report) only while its author consents to sharing it (with
    their name or anonymously), a coordinator has featured it or left it listed, and for a minor,
    the guardian has agreed too. Withdrawing it removes it everywhere."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stories")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="stories")
    match = models.ForeignKey(Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    occasion = models.CharField(max_length=10, choices=StoryOccasion.choices, default=StoryOccasion.OTHER)
    title = models.CharField(max_length=120, blank=True)
    text = models.TextField("your story", max_length=4000)
    consent = models.CharField(
        "may we share it?", max_length=10, choices=StoryConsent.choices, default=StoryConsent.NOT_SHARED
    )
    consent_at = models.DateTimeField(default=timezone.now)
    # A coordinator's shorter version: ``proposed_text`` waits for the author's approval; once
    # approved it becomes ``edited_text``, which is what is published (``text`` when empty).
    edited_text = models.TextField(blank=True, max_length=4000)
    proposed_text = models.TextField(blank=True, max_length=4000)
    proposed_at = models.DateTimeField(null=True, blank=True)
    # For a minor's story, the guardian's agreement, asked by an emailed single-use link.
    guardian_approval = models.CharField(
        max_length=10, choices=GuardianApproval.choices, default=GuardianApproval.NOT_NEEDED, blank=True
    )
    guardian_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    guardian_asked_at = models.DateTimeField(null=True, blank=True)
    guardian_answered_at = models.DateTimeField(null=True, blank=True)
    featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["program", "featured"])]

    def __str__(self):
        return f"Story #{self.pk}"


class StoryInvitation(models.Model):
    """An invitation to tell one's story at a match's closure or its 3- and 12-month follow-ups:
    one per person, match and occasion (the unique constraint), claimed on ``sent_at``."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="story_invitations")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    occasion = models.CharField(max_length=10, choices=StoryOccasion.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "match", "occasion"], name="one_story_invitation")
        ]

    def __str__(self):
        return f"Story invitation ({self.occasion})"
