"""The programs app's models, by job: programs (a program, its checklist and questions, roles),
areas (the neighbourhoods a program's participants choose from),
enrollments (applications, their status history, answers, screening records) and
invitations_consent (invitations to apply, guardian consent), notes (coordinators' private notes on
an applicant). Everything is imported here, so
``from programs.models import X`` works for every model and choice."""

from programs.models.areas import Area, participant_location
from programs.models.enrollments import (
    ENROLLMENT_TRANSITIONS,
    OPEN_STATUSES,
    Answer,
    Enrollment,
    EnrollmentQuerySet,
    EnrollmentStatus,
    HeardAbout,
    ScreeningRecord,
    Source,
    StatusChange,
)
from programs.models.invitations_consent import ConsentAnswer, GuardianConsent, Invitation
from programs.models.notes import ApplicantNote, Nudge
from programs.models.programs import (
    BACKGROUND_CHECK,
    CRITERIA,
    DEFAULT_CHECKLIST,
    DEFAULT_WEIGHTS,
    PROGRAM_TRANSITIONS,
    Audience,
    ChecklistItem,
    ChecklistItemQuerySet,
    Format,
    MatchingMode,
    Program,
    ProgramStatus,
    Question,
    Role,
    default_weights,
)

__all__ = [
    "Area",
    "participant_location",
    "BACKGROUND_CHECK",
    "CRITERIA",
    "DEFAULT_CHECKLIST",
    "DEFAULT_WEIGHTS",
    "PROGRAM_TRANSITIONS",
    "Audience",
    "ChecklistItem",
    "ChecklistItemQuerySet",
    "Format",
    "MatchingMode",
    "Program",
    "ProgramStatus",
    "Question",
    "Role",
    "default_weights",
    "ENROLLMENT_TRANSITIONS",
    "OPEN_STATUSES",
    "Answer",
    "Enrollment",
    "EnrollmentQuerySet",
    "EnrollmentStatus",
    "HeardAbout",
    "ScreeningRecord",
    "Source",
    "StatusChange",
    "ConsentAnswer",
    "GuardianConsent",
    "Invitation",
    "ApplicantNote",
    "Nudge",
]
