from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrollment, Program


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


# Queued or running: one at a time per program, and a coordinator may cancel it.
ACTIVE_RUN_STATUSES = [RunStatus.QUEUED, RunStatus.RUNNING]


class RunTrigger(models.TextChoices):
    COORDINATOR = "coordinator", "Started by a coordinator"
    NIGHTLY = "nightly", "Nightly suggestions"


class MatchRun(models.Model):
    """One run of the matching engine over a program's pool of matchable people."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    progress_note = models.CharField(max_length=120, blank=True)
    parameters = models.JSONField(default=dict)
    # A digest of the pool (people, profiles, capacities, exclusions): unchanged pool, no new run.
    pool_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was last queued and last taken by a worker, and how many workers took it: a run whose
    # task was lost stays "queued", one whose worker died stays "running", and
    # runs.runs_recover sends it again (three tries at most). started_at also tells a worker
    # whether the run is still its own when it saves.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    mentees_considered = models.PositiveIntegerField(default=0)
    mentors_considered = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)
    new_suggestions = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    timings = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One run at a time per program: a second start while one is queued or running is refused.
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_program",
            )
        ]

    def __str__(self):
        return f"Run {self.pk} of {self.program} ({self.status})"

    @property
    def duration_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_active(self):
        return self.status in ACTIVE_RUN_STATUSES


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SUPERSEDED = "superseded", "Superseded"


class MatchSuggestion(models.Model):
    """A pair the engine proposes, with its score and the reasons for it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="suggestions")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_suggestions")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="suggestions_as_mentee")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="suggestions_as_mentor")
    score = models.FloatField()
    breakdown = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            # Re-running on unchanged data keeps the pending suggestion instead of adding another.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="pending"),
                name="one_pending_suggestion_per_pair",
            )
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return f"{self.mentee.user} + {self.mentor.user} ({self.score:.0f})"


class UnmatchedReason(models.Model):
    """Why a run left a mentee without a suggestion."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_reason_per_mentee_per_run")
        ]

    def __str__(self):
        return self.reason


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


OPEN_MATCH_STATUSES = [MatchStatus.PROPOSED, MatchStatus.ACTIVE, MatchStatus.PAUSED]
MATCH_TRANSITIONS = {
    MatchStatus.PROPOSED: {MatchStatus.ACTIVE, MatchStatus.CLOSED},
    MatchStatus.ACTIVE: {MatchStatus.PAUSED, MatchStatus.CLOSED},
    MatchStatus.PAUSED: {MatchStatus.ACTIVE, MatchStatus.CLOSED},
    MatchStatus.CLOSED: set(),
}


class MatchSource(models.TextChoices):
    SUGGESTION = "suggestion", "Engine suggestion"
    MANUAL = "manual", "Matched by hand"
    REQUEST = "request", "Chosen by the mentee"


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    MOVED = "moved", "Moved away"
    SCHEDULE = "schedule", "Schedules did not work"
    MISMATCH = "mismatch", "Mismatch"
    SAFETY = "safety", "Safety concern"
    OTHER = "other", "Other"


class Match(models.Model):
    """A mentor and a mentee paired in a program: proposed, then active once both confirm."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="matches_as_mentee")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="matches_as_mentor")
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    source = models.CharField(max_length=12, choices=MatchSource.choices)
    suggestion = models.ForeignKey(
        MatchSuggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # When the pair was paused is kept in MatchPause (``pauses``): the check-in periods with a paused
    # day are not due (evaluation/periods.py).
    # Why the pair is paused, when it is not their own choice (a guardian withdrew consent, a
    # safeguarding lead paused contact): said on the match page, cleared on resume.
    pause_reason = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closure_reason = models.CharField(max_length=12, choices=ClosureReason.choices, blank=True)
    closure_anticipated = models.BooleanField(null=True, blank=True)
    closure_notes = models.TextField(blank=True)
    rematch_eligible = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name_plural = "matches"
        constraints = [
            # A mentee has one open match per program at most (one-to-one format).
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "active", "paused"]),
                name="one_open_match_per_mentee",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="match_two_people"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return f"{self.mentor.user} mentors {self.mentee.user} ({self.status})"

    def get_absolute_url(self):
        return reverse("matching:match", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_MATCH_STATUSES

    def can_become(self, status):
        return status in MATCH_TRANSITIONS[MatchStatus(self.status)]

    @property
    def is_proposed(self):
        return self.status == MatchStatus.PROPOSED

    @property
    def is_active(self):
        return self.status == MatchStatus.ACTIVE

    @property
    def paused_with_reason(self):
        """A pause the pair did not choose (consent withdrawn, contact paused): said on their page."""
        return self.status == MatchStatus.PAUSED and bool(self.pause_reason)

    # --- Which side of the match a person is on: asked here, everywhere ---------------------------

    def side_of(self, user):
        """``user``'s own side of the match (their Enrollment: the mentee or the mentor), or None
        for anyone else (a coordinator, staff)."""
        user_id = getattr(user, "pk", user)
        if user_id == self.mentee.user_id:
            return self.mentee
        if user_id == self.mentor.user_id:
            return self.mentor
        return None

    def partner_of(self, user):
        """The other side of the match from ``user`` (an Enrollment), or None if they are not in it."""
        side = self.side_of(user)
        if side is None:
            return None
        return self.mentor if side is self.mentee else self.mentee

    def role_of(self, user):
        """ "mentee", "mentor" or None: the role ``user`` has in this match."""
        side = self.side_of(user)
        return side.role if side is not None else None

    def confirmed_by(self, user):
        """Whether ``user`` (one of the pair) has confirmed the match agreement."""
        side = self.side_of(user)
        if side is None:
            return False
        return bool(self.mentee_confirmed_at if side is self.mentee else self.mentor_confirmed_at)

    def awaits_confirmation_from(self, user):
        return self.is_proposed and self.side_of(user) is not None and not self.confirmed_by(user)


class MatchPause(models.Model):
    """A stretch of time a match was paused: from ``started_on`` (the day it was paused) up to the
    day before ``ended_on`` (the day it resumed or closed); ``ended_on`` empty while still paused.
    Written by the services that pause, resume and close a match; kept as history, because the
    check-in periods with a paused day are not due (evaluation/periods.py), then and later."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match"], condition=Q(ended_on__isnull=True), name="one_open_pause_per_match"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"Match {self.match_id} paused from {self.started_on} to {self.ended_on or 'now'}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the mentor"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    OVERRIDDEN = "overridden", "Overridden by a coordinator"


class MatchRequest(models.Model):
    """In programs where participants choose: a mentee asks a suggested mentor."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_requests")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="requests_sent")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status="pending"), name="one_pending_request_per_mentee"
            )
        ]

    def __str__(self):
        return f"{self.mentee.user} asks {self.mentor.user} ({self.status})"

    @property
    def is_pending(self):
        return self.status == RequestStatus.PENDING


