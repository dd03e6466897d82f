"""Breaks: a participant (or a coordinator for them) steps away until a date. While on a break
they are left out of matching (``EnrollmentQuerySet.matchable``) and check-in reminders
(``evaluation.reminders``). Their open match requests are declined by
``matching.services.enrollment_break_start``, which calls ``break_start`` here."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.services import audit_record
from programs.models import Enrollment, EnrollmentStatus

# The longest break one can take at once; a longer absence is a withdrawal.
MAX_BREAK_DAYS = 183


@transaction.atomic
def break_start(*, enrollment, until, by):
    today = timezone.localdate()
    if enrollment.status != EnrollmentStatus.APPROVED:
        raise ValidationError("Only an approved participant can take a break.")
    if until is None or until <= today:
        raise ValidationError("Choose a return date after today.")
    if until > today + dt.timedelta(days=MAX_BREAK_DAYS):
        raise ValidationError("A break can last at most six months; choose an earlier return date.")
    enrollment.on_break_until = until
    enrollment.save(update_fields=["on_break_until"])
    audit_record(actor=by, action="enrollment.break", target=enrollment, summary=f"until {until:%Y-%m-%d}")
    return enrollment


@transaction.atomic
def break_end(*, enrollment, by):
    if enrollment.on_break_until is None:
        raise ValidationError("You are not on a break.")
    enrollment.on_break_until = None
    enrollment.save(update_fields=["on_break_until"])
    audit_record(actor=by, action="enrollment.break_ended", target=enrollment)
    return enrollment


def breaks_welcome_back(*, on=None):
    """Email everyone whose break ends ``on`` (or ended earlier, if a run was missed) a welcome
    back, once: the conditional update that clears the date is the claim, so two runs at once
    send one email. Returns how many were sent."""
    from mentorship.services import email_queue

    on = on or timezone.localdate()
    sent = 0
    due = Enrollment.objects.filter(on_break_until__lte=on).select_related("program", "user")
    for enrollment in due:
        with transaction.atomic():
            claimed = Enrollment.objects.filter(
                pk=enrollment.pk, on_break_until=enrollment.on_break_until
            ).update(on_break_until=None)
            if not claimed or enrollment.status != EnrollmentStatus.APPROVED:
                continue  # another run sent it, or the person has left meanwhile (cleared quietly)
            email_queue(
                to=enrollment.user.email,
                template="break_welcome_back",
                context={"enrollment": enrollment, "program": enrollment.program},
            )
            sent += 1
    return sent
