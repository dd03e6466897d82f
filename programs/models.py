import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from mentorship.models import adult_birthdate_limit

DEFAULT_WEIGHTS = {"goals": 4, "interests": 3, "availability": 2, "location": 1, "preferences": 1}
CRITERIA = list(DEFAULT_WEIGHTS)
DEFAULT_CHECKLIST = [
    ("background_check", "Background check", 365 * 2),
    ("references", "References", None),
    ("interview", "Interview", None),
    ("training", "Training", None),
    ("agreement", "Agreement signed", None),
]
BACKGROUND_CHECK = "background_check"


def default_weights():
    return dict(DEFAULT_WEIGHTS)


class Audience(models.TextChoices):
    YOUTH = "youth", "Youth"
    ADULT = "adult", "Adult"
    MIXED = "mixed", "Mixed"


class Format(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"


class MatchingMode(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator decides"
    PARTICIPANTS = "participants", "Participants choose from suggestions"


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


PROGRAM_TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.OPEN, ProgramStatus.CLOSED},
    ProgramStatus.OPEN: {ProgramStatus.RUNNING, ProgramStatus.CLOSED},
    ProgramStatus.RUNNING: {ProgramStatus.OPEN, ProgramStatus.CLOSED},
    ProgramStatus.CLOSED: set(),
}


class Program(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(help_text="Who the program is for and what it asks of people.")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.YOUTH)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.ONE_TO_ONE)
    status = models.CharField(max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    is_rolling = models.BooleanField("rolling (no fixed dates)", default=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    checkin_cadence_days = models.PositiveSmallIntegerField(
        "check-in every (days)", default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    min_commitment_months = models.PositiveSmallIntegerField(
        "minimum commitment (months)", default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        "mentees per mentor", default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    satisfaction_survey_days = models.PositiveSmallIntegerField(
        "satisfaction survey every (days)",
        default=90,
        validators=[MinValueValidator(14), MaxValueValidator(365)],
    )
    matching_mode = models.CharField(
        max_length=20, choices=MatchingMode.choices, default=MatchingMode.COORDINATOR
    )
    auto_suggestions = models.BooleanField("suggest matches every night", default=False)
    criteria_weights = models.JSONField(default=default_weights)
    min_score = models.PositiveSmallIntegerField(
        "minimum match score", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    max_distance_km = models.PositiveSmallIntegerField("maximum travel distance (km)", null=True, blank=True)
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coordinated_programs")
    # Who receives safeguarding concerns; empty means every coordinator (see concern_leads).
    safeguarding_leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="safeguarding_programs"
    )
    # The neighbourhoods a participant can say they are in. A partner sees this name, never the
    # free-text area of the profile (often a street or a postcode).
    areas = models.JSONField(default=list, blank=True)
    consent_valid_days = models.PositiveSmallIntegerField(
        "consent links valid for (days)", default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        "invitations valid for (days)", default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="program_end_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.slug])

    @property
    def accepts_applications(self):
        return self.status == ProgramStatus.OPEN or (self.status == ProgramStatus.RUNNING and self.is_rolling)

    def can_become(self, status):
        return status in PROGRAM_TRANSITIONS[self.status]

    def asks_guardian_of(self, role):
        """Whether applicants in ``role`` may need a guardian's consent: mentees of a program that
        is not for adults only (whether one does is ``Enrollment.needs_guardian_consent``)."""
        return role == Role.MENTEE and self.audience != Audience.ADULT

    def asks_date_of_birth_of(self, role):
        """Whether the age rules need ``role``'s date of birth here: mentors must be adults, and a
        youth program's mentees may need a guardian."""
        return role == Role.MENTOR or self.asks_guardian_of(role)

    def leads(self):
        """The safeguarding leads: those named, or else every coordinator."""
        named = list(self.safeguarding_leads.all())
        return named or list(self.coordinators.all())

    def is_lead(self, user):
        if not user.is_authenticated:
            return False
        return any(lead.pk == user.pk for lead in self.leads())


class ChecklistItemQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)


class ChecklistItem(models.Model):
    """A screening step every mentor of the program must complete (and keep current)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="checklist_items")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    valid_days = models.PositiveIntegerField(
        "valid for (days)", null=True, blank=True, help_text="Leave empty if it never expires."
    )
    order = models.PositiveSmallIntegerField(default=0)
    # Removing an item archives it: the checks recorded against it are safeguarding records.
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key"], condition=Q(archived_at__isnull=True), name="checklist_key_unique"
            )
        ]

    def __str__(self):
        return self.name


class Question(models.Model):
    """A program's own application question, answered in free text."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


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
            .with_date_of_birth_flag()
            .filter(status=EnrollmentStatus.APPROVED, date_of_birth_changed=False)
        )
        mentor_ok = Q(role=Role.MENTOR, screening_complete=True) & (
            Q(user__profile__date_of_birth__isnull=True) | Q(user__profile__date_of_birth__lte=limit)
        )
        mentee_ok = Q(role=Role.MENTEE) & (
            Q(user__profile__date_of_birth__lte=limit)
            | Q(user__profile__date_of_birth__isnull=True, program__audience=Audience.ADULT)
            | Q(guardian_consent=True)
        )
        return qs.filter(mentor_ok | mentee_ok)


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
    capacity = models.PositiveSmallIntegerField(
        "mentees this mentor can take", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # A mentor can pause new matches (holidays, a busy season) without leaving the program.
    accepting_new_matches = models.BooleanField("open to new matches", default=True)
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
        indexes = [models.Index(fields=["program", "role", "status"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} in {self.program}"

    def get_absolute_url(self):
        return reverse("programs:enrollment", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

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

    def can_withdraw(self):
        return self.is_current and self.answer == ConsentAnswer.GIVEN
