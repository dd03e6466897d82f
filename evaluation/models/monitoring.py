"""Monitoring and support: check-ins, staff contacts, goals, surveys, reminders, feeds, exports,
retention holds and thank-you notes."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from matching.models import Match
from programs.models import Enrollment, Program, Role


class CheckInMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    MESSAGE = "message", "Messages"


LOW_RATING = 2  # a check-in rated 2 or less (of 5) flags the pair as at risk


class CheckIn(models.Model):
    """A meeting of a pair (or one that was planned and missed), logged by either person."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checkins")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    occurred_on = models.DateField("date")
    held = models.BooleanField("the meeting took place", default=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    mode = models.CharField(max_length=12, choices=CheckInMode.choices, default=CheckInMode.IN_PERSON)
    notes = models.TextField(
        blank=True, max_length=2000, help_text="Seen by your partner and your coordinator."
    )
    rating = models.PositiveSmallIntegerField(
        "how did it go? (1-5)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # The planned meeting this check-in logs (matching.Meeting), when logged from its prompt.
    meeting = models.ForeignKey(
        "matching.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            # One check-in per meeting per person: the prompt goes away once they have logged it.
            models.UniqueConstraint(
                fields=["meeting", "logged_by"],
                condition=Q(meeting__isnull=False),
                name="one_checkin_per_meeting_person",
            )
        ]
        indexes = [
            models.Index(fields=["match", "occurred_on"]),
            # A pair's last low rating (pairs at risk): one probe, not a walk through its check-ins.
            models.Index(
                fields=["match", "occurred_on"],
                condition=Q(rating__lte=LOW_RATING),
                name="checkin_low_rating",
            ),
        ]

    def __str__(self):
        return f"Check-in {self.occurred_on} ({'held' if self.held else 'missed'})"


class CheckInDay(models.Model):
    """Rollup for the KPIs: a program's check-ins of one day. Kept by database triggers on the
    check-ins (migration 0002), so every way of writing check-ins keeps it right; never written here.

    The ratings are split by who logged them, the pair's mentee or mentor; ``checkins`` and ``held``
    count every check-in, a coordinator's too."""

    program = models.ForeignKey(Program, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    day = models.DateField()
    checkins = models.IntegerField(default=0)
    held = models.IntegerField(default=0)
    mentee_ratings = models.IntegerField(default=0)
    mentee_rating_sum = models.IntegerField(default=0)
    mentor_ratings = models.IntegerField(default=0)
    mentor_rating_sum = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "day"], name="one_checkin_day")]

    def __str__(self):
        return f"{self.day}: {self.checkins} check-ins"


class CheckInPeriod(models.Model):
    """Rollup for the KPIs: one cadence period of a match that has at least one check-in. Period k
    runs from started_on + k*c to ``ends_on`` = started_on + (k+1)*c - 1 (c: the program's cadence).
    ``counted``: the period is due (no day of it paused) and ended before the match closed (or the
    match is open), so compliance counts it (evaluation/periods.py). Kept by database triggers on
    check-ins, matches (start, end), their pauses and programs (cadence)."""

    match = models.ForeignKey(Match, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    period = models.IntegerField()
    program = models.ForeignKey(Program, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    ends_on = models.DateField()
    counted = models.BooleanField()
    checkins = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["match", "period"], name="one_checkin_period")]
        indexes = [
            models.Index(
                fields=["program", "ends_on"], condition=Q(counted=True), name="checkin_period_counted"
            )
        ]

    def __str__(self):
        return f"Period {self.period} of match {self.match_id}: {self.checkins} check-ins"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"


