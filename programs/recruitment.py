"""Recruiting people into a program: invitations by email and a CSV import of applicants.

The import is two steps that share one parser. ``import_parse`` reads the file and says, row by
row, what would happen (and writes nothing); ``import_confirm`` parses the same text again inside
its transaction and does exactly what that says. Preview and confirm can therefore never disagree
about a row, and a re-import adds nobody twice.

Nothing a coordinator sees tells them whether an email has an account (DESIGN.md, the trust
model): the preview reads only the file and this program's own enrollments. Only the confirm
looks accounts up, and a row naming one becomes an invitation that person accepts or ignores;
their profile is never touched.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from mentorship.forms import validate_date_of_birth
from mentorship.models import ADULT_AGE, Profile, User, age_on
from mentorship.services import email_batch, email_queue, languages_get_or_create, tags_get_or_create
from programs.models import Enrollment, HeardAbout, Invitation, Program, ProgramStatus, Role, Source
from programs.services import enrollment_apply

# --- Invitations ---------------------------------------------------------------------------------


class InvitationState:
    do_not_call_in_templates = True  # templates compare against its constants

    # Where an invitation stands (the coordinator's list)...
    WAITING = "waiting"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    # ...and what its page can offer the visitor.
    OPEN = "open"
    CLOSED = "closed"
    NOT_OPEN = "not_open"
    ENROLLED = "enrolled"
    LOG_IN = "log_in"
    NOT_FOR_YOU = "not_for_you"


def invitation_status(*, invitation, now=None):
    """Waiting, expired or accepted: the one reading of an invitation's dates."""
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.is_expired(now):
        return InvitationState.EXPIRED
    return InvitationState.WAITING


def invitation_list(*, program, now=None):
    """The program's invitations, newest first, each with its ``status``: one query however many."""
    now = now or timezone.now()
    invitations = list(Invitation.objects.filter(program=program).order_by("-created_at", "-pk"))
    for invitation in invitations:
        invitation.status = invitation_status(invitation=invitation, now=now)
    return invitations


def _normalise_email(email):
    # The same spelling as User.save, so an invitation and the account it leads to compare equal.
    return (email or "").strip().lower()


