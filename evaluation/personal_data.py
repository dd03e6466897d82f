"""Everything the site holds about one person, for the staff's data download (a subject access
request): a zip of one JSON file with all of it, grouped by app and model, and one CSV per model.

``PARTS`` says, model by model, how the person's rows are found: the relations (``links``) from
the model to the person or to rows that are theirs (their enrollments, matches, goals...), and,
where the tie is not a foreign key, a query (``rows_also``: emails to their addresses, audit rows
about their records). ``LEFT_OUT`` and ``LEFT_OUT_LINKS`` (personal_data_left_out.py) name, with
the reason, the models and relations that are not followed. A test walks every installed model
and fails on a relation to the person's rows that is in neither, so a new model cannot be forgotten.

Other people appear only as the person saw them: a partner by first name, any other account as
"someone else" (never an id or an email address). Secrets (the password hash, tokens, two-factor
secrets) and other people's details are left out field by field (``omit``), each with its reason;
the JSON file repeats them, so whoever reads it knows what is not there and why.
"""

import csv
import datetime as dt
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone

from evaluation.models import (
    CalendarFeed,
    CheckIn,
    CoordinatorDigest,
    ExportRecord,
    Goal,
    GoalNote,
    Reminder,
    RetentionHold,
    StaffContact,
    Story,
    StoryInvitation,
    SurveyInvitation,
    SurveyResponse,
    ThankYou,
)
from evaluation.personal_data_left_out import GUARDIAN, LEFT_OUT, LEFT_OUT_LINKS, NOTES, SECRET
from matching.messaging.contact import redact
from matching.models import (
    BoardDigest,
    Conversation,
    ConversationReader,
    GroupAttendance,
    GroupFeedback,
    GroupMember,
    Match,
    MatchPause,
    MatchRequest,
    MatchSuggestion,
    Meeting,
    Message,
    Post,
    Topic,
    UnmatchedReason,
)
from mentorship.models import AuditEntry, Language, OutboundEmail, Profile, Tag, User
from mentorship.spreadsheet import csv_safe
from programs.limited import limited_first_name
from programs.models import (
    Answer,
    ApplicantNote,
    ChecklistItem,
    DemographicAnswer,
    DemographicQuestion,
    Enrollment,
    EventFeedback,
    GuardianConsent,
    Invitation,
    Nudge,
    Partner,
    PartnerViewer,
    Program,
    Question,
    QuizAttempt,
    Rsvp,
    ScreeningRecord,
    SessionSignup,
    StatusChange,
    Training,
    TrainingRecord,
    TrainingSession,
)

YOU = "you"
SOMEONE_ELSE = "someone else"
ANOTHER_PERSONS = "another person's"
# Rows of these models are referred to by name (a program, a question): they are nobody's.
NAMED = (
    Program, Question, ChecklistItem, Training, TrainingSession, Tag, Language, Group, Permission,
    ContentType, Partner, DemographicQuestion,
)  # fmt: skip


class Context:
    """The person, and the ids of their rows found so far (a later model's links refer to them)."""

    def __init__(self, user):
        self.user = user
        emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
        self.emails = tuple(sorted(e.lower() for e in emails if e))
        self.ids = {User: {user.pk}}
        self._names = {}

    def ref(self, model, pk):
        """How a row of ``model`` is named in the export: the person as "you", other accounts as
        "someone else", the person's rows by id, other people's as "another person's", programs
        and questions by name, anything else by id."""
        if pk is None:
            return None
        if model is User:
            return YOU if pk == self.user.pk else SOMEONE_ELSE
        if model in PERSONAL_MODELS:
            return pk if pk in self.ids.get(model, ()) else ANOTHER_PERSONS
        if model in NAMED:
            key = (model, pk)
            if key not in self._names:
                self._names[key] = str(model._default_manager.get(pk=pk))
            return self._names[key]
        return pk


def _iexact_any(name, values):
    q = Q(pk__in=[])
    for value in values:
        q |= Q(**{f"{name}__iexact": value})
    return q


