"""Template tags listing the trainings someone takes, with where they stand, on the pages that
point to them (programs.training_progress.training_rows):

{% load training_take %}
{% own_training_rows enrollment as rows %}         the published trainings for the person's role
{% guardian_training_rows consent as rows %}       the guardians' orientation (the consent email too)
"""

from django import template

from programs.models import TrainingFor
from programs.training_progress import training_rows

register = template.Library()


@register.simple_tag
def own_training_rows(enrollment):
    return training_rows(enrollment, enrollment.role)


@register.simple_tag
def guardian_training_rows(consent):
    return training_rows(consent.enrollment, TrainingFor.GUARDIAN)