def mask_email(email):
    """a•••@example.org: enough for the invitee to recognise their address, not to learn someone's."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _invitation_check(program):
    if program.status == ProgramStatus.CLOSED:
        raise ValidationError("This program is closed: it cannot take new people.")
    if program.status == ProgramStatus.DRAFT:
        # Its public pages (and so the application) are hidden until it opens: the link would 404.
        raise ValidationError("Open the program before inviting people: until then the link leads nowhere.")


def _invitation_issue(*, program, email, role, by, source, note=""):
    """Create the invitation of ``email``, or refresh it (a resend), and queue its email.

    A refresh gives it a new token (the link sent before stops working), new dates, and the latest
    role, sender and source. Returns (invitation, resent). The caller has checked the program and
    that the invitation is not accepted yet.
    """
    now = timezone.now()
    fields = {
        "role": role,
        "invited_by": by,
        "source": source,
        "sent_at": now,
        "expires_at": now + dt.timedelta(days=program.invitation_valid_days),
    }
    # get_or_create copes with two coordinators inviting the same address at the same moment.
    invitation, created = Invitation.objects.select_for_update().get_or_create(
        program=program, email=email, defaults=fields
    )
    if not created:
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.token = uuid.uuid4()
        invitation.save(update_fields=[*fields, "token"])
    email_queue(
        to=email,
        template="invitation",
        context={
            "program": program,
            "invitation": invitation,
            "email": email,
            "role": invitation.get_role_display().lower(),
            "note": note.strip(),
            "invited_by": by.display_name if by else "",
            "link": settings.SITE_URL + invitation.get_absolute_url(),
        },
    )
    return invitation, not created


@transaction.atomic
def invitation_send(*, program, email, role, by, note=""):
    """Invite ``email`` to ``program`` as ``role`` and queue the email. Returns (invitation, resent).

    Inviting the same address again is a resend (a new link, the role updated to the latest
    choice) instead of a failure; an invitation already accepted is reported.
    """
    email = _normalise_email(email)
    _invitation_check(program)
    if role not in Role.values:
        raise ValidationError("Unknown role.")
    accepted = Invitation.objects.filter(program=program, email=email, accepted_at__isnull=False).first()
    if accepted is not None:
        raise ValidationError(
            f"{email} already accepted an invitation to this program on {accepted.accepted_at:%d %B %Y}."
        )
    # The login email only: the coordinator sees who is enrolled anyway, and a check of other
    # addresses would tell them which account holds this one.
    enrolled = Enrollment.objects.filter(program=program, user__email=email).first()
    if enrolled is not None:
        raise ValidationError(
            f"{email} is already enrolled in this program as a {enrolled.get_role_display().lower()}."
        )
    return _invitation_issue(program=program, email=email, role=role, by=by, source=Source.INVITED, note=note)


@transaction.atomic
def invitation_resend(*, invitation, by):
    """Send ``invitation`` again with a new link (the old one stops working) and a new expiry."""
    invitation = Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    _invitation_check(invitation.program)
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} already accepted this invitation.")
    invitation, _ = _invitation_issue(
        program=invitation.program,
        email=invitation.email,
        role=invitation.role,
        by=by,
        source=invitation.source,
    )
    return invitation


def invitation_state(*, invitation, user, now=None):
    """What the invitation page can offer ``user``: go on to apply, or why not.

    Only the person it was sent to can use it (their login, or another address they verified):
    whoever else holds the link (a forwarded email, a shared computer) is told so.
    """
    status = invitation_status(invitation=invitation, now=now)
    if status != InvitationState.WAITING:
        return status
    if invitation.program.status == ProgramStatus.CLOSED:
        return InvitationState.CLOSED
    if invitation.program.status == ProgramStatus.DRAFT:
        return InvitationState.NOT_OPEN
    if not user.is_authenticated:
        return InvitationState.LOG_IN
    if not invitation.is_for(user):
        return InvitationState.NOT_FOR_YOU
    if Enrollment.objects.filter(program=invitation.program, user=user).exists():
        return InvitationState.ENROLLED
    return InvitationState.OPEN


def invitation_usable(*, token, program, role, user):
    """The invitation behind ``token`` if ``user`` may apply through it now, else None: the current
    link, unexpired, unaccepted, for this program and role, and sent to this user."""
    if not token or not user.is_authenticated:
        return None
    invitation = (
        Invitation.objects.select_related("program")
        .filter(token=token, program=program, role=role, accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.is_expired() or not invitation.is_for(user):
        return None
    return invitation


# --- CSV import: the columns ---------------------------------------------------------------------

MAX_IMPORT_BYTES = 2 * 1024 * 1024
# A confirm runs in the web request (about 5 ms a row here): 1,000 rows stay well inside a
# request timeout. Bigger lists: split the file.
MAX_IMPORT_ROWS = 1000
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    max_length: int | None = None


COLUMNS = [
    Column("email", True, "The person's email address; it becomes their login."),
    Column("name", False, "The name shown to coordinators and matches.", 80),
    Column("role", True, "mentor or mentee."),
    Column(
        "heard_about",
        False,
        "How they heard about the program: one of "
        + ", ".join(f"{key} ({label})" for key, label in HeardAbout.choices)
        + ". Empty means other; anything else is kept as other, with the text as the detail.",
    ),
    Column("pronouns", False, "For example she/her, they/them.", 40),
    Column("date_of_birth", False, "YYYY-MM-DD, for example 2009-04-23."),
    Column("languages", False, "Languages they speak, separated by semicolons: English; Spanish."),
    Column("interests", False, "Semicolon-separated list."),
    Column("skills", False, "Semicolon-separated list (for mentors: what they can help with)."),
    Column("goals", False, "Semicolon-separated list (for mentees: what they want help with)."),
    Column("area", False, "Neighbourhood or postcode.", 80),
    Column("phone", False, "A phone number.", 30),
    Column("guardian_name", False, "For a mentee under 18: a parent's or guardian's name.", 120),
    Column(
        "guardian_email",
        False,
        "For a mentee under 18: the guardian's email; they are asked for consent by email.",
    ),
]
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
# Profile fields a new account gets, in the order the preview lists them.
PROFILE_FIELDS = {"name": "display_name", "pronouns": "pronouns", "area": "area", "phone": "phone"}
VOCABULARIES = ["languages", "interests", "skills", "goals"]
TAG_MAX_LENGTH = 60
LABELS = {
    "name": "Name",
    "pronouns": "Pronouns",
    "date_of_birth": "Date of birth",
    "area": "Area",
    "phone": "Phone",
    "languages": "Languages",
    "interests": "Interests",
    "skills": "Skills",
    "goals": "Goals",
}


def _column_key(header):
    # "Date of birth", "date-of-birth" and "DATE_OF_BIRTH" are all the date_of_birth column.
    return "_".join(header.strip().lower().replace("-", " ").split())


HEARD_ABOUT = {
    **{key: key for key in HeardAbout.values},
    **{label.lower(): key for key, label in HeardAbout.choices},
}
ROLES = {**{key: key for key in Role.values}, **{label.lower(): key for key, label in Role.choices}}


# --- CSV import: the preview ---------------------------------------------------------------------

OK, SKIP, ERROR = "ok", "skip", "error"
ALREADY_ENROLLED = "already enrolled: skipped"
NEEDS_CONSENT = "needs guardian consent"


@dataclass
class ImportRow:
    """One line of the file and what the import does with it."""

    line: int
    email: str = ""
    role: str = ""
    status: str = OK
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # the clean profile values for a new account
    date_of_birth: dt.date | None = None
    heard_about: str = HeardAbout.OTHER
    heard_about_detail: str = ""
    guardian_name: str = ""
    guardian_email: str = ""
    needs_consent: bool = False

    @property
    def role_label(self):
        return Role(self.role).label if self.role in Role.values else ""

    @property
    def filled(self):
        """(label, text) for each profile field the file gives (a new account gets them)."""
        filled = []
        for column, label in LABELS.items():
            if column == "date_of_birth":
                value = self.date_of_birth.isoformat() if self.date_of_birth else ""
            else:
                value = self.values.get(column)
                value = ", ".join(value) if isinstance(value, list) else value
            if value:
                filled.append((label, value))
        return filled


@dataclass
class ImportPreview:
    digest: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # about the whole file: then nothing is imported
    ignored_columns: list = field(default_factory=list)

    @property
    def ok_rows(self):
        return [row for row in self.rows if row.status == OK]

    @property
    def skipped_rows(self):
        return [row for row in self.rows if row.status == SKIP]

    @property
    def error_rows(self):
        return [row for row in self.rows if row.status == ERROR]

    @property
    def needing_consent(self):
        return sum(1 for row in self.ok_rows if row.needs_consent)

    @property
    def importable(self):
        return not self.errors and bool(self.ok_rows)

    @property
    def fingerprint(self):
        """What the import would do, in short: if it changes between preview and confirm (someone
        enrolled meanwhile), the coordinator looks again before anything is written. Like the
        preview, it does not depend on which emails have accounts."""
        plan = [(row.line, row.status) for row in self.rows]
        return hashlib.sha256(json.dumps([self.errors, plan]).encode()).hexdigest()


def import_digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_decode(*, data):
    """The text of an uploaded file: UTF-8, with or without a byte-order mark."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        raise ValidationError("The file holds binary data: is it really a CSV file?")
    if not text.strip():
        raise ValidationError("The file is empty.")
    return text


