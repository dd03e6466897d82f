from django.contrib import admin
from django.db.models import F

from programs.models import (
    Answer,
    ChecklistItem,
    DemographicQuestion,
    Enrollment,
    Event,
    GuardianConsent,
    Invitation,
    Partner,
    PartnerViewer,
    Program,
    Question,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    Resource,
    Rsvp,
    ScreeningRecord,
    SessionSignup,
    StatusChange,
    StoredFile,
    Training,
    TrainingPage,
    TrainingRecord,
    TrainingSession,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    can_delete = False  # archive instead: recorded checks point at it
    readonly_fields = ["archived_at"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "audience", "matching_mode", "auto_suggestions", "created_at"]
    list_filter = ["status", "audience", "format", "matching_mode", "auto_suggestions", "is_rolling"]
    search_fields = ["name", "slug", "description", "coordinators__email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["safeguarding_leads"]
    # Coordinators are granted on the program's settings page, where the rules are checked, the
    # person told and the change recorded.
    readonly_fields = ["coordinators_list"]
    exclude = ["coordinators"]

    @admin.display(description="Coordinators")
    def coordinators_list(self, obj):
        return ", ".join(user.email for user in obj.coordinators.all()) if obj.pk else "–"

    inlines = [ChecklistItemInline, QuestionInline]
    date_hierarchy = "created_at"


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]
    can_delete = False


class ScreeningRecordInline(admin.TabularInline):
    model = ScreeningRecord
    extra = 0
    autocomplete_fields = ["recorded_by"]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0


class GuardianConsentInline(admin.TabularInline):
    """Signed answers are records: shown, never edited or deleted here."""

    model = GuardianConsent
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "guardian_name", "guardian_email", "asked_at", "expires_at", "revoked_at", "answer",
        "answered_at", "signed_name", "relationship", "withdrawn_at",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "status", "source", "heard_about", "created_at"]
    list_filter = ["role", "status", "source", "heard_about", "guardian_consent", "program"]
    search_fields = ["user__email", "user__profile__display_name", "program__name", "guardian_email"]
    list_select_related = ["user", "program"]
    autocomplete_fields = ["user", "program"]
    readonly_fields = [
        "guardian_name",
        "guardian_email",
        "guardian_consent",
        "guardian_asked_at",
        "guardian_answered_at",
        "dob_reviewed_at",
        "created_at",
        "status_changed_at",
    ]
    inlines = [ScreeningRecordInline, AnswerInline, StatusChangeInline, GuardianConsentInline]
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "program", "role", "created_at", "accepted_at"]
    list_filter = ["role", "program"]
    search_fields = ["email", "program__name"]
    list_select_related = ["program"]


# --- Trainings and resources ------------------------------------------------------------------------
# Completions go through programs/training_records.py (expiry, hours, audit trail) and uploads through
# programs/uploads.py (the type checked from the content): here staff read them and correct little.
# A file's bytes are never loaded for a list or a form: choices of files defer ``data``.


def _files_without_bytes(db_field, kwargs):
    if db_field.related_model is StoredFile:
        kwargs["queryset"] = StoredFile.objects.defer("data").order_by("name")
    return kwargs


class TrainingPageInline(admin.StackedInline):
    model = TrainingPage
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_files_without_bytes(db_field, kwargs))


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    fields = ["order", "text", "explanation"]
    show_change_link = True  # its choices are on the question's page


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "audience", "kind", "required", "valid_days", "hours", "published_at"]
    list_filter = ["audience", "kind", "required", "program"]
    search_fields = ["title", "summary", "program__name"]
    list_select_related = ["program"]
    readonly_fields = ["published_at", "archived_at", "created_at", "updated_at"]
    inlines = [TrainingPageInline, QuizQuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # archived instead: its completion records are part of people's screening


class QuizChoiceInline(admin.TabularInline):
    model = QuizChoice
    extra = 0


@admin.register(QuizQuestion)
class QuizQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "training", "order"]
    list_filter = ["training__program"]
    search_fields = ["text", "training__title"]
    list_select_related = ["training"]
    inlines = [QuizChoiceInline]


