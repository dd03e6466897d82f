"""Invitations to apply, and guardian consent for mentees under 18 (the services are
programs/invitations.py and programs/guardians.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programs.models.enrollments import Enrollment, Source
from programs.models.programs import Program, Role


class Invitation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A resend makes a new token (the old link stops working) and a new expiry.
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.INVITED)
    # The local partner that brought the person: copied to the enrollment on acceptance.
    partner = models.ForeignKey(
        "programs.Partner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["program", "email"], name="one_invitation_per_email")]

    def __str__(self):
        return f"Invitation to {self.program} as {self.get_role_display().lower()}"

    def get_absolute_url(self):
        return reverse("programs:invitation", args=[self.token])

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_for(self, user):
        """Whether ``user`` holds the invited address (their login, or another verified one)."""
        if not user.is_authenticated:
            return False
        if user.email == self.email:
            return True
        return user.emailaddress_set.filter(email__iexact=self.email, verified=True).exists()


class ConsentAnswer(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class GuardianConsent(models.Model):
    """One request to a mentee's parent or guardian, and what they answered, signed.

    ``token`` is the answer link: single-use, it expires, and a newer request (a change of guardian
    or a resend) revokes it. ``manage_token`` is the link in every later guardian email (withdraw,
    raise a concern), valid until a newer request replaces this one. Rows are never deleted.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="consents")
    guardian_name = models.CharField(max_length=120)
    guardian_email = models.EmailField()
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    manage_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=ConsentAnswer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    signed_name = models.CharField("full name, as signed", max_length=120, blank=True)
    relationship = models.CharField(max_length=60, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"], condition=Q(revoked_at__isnull=True), name="one_current_consent"
            )
        ]

    def __str__(self):
        return f"Consent of {self.guardian_name} for {self.enrollment.user}"

    @property
    def is_current(self):
        return self.revoked_at is None

    def can_answer(self, now=None):
        return self.is_current and not self.answer and self.expires_at > (now or timezone.now())

    @property
    def is_given(self):
        return self.answer == ConsentAnswer.GIVEN

    @property
    def is_refused(self):
        return self.answer == ConsentAnswer.REFUSED

    @property
    def is_withdrawn(self):
        return self.answer == ConsentAnswer.WITHDRAWN

    def can_withdraw(self):
        return self.is_current and self.answer == ConsentAnswer.GIVEN