class StaffContact(models.Model):
    """A coordinator's support contact with a pair (the field's standard: twice in the first
    month, then monthly)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="staff_contacts")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    contacted_on = models.DateField()
    method = models.CharField(max_length=12, choices=ContactMethod.choices, default=ContactMethod.PHONE)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["match", "contacted_on"])]

    def __str__(self):
        return f"Staff contact {self.contacted_on}"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Goal(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "target_date", "pk"]

    def __str__(self):
        return self.title


class GoalNote(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class SurveyKind(models.TextChoices):
    PAIRING_FIT = "pairing_fit", "Pairing fit (after the first meeting)"
    SATISFACTION = "satisfaction", "Satisfaction"
    EXIT = "exit", "Exit (at closure)"
    SELF_START = "self_start", "Self-assessment at the start"
    SELF_END = "self_end", "Self-assessment at closure"
    FOLLOW_UP_3 = "follow_up_3", "Follow-up, 3 months after closure"
    FOLLOW_UP_12 = "follow_up_12", "Follow-up, 12 months after closure"


# What a participant reads as a survey's title (their dashboard, the journal, the survey page, the
# invitation email): plain words for a 16-year-old. The labels above are the staff's names, for
# reports and staff pages. "{partner}" is the partner's first name, or "your mentor" / "your mentee"
# where no name is shown (emails, the emailed link's page): see ``participant_title``.
PARTICIPANT_TITLES = {
    SurveyKind.PAIRING_FIT: "How is it going with {partner}?",
    SurveyKind.SATISFACTION: "How is your mentoring going?",
    SurveyKind.EXIT: "Looking back on your time with {partner}",
    SurveyKind.SELF_START: "Where you are starting from",
    SurveyKind.SELF_END: "How far you have come",
    SurveyKind.FOLLOW_UP_3: "Three months on: how are things?",
    SurveyKind.FOLLOW_UP_12: "A year on: how are things?",
}


def participant_title(kind, *, partner="", partner_role=""):
    """The title of a survey of ``kind`` as its participant reads it. ``partner``: the partner's
    first name (``programs.limited.limited_first_name``); without it, "your <partner_role>"."""
    who = partner or (f"your {partner_role}" if partner_role else "your match partner")
    return PARTICIPANT_TITLES[SurveyKind(kind)].format(partner=who)


class SurveyResponse(models.Model):
    """One person's answer to one built-in survey about one match; each is answered once.

    ``period`` numbers the periodic satisfaction surveys (1, 2, ...); 0 for the others. Ratings
    are 1-5; ``nps`` is "would you recommend this program" 0-10 (exit survey). ``answers`` holds
    the rest: self-assessment {"confidence": n, "skills": {goal: n}}, follow-up {"where_now": text,
    "still_in_touch": bool, "would_mentor": bool}.
    """

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="survey_responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    period = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nps = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    text = models.TextField(blank=True, max_length=3000)
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "respondent", "kind", "period"], name="one_answer_per_survey"
            )
        ]
        indexes = [models.Index(fields=["kind", "submitted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.respondent}"


def new_survey_token():
    return secrets.token_urlsafe(32)


class SurveyInvitation(models.Model):
    """One person's emailed invitation to one survey of one match, sent once when its window opens
    (evaluation/invitations.py). The unique key makes it exactly once, like a Reminder.

    ``token`` is the survey's link in the email: it is its own key (no sign-in: follow-ups reach
    people who no longer log in), it opens that one survey for that one person, and only while the
    survey is open (``closes_on``, its last day, and ``evaluation.selectors.surveys_due``)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="survey_invitations")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    period = models.PositiveSmallIntegerField(default=0)
    token = models.CharField(max_length=64, unique=True, default=new_survey_token)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["match", "respondent", "kind", "period"], name="one_invitation_per_survey"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="survey_invitation_unsent_idx"
            )
        ]

    def __str__(self):
        return f"Invitation to {self.get_kind_display()} (match {self.match_id})"


class ReminderKind(models.TextChoices):
    DUE = "due", "Check-in due"
    OVERDUE = "overdue", "Check-in overdue"
    MEETING = "meeting", "Meeting tomorrow"


class Reminder(models.Model):
    """A due reminder for a pair and a cadence period: the unique key makes it exactly once.

    Rows are inserted by the set-based sweep with ON CONFLICT DO NOTHING and sent by whoever
    claims them first (SELECT ... FOR UPDATE SKIP LOCKED); ``sent_at`` marks them done.
    """

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reminders")
    period_start = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    # A meeting reminder (kind "meeting"): the meeting, and the start it reminds of. A meeting
    # moved after its reminder went gets one for the new time; the same time never gets two.
    meeting = models.ForeignKey(
        "matching.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    meeting_starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["match", "period_start", "kind"],
                condition=Q(meeting__isnull=True),
                name="one_reminder_per_pair_period_kind",
            ),
            models.UniqueConstraint(
                fields=["meeting", "meeting_starts_at"],
                condition=Q(meeting__isnull=False),
                name="one_reminder_per_meeting_time",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent_idx")
        ]

    def __str__(self):
        return f"{self.kind} reminder, period from {self.period_start}"


class CoordinatorDigest(models.Model):
    """The daily email of a coordinator's to-do list (evaluation/todo.py): one per coordinator per
    day."""

    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coordinator", "day"], name="one_digest_per_day")]

    def __str__(self):
        return f"Digest {self.day}"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret iCal address. Revoking replaces the token: the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar of {self.user}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportRecord(models.Model):
    """Every export: who, what, when; big ones are built by a worker with progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dataset = models.CharField(max_length=20)  # kpis, matches, checkins, surveys, funder_report, ...
    file_format = models.CharField(max_length=5)  # csv, xlsx
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.DONE)
    progress = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=300, blank=True)  # path under MEDIA_ROOT for worker-built files
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a worker last took it, and how many times one has: a worker lost mid-build leaves it
    # "running", and exports.exports_recover hands it to another (three tries at most).
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.dataset}.{self.file_format} by {self.requested_by}"

    @property
    def is_done(self):
        return self.status == ExportStatus.DONE


class RetentionHold(models.Model):
    """Staff keep a person's data past the retention policy (a complaint, a legal claim, a police
    request): while a hold exists, evaluation.retention never anonymises them. Removing the hold
    (deleting the row) lets the next nightly run apply the policy."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_holds"
    )
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self):
        return f"Retention hold on user #{self.user_id}"


class ThankYou(models.Model):
    """A coordinator's thank-you note to a mentor (or facilitator): shown on their dashboard until
    they dismiss it, and kept on their record (evaluation/recognition.py)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="thank_yous")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="thank_yous")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "dismissed_at"])]

    def __str__(self):
        return f"Thank-you to {self.enrollment_id}"
