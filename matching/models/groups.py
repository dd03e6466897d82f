"""Groups and peer circles (matching/groups/ writes them): how a group or peer-circle program
(``Program.format``) mentors its mentees.

A ``Group`` of kind *group* is led by one or more mentors (co-mentors) and takes up to
``capacity`` mentees (the program's ``group_size`` by default). A *circle* is a peer circle of
mentees, formed at the program's ``circle_size``, with an optional facilitator. Membership is
``GroupMember``: a leader (mentor or facilitator) or a member (mentee); leaving ends it
(``left_on``) and keeps the row, so retention can be counted. A mentee is a current member of one
group at most per program.

Group matching (``GroupRun``) proposes the exactly optimal placement of the unplaced mentees into
groups with free places; a coordinator applies it. Sessions (``GroupSession``) are planned with a
date, a place or link and an agenda; the leader takes attendance (``GroupAttendance``) and writes the
session's check-in (``notes``, ``held``); members rate a session they came to (``GroupFeedback``),
which is the group's satisfaction. Shared goals are ``GroupGoal``. The group's conversation is a
``Conversation`` of kind *group*; its discussion board is the board's topics with ``group`` set.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrollment, Program


class GroupKind(models.TextChoices):
    GROUP = "group", "Group"
    CIRCLE = "circle", "Peer circle"


class GroupStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


class GroupQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=GroupStatus.CLOSED)


class Group(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=8, choices=GroupKind.choices, default=GroupKind.GROUP)
    name = models.CharField(max_length=120)
    focus = models.TextField("what the group works on", blank=True, max_length=2000)
    # The most mentees it takes; empty: the program's group_size (circles: circle_size + 1).
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(40)]
    )
    # When and where it usually meets, in words: "Tuesdays 5-6.30pm, Eastside Library".
    usual_time = models.CharField("usually meets", max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=GroupStatus.choices, default=GroupStatus.FORMING)
    started_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="group_name_unique_in_program")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("matching:group", args=[self.pk])

    @property
    def is_circle(self):
        return self.kind == GroupKind.CIRCLE

    @property
    def is_open(self):
        return self.status != GroupStatus.CLOSED

    @property
    def places(self):
        """The most mentees (members) it takes."""
        if self.capacity:
            return self.capacity
        return self.program.circle_size + 1 if self.is_circle else self.program.group_size


class MemberRole(models.TextChoices):
    LEADER = "leader", "Leader"  # a group's mentor or co-mentor, a circle's facilitator
    MEMBER = "member", "Member"  # a mentee


class MemberSource(models.TextChoices):
    MATCHING = "matching", "Group matching"
    CIRCLES = "circles", "Circle forming"
    COORDINATOR = "coordinator", "Placed by a coordinator"


class GroupMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def members(self):
        return self.filter(role=MemberRole.MEMBER)

    def leaders(self):
        return self.filter(role=MemberRole.LEADER)


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    source = models.CharField(max_length=12, choices=MemberSource.choices, default=MemberSource.COORDINATOR)
    # The fit with the group when group matching placed them, and its breakdown (the same reasons
    # as a pair's: criterion -> points).
    score = models.FloatField(null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "enrollment"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership",
            ),
            # A mentee is in one group at a time (a mentor may lead several).
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(left_on__isnull=True, role="member"),
                name="mentee_in_one_group",
            ),
        ]
        indexes = [models.Index(fields=["group", "left_on"])]

    def __str__(self):
        return f"{self.enrollment_id} in group {self.group_id} ({self.role})"

    @property
    def is_current(self):
        return self.left_on is None

    @property
    def is_leader(self):
        return self.role == MemberRole.LEADER


class GroupRunStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a coordinator"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class GroupRun(models.Model):
    """One run of group matching (or circle forming): the proposed placement, kept until a
    coordinator applies or discards it. ``placements``: [{"enrollment", "group", "score",
    "breakdown"}]; ``unplaced``: [{"enrollment", "reason"}]; circles: ``new_circles`` [[enrollment
    ids]]."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="group_runs")
    kind = models.CharField(max_length=8, choices=GroupKind.choices, default=GroupKind.GROUP)
    status = models.CharField(max_length=10, choices=GroupRunStatus.choices, default=GroupRunStatus.PROPOSED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placements = models.JSONField(default=list, blank=True)
    unplaced = models.JSONField(default=list, blank=True)
    new_circles = models.JSONField(default=list, blank=True)
    total_score = models.FloatField(default=0)
    timings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Group run {self.pk} in {self.program_id} ({self.status})"


def new_session_uid():
    return f"group-session-{uuid.uuid4()}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CANCELLED = "cancelled", "Cancelled"


class GroupSession(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(15), MaxValueValidator(8 * 60)]
    )
    place = models.CharField(max_length=300, blank=True)
    link = models.URLField("online link", blank=True, max_length=500)
    agenda = models.TextField(blank=True, max_length=3000)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    uid = models.CharField(max_length=80, unique=True, default=new_session_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # The session's check-in, written by a leader when taking attendance.
    held = models.BooleanField(null=True, blank=True)
    notes = models.TextField("how it went", blank=True, max_length=3000)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day-before reminder to the members, claimed once by a conditional update.
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"Session of group {self.group_id} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED


class GroupAttendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="group_attendance")
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_attendance_per_session")
        ]

    def __str__(self):
        return f"{self.enrollment_id} at session {self.session_id}: {'present' if self.present else 'absent'}"


class GroupFeedback(models.Model):
    """A member's rating of a session they came to: the group's satisfaction."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="feedback")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="group_feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_feedback_per_session"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="group_feedback_rating_1_5"
            ),
        ]

    def __str__(self):
        return f"Feedback by {self.enrollment_id} on session {self.session_id}"


class GroupGoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class GroupGoal(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=GroupGoalStatus.choices, default=GroupGoalStatus.NOT_STARTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.title
