"""Optional, self-described demographic questions a program chooses, and the answers.

Kept apart from the profile on purpose: never used in matching, never shown to a partner or on any
person's page, and read by coordinators and staff only in aggregate (evaluation/equity.py, with
small cells suppressed). Every question offers "prefer not to say" and a free-text answer."""

from django.db import models
from django.utils import timezone

from programs.models.enrollments import Enrollment
from programs.models.programs import Program


class DemographicTopic(models.TextChoices):
    GENDER = "gender", "Gender"
    ETHNICITY = "ethnicity", "Ethnicity"
    DISABILITY = "disability", "Disability"
    FIRST_GENERATION = "first_gen", "First in family at university"
    HOME_LANGUAGE = "home_language", "Language at home"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    OTHER = "other", "Another question"


class DemographicQuestion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="demographic_questions")
    topic = models.CharField(max_length=20, choices=DemographicTopic.choices)
    label = models.CharField("question", max_length=200)
    # The answers offered, in order (strings); "prefer not to say" and the free-text answer are
    # always offered besides.
    options = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # A retired question is no longer asked; its answers still count in the equity report.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class DemographicAnswer(models.Model):
    """One person's answer to one question: one of ``options``, "prefer not to say", or their own
    words (``self_described``)."""

    question = models.ForeignKey(DemographicQuestion, on_delete=models.CASCADE, related_name="answers")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="demographic_answers")
    option = models.CharField(max_length=120, blank=True)
    prefer_not_to_say = models.BooleanField(default=False)
    self_described = models.CharField("in your own words", max_length=120, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "enrollment"], name="one_answer_per_question_person")
        ]

    def __str__(self):
        return f"Answer to question #{self.question_id}"
