"""The programs app's models, by job: programs (a program, its checklist and questions, roles),
areas (the neighbourhoods a program's participants choose from),
enrollments (applications, their status history, answers, screening records) and
invitations_consent (invitations to apply, guardian consent), notes (coordinators' private notes on
an applicant), trainings (training and orientation, their pages, quizzes, sessions and records, and
stored files), resources (the resource library), events (events, RSVPs with a wait-list, and
feedback), partners (local partners and their contacts' read-only logins) and demographics (optional
self-described questions and answers, kept apart from the profile). Everything is imported here, so
``from programs.models import X`` works for every model and choice."""

from programs.models.areas import Area, participant_location
from programs.models.demographics import DemographicAnswer, DemographicQuestion, DemographicTopic
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
from programs.models.events import Event, EventFeedback, EventKind, EventStatus, Rsvp, RsvpStatus
from programs.models.invitations_consent import ConsentAnswer, GuardianConsent, Invitation
from programs.models.notes import ApplicantNote, Nudge
from programs.models.partners import Partner, PartnerKind, PartnerViewer
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
from programs.models.resources import Resource, ResourceAudience, ResourceKind, ResourceTopic
from programs.models.trainings import (
    CompletedBy,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    SessionSignup,
    StoredFile,
    Training,
    TrainingFor,
    TrainingKind,
    TrainingPage,
    TrainingRecord,
    TrainingSession,
)

__all__ = [
    "DemographicAnswer",
    "DemographicQuestion",
    "DemographicTopic",
    "Partner",
    "PartnerKind",
    "PartnerViewer",
    "Event",
    "EventFeedback",
    "EventKind",
    "EventStatus",
    "Rsvp",
    "RsvpStatus",
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
    "Resource",
    "ResourceAudience",
    "ResourceKind",
    "ResourceTopic",
    "CompletedBy",
    "QuizAttempt",
    "QuizChoice",
    "QuizQuestion",
    "SessionSignup",
    "StoredFile",
    "Training",
    "TrainingFor",
    "TrainingKind",
    "TrainingPage",
    "TrainingRecord",
    "TrainingSession",
]