def import_parse(*, program, text, today=None):
    """Read a CSV of applicants and say what importing it into ``program`` would do. Writes nothing.

    One query for the whole file (this program's enrollments), whatever its size. Accounts are
    not looked at: the preview reads the same whether or not an email has one.
    """
    today = today or timezone.localdate()
    preview = ImportPreview(digest=import_digest(text))
    if program.status == ProgramStatus.CLOSED:
        preview.errors.append("This program is closed: nobody can be added to it.")
        return preview
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            preview.errors.append("The file has no header row.")
            return preview
        index = _read_header(header, preview)
        if preview.errors:
            return preview
        raw_rows, end = [], reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(raw_rows) == MAX_IMPORT_ROWS:
                preview.errors.append(
                    f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it into smaller files."
                )
                return preview
            values = {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}
            raw_rows.append((line, values))
    except csv.Error as exc:
        preview.errors.append(f"Line {reader.line_num}: this is not a readable CSV file ({exc}).")
        return preview
    if not raw_rows:
        preview.errors.append("The file has a header row but no applicants.")
        return preview

    preview.rows = [_clean_row(line, values, today) for line, values in raw_rows]
    _resolve(preview.rows, program, today)
    return preview


def _read_header(header, preview):
    index = {}
    for position, raw in enumerate(header):
        key = _column_key(raw)
        if not key:
            preview.ignored_columns.append(f"column {position + 1} (no header)")
        elif key not in COLUMNS_BY_NAME:
            preview.ignored_columns.append(raw.strip())
        elif key in index:
            preview.errors.append(f"The column “{raw.strip()}” appears twice.")
        else:
            index[key] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        names = " and ".join(f"“{name}”" for name in missing)
        if len(missing) == 1:
            preview.errors.append(f"The file has no {names} column, and it is required.")
        else:
            preview.errors.append(f"The file has no {names} columns, and they are required.")
    return index


