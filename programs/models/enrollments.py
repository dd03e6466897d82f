"""Enrollments (a person's application to and place in a program), their status and transitions,
the history of status changes, the answers to the program's questions and the mentors' screening
records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from mentorship.models import adult_birthdate_limit
from programs.models.programs import Audience, ChecklistItem, Program, Question, Role
from programs.models.trainings import Training, TrainingFor, TrainingRecord


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    IN_SCREENING = "in_screening", "In screening"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WAITLISTED = "waitlisted", "Wait-listed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Who may move an enrollment where. Withdrawing is the applicant's own act (any open status).
ENROLLMENT_TRANSITIONS = {
    EnrollmentStatus.APPLIED: {
        EnrollmentStatus.IN_SCREENING,
        EnrollmentStatus.DECLINED,
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.WITHDRAWN,
    },
    EnrollmentStatus.IN_SCREENING: {
        EnrollmentStatus.APPROVED,
        EnrollmentStatus.DECLINED,
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.WITHDRAWN,
    },
    EnrollmentStatus.WAITLISTED: {
        EnrollmentStatus.IN_SCREENING,
        EnrollmentStatus.APPROVED,
        EnrollmentStatus.DECLINED,
        EnrollmentStatus.WITHDRAWN,
    },
    EnrollmentStatus.APPROVED: {EnrollmentStatus.WAITLISTED, EnrollmentStatus.WITHDRAWN},
    EnrollmentStatus.DECLINED: set(),
    EnrollmentStatus.WITHDRAWN: set(),
}
OPEN_STATUSES = [s for s, targets in ENROLLMENT_TRANSITIONS.items() if EnrollmentStatus.WITHDRAWN in targets]


class HeardAbout(models.TextChoices):
    FRIEND = "friend", "A friend or family member"
    SCHOOL = "school", "School or college"
    EMPLOYER = "employer", "Employer"
    SOCIAL = "social", "Social media"
    EVENT = "event", "An event"
    PARTNER = "partner", "A partner organisation"
    INVITATION = "invitation", "An invitation from the program"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    APPLIED = "applied", "Applied online"
    INVITED = "invited", "Invited"
    IMPORTED = "imported", "Imported"


class EnrollmentQuerySet(models.QuerySet):
    def with_screening(self, on=None):
        """Annotate ``screening_complete``: every checklist item recorded and unexpired on ``on``."""
        on = on or timezone.localdate()
        valid_record = ScreeningRecord.objects.filter(
            enrollment=OuterRef(OuterRef("pk")), item=OuterRef("pk")
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        missing = (
            ChecklistItem.objects.current().filter(program=OuterRef("program")).exclude(Exists(valid_record))
        )
        return self.annotate(screening_complete=~Exists(missing))

    def with_training(self, on=None):
        """Annotate ``training_complete``: every published, required training of the person's role
        completed and current on ``on`` and, for a mentee who needs a guardian's consent, every
        such training for guardians (recorded on the mentee's enrollment). The Python twin is
        ``programs.selectors.missing_trainings``."""
        on = on or timezone.localdate()
        missing = _missing_training(on, adult_birthdate_limit(on))
        return self.annotate(
            training_complete=ExpressionWrapper(~missing, output_field=models.BooleanField())
        )

    def with_minor(self, on=None):
        on = on or timezone.localdate()
        minor = When(user__profile__date_of_birth__gt=adult_birthdate_limit(on), then=Value(True))
        return self.annotate(is_minor=Case(minor, default=Value(False), output_field=models.BooleanField()))

    def with_date_of_birth_flag(self):
        """Annotate ``date_of_birth_changed``: the person changed their date of birth after a
        coordinator approved (or last checked) them."""
        return self.annotate(
            date_of_birth_changed=Case(
                When(
                    dob_reviewed_at__isnull=False,
                    user__profile__date_of_birth_changed_at__gt=models.F("dob_reviewed_at"),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def matchable(self, on=None):
        """Approved; adult mentors with a complete, unexpired checklist; minors with a guardian's
        consent; nobody whose date of birth changed until a coordinator has looked again."""
        on = on or timezone.localdate()
        limit = adult_birthdate_limit(on)
        qs = (
            self.with_screening(on)
            .with_training(on)
            .with_date_of_birth_flag()
            .filter(training_complete=True)
            .filter(status=EnrollmentStatus.APPROVED, date_of_birth_changed=False)
            .exclude(_on_break(on))
        )
        mentor_ok = Q(role=Role.MENTOR, screening_complete=True) & _old_enough_to_mentor(limit)
        mentee_ok = Q(role=Role.MENTEE) & _consent_given_or_not_needed(limit)
        return qs.filter(mentor_ok | mentee_ok)

    def blocked_by(self, reason, on=None):
        """Open applications that ``reason`` keeps from being matched (a key of BLOCKED_BY: the
        applicant list's filter), from the same conditions as ``matchable``; "nothing": matchable."""
        on = on or timezone.localdate()
        limit = adult_birthdate_limit(on)
        if reason == "nothing":
            return self.matchable(on)
        qs = self.filter(status__in=OPEN_STATUSES)
        if reason == "decision":
            return qs.filter(status__in=[EnrollmentStatus.APPLIED, EnrollmentStatus.IN_SCREENING])
        if reason == "dob_check":
            return qs.with_date_of_birth_flag().filter(date_of_birth_changed=True)
        if reason == "age":
            return qs.filter(Q(role=Role.MENTOR) & ~_old_enough_to_mentor(limit))
        if reason == "screening":
            return qs.with_screening(on).filter(role=Role.MENTOR, screening_complete=False)
        if reason == "consent":
            return qs.filter(Q(role=Role.MENTEE) & ~_consent_given_or_not_needed(limit))
        if reason == "break":
            return qs.filter(_on_break(on))
        if reason == "training":
            return qs.with_training(on).filter(training_complete=False)
        raise ValueError(f"Unknown reason: {reason}")


# The conditions ``matchable`` and ``blocked_by`` share (the Python twins are the age rule and
# ``Enrollment.lacks_guardian_consent``).
def _old_enough_to_mentor(limit):
    return Q(user__profile__date_of_birth__isnull=True) | Q(user__profile__date_of_birth__lte=limit)


def _on_break(on):
    # The break lasts until the return date: on that day the person is back.
    return Q(on_break_until__gt=on)


def _needs_consent(limit, prefix=""):
    """The SQL twin of ``Enrollment.needs_guardian_consent`` (``prefix`` reaches the enrollment
    from a subquery)."""
    role, dob, audience = (
        f"{prefix}role",
        f"{prefix}user__profile__date_of_birth",
        f"{prefix}program__audience",
    )
    adult = Q(**{f"{dob}__lte": limit})
    unknown_in_adult_program = Q(**{f"{dob}__isnull": True, audience: Audience.ADULT})
    return Q(**{role: Role.MENTEE}) & ~adult & ~unknown_in_adult_program


def _missing_training(on, limit):
    """Whether the enrollment (the outer query) lacks a gating training: one of its role's, or, for
    a mentee who needs consent, a guardian's, with no current record."""
    current = TrainingRecord.objects.current(on).filter(
        enrollment=OuterRef(OuterRef("pk")), training=OuterRef("pk")
    )
    gating = Training.objects.gating().filter(program=OuterRef("program")).exclude(Exists(current))
    own = Exists(gating.filter(audience=OuterRef("role")))
    guardian = Exists(gating.filter(audience=TrainingFor.GUARDIAN))
    return Q(own) | (_needs_consent(limit) & Q(guardian))


def _consent_given_or_not_needed(limit):
    return (
        Q(user__profile__date_of_birth__lte=limit)
        | Q(user__profile__date_of_birth__isnull=True, program__audience=Audience.ADULT)
        | Q(guardian_consent=True)
    )


class Enrollment(models.Model):
    """A person's application to (and place in) a program, in one role."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(
        max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.APPLIED
    )
    motivation = models.TextField("why do you want to take part?", blank=True)
    heard_about = models.CharField(
        "how did you hear about the program?", max_length=20, choices=HeardAbout.choices
    )
    heard_about_detail = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.APPLIED)
    # The local partner that brought the person (programs.models.partners), from "how did you
    # hear", an invitation or an import; reports and exports can be sliced by it.
    partner = models.ForeignKey(
        "programs.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="brought by partner",
    )
    capacity = models.PositiveSmallIntegerField(
        "mentees this mentor can take", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # A mentor can pause new matches (holidays, a busy season) without leaving the program.
    accepting_new_matches = models.BooleanField("open to new matches", default=True)
    # A break (programs.breaks): left out of matching and reminders until this date, when the
    # person is back (``is_on_break``). Cleared by ending the break or by the welcome-back nudge.
    on_break_until = models.DateField("on a break until", null=True, blank=True, editable=False)
    # When a coordinator last nudged the person (programs.models.Nudge): at most once a week.
    nudged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The current guardian and their answer, kept by the consent services from the latest
    # GuardianConsent (the history, with each signed answer, is there).
    guardian_name = models.CharField(max_length=120, blank=True, editable=False)
    guardian_email = models.EmailField(blank=True, editable=False)
    guardian_consent = models.BooleanField(null=True, blank=True, editable=False)
    guardian_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    guardian_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The program-defined area (Program.areas) the person is in: what a partner sees of location.
    area_name = models.CharField("area", max_length=80, blank=True)
    # When a coordinator approved or last checked the person's date of birth (see
    # with_date_of_birth_flag).
    dob_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="one_enrollment_per_program")]
        indexes = [
            models.Index(fields=["program", "role", "status"]),
            # The applicant list's page, newest first, without sorting every application.
            models.Index(fields=["program", "-created_at", "-id"], name="enrollment_list_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} in {self.program}"

    def get_absolute_url(self):
        return reverse("programs:enrollment", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_approved(self):
        return self.status == EnrollmentStatus.APPROVED

    @property
    def is_mentor(self):
        return self.role == Role.MENTOR

    def is_on_break(self, on=None):
        """The Python twin of ``_on_break``."""
        on = on or timezone.localdate()
        return self.on_break_until is not None and self.on_break_until > on

    def can_become(self, status):
        return status in ENROLLMENT_TRANSITIONS[self.status]

    def effective_capacity(self):
        return self.capacity or self.program.default_mentor_capacity

    def needs_guardian_consent(self, on=None):
        """A mentee under 18 (or of unknown age outside adult programs) needs a guardian's consent.
        The SQL twin of this rule is ``matchable``."""
        if self.role != Role.MENTEE:
            return False
        profile = self.user.profile
        if profile.date_of_birth is None:
            return self.asks_guardian
        return profile.is_minor(on)

    @property
    def asks_guardian(self):
        """Whether this enrollment may need a guardian (see ``Program.asks_guardian_of``)."""
        return self.program.asks_guardian_of(self.role)

    def lacks_guardian_consent(self, on=None):
        """Consent is needed (``needs_guardian_consent``) and a guardian has not given it: such a
        mentee is not matched and their match does not start."""
        return self.needs_guardian_consent(on) and self.guardian_consent is not True

    def clean(self):
        from programs.rules import age_problem

        if self.user_id and self.role:
            problem = age_problem(role=self.role, date_of_birth=self.user.profile.date_of_birth)
            if problem:
                raise ValidationError(problem)


class StatusChange(models.Model):
    """Every change of an enrollment's status: who, when, why."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=EnrollmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EnrollmentStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.from_status or '–'} → {self.to_status}"


class Answer(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"Answer to {self.question}"


class ScreeningRecord(models.Model):
    """One checklist item done for one mentor: when, by whom, until when it is valid."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="screening_records")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "item"], name="one_record_per_item")]

    def __str__(self):
        return f"{self.item} on {self.completed_on}"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.expires_on is None or self.expires_on > on
