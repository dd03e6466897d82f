"""Local partners (schools, businesses, community groups) and their contacts' read-only logins
(programs/partners.py writes them; evaluation reads a partner's people in aggregate only).

A partner belongs to a program. The people it brought are the enrollments tagged with it
(``Enrollment.partner``, set from "how did you hear", an invitation or an import). A partner
contact's login (``PartnerViewer``) is granted by a coordinator through an emailed single-use link
and sees aggregate figures for the partner's own people, never a name."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.models.programs import Program


class PartnerKind(models.TextChoices):
    SCHOOL = "school", "School or college"
    BUSINESS = "business", "Business or employer"
    COMMUNITY = "community", "Community group"
    OTHER = "other", "Other organisation"


class Partner(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=PartnerKind.choices)
    contact_name = models.CharField("contact's name", max_length=120, blank=True)
    contact_email = models.EmailField("contact's email", blank=True)
    contact_phone = models.CharField("contact's phone", max_length=40, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    # An archived partner is no longer offered in "how did you hear"; its people keep the tag.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="one_partner_name_per_program")
        ]

    def __str__(self):
        return self.name


class PartnerViewer(models.Model):
    """A partner contact's read-only login: the emailed link (``token``, single use, expires) and,
    once followed by a signed-in account, that account (``user``). Revoking ends it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="viewers")
    email = models.EmailField()  # where the link was sent
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_views",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "user"], condition=Q(user__isnull=False), name="one_login_per_partner_user"
            )
        ]

    def __str__(self):
        return f"Read-only login for {self.partner}"