def _clean_row(line, values, today):
    """Check one row on its own (no database): each problem is one message."""
    row = ImportRow(line=line)
    errors = row.errors

    email = values.get("email", "").lower()
    row.email = email
    if not email:
        errors.append("Missing email address.")
    else:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(f"Invalid email address “{email}”.")

    role = values.get("role", "")
    row.role = ROLES.get(role.lower(), "")
    if not role:
        errors.append("Missing role (mentor or mentee).")
    elif not row.role:
        errors.append(f"Unknown role “{role}” (use mentor or mentee).")

    heard = values.get("heard_about", "")
    if heard:
        row.heard_about = HEARD_ABOUT.get(heard.lower(), HeardAbout.OTHER)
        if heard.lower() not in HEARD_ABOUT:
            row.heard_about_detail = heard[:200]
            row.notes.append(f"Heard about the program: “{heard}” is recorded as “Other”.")

    born = values.get("date_of_birth", "")
    if born:
        try:
            # strptime, not fromisoformat: that one also takes 20090423 and week dates.
            row.date_of_birth = dt.datetime.strptime(born, "%Y-%m-%d").date()
        except ValueError:
            errors.append(f"Date of birth “{born}” is not a date in the form YYYY-MM-DD.")
        else:
            try:
                validate_date_of_birth(row.date_of_birth, today=today)  # the profile's rule
            except forms.ValidationError as error:
                errors.append(f"Date of birth {born}: {' '.join(error.messages)}")

    for column in ["name", "pronouns", "area", "phone", "guardian_name"]:
        value = " ".join(values.get(column, "").split())
        limit = COLUMNS_BY_NAME[column].max_length
        if len(value) > limit:
            errors.append(f"{column} is longer than {limit} characters.")
        row.values[column] = value
    for column in VOCABULARIES:
        names = {}
        for name in values.get(column, "").split(LIST_SEPARATOR):
            name = " ".join(name.split())
            if len(name) > TAG_MAX_LENGTH:
                errors.append(f"{column}: “{name[:20]}…” is longer than {TAG_MAX_LENGTH} characters.")
            elif name:
                names.setdefault(name.lower(), name)
        row.values[column] = list(names.values())

    row.guardian_name = row.values.pop("guardian_name")
    guardian_email = values.get("guardian_email", "").lower()
    if guardian_email:
        try:
            validate_email(guardian_email)
        except ValidationError:
            errors.append(f"Invalid guardian email address “{guardian_email}”.")
        row.guardian_email = guardian_email
    return row


