from django.contrib import admin

from programs.models import (
    Answer,
    ChecklistItem,
    Enrollment,
    GuardianConsent,
    Invitation,
    Program,
    Question,
    ScreeningRecord,
    StatusChange,
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