@dataclass(frozen=True)
class Part:
    """One model's rows of the person: those that ``links`` (relations to the person or to their
    rows of an earlier part) or ``rows_also`` reach. ``personal``: the rows are the person's (a
    model pointing at them is about the person too); a program a coordinator runs is not."""

    model: type
    links: tuple[str, ...] = ()
    rows_also: Callable[[Context], Q] | None = None
    omit: dict = field(default_factory=dict)  # field name -> why it is left out
    only: tuple[str, ...] = ()  # the fields given, when not all
    personal: bool = True
    related: tuple[str, ...] = ()  # select_related, for ``computed``
    computed: Callable | None = None  # (obj, context) -> columns added or overridden
    computed_columns: tuple[str, ...] = ()  # the columns ``computed`` adds
    what: str = ""  # what the rows are, in words, where the model's name does not say it

    @property
    def key(self):
        return self.model._meta.label_lower

    def label(self):
        return self.what or str(self.model._meta.verbose_name_plural).capitalize()

    def fields(self):
        meta = self.model._meta
        every = [*meta.concrete_fields, *meta.many_to_many]
        return [f for f in every if f.name not in self.omit and (not self.only or f.name in self.only)]

    def columns(self):
        return [f.name for f in self.fields()] + list(self.computed_columns)

    def rows(self, context):
        q = Q(pk__in=[])
        for name in self.links:
            target = self.model._meta.get_field(name).related_model
            if target is User:
                q |= Q(**{name: context.user.pk})
            else:
                q |= Q(**{f"{name}__in": context.ids.get(target, ())})
        if self.rows_also is not None:
            q |= self.rows_also(context)
        rows = self.model._default_manager.filter(q).order_by("pk")
        if self.related:
            rows = rows.select_related(*self.related)
        if any(self.model._meta.get_field(name).many_to_many for name in self.links):
            rows = rows.distinct()
        return rows


# --- What some parts add -------------------------------------------------------------------------


def _match_columns(match, context):
    mine = context.ids.get(Enrollment, ())
    as_mentee = match.mentee_id in mine
    partner = match.mentor if as_mentee else match.mentee
    return {"your_role": "mentee" if as_mentee else "mentor", "partner": limited_first_name(partner)}


def _message_columns(message, context):
    # Their conversations' messages, as they read them: contact details the partner wrote that a
    # coordinator has not released stay held back here too.
    if message.is_held and message.sender_id != context.user.pk:
        return {"body": redact(message.body)}
    return {}


def _record_columns(record, context):
    # The training in words; a guardian's orientation is kept on the mentee's application.
    return {"training_for": record.training.get_audience_display(), "how": record.get_completed_by_display()}


def _attempt_columns(attempt, context):
    # Their own answers stay as they are (ids of the questions and the choices they picked).
    return {"training": attempt.record.training.title}


def _audit_about(context):
    """Audit rows about the person's records (their account, profile, applications, matches...)."""
    q = Q(pk__in=[])
    for model, ids in context.ids.items():
        q |= Q(target_type=model._meta.label_lower, target_id__in=ids)
    return q


def _audit_columns(entry, context):
    # The address is the actor's: the person's own, or nobody's business here.
    return {} if entry.actor_id == context.user.pk else {"ip": None}


# A link in an email that holds a key (a password reset, an invitation, a consent link, a calendar
# address): the email stays, the key does not leave the site. A link is keyed when the site's URL it
# resolves to takes a key, or when it carries a UUID (fail closed: a link that does not resolve).
LINK = re.compile(r"https?://[^\s<>\"]+")
UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
KEY_ARGUMENTS = {"token", "key", "uidb36"}
KEY_REMOVED = "[link removed: it held a key]"


def _keyless_link(found):
    link = found.group(0)
    bare = link.rstrip(".,;:!?)'")
    try:
        keyed = bool(KEY_ARGUMENTS & set(resolve(urlsplit(bare).path).kwargs))
    except Resolver404:
        keyed = False
    return KEY_REMOVED + link[len(bare) :] if keyed or UUID_IN.search(link) else link


def _email_columns(email, context):
    return {"body": LINK.sub(_keyless_link, email.body), "subject": LINK.sub(_keyless_link, email.subject)}