def _resolve(rows, program, today):
    """What the database adds: people already in this program (by login email, as the applicant
    list shows them), repeats, minors. Accounts are not looked up: see the module's docstring."""
    emails = {row.email for row in rows if row.email and not row.errors}
    enrolled = set(
        Enrollment.objects.filter(program=program, user__email__in=emails).values_list(
            "user__email", flat=True
        )
    )

    first_line = {}  # email -> the line it first appears on
    for row in rows:
        if row.email in first_line:
            row.errors.append(f"Repeats the person on line {first_line[row.email]}.")
        elif row.email:
            first_line[row.email] = row.line
        if not row.errors:
            _check_age(row, today)
        if row.errors:
            row.status = ERROR
            row.notes = []
        elif row.email in enrolled:
            row.status = SKIP
            row.notes = [ALREADY_ENROLLED]


def _check_age(row, today):
    # The file's own date of birth only: an account's would tell the importer a stranger's age.
    # Someone who has an account is invited rather than imported, and their own date of birth
    # counts when they apply.
    born = row.date_of_birth
    age = age_on(born, today)
    minor = age is not None and age < ADULT_AGE
    guardian_given = bool(row.guardian_name or row.guardian_email)
    if row.role == Role.MENTOR:
        if minor:
            row.errors.append(f"A mentor must be {ADULT_AGE} or over (born {born:%Y-%m-%d}).")
        elif guardian_given:
            row.notes.append("Guardian details are ignored: they are for mentees under 18.")
        row.guardian_name = row.guardian_email = ""
        return
    if age is not None and not minor:
        if guardian_given:
            row.notes.append("Guardian details are ignored: this mentee is an adult.")
        row.guardian_name = row.guardian_email = ""
        return
    if row.guardian_email and not row.guardian_name:
        row.errors.append("A guardian email needs a guardian name too.")
    elif row.guardian_email:
        row.notes.append(f"Guardian consent will be asked of {row.guardian_name} <{row.guardian_email}>.")
    elif minor:
        row.needs_consent = True
        row.guardian_name = ""
        row.notes.append(NEEDS_CONSENT)


# --- CSV import: the confirm ---------------------------------------------------------------------


class ImportRefused(ValidationError):
    """The file as a whole cannot be imported (the program closed, a column went missing)."""


class ImportChanged(ValidationError):
    """The import would now do something else than the preview showed; nothing was written."""

    def __init__(self, preview):
        super().__init__("Something changed since the preview.")
        self.preview = preview


@transaction.atomic
def import_confirm(*, program, text, by, today=None, expected=None):
    """Import the file's good rows into ``program``, all or nothing. Returns the preview it used.

    ``expected``: the preview's fingerprint; when the import would now differ, ImportChanged.
    """
    # One import into a program at a time (a double click, two coordinators): the second waits,
    # then finds the people enrolled and skips them. NO KEY: applications can still come in.
    program = Program.objects.select_for_update(no_key=True).get(pk=program.pk)
    preview = import_parse(program=program, text=text, today=today)
    if preview.errors:
        raise ImportRefused(preview.errors)
    if expected is not None and preview.fingerprint != expected:
        raise ImportChanged(preview)

    with email_batch():
        _import_rows(program, preview.ok_rows, by)
    return preview


def _accounts_of(emails):
    """email -> the account it belongs to: its login, or an address verified on it. A person who
    signed up with another address and added this one is that account, never a second one."""
    accounts = {user.email: user for user in User.objects.filter(email__in=emails)}
    addresses = (
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=set(emails) - accounts.keys(), verified=True)
        .select_related("user")
    )
    for address in addresses:
        accounts.setdefault(address.email_lower, address.user)
    return accounts


