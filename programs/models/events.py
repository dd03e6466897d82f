"""Events (programs/events.py writes them): networking meet-ups, workshops and celebrations that
coordinators put on for one program, several, or the public.

People RSVP (``Rsvp``). An event with a capacity keeps a wait-list: when someone who was going
cancels, the longest-waiting person is promoted and emailed (under a row lock on the event, so
concurrent cancellations never overfill it nor promote anyone twice). Each RSVP is reminded the day
before exactly once (``reminded_at`` is claimed by a conditional update), attendance is taken on the
day, and those who came are asked for short feedback (``EventFeedback``). An event keeps one
calendar identity for life (``uid``, ``sequence``), like a pair's meeting.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programs.models.programs import Program


class EventKind(models.TextChoices):
    MEETUP = "meetup", "Networking meet-up"
    WORKSHOP = "workshop", "Workshop"
    CELEBRATION = "celebration", "Celebration"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


def new_event_uid():
    return f"event-{uuid.uuid4()}"


def new_feedback_token():
    return secrets.token_urlsafe(32)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())


class Event(models.Model):
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=EventKind.choices, default=EventKind.MEETUP)
    description = models.TextField(help_text="What happens, who it is for, what to bring.")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=120, validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(max_length=300, blank=True)
    link = models.URLField("online link", blank=True, max_length=500)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty for no limit. When full, people join a wait-list."
    )
    # Audience: the members of these programs; ``is_public`` opens it to anyone signed in, and
    # lists it on the programs' public events pages.
    programs = models.ManyToManyField(Program, related_name="events")
    is_public = models.BooleanField("open to the public", default=False)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uid = models.CharField(max_length=80, unique=True, default=new_event_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:event", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)

    @property
    def is_published(self):
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITLISTED = "waitlisted", "On the wait-list"
    CANCELLED = "cancelled", "Not going"


class Rsvp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=RsvpStatus.choices, default=RsvpStatus.GOING)
    # The wait-list is served in the order people joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The day-before reminder: claimed once by a conditional update (programs/events.py).
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Attendance on the day: None until taken.
    attended = models.BooleanField(null=True, blank=True)
    feedback_token = models.CharField(max_length=64, unique=True, default=new_feedback_token, editable=False)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_person")]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self):
        return f"{self.user_id} for event {self.event_id}: {self.status}"


class EventFeedback(models.Model):
    """What someone who came thought of the event: a rating and a few words."""

    rsvp = models.OneToOneField(Rsvp, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField("anything to tell us", blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="event_feedback_rating_1_5"
            )
        ]

    def __str__(self):
        return f"Feedback on event {self.rsvp.event_id}"
