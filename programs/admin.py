from django.contrib import admin

from programs.models import (
    Answer,
    ChecklistItem,
    Enrollment,
    Invitation,
    Program,
    Question,
    ScreeningRecord,
    StatusChange,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "audience", "matching_mode", "auto_suggestions", "created_at"]
    list_filter = ["status", "audience", "format", "matching_mode", "auto_suggestions", "is_rolling"]
    search_fields = ["name", "slug", "description", "coordinators__email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
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


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "status", "source", "heard_about", "created_at"]
    list_filter = ["role", "status", "source", "heard_about", "guardian_consent", "program"]
    search_fields = ["user__email", "user__profile__display_name", "program__name", "guardian_email"]
    list_select_related = ["user", "program"]
    autocomplete_fields = ["user", "program"]
    readonly_fields = ["guardian_token", "created_at", "status_changed_at"]
    inlines = [ScreeningRecordInline, AnswerInline, StatusChangeInline]
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "program", "role", "created_at", "accepted_at"]
    list_filter = ["role", "program"]
    search_fields = ["email", "program__name"]
    list_select_related = ["program"]
