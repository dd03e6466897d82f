from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone

ADULT_AGE = 18
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_PARTS = ["morning", "afternoon", "evening"]
# Weekly availability is a 21-bit mask: bit (day * 3 + part), Monday morning = bit 0.
AVAILABILITY_SLOTS = [
    (day * 3 + part, f"{DAYS[day]} {DAY_PARTS[part]}") for day in range(7) for part in range(3)
]


def age_on(date_of_birth, on):
    if date_of_birth is None:
        return None
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def adult_birthdate_limit(on):
    """People born after this date are minors on ``on``."""
    try:
        return on.replace(year=on.year - ADULT_AGE)
    except ValueError:  # 29 February
        return on.replace(year=on.year - ADULT_AGE, day=28)


class UserManager(BaseUserManager):
    """Users log in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


# The group staff put people in to let them run programs (a role of the organisation).
COORDINATORS_GROUP = "coordinators"


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)

    # The last time the person did something that shows they are around: signed in, sent a
    # message, logged a check-in (mentorship.services.user_seen). Coordinators see it; people
    # inactive for two cadence periods appear in their to-do.
    last_active_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # Email is the login: keep one spelling so "Ann@x.org" and "ann@x.org" are one account.
        self.email = (self.email or "").strip().lower()
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                # Every account has a profile from the start, however it was created (sign-up,
                # admin, createsuperuser, import).
                Profile.objects.get_or_create(user=self)

    def may_coordinate(self):
        """Staff, or someone staff made a coordinator: may create programs and be added to one."""
        return self.is_staff or self.groups.filter(name=COORDINATORS_GROUP).exists()

    def runs_programs(self):
        """Staff, a coordinator, or coordinating a program: sees children's records (two-factor
        authentication required) and the programs they manage on their dashboard."""
        return self.may_coordinate() or self.coordinated_programs.exists()

    @property
    def last_active(self):
        """What coordinators see as "last active": the later of the last sign-in (``last_login``)
        and the last thing done (``last_active_at``); None if neither. The SQL twin is
        ``last_active_sql``."""
        return max((at for at in (self.last_active_at, self.last_login) if at), default=None)

    @property
    def display_name(self):
        profile = getattr(self, "profile", None)
        if profile and profile.display_name:
            return profile.display_name
        return self.get_full_name() or self.email.split("@")[0]


def last_active_sql(prefix=""):
    """``User.last_active`` in SQL, for a queryset of users (``prefix`` "") or of rows that reach
    one (``"user__"``): NULL only when both times are (GREATEST of two COALESCEs, so that one
    missing time does not hide the other on any database)."""
    active, login = F(f"{prefix}last_active_at"), F(f"{prefix}last_login")
    return Greatest(Coalesce(active, login), Coalesce(login, active))


class Tag(models.Model):
    """An interest, skill or goal; one vocabulary across the site so that they can be compared."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self):
        return self.name


class Language(models.Model):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="language_name_unique_ci")]

    def __str__(self):
        return self.name


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    EITHER = "either", "Either"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "Another gender"


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    FROM_25_TO_39 = "25_39", "25 to 39"
    FROM_40_TO_59 = "40_59", "40 to 59"
    OVER_60 = "60_plus", "60 or over"

    @classmethod
    def for_age(cls, age):
        if age is None:
            return None
        if age < 25:
            return cls.UNDER_25
        if age < 40:
            return cls.FROM_25_TO_39
        if age < 60:
            return cls.FROM_40_TO_59
        return cls.OVER_60


class Importance(models.TextChoices):
    NICE = "nice", "Nice to have"
    REQUIRED = "required", "Required"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"


