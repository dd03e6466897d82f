"""Programs: their settings, status and transitions, the mentors' screening checklist, the
application questions, and the roles people take in them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

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
    """How mentees are mentored: in pairs, in groups led by a mentor (or co-mentors), or in peer
    circles of mentees with an optional facilitator (matching/models/groups.py)."""

    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group (a mentor with a cohort of mentees)"
    PEER_CIRCLES = "peer_circles", "Peer circles (mentees in small circles)"


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
    group_size = models.PositiveSmallIntegerField(
        "mentees per group",
        default=8,
        validators=[MinValueValidator(2), MaxValueValidator(40)],
        help_text="Group programs: the most mentees one group takes.",
    )
    circle_size = models.PositiveSmallIntegerField(
        "people per peer circle",
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(12)],
        help_text="Peer circles: the size circles are formed at (a circle may be one smaller or larger).",
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
    # Messages (matching/messaging/): phone numbers, email addresses and social handles wait for a
    # coordinator before the partner sees them. On by default: most programs here have minors.
    holds_contact_details = models.BooleanField(
        "hold back contact details in messages",
        default=True,
        help_text="Phone numbers, email addresses and social handles in a message are hidden from "
        "the partner until a coordinator releases them.",
    )
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

    @property
    def invitation_problem(self):
        """Why nobody can be invited now (said on the invite page, refused by the service), or ""."""
        if self.status == ProgramStatus.CLOSED:
            return "This program is closed: it cannot take new people."
        if self.status == ProgramStatus.DRAFT:
            # Its public pages (and so the application) are hidden until it opens: a link would 404.
            return "Open the program before inviting people: until then the link leads nowhere."
        return ""

    @property
    def areas(self):
        """The names of the program's areas (``Area``), in order: what a participant chooses from
        and a partner may see. Reads ``program_areas`` through .all(), so a prefetch serves it."""
        return [area.name for area in self.program_areas.all()]

    @property
    def is_one_to_one(self):
        return self.format == Format.ONE_TO_ONE

    @property
    def has_groups(self):
        """Mentees meet in groups or peer circles (matching/models/groups.py), not in pairs."""
        return self.format in (Format.GROUP, Format.PEER_CIRCLES)

    @property
    def participants_choose(self):
        return self.matching_mode == MatchingMode.PARTICIPANTS

    def asks_guardian_of(self, role):
        """Whether applicants in ``role`` may need a guardian's consent: mentees of a program that
        is not for adults only (whether one does is ``Enrollment.needs_guardian_consent``)."""
        return role == Role.MENTEE and self.audience != Audience.ADULT

    def asks_date_of_birth_of(self, role):
        """Whether the age rules need ``role``'s date of birth here: mentors must be adults, and a
        youth program's mentees may need a guardian."""
        return role == Role.MENTOR or self.asks_guardian_of(role)

    @property
    def may_have_minors(self):
        """Mentees here may be under 18: what pages and emails say (and leave out) because of it."""
        return self.asks_guardian_of(Role.MENTEE)

    def coordinator_names(self):
        """Who runs the program, by name, for the emails that point people to them: "Rosa Delgado
        and Tom Evans" (staff and coordinators are the organisation's people; their names are not
        a participant's personal details)."""
        names = sorted(user.display_name for user in self.coordinators.all())
        if len(names) <= 1:
            return names[0] if names else "your coordinator"
        return ", ".join(names[:-1]) + " and " + names[-1]

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
