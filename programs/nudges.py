"""Nudges: a coordinator's one-click "we haven't seen you in a while" email to someone inactive
(the to-do list finds them: evaluation/activity.py). Recorded (``Nudge``), and at most one a week
per person: ``Enrollment.nudged_at`` is claimed with a conditional update, so two coordinators
clicking at once send one email."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorship.services import email_queue
from programs.models import Enrollment, EnrollmentStatus, Nudge

# How long after a nudge the same person may be nudged again.
NUDGE_EVERY = dt.timedelta(days=7)


def nudge_next_allowed(nudged_at):
    """When a person nudged at ``nudged_at`` may be nudged again (None: now)."""
    return nudged_at + NUDGE_EVERY if nudged_at else None


def nudged_recently(enrollment, *, now=None):
    """Whether ``enrollment``'s person was nudged less than a week ago (the to-do then says when,
    instead of offering the button)."""
    allowed = nudge_next_allowed(enrollment.nudged_at)
    return allowed is not None and allowed > (now or timezone.now())


def _first_name(user):
    profile = getattr(user, "profile", None)
    name = (profile.display_name if profile else "").strip() or user.get_full_name().strip()
    return name.split()[0] if name else ""


@transaction.atomic
def nudge_send(*, enrollment, by):
    """Email ``enrollment``'s person a friendly nudge from ``by`` (a coordinator of the program, or
    staff: the view checks), unless they were nudged in the last week: then a ValidationError
    says when they were and when they can be again."""
    if enrollment.status != EnrollmentStatus.APPROVED:
        raise ValidationError("Only someone taking part in the program can be nudged.")
    now = timezone.now()
    claimed = Enrollment.objects.filter(
        Q(nudged_at__isnull=True) | Q(nudged_at__lte=now - NUDGE_EVERY), pk=enrollment.pk
    ).update(nudged_at=now)
    if not claimed:
        last = Enrollment.objects.values_list("nudged_at", flat=True).get(pk=enrollment.pk)
        local = timezone.localtime(last)
        again = timezone.localtime(nudge_next_allowed(last))
        raise ValidationError(
            f"{enrollment.user.display_name} was nudged on {local:%-d %b}; "
            f"you can nudge again from {again:%-d %b}."
        )
    enrollment.nudged_at = now
    nudge = Nudge.objects.create(enrollment=enrollment, sent_by=by, created_at=now)
    email_queue(
        to=enrollment.user.email,
        template="nudge",
        context={
            "enrollment": enrollment,
            "program": enrollment.program,
            "name": _first_name(enrollment.user) or "there",
            "coordinator": _first_name(by) or "your coordinator",
            "dashboard_url": reverse("dashboard"),
        },
    )
    return nudge