# In order: a part's links refer to the rows of parts above it.
PARTS = [
    Part(User, rows_also=lambda c: Q(pk=c.user.pk), omit={"password": SECRET}, what="Account"),
    Part(Profile, ("user",), what="Profile"),
    Part(EmailAddress, ("user",)),
    Part(Authenticator, ("user",), omit={"data": SECRET}),
    Part(CalendarFeed, ("user",), omit={"token": SECRET}),
    Part(Program, ("coordinators", "safeguarding_leads", "created_by"), personal=False,
         only=("id", "name", "slug", "status", "coordinators", "safeguarding_leads", "created_by")),
    Part(Enrollment, ("user",), omit={"guardian_name": GUARDIAN, "guardian_email": GUARDIAN}),
    Part(StatusChange, ("enrollment",)),
    Part(Answer, ("enrollment",)),
    Part(ScreeningRecord, ("enrollment",)),
    Part(ApplicantNote, ("enrollment",), what="Coordinators' private notes on their applications"),
    Part(Nudge, ("enrollment",), what="Nudges coordinators sent them"),
    Part(Invitation, ("enrollment",), rows_also=lambda c: _iexact_any("email", c.emails),
         omit={"token": SECRET}),
    Part(GuardianConsent, ("enrollment",), omit={
        "guardian_name": GUARDIAN, "guardian_email": GUARDIAN, "signed_name": GUARDIAN,
        "token": SECRET, "manage_token": SECRET,
    }),
    Part(TrainingRecord, ("enrollment",), related=("training",), computed=_record_columns,
         computed_columns=("training_for", "how"),
         what="Trainings: progress and completion (a guardian's orientation is on the mentee's)"),
    Part(QuizAttempt, ("record",), related=("record__training",), computed=_attempt_columns,
         computed_columns=("training",), what="Their quiz attempts: date, score, passed, their answers"),
    Part(SessionSignup, ("enrollment",), what="Their places at in-person training sessions"),
    Part(MatchSuggestion, ("mentee", "mentor")),
    Part(UnmatchedReason, ("mentee",)),
    Part(Match, ("mentee", "mentor", "suggestion"), omit={"closure_notes": NOTES},
         related=("mentee__user__profile", "mentor__user__profile"), computed=_match_columns,
         computed_columns=("your_role", "partner")),
    Part(MatchPause, ("match",)),
    Part(MatchRequest, ("mentee", "mentor")),
    Part(Meeting, ("match",), what="Meetings"),
    Part(CheckIn, ("match",), what="Check-ins"),
    Part(Goal, ("match",)),
    Part(GoalNote, ("goal",)),
    Part(StaffContact, ("match",), omit={"notes": NOTES}),
    Part(GroupMember, ("enrollment",), what="Their places in groups and peer circles"),
    Part(GroupAttendance, ("enrollment",), what="Their attendance at group sessions"),
    Part(GroupFeedback, ("enrollment",), what="Their ratings of group sessions"),
    Part(Rsvp, ("user",), omit={"feedback_token": SECRET}, what="Their replies to events"),
    Part(EventFeedback, ("rsvp",), what="Their feedback on events"),
    Part(ThankYou, ("enrollment",), what="Thank-you notes from their coordinators"),
    # Impact (issue 16): their stories (with the consent they gave), the invitations to tell one,
    # and their own answers to the optional demographic questions: theirs to see (a right of
    # access), though the program reads them only in aggregate.
    Part(Story, ("enrollment",), omit={"guardian_token": SECRET},
         what="Their stories, with the consent they gave to share them and any shorter version"),
    Part(StoryInvitation, ("enrollment",), what="Invitations to tell their story"),
    Part(DemographicAnswer, ("enrollment",),
         what="Their own answers to the optional demographic questions (the program sees them only in "
         "aggregate, never by person)"),
    # A partner organisation's record that names them as its contact, and their read-only logins.
    Part(Partner, rows_also=lambda c: _iexact_any("contact_email", c.emails), personal=False,
         only=("id", "program", "name", "kind", "contact_name", "contact_email", "contact_phone"),
         what="Partner organisations that name them as their contact"),
    Part(PartnerViewer, ("user",), rows_also=lambda c: _iexact_any("email", c.emails), omit={"token": SECRET},
         what="Their read-only logins to a partner organisation's figures"),
    Part(Topic, ("author",), what="Discussion topics they started"),
    Part(Post, ("author",), what="Their posts on discussion boards"),
    Part(BoardDigest, ("user",), what="Where their daily digest of discussion posts is up to"),
    # Their groups' conversations too (``group``: the groups they are or were in).
    Part(Conversation, ("match", "enrollment"), rows_also=lambda c: Q(
        group_id__in=GroupMember.objects.filter(enrollment__user=c.user).values("group_id"))),
    Part(ConversationReader, ("user",), what="Where they are up to in each conversation"),
    Part(Message, ("conversation",), computed=_message_columns, what="Messages in their conversations"),
    Part(SurveyResponse, ("respondent",)),
    Part(SurveyInvitation, ("respondent",), omit={"token": SECRET}),
    Part(Reminder, ("match",)),
    Part(CoordinatorDigest, ("coordinator",)),
    Part(ExportRecord, ("requested_by",), omit={"file": "where the file lies on the server"}),
    Part(RetentionHold, ("user",),
         omit={"reason": "staff's reason, which may concern a legal matter: given once staff review it"}),
    Part(AuditEntry, rows_also=_audit_about, computed=_audit_columns, what="Audit trail entries about them",
         omit={"actor_label": "who acted when it was not an account (a guardian, by name)"}),
    Part(OutboundEmail, rows_also=lambda c: _iexact_any("to", c.emails), computed=_email_columns),
]  # fmt: skip