class Profile(models.Model):
    """What a person tells the site about themself, once, for every program. Matching reads it.

    Date of birth (and the age and "minor" derived from it), contact details and gender are never
    shown to a match partner: partners see ``programs.limited.LimitedProfile`` only.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # When the date of birth last changed (set or edited) after being first given: programs flag
    # an approved enrollment whose person changed it since a coordinator last looked.
    date_of_birth_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)

    languages = models.ManyToManyField(Language, blank=True, related_name="speakers")
    interests = models.ManyToManyField(Tag, blank=True, related_name="interested_profiles")
    skills = models.ManyToManyField(Tag, blank=True, related_name="skilled_profiles")
    goals = models.ManyToManyField(Tag, blank=True, related_name="goal_profiles")

    availability = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(2**21 - 1)], help_text="21-bit weekly mask"
    )
    area = models.CharField("neighbourhood or postcode", max_length=80, blank=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    meeting_mode = models.CharField(max_length=20, choices=MeetingMode.choices, default=MeetingMode.EITHER)

    partner_gender = models.CharField(
        "preferred partner gender", max_length=20, choices=Gender.choices, blank=True
    )
    partner_gender_importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.NICE
    )
    partner_age_band = models.CharField(
        "preferred partner age", max_length=20, choices=AgeBand.choices, blank=True
    )
    partner_age_band_importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.NICE
    )

    phone = models.CharField(max_length=30, blank=True)
    contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    email_reminders = models.BooleanField("send me reminder emails", default=True)
    board_digest = models.BooleanField(
        "email me a daily digest of new discussion posts",
        default=True,
        help_text="At most one email a day, only when something new was posted on your boards.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.display_name or str(self.user)

    def age(self, on=None):
        return age_on(self.date_of_birth, on or timezone.localdate())

    def is_minor(self, on=None):
        age = self.age(on)
        return age is not None and age < ADULT_AGE

    @property
    def age_band(self):
        return AgeBand.for_age(self.age())

    def available_slots(self):
        return [slot for slot, _ in AVAILABILITY_SLOTS if self.availability >> slot & 1]

    @property
    def normalised_area(self):
        return " ".join(self.area.lower().split())


class Heartbeat(models.Model):
    """When a periodic job last ran: /readyz reads beat's and the worker's."""

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self):
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class OutboundEmail(models.Model):
    """An email waiting to go out (or gone). Written in the same transaction as the change it
    announces, then sent by a worker; a periodic sweep retries any that a broker outage or a crash
    left behind. A row is claimed before sending, so it goes out once."""

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    kind = models.CharField(max_length=40, help_text="template name, for support and reports")
    # What the email is about, for a late send to ask whether it is still wanted (a reminder whose
    # check-in was logged meanwhile): "reminder:<match>:<period start>:<kind>"; empty for most.
    topic = models.CharField(max_length=100, blank=True)
    # An iCalendar invitation (a meeting), sent as a text/calendar attachment; empty for most.
    calendar = models.TextField(blank=True)
    # Not sent, on purpose: by the time the sweep reached it, it was no longer needed (last_error
    # says why).
    dropped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="email_unsent_idx")
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class AuditEntry(models.Model):
    """Who did what to a safeguarding record, and when: granted or removed a coordinator, changed
    a guardian, answered a consent, raised or triaged a concern. Written in the same transaction
    as the change; nothing in the site or the admin edits or deletes a row."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who acted when it was no account (a guardian on their link), in words.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60)
    target_id = models.PositiveBigIntegerField()
    summary = models.CharField(max_length=300, blank=True)
    # The client's address, as the request saw it (after the trusted-proxy correction, if any).
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.action} {self.target_type}#{self.target_id}"

    LABELS = {
        "coordinator.added": "Coordinator added",
        "coordinator.removed": "Coordinator removed",
        "leads.set": "Safeguarding leads set",
        "checklist.archived": "Checklist item archived",
        "consent.requested": "Guardian asked for consent",
        "consent.change_requested": "Change of guardian requested",
        "consent.given": "Consent given",
        "consent.refused": "Consent refused",
        "consent.withdrawn": "Consent withdrawn",
        "profile.date_of_birth": "Date of birth changed",
        "enrollment.dob_checked": "Changed date of birth checked",
        "enrollment.viewed": "Record of a minor viewed",
        "enrollment.status": "Status changed",
        "enrollment.capacity": "Mentor's capacity changed",
        "program.updated": "Program settings changed",
        "program.status": "Program status changed",
        "match.status": "Match status changed",
        "screening.recorded": "Screening recorded",
        "concern.viewed": "Concern about a minor viewed",
        "export.requested": "Export of personal data",
        "export.downloaded": "Export downloaded",
        "audit.exported": "Audit trail exported",
        "person.viewed": "Person page of a minor viewed",
        "person.data_exported": "All data about a person downloaded",
        "person.anonymised": "Person anonymised",
        "training.created": "Training created",
        "training.updated": "Training changed",
        "training.published": "Training published",
        "training.unpublished": "Training unpublished",
        "training.archived": "Training archived",
        "training.session_cancelled": "Training session cancelled",
        "training.signed_up": "Signed up to a training session",
        "training.signup_cancelled": "Place at a training session given back",
        "training.completed": "Training completed",
        "training.completion_removed": "Training completion removed",
        "resource.created": "Resource added",
        "resource.updated": "Resource changed",
        "resource.deleted": "Resource deleted",
        "resource.copied": "Resource copied",
    }

    @property
    def label(self):
        return self.label_of(self.action)

    @classmethod
    def label_of(cls, action):
        return cls.LABELS.get(action, action.replace(".", ": ").replace("_", " ").capitalize())

    @property
    def who(self):
        return self.actor.display_name if self.actor_id else (self.actor_label or "the system")


class FormSubmission(models.Model):
    """A form's one-time token, claimed in the same transaction as the row the form creates: a
    double click or a resent POST finds it taken and creates nothing (see mentorship.once)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return str(self.token)