class SessionSignupInline(admin.TabularInline):
    """Places and attendance are taken on the session's page (which records the completions)."""

    model = SessionSignup
    extra = 0
    fields = readonly_fields = ["enrollment", "signed_up_at", "attended"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["training", "starts_at", "place", "capacity", "cancelled_at", "attendance_taken_at"]
    list_filter = ["training__program"]
    search_fields = ["training__title", "place"]
    list_select_related = ["training"]
    readonly_fields = ["cancelled_at", "attendance_taken_at"]
    date_hierarchy = "starts_at"
    inlines = [SessionSignupInline]


class QuizAttemptInline(admin.TabularInline):
    model = QuizAttempt
    extra = 0
    fields = readonly_fields = ["submitted_at", "score", "passed"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    """Read-mostly: a completion is recorded through the app (training_complete), which sets the
    expiry and the hours and writes the audit trail; only the note is corrected here."""

    list_display = ["enrollment", "training", "completed_on", "expires_on", "completed_by", "score", "hours"]
    list_filter = ["completed_by", "training__audience", "training"]
    search_fields = ["enrollment__user__email", "training__title"]
    list_select_related = ["enrollment__user", "enrollment__program", "training"]
    readonly_fields = [
        "training", "enrollment", "pages_read", "started_at", "completed_on", "expires_on", "score", "hours",
        "completed_by", "recorded_by", "updated_at",
    ]  # fmt: skip
    inlines = [QuizAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "program_or_all", "topic", "audience", "kind", "file_name", "updated_at"]
    list_filter = ["program", "topic", "audience", "kind"]
    search_fields = ["title", "summary", "program__name"]
    list_select_related = ["program"]
    # The file is uploaded through the app (its type checked from its content); here it is named.
    exclude = ["file"]
    readonly_fields = ["file_name", "copied_from", "created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stored_file_name=F("file__name"))

    @admin.display(description="Program", ordering="program__name")
    def program_or_all(self, obj):
        return obj.program or "Every program"

    @admin.display(description="File", ordering="stored_file_name")
    def file_name(self, obj):
        return getattr(obj, "stored_file_name", None) or "–"


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Named, never shown: the bytes stay out of every list and form (served only by the views that
    check who may see them)."""

    list_display = ["name", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "sha256"]
    list_select_related = ["uploaded_by"]
    exclude = ["data"]
    readonly_fields = ["content_type", "size", "sha256", "uploaded_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False  # uploads go through the app, which checks the type from the content


# --- Events ---------------------------------------------------------------------------------------


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    fields = ["user", "status", "waitlisted_at", "promoted_at", "reminded_at", "attended"]
    readonly_fields = ["waitlisted_at", "promoted_at", "reminded_at"]
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "is_public", "capacity"]
    list_filter = ["status", "kind", "is_public", "programs"]
    search_fields = ["title"]
    filter_horizontal = ["programs"]
    readonly_fields = ["uid", "sequence", "attendance_taken_at"]
    raw_id_fields = ["created_by"]
    date_hierarchy = "starts_at"
    inlines = [RsvpInline]


# --- Partners and demographic questions (issue 16) -----------------------------------------------
# A partner's read-only logins are granted and revoked in the app (an emailed single-use link, the
# audit trail): here staff read them. Partners and questions are archived, never deleted: people
# keep their partner's tag, and the equity report counts a retired question's answers. The answers
# themselves are not in the admin at all: they are read only in aggregate (the equity report).


class PartnerViewerInline(admin.TabularInline):
    model = PartnerViewer
    extra = 0
    fields = readonly_fields = [
        "email",
        "user",
        "invited_by",
        "invited_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "kind", "contact_name", "contact_email", "archived_at"]
    list_filter = ["program", "kind"]
    search_fields = ["name", "contact_name", "program__name"]
    list_select_related = ["program"]
    readonly_fields = ["created_at"]
    inlines = [PartnerViewerInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemographicQuestion)
class DemographicQuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "program", "topic", "position", "archived_at"]
    list_filter = ["program", "topic"]
    search_fields = ["label", "program__name"]
    list_select_related = ["program"]
    # The answers name an option by its words: the options change in the app, which keeps them.
    readonly_fields = ["options", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False
