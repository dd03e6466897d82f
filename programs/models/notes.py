"""Coordinators' private notes on an applicant: what they want to remember about a person (a phone
call, a reference to chase). Never shown or emailed to the applicant, unlike the note of a status
change, which goes in the decision email."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Nudge(models.Model):
    """A coordinator's "we miss you" email to someone inactive (evaluation/todo.py): recorded, and
    at most one a week per person (``Enrollment.nudged_at`` is the claim)."""

    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.CASCADE, related_name="nudges")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Nudge to {self.enrollment_id} on {self.created_at:%Y-%m-%d}"


class ApplicantNote(models.Model):
    enrollment = models.ForeignKey("programs.Enrollment", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Note on {self.enrollment_id} of {self.created_at:%Y-%m-%d}"
