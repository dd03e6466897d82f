"""The import's columns and its preview: what each row of the file would do (nothing written)."""

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from mentorship.forms import validate_date_of_birth
from mentorship.models import ADULT_AGE, age_on
from programs.models import Enrollment, HeardAbout, Partner, ProgramStatus, Role

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
    Column(
        "partner",
        False,
        "The name of the program's partner organisation that brought them (as on the partners page; "
        "not case-sensitive). A name the program has no partner by is a problem with that row.",
        120,
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
    partner_name: str = ""
    partner: object = None  # the program's Partner the row names (_resolve)

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
    row.partner_name = " ".join(values.get("partner", "").split())
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

    _resolve_partners(rows, program)
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


def _resolve_partners(rows, program):
    """Each row's partner, by name among the program's current partners (one query); a name the
    program has no partner by is that row's problem (the other rows import)."""
    partners = {
        partner.name.lower(): partner
        for partner in Partner.objects.filter(program=program, archived_at__isnull=True)
    }
    for row in rows:
        if not row.partner_name:
            continue
        row.partner = partners.get(row.partner_name.lower())
        if row.partner is None:
            row.errors.append(f"Unknown partner “{row.partner_name}”: add it on the partners page first.")
        else:
            row.notes.append(f"Brought by {row.partner.name}.")


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
