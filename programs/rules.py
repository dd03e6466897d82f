"""The age rule, in one place: apply, import, the admin and profile edits all ask it."""

from django.utils import timezone

from mentorship.models import ADULT_AGE, age_on
from programs.models import OPEN_STATUSES, Enrollment, Role


def age_problem(*, role, date_of_birth, on=None):
    """What is wrong with a person of this date of birth taking this role, or None.

    A minor is never a mentor. (A minor mentee needs a guardian's consent: that is a step of
    screening, Enrollment.needs_guardian_consent, not a refusal.)"""
    age = age_on(date_of_birth, on or timezone.localdate())
    if role == Role.MENTOR and age is not None and age < ADULT_AGE:
        return f"A mentor must be {ADULT_AGE} or over."
    return None


def date_of_birth_problem(*, user, date_of_birth):
    """settings.DATE_OF_BIRTH_CHECKS: a person who mentors (or has applied to) cannot give a date of
    birth that makes them a minor."""
    mentoring = Enrollment.objects.filter(user=user, role=Role.MENTOR, status__in=OPEN_STATUSES).exists()
    if mentoring and age_problem(role=Role.MENTOR, date_of_birth=date_of_birth):
        return (
            f"You are a mentor in a program, and mentors must be {ADULT_AGE} or over. If this date is "
            "right, withdraw from mentoring first, or ask your coordinator."
        )
    return None
