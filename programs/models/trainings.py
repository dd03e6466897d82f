"""Training and orientation (programs/trainings.py writes them): what a program asks people to learn
before (and while) they mentor or are mentored.

A ``Training`` is for one audience (mentors, mentees, or a mentee's parent or guardian) and is
either online (ordered ``TrainingPage``s, optionally a quiz of ``QuizQuestion``s with a pass mark)
or in person (``TrainingSession``s people sign up to; the coordinator takes attendance). One
``TrainingRecord`` per person and training keeps their progress and completion (online, in person,
or done elsewhere and recorded by a coordinator); a guardian's is kept on the mentee's enrollment.
A published, required training not completed, or expired, keeps the person from being matched
(``EnrollmentQuerySet.matchable`` and ``programs.selectors.blockers_for``).
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.models.programs import Program


class TrainingFor(models.TextChoices):
    """Who takes a training: the values of the two roles, and the mentee's guardian."""

    MENTOR = "mentor", "Mentors"
    MENTEE = "mentee", "Mentees"
    GUARDIAN = "guardian", "Parents and guardians"


class TrainingKind(models.TextChoices):
    ONLINE = "online", "Online (pages to read, and a quiz)"
    IN_PERSON = "in_person", "In person (a session people sign up to)"


class TrainingQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)

    def published(self):
        return self.current().filter(published_at__isnull=False)

    def gating(self):
        """The trainings that keep people from being matched until done: published and required."""
        return self.published().filter(required=True)


class Training(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(max_length=120)
    summary = models.TextField("what it covers", blank=True)
    audience = models.CharField("who takes it", max_length=10, choices=TrainingFor.choices)
    kind = models.CharField(max_length=10, choices=TrainingKind.choices, default=TrainingKind.ONLINE)
    required = models.BooleanField(
        "required before matching",
        default=False,
        help_text="Nobody in this audience is matched until they have completed it (and it is current).",
    )
    valid_days = models.PositiveIntegerField(
        "valid for (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="For refreshers: after this many days it must be taken again. Empty: never expires.",
    )
    hours = models.DecimalField(
        "length (hours)",
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text="What completing it counts as, in the training hours figure.",
    )
    pass_mark = models.PositiveSmallIntegerField(
        "quiz pass mark (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Online trainings with a quiz: the share of right answers that passes.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Drafts are invisible to participants and keep nobody from being matched.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Removing a training archives it: its completion records are part of people's screening.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["program", "audience"])]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.published_at is not None and self.archived_at is None

    @property
    def is_online(self):
        return self.kind == TrainingKind.ONLINE

    @property
    def gates_matching(self):
        return self.required and self.is_published

    def expiry_for(self, completed_on):
        """When a completion on ``completed_on`` runs out (the day it stops counting), or None."""
        if not self.valid_days or completed_on is None:
            return None
        return completed_on + dt.timedelta(days=self.valid_days)


class StoredFile(models.Model):
    """An uploaded file, kept in the database (so every web machine serves it, and no public URL
    exists): resources' files and training pages' images. Its type was checked from its content
    (programs/uploads.py). Lists never load ``data``: only the view that sends the file does."""

    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class TrainingPage(models.Model):
    """One page of an online training: text (programs markup: paragraphs, headings, lists, links),
    and an optional image."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="pages")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    body = models.TextField()
    image = models.ForeignKey(StoredFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    image_alt = models.CharField("image description", max_length=200, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class QuizQuestion(models.Model):
    """A multiple-choice question at the end of an online training: one right answer."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    explanation = models.TextField(
        blank=True, help_text="Shown to the person after they answer: why the right answer is right."
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class QuizChoice(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class TrainingSession(models.Model):
    """A date of an in-person training: where, when, how many places."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    note = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the coordinator took attendance (the completions of those present are recorded then).
    attendance_taken_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.training} on {self.starts_at:%Y-%m-%d}"


class SessionSignup(models.Model):
    """A person's place at an in-person session, and whether they came."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="signups")
    enrollment = models.ForeignKey(
        "programs.Enrollment", on_delete=models.CASCADE, related_name="training_signups"
    )
    signed_up_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_signup_per_session")
        ]

    def __str__(self):
        return f"{self.enrollment_id} at {self.session_id}"


class CompletedBy(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    EXTERNAL = "external", "Done elsewhere (recorded by a coordinator)"


class TrainingRecordQuerySet(models.QuerySet):
    def current(self, on=None):
        """Completed, and not expired on ``on``: what counts towards being matched."""
        on = on or timezone.localdate()
        return self.filter(completed_on__isnull=False).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=on)
        )


class TrainingRecord(models.Model):
    """One person's progress in, and completion of, one training. A guardian's orientation is
    recorded on the mentee's enrollment."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="records")
    enrollment = models.ForeignKey(
        "programs.Enrollment", on_delete=models.CASCADE, related_name="training_records"
    )
    # Online: how many pages have been read, in order (progress is saved page by page).
    pages_read = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    # The passing quiz score (%), when the training has a quiz.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    completed_by = models.CharField(max_length=10, choices=CompletedBy.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["training__order", "training_id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "enrollment"], name="one_record_per_training")
        ]

    def __str__(self):
        return f"{self.training} for {self.enrollment_id}"

    @property
    def is_completed(self):
        return self.completed_on is not None

    def is_current(self, on=None):
        """The Python twin of ``TrainingRecordQuerySet.current``."""
        on = on or timezone.localdate()
        return self.completed_on is not None and (self.expires_on is None or self.expires_on > on)


class QuizAttempt(models.Model):
    """One go at a training's quiz: the answers (shown only to the person who gave them) and the
    score. A quiz can be retried; each attempt is kept."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.CASCADE, related_name="attempts")
    submitted_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    # {question id: chosen choice id}
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.score}% on {self.submitted_at:%Y-%m-%d}"
