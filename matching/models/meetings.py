"""Meetings a pair plans: proposed by one side, accepted, declined or moved by the other.

A meeting keeps one calendar identity for life: ``uid`` never changes, and ``sequence`` goes up
with every change that reaches the pair's calendars (a new time, acceptance, cancellation), so
calendar programs update the event they already hold instead of adding a second one."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from matching.models.pairs import Match


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    ACCEPTED = "accepted", "Planned"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


MEETING_TRANSITIONS = {
    # A proposal is accepted or declined by the partner, or moved (proposed again at a new time)
    # by either side; an accepted meeting may be moved or cancelled.
    MeetingStatus.PROPOSED: {MeetingStatus.ACCEPTED, MeetingStatus.DECLINED, MeetingStatus.PROPOSED,
                             MeetingStatus.CANCELLED},
    MeetingStatus.ACCEPTED: {MeetingStatus.PROPOSED, MeetingStatus.CANCELLED},
    MeetingStatus.DECLINED: set(),
    MeetingStatus.CANCELLED: set(),
}  # fmt: skip


def new_meeting_uid():
    return f"meeting-{uuid.uuid4()}"


class Meeting(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    # Who proposed the current time: the other side answers.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    mode = models.CharField(max_length=12, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    # Where: a place for an in-person meeting, a video link (http/https) for a video call.
    place = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED)
    uid = models.CharField(max_length=80, unique=True, default=new_meeting_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # Whether an invitation (.ics) went to the pair: a later change then sends an update, a
    # cancellation a cancel.
    invited = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["match", "status", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"Meeting {self.pk} of match {self.match_id} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)

    def can_become(self, status):
        return status in MEETING_TRANSITIONS[MeetingStatus(self.status)]

    @property
    def is_planned(self):
        return self.status == MeetingStatus.ACCEPTED

    @property
    def is_proposed(self):
        return self.status == MeetingStatus.PROPOSED

    def awaits_answer_from(self, user):
        """One of the pair, not the one who proposed the current time."""
        user_id = getattr(user, "pk", user)
        return self.is_proposed and self.proposed_by_id != user_id and self.match.side_of(user) is not None