class Exclusion(models.Model):
    """A pair that must never be suggested (besides pairs closed as a mismatch)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mentee", "mentor"], name="one_exclusion_per_pair")]

    def __str__(self):
        return f"{self.mentee.user} / {self.mentor.user}"


class ConcernUrgency(models.TextChoices):
    LOW = "low", "Not urgent: worth knowing"
    SOON = "soon", "Needs action within days"
    URGENT = "urgent", "Urgent: someone may be at risk now"


class ConcernStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated"


CONCERN_TRANSITIONS = {
    ConcernStatus.NEW: {ConcernStatus.ACKNOWLEDGED},
    ConcernStatus.ACKNOWLEDGED: {ConcernStatus.RESOLVED, ConcernStatus.ESCALATED},
    ConcernStatus.ESCALATED: {ConcernStatus.RESOLVED},
    ConcernStatus.RESOLVED: set(),
}


class Concern(models.Model):
    """A safeguarding concern about a match (or, from a guardian, about their child's place in a
    program). Seen by the program's safeguarding leads and staff only; never deleted."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="concerns")
    match = models.ForeignKey(Match, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns",
        help_text="The person the concern is about, when raised outside a match (a guardian).",
    )  # fmt: skip
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who raised it, in words: "mentor", "mentee", "coordinator", "guardian (Ann Smith)".
    raised_as = models.CharField(max_length=160)
    # A reported message (matching/messaging/): kept with the concern, whatever retention says.
    message = models.ForeignKey(
        "matching.Message", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    # A reported discussion-board post (matching/boards/), kept with the concern likewise.
    post = models.ForeignKey(
        "matching.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    # A concern about a group (or a post on a group's board).
    group = models.ForeignKey(
        "matching.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    what_happened = models.TextField(max_length=5000)
    urgency = models.CharField(max_length=10, choices=ConcernUrgency.choices)
    status = models.CharField(max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return f"Concern #{self.pk} in {self.program} ({self.status})"

    def get_absolute_url(self):
        return reverse("matching:concern", args=[self.pk])

    def can_become(self, status):
        return status in CONCERN_TRANSITIONS[ConcernStatus(self.status)]

    @property
    def is_open(self):
        return self.status != ConcernStatus.RESOLVED

    @property
    def is_urgent(self):
        return self.urgency == ConcernUrgency.URGENT


class ConcernNote(models.Model):
    """A lead's note on a concern, with the triage step it took (if any): who and when."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=5000, blank=True)
    from_status = models.CharField(max_length=12, choices=ConcernStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ConcernStatus.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on concern #{self.concern_id}"