PERSONAL_MODELS = frozenset(part.model for part in PARTS if part.personal)


# --- Reading and writing ---------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _value(f, obj, context):
    if f.many_to_many:
        return sorted((context.ref(f.related_model, o.pk) for o in getattr(obj, f.name).all()), key=str)
    if f.is_relation:
        return context.ref(f.related_model, getattr(obj, f.attname))
    return _plain(f.value_from_object(obj))


def _serialise(part, obj, context):
    row = {f.name: _value(f, obj, context) for f in part.fields()}
    if part.computed is not None:
        row.update(part.computed(obj, context))
    return row


def _walk(user):
    """(part, the person's rows of it) for every part, in order."""
    context = Context(user)
    for part in PARTS:
        rows = list(part.rows(context))
        if part.personal:
            context.ids[part.model] = {row.pk for row in rows}
        yield part, rows, context


def counts(user):
    """(part, how many rows the person has in it), for every part."""
    return [(part, len(rows)) for part, rows, _ in _walk(user)]


def person_data(user):
    """Everything about ``user`` as one JSON-ready dict: ``data`` by app and model, and what is
    left out and why."""
    data = {}
    for part, rows, context in _walk(user):
        meta = part.model._meta
        data.setdefault(meta.app_label, {})[meta.model_name] = [_serialise(part, r, context) for r in rows]
    return {
        "about": (
            f"Everything {user._meta.verbose_name} #{user.pk} has on this site, as of the date below. Other "
            f"people appear as '{SOMEONE_ELSE}' or, for a match partner, by first name. 'left_out' says what "
            "is not here and why."
        ),
        "person": user.pk,
        "exported_at": _plain(timezone.now()),
        "data": data,
        "left_out": {
            "fields": {part.key: part.omit for part in PARTS if part.omit},
            "records": LEFT_OUT,
            "relations": {f"{model}.{name}": why for (model, name), why in LEFT_OUT_LINKS.items()},
        },
    }


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return csv_safe(value) if isinstance(value, str) else value


def _csv(rows, columns):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return "\ufeff" + out.getvalue()  # the byte-order mark: spreadsheets read accents right


def person_data_zip(user):
    """The download: ``data.json`` (all of it) and ``csv/<app>.<model>.csv`` (a file per model,
    its header alone when the person has no row), as the bytes of a zip."""
    export = person_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(export, ensure_ascii=False, indent=2, default=str))
        for part in PARTS:
            meta = part.model._meta
            rows = export["data"][meta.app_label][meta.model_name]
            archive.writestr(f"csv/{meta.app_label}.{meta.model_name}.csv", _csv(rows, part.columns()))
    return buffer.getvalue()
