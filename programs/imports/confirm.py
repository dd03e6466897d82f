"""The import's confirm: the same parse again, inside one transaction, done exactly as previewed."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Profile, User
from mentorship.services import email_batch, email_queue, languages_get_or_create, tags_get_or_create
from programs.imports.preview import PROFILE_FIELDS, VOCABULARIES, import_parse
from programs.invitations import invitation_issue
from programs.models import Enrollment, Invitation, Program, Role, Source
from programs.services import enrollment_apply

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

    with email_batch() as emails:
        _import_rows(program, preview.ok_rows, by, emails)
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


def _import_rows(program, rows, by, emails):
    """Rows for emails nobody has are imported: an account with the file's profile, the
    application, a welcome email. A row naming an existing account is only an invitation: joining
    is that person's own choice, and their profile is theirs."""
    accounts = _accounts_of([row.email for row in rows])
    new_rows = [row for row in rows if row.email not in accounts]
    _invite_existing(
        program, [(row, accounts[row.email]) for row in rows if row.email in accounts], by, emails
    )

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
            batch=emails,
            partner=row.partner,
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
            batch=emails,
        )


def _invite_existing(program, rows, by, emails):
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
        invitation_issue(
            program=program,
            email=row.email,
            role=row.role,
            by=by,
            source=Source.IMPORTED,
            batch=emails,
            partner=row.partner,
        )


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