def _import_rows(program, rows, by):
    """Rows for emails nobody has are imported: an account with the file's profile, the
    application, a welcome email. A row naming an existing account is only an invitation: joining
    is that person's own choice, and their profile is theirs."""
    accounts = _accounts_of([row.email for row in rows])
    new_rows = [row for row in rows if row.email not in accounts]
    _invite_existing(program, [(row, accounts[row.email]) for row in rows if row.email in accounts], by)

    # Accounts first, with their profiles filled, so that every email below (the guardian's
    # request names the mentee) reads complete data. Per row only what must be per row: the
    # account (create_user keeps the account-has-a-profile rule), the application (the service
    # records its history and asks the guardian) and the email; the rest goes in bulk.
    created = {row.line: User.objects.create_user(email=row.email, password=None) for row in new_rows}
    _profiles_fill([(row, created[row.line]) for row in new_rows])
    reset_url = settings.SITE_URL + reverse("account_reset_password")
    program_url = settings.SITE_URL + program.get_absolute_url()
    for row in new_rows:
        user = created[row.line]
        enrollment_apply(
            program=program,
            user=user,
            role=row.role,
            heard_about=row.heard_about,
            heard_about_detail=row.heard_about_detail,
            source=Source.IMPORTED,
            guardian_name=row.guardian_name,
            guardian_email=row.guardian_email,
            by=by,
        )
        email_queue(
            to=user.email,
            template="imported_welcome",
            context={
                "program": program,
                "name": row.values["name"],
                "role": Role(row.role).label.lower(),
                "email": user.email,
                "reset_url": reset_url,
                "program_url": program_url,
            },
        )


def _invite_existing(program, rows, by):
    # Quietly nothing for an account already in the program (under another of its addresses) or
    # one that already accepted: the importer must not learn about either from what happens.
    enrolled = set(
        Enrollment.objects.filter(program=program, user__in=[user.pk for _, user in rows]).values_list(
            "user_id", flat=True
        )
    )
    accepted = set(
        Invitation.objects.filter(
            program=program, email__in=[row.email for row, _ in rows], accepted_at__isnull=False
        ).values_list("email", flat=True)
    )
    for row, user in rows:
        if user.pk in enrolled or row.email in accepted:
            continue
        enrolled.add(user.pk)  # one invitation per person, whichever of their addresses comes first
        _invitation_issue(program=program, email=row.email, role=row.role, by=by, source=Source.IMPORTED)


def _vocabularies(rows):
    """Every language and tag the new accounts name, fetched or created once for the whole file."""
    found = {}
    for kind, get_or_create in [
        ("languages", languages_get_or_create),
        ("tags", tags_get_or_create),
    ]:
        columns = ["languages"] if kind == "languages" else ["interests", "skills", "goals"]
        names = {}
        for row in rows:
            for column in columns:
                for name in row.values[column]:
                    names.setdefault(name.lower(), name)
        objects = get_or_create(names=list(names.values())) if names else []
        # The helper answers in the order of the (already distinct) names it was given.
        found[kind] = dict(zip(names, objects, strict=True))
    return found


def _profiles_fill(created):
    """New accounts' email addresses (unverified until they set a password), profiles, tags."""
    if not created:
        return
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=False) for _, user in created
    )
    profiles = {
        profile.user_id: profile for profile in Profile.objects.filter(user__in=[u for _, u in created])
    }
    vocabularies = _vocabularies([row for row, _ in created])
    links = {column: [] for column in VOCABULARIES}
    now = timezone.now()
    for row, user in created:
        profile = profiles[user.pk]
        for column, attribute in PROFILE_FIELDS.items():
            setattr(profile, attribute, row.values[column])
        profile.date_of_birth = row.date_of_birth
        profile.updated_at = now  # bulk_update skips auto_now
        for column in VOCABULARIES:
            through = getattr(Profile, column).through
            target, kind = ("language", "languages") if column == "languages" else ("tag", "tags")
            links[column].extend(
                through(profile=profile, **{target: vocabularies[kind][name.lower()]})
                for name in row.values[column]
            )
    Profile.objects.bulk_update(
        profiles.values(), [*PROFILE_FIELDS.values(), "date_of_birth", "updated_at"], batch_size=500
    )
    for column, through_rows in links.items():
        getattr(Profile, column).through.objects.bulk_create(through_rows, batch_size=1000)
