"""What anonymising a person does, as a list of steps: the same list is applied (``erase_person``,
``erase_guardians``) and described with the person's counts (``plan``: the staff's erasure
preview), so that the preview cannot drift from what happens.

A step names a model, the person's rows in it, and what it does to them (``ACTIONS``): fields
emptied, an email address replaced by one that leads nowhere, rows deleted, tags taken off,
survey answers stripped of free text, or text written about the person (by a partner, a
coordinator, in an email) kept with their names and email addresses replaced by "[erased]".
What no step touches stays: the rows the KPIs count, and the safeguarding records.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.db import models
from django.db.models import Q

from evaluation import funder_report
from evaluation.models import (
    CalendarFeed,
    CheckIn,
    Goal,
    GoalNote,
    StaffContact,
    Story,
    StoryInvitation,
    SurveyInvitation,
    SurveyResponse,
    ThankYou,
)
from matching.models import Exclusion, GroupFeedback, GroupSession, Match, MatchRequest, Post, Topic
from mentorship.models import OutboundEmail, Profile, User
from programs.models import (
    Answer,
    ApplicantNote,
    DemographicAnswer,
    Enrollment,
    EventFeedback,
    GuardianConsent,
    Invitation,
    Partner,
    PartnerViewer,
    QuizAttempt,
    SessionSignup,
    StatusChange,
    TrainingRecord,
)

ERASED_DOMAIN = "invalid"
REDACTED = "[erased]"


def erased_email(user_id):
    return f"erased-{user_id}@{ERASED_DOMAIN}"


@dataclass(frozen=True)
class Subject:
    """The person being erased, read before any step runs (a later step changes their email)."""

    user: User
    emails: tuple[str, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, user):
        profile = Profile.objects.get(user=user)
        emails = {user.email.lower()}
        emails.update(
            e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
        full = [profile.display_name, user.first_name, user.last_name, user.get_full_name()]
        names = {name.strip() for name in full if name.strip()}
        # What partners and their emails call the person: the first word of their name.
        names.update(name.split()[0] for name in (profile.display_name, user.get_full_name()) if name.strip())
        emails.discard("")
        return cls(user=user, emails=tuple(sorted(emails)), names=tuple(sorted(names, key=len, reverse=True)))

    def mentions(self):
        """One pattern for every name (a whole word) and email address of the person."""
        words = [r"\b" + re.escape(name) + r"\b" for name in self.names]
        return re.compile("|".join([re.escape(email) for email in self.emails] + words), re.IGNORECASE)

    def mention_q(self, fields):
        """A cheap first cut in SQL: rows whose ``fields`` contain a name or email at all."""
        q = Q(pk__in=[])
        for field in fields:
            for needle in (*self.emails, *self.names):
                q |= Q(**{f"{field}__icontains": needle})
        return q

    def enrollments(self):
        return Enrollment.objects.filter(user=self.user)

    def matches(self):
        return Match.objects.filter(Q(mentee__user=self.user) | Q(mentor__user=self.user))


@dataclass(frozen=True)
class Step:
    """What erasure does to ``fields`` of the rows of ``model`` that ``rows(subject)`` selects."""

    model: type
    rows: Callable[[Subject], models.QuerySet]
    action: str  # a key of ACTIONS
    fields: tuple[str, ...] = ()
    what: str = ""  # the preview's words for the rows, where the model's name does not say it

    def label(self):
        return self.what or str(self.model._meta.verbose_name_plural).capitalize()

    def field_names(self):
        return [str(self.model._meta.get_field(name).verbose_name) for name in self.fields]

    def affected(self, subject):
        """The rows this step would change now."""
        rows = self.rows(subject)
        if self.action == "redact":
            pattern = subject.mentions()
            candidates = rows.filter(subject.mention_q(self.fields))
            return [
                row for row in candidates if any(pattern.search(getattr(row, f) or "") for f in self.fields)
            ]
        if self.action == "blank":
            return rows.exclude(_all_empty(self.model, self.fields))
        if self.action == "clear":
            return [row for row in rows if any(getattr(row, f).exists() for f in self.fields)]
        if self.action == "scrub":
            return [row for row in rows if row.text or _scrub_answers(row.answers) != row.answers]
        if self.action == "replace":
            return rows.exclude(**{name: erased_email(subject.user.pk) for name in self.fields})
        if self.action == "account":
            return rows.exclude(email=erased_email(subject.user.pk))
        return rows

    def apply(self, subject):
        ACTIONS[self.action].apply(self, subject)


def _empty(field):
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField):
        return 0
    return ""


def _all_empty(model, fields):
    q = Q()
    for name in fields:
        field = model._meta.get_field(name)
        empty = _empty(field)
        q &= Q(**{f"{name}__isnull": True}) if empty is None else Q(**{name: empty})
    return q


def _blank(step, subject):
    step.rows(subject).update(**{name: _empty(step.model._meta.get_field(name)) for name in step.fields})


def _replace_email(step, subject):
    step.rows(subject).update(**{name: erased_email(subject.user.pk) for name in step.fields})


def _delete(step, subject):
    step.rows(subject).delete()


def _withdraw(step, subject):
    # Their stories leave every funder report built with them (rebuilt without them), then go.
    for story_id in step.rows(subject).order_by("pk").values_list("pk", flat=True):
        funder_report.story_withdrawn(story_id)
    step.rows(subject).delete()


def _clear(step, subject):
    for row in step.rows(subject):
        for name in step.fields:
            getattr(row, name).clear()


def _scrub_answers(value):
    """Survey answers without free text: the numbers and yes/no answers the reports read stay."""
    if isinstance(value, dict):
        return {k: _scrub_answers(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list):
        return [_scrub_answers(v) for v in value if not isinstance(v, str)]
    return value


def _scrub(step, subject):
    for response in step.rows(subject):
        response.text = ""
        response.answers = _scrub_answers(response.answers)
        response.save(update_fields=["text", "answers"])


def _redact(step, subject):
    pattern = subject.mentions()
    for row in step.affected(subject):
        for name in step.fields:
            # "[erased]" may be longer than the name it replaces: a CharField keeps its length.
            limit = step.model._meta.get_field(name).max_length
            setattr(row, name, pattern.sub(REDACTED, getattr(row, name) or "")[:limit])
        row.save(update_fields=list(step.fields))


def _close_account(step, subject):
    user = subject.user
    # The unusable password also changes the session hash: every open session of theirs ends.
    user.set_unusable_password()
    User.objects.filter(pk=user.pk).update(
        email=erased_email(user.pk), first_name="", last_name="", is_active=False, password=user.password
    )


@dataclass(frozen=True)
class Action:
    apply: Callable[[Step, Subject], None]
    says: str  # what the preview says happens


ACTIONS = {
    "blank": Action(_blank, "emptied"),
    "replace": Action(_replace_email, "replaced by an address that leads nowhere"),
    "delete": Action(_delete, "deleted"),
    "withdraw": Action(_withdraw, "deleted, and taken out of every funder report"),
    "clear": Action(_clear, "removed"),
    "scrub": Action(_scrub, "free text removed; numbers and yes/no answers kept"),
    "redact": Action(_redact, "their names and email addresses replaced by “[erased]”, the rest kept"),
    "account": Action(_close_account, "emptied; the login removed (no password, inactive)"),
}

PROFILE_FIELDS = (
    "display_name", "pronouns", "bio", "date_of_birth", "date_of_birth_changed_at", "gender", "area",
    "latitude", "longitude", "phone", "partner_gender", "partner_age_band", "availability", "email_reminders",
)  # fmt: skip


def _iexact_any(field, values):
    # Addresses keep the spelling they were typed in; the person's are compared without case.
    q = Q(pk__in=[])
    for value in values:
        q |= Q(**{f"{field}__iexact": value})
    return q


def _their_matches(field="match"):
    return lambda s: Q(**{f"{field}__in": s.matches()})


STORY_WORDS = ("title", "text", "edited_text", "proposed_text")

# In order: the account goes last (the steps before it look the person up by their email).
PERSON_STEPS = [
    Step(Profile, lambda s: Profile.objects.filter(user=s.user), "blank", PROFILE_FIELDS, "Profile"),
    Step(Profile, lambda s: Profile.objects.filter(user=s.user), "clear",
         ("languages", "interests", "skills", "goals"), "Profile's lists"),
    Step(Enrollment, lambda s: s.enrollments(), "blank", ("motivation", "heard_about_detail", "area_name")),
    Step(Answer, lambda s: Answer.objects.filter(enrollment__user=s.user), "blank", ("text",),
         "Answers to the programs' questions"),
    Step(Invitation,
         lambda s: Invitation.objects.filter(Q(enrollment__user=s.user) | _iexact_any("email", s.emails)),
         "replace", ("email",)),
    Step(MatchRequest, lambda s: MatchRequest.objects.filter(mentee__user=s.user), "blank", ("message",),
         "Requests they sent to a mentor"),
    Step(Match, lambda s: Match.objects.filter(closed_by=s.user), "blank", ("closure_notes",),
         "Matches they closed"),
    Step(CheckIn, lambda s: CheckIn.objects.filter(logged_by=s.user), "blank", ("notes",),
         "Check-ins they logged"),
    Step(GoalNote, lambda s: GoalNote.objects.filter(author=s.user), "blank", ("text",),
         "Goal notes they wrote"),
    Step(SurveyResponse, lambda s: SurveyResponse.objects.filter(respondent=s.user), "scrub",
         ("text", "answers"), "Their survey answers"),
    # What others wrote about them, in their own matches and applications.
    Step(CheckIn, lambda s: CheckIn.objects.filter(_their_matches()(s)).exclude(logged_by=s.user), "redact",
         ("notes",), "Check-ins others logged in their matches"),
    Step(Goal, lambda s: Goal.objects.filter(_their_matches()(s)), "redact", ("title",),
         "Goals of their matches"),
    Step(GoalNote, lambda s: GoalNote.objects.filter(_their_matches("goal__match")(s)).exclude(author=s.user),
         "redact", ("text",), "Goal notes others wrote in their matches"),
    Step(StaffContact, lambda s: StaffContact.objects.filter(_their_matches()(s)), "redact", ("notes",),
         "Coordinators' contacts with their matches"),
    Step(Match, lambda s: s.matches().exclude(closed_by=s.user), "redact", ("closure_notes",),
         "Closure notes of their matches"),
    Step(MatchRequest, lambda s: MatchRequest.objects.filter(mentor__user=s.user), "redact", ("message",),
         "Requests mentees sent them"),
    Step(SurveyResponse,
         lambda s: SurveyResponse.objects.filter(_their_matches()(s)).exclude(respondent=s.user),
         "redact", ("text",), "Their partners' survey answers"),
    Step(StatusChange, lambda s: StatusChange.objects.filter(enrollment__user=s.user), "redact", ("note",),
         "Notes on their applications' status changes"),
    Step(ApplicantNote, lambda s: ApplicantNote.objects.filter(enrollment__user=s.user), "blank", ("text",),
         "Coordinators' private notes on their applications"),
    Step(Exclusion, lambda s: Exclusion.objects.filter(Q(mentee__user=s.user) | Q(mentor__user=s.user)),
         "redact", ("reason",), "Pairs never to be suggested, with them"),
    # Their trainings: the completions stay (the training KPIs count them); their quiz answers, their
    # places at sessions and the coordinators' notes on their records go.
    Step(TrainingRecord, lambda s: TrainingRecord.objects.filter(enrollment__user=s.user), "blank", ("note",),
         "Coordinators' notes on their training records"),
    Step(QuizAttempt, lambda s: QuizAttempt.objects.filter(record__enrollment__user=s.user), "delete",
         ("answers", "score"), "Their quiz attempts"),
    Step(SessionSignup, lambda s: SessionSignup.objects.filter(enrollment__user=s.user), "delete",
         ("attended",), "Their places at training sessions"),
    # Groups, events and boards: their places, attendance and replies stay (the group and event KPIs
    # count them); what they wrote goes, and what others wrote names them no more.
    Step(GroupFeedback, lambda s: GroupFeedback.objects.filter(enrollment__user=s.user), "blank", ("text",),
         "Their comments on group sessions"),
    Step(GroupSession, lambda s: GroupSession.objects.filter(group__memberships__enrollment__user=s.user)
         .distinct(), "redact", ("notes",), "Session notes of their groups"),
    Step(EventFeedback, lambda s: EventFeedback.objects.filter(rsvp__user=s.user), "blank", ("text",),
         "Their comments on events"),
    Step(ThankYou, lambda s: ThankYou.objects.filter(enrollment__user=s.user), "blank", ("text",),
         "Thank-you notes to them"),
    # Impact (issue 16): their stories, the invitations to tell one and their demographic answers go
    # (no KPI counts them: the equity report counts those who are still there); what others' stories
    # say of them names them no more; their partner logins go, and a partner's record forgets them.
    Step(Story, lambda s: Story.objects.filter(enrollment__user=s.user), "withdraw", STORY_WORDS,
         "Their stories"),
    Step(Story, lambda s: Story.objects.filter(program__enrollments__user=s.user)
         .exclude(enrollment__user=s.user).distinct(), "redact",
         STORY_WORDS, "Stories by others in their programs that name them"),
    Step(StoryInvitation, lambda s: StoryInvitation.objects.filter(enrollment__user=s.user), "delete",
         ("occasion", "due_on"), "Invitations to tell their story"),
    Step(DemographicAnswer, lambda s: DemographicAnswer.objects.filter(enrollment__user=s.user), "delete",
         ("option", "prefer_not_to_say", "self_described"), "Their answers to the demographic questions"),
    Step(PartnerViewer,
         lambda s: PartnerViewer.objects.filter(Q(user=s.user) | _iexact_any("email", s.emails)), "delete",
         ("email",), "Their read-only logins to a partner's figures"),
    Step(Partner, lambda s: Partner.objects.filter(_iexact_any("contact_email", s.emails)), "blank",
         ("contact_name", "contact_email", "contact_phone"), "Partners that name them as their contact"),
    Step(Post, lambda s: Post.objects.filter(author=s.user), "blank", ("body",),
         "Their posts on discussion boards"),
    Step(Topic, lambda s: Topic.objects.filter(author=s.user), "redact", ("title",),
         "Titles of the discussion topics they started"),
    Step(Post, lambda s: Post.objects.filter(topic__program__enrollments__user=s.user).exclude(author=s.user)
         .distinct(), "redact", ("body",), "Posts by others on their programs' boards"),
    # Contact data with no use once they are gone.
    Step(OutboundEmail, lambda s: OutboundEmail.objects.filter(_iexact_any("to", s.emails)), "delete",
         ("to", "subject", "body"), "Emails to them"),
    Step(OutboundEmail, lambda s: OutboundEmail.objects.exclude(_iexact_any("to", s.emails)), "redact",
         ("subject", "body"),
         "Emails to others that name them (a partner's, a coordinator's)"),
    # The admin's history names the records it changed ("ann@example.org", "Ann's profile").
    Step(LogEntry, lambda s: LogEntry.objects.all(), "redact", ("object_repr", "change_message"),
         "The admin's history of changes"),
    Step(CalendarFeed, lambda s: CalendarFeed.objects.filter(user=s.user), "delete", ("token",),
         "Their calendar feed address"),
    Step(SurveyInvitation, lambda s: SurveyInvitation.objects.filter(respondent=s.user), "delete", ("token",),
         "Their survey links"),
    Step(EmailAddress, lambda s: EmailAddress.objects.filter(user=s.user), "delete", ("email",)),
    Step(Authenticator, lambda s: Authenticator.objects.filter(user=s.user), "delete", ("type", "data"),
         "Two-factor authentication"),
    Step(User, lambda s: User.objects.filter(pk=s.user.pk), "account", ("email", "first_name", "last_name",
         "password"), "Account"),
]  # fmt: skip

# Safeguarding retention ends later (evaluation.retention): then the guardians' details go too.
GUARDIAN_STEPS = [
    Step(Enrollment, lambda s: s.enrollments(), "blank", ("guardian_name", "guardian_email"),
         "Guardian on their applications"),
    Step(GuardianConsent, lambda s: GuardianConsent.objects.filter(enrollment__user=s.user), "blank",
         ("guardian_name", "guardian_email", "signed_name", "relationship"), "Guardian consents"),
]  # fmt: skip


def erase_person(user):
    """Apply PERSON_STEPS to ``user`` (call inside a transaction that locks the user)."""
    subject = Subject.of(user)
    for step in PERSON_STEPS:
        step.apply(subject)


def erase_guardians(user):
    subject = Subject.of(user)
    for step in GUARDIAN_STEPS:
        step.apply(subject)


@dataclass(frozen=True)
class PlanLine:
    what: str
    fields: list[str]
    happens: str
    rows: int


def plan(user, steps=None):
    """What ``steps`` (default PERSON_STEPS) would do to ``user`` now: one line per step that
    would change something, with how many rows."""
    subject = Subject.of(user)
    lines = []
    for step in PERSON_STEPS if steps is None else steps:
        affected = step.affected(subject)
        count = len(affected) if isinstance(affected, list) else affected.count()
        if count:
            lines.append(PlanLine(step.label(), step.field_names(), ACTIONS[step.action].says, count))
    return lines


DELETED_MODELS = frozenset(step.model for step in PERSON_STEPS if step.action in ("delete", "withdraw"))
