"""The resource library (programs/resources.py writes it and says who sees what): guides, toolkits,
activity ideas, the safety rules, the match agreement, first-meeting tips. A resource is a page, a
link or an uploaded file (a ``StoredFile``, kept in the database and sent only to those allowed to
see it). A resource without a program is published by staff to every program."""

from django.conf import settings
from django.db import models

from programs.models.programs import Program
from programs.models.trainings import StoredFile


class ResourceTopic(models.TextChoices):
    """What a resource is about; some topics are shown where they help (see programs/resources.py,
    PLACES)."""

    SAFETY = "safety", "Safety rules"
    AGREEMENT = "agreement", "The match agreement"
    FIRST_MEETING = "first_meeting", "First meetings"
    GOALS = "goals", "Setting goals"
    ACTIVITIES = "activities", "Activity ideas"
    GUIDES = "guides", "Guides and toolkits"
    CLOSURE = "closure", "Ending a match well"


class ResourceAudience(models.TextChoices):
    MENTORS = "mentors", "Mentors"
    MENTEES = "mentees", "Mentees"
    GUARDIANS = "guardians", "Parents and guardians"
    PROGRAM = "program", "Everyone in the program"
    PUBLIC = "public", "Anyone (public)"


class ResourceKind(models.TextChoices):
    PAGE = "page", "A page (written here)"
    LINK = "link", "A link to another site"
    FILE = "file", "A file (PDF, image or office document)"


class Resource(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300, blank=True)
    topic = models.CharField(max_length=20, choices=ResourceTopic.choices)
    audience = models.CharField("who can see it", max_length=10, choices=ResourceAudience.choices)
    kind = models.CharField(max_length=10, choices=ResourceKind.choices, default=ResourceKind.PAGE)
    body = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "title", "id"]
        indexes = [models.Index(fields=["program", "topic"])]

    def __str__(self):
        return self.title

    @property
    def for_every_program(self):
        return self.program_id is None
