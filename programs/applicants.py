"""Writes about applicants beyond a single decision: the acknowledgement a person gets when they
apply, coordinators' private notes, moves and emails to a selection of the applicant list, and the
list's export for a background-check provider.

A move of a selection is the single move (``services.enrollment_transition``) once per person, so
each is emailed and audited as it would be alone; a move the rules refuse for someone is reported
for them and the others go ahead.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorship.services import audit_record, email_batch, email_queue
from mentorship.spreadsheet import csv_safe
from programs.models import ApplicantNote, EnrollmentStatus
from programs.services import enrollment_transition

# The moves a coordinator may make for many people at once (declining or wait-listing is decided
# person by person, on their page).
BULK_MOVES = {
    EnrollmentStatus.IN_SCREENING: "Move to screening",
    EnrollmentStatus.APPROVED: "Approve",
}
EXPORT_COLUMNS = ["name", "email", "date_of_birth", "role", "status"]


def enrollment_acknowledge(*, enrollment):
    """The email that says an application arrived, sent (after commit) to the applicant's own
    address, as the decisions are. It holds nothing private: no answers, no date of birth, not
    the guardian's address; a minor mentee is told that a parent or guardian is asked too."""
    return email_queue(
        to=enrollment.user.email,
        template="application_received",
        context={
            "enrollment": enrollment,
            "program": enrollment.program,
            "needs_consent": enrollment.needs_guardian_consent(),
            # Read again: the request to the guardian (made as they applied) updates its own copy.
            "guardian_asked": enrollment.consents.exists(),
        },
    )


@transaction.atomic
def applicant_note_add(*, enrollment, by, text):
    """A coordinator's private note on an applicant: never shown or emailed to them."""
    text = text.strip()
    if not text:
        raise ValidationError("Write the note first.")
    return ApplicantNote.objects.create(enrollment=enrollment, author=by, text=text)


@dataclass
class BulkResult:
    moved: list = field(default_factory=list)  # enrollments
    refused: list = field(default_factory=list)  # (enrollment, why)


@transaction.atomic
def applicants_move(*, enrollments, to_status, by):
    """Move each of ``enrollments`` to ``to_status`` through the single move's service. Each
    move is a savepoint of its own: one the rules refuse is reported, the others are kept."""
    if to_status not in BULK_MOVES:
        raise ValidationError("That move is made one person at a time, on their page.")
    result = BulkResult()
    for enrollment in enrollments:
        try:
            enrollment_transition(enrollment=enrollment, to_status=to_status, by=by)
        except ValidationError as error:
            result.refused.append((enrollment, " ".join(error.messages)))
        else:
            result.moved.append(enrollment)
    return result


@transaction.atomic
def applicants_email(*, program, enrollments, subject, body, by):
    """A coordinator's email to each of ``enrollments``, at their own address (a minor's too, as
    with the decisions), queued together and sent after commit."""
    enrollments = list(enrollments)
    with email_batch() as batch:
        for enrollment in enrollments:
            email_queue(
                to=enrollment.user.email,
                template="applicant_message",
                context={
                    "enrollment": enrollment,
                    "program": program,
                    "subject": subject,
                    "body": body,
                    "sender": by.display_name,
                },
                batch=batch,
            )
    audit_record(
        actor=by, action="applicants.emailed", target=program, summary=f"{len(enrollments)} people: {subject}"
    )
    return len(enrollments)


def _export_row(enrollment):
    user, program = enrollment.user, enrollment.program
    # The date of birth only where the program asks it (the age rules need it for that role).
    born = user.profile.date_of_birth if program.asks_date_of_birth_of(enrollment.role) else None
    return [
        csv_safe(user.get_full_name() or user.display_name),
        csv_safe(user.email),
        born.isoformat() if born else "",
        enrollment.get_role_display(),
        enrollment.get_status_display(),
    ]


def applicants_export(*, program, enrollments, by, what, request=None):
    """The CSV for a background-check provider: name, email, date of birth (where the program asks
    it), role, status. It holds personal data, so it is on the audit trail (written first: if it
    cannot be, there is no file). ``what`` says which rows (a selection, a filter)."""
    enrollments = list(enrollments)
    audit_record(
        actor=by,
        action="applicants.exported",
        target=program,
        summary=f"{len(enrollments)} people for a background check ({what})"[:300],
        request=request,
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(_export_row(enrollment) for enrollment in enrollments)
    return "\ufeff" + out.getvalue()  # the byte-order mark: spreadsheets read accents right
