from django.contrib import admin

from matching.models import (
    Concern,
    ConcernNote,
    Exclusion,
    Match,
    MatchRequest,
    MatchRun,
    MatchSuggestion,
    UnmatchedReason,
)


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "program", "trigger", "status", "matched_count", "new_suggestions", "created_at"]
    list_filter = ["status", "trigger", "program"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]


@admin.register(MatchSuggestion)
class MatchSuggestionAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "score", "status", "program", "created_at"]
    list_filter = ["status", "program"]
    search_fields = ["mentee__user__email", "mentor__user__email"]
    list_select_related = ["mentee__user", "mentor__user", "mentee__program", "program"]
    raw_id_fields = ["run", "mentee", "mentor"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = [
        "mentor",
        "mentee",
        "status",
        "source",
        "started_on",
        "ended_on",
        "closure_reason",
        "program",
    ]
    list_filter = ["status", "source", "closure_reason", "closure_anticipated", "program"]
    search_fields = ["mentee__user__email", "mentor__user__email", "mentee__user__profile__display_name"]
    list_select_related = ["mentee__user", "mentor__user", "program", "mentee__program", "mentor__program"]
    raw_id_fields = ["mentee", "mentor", "suggestion"]
    date_hierarchy = "proposed_at"


@admin.register(MatchRequest)
class MatchRequestAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "status", "created_at"]
    list_filter = ["status", "program"]
    raw_id_fields = ["mentee", "mentor"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "program", "reason", "created_at"]
    list_filter = ["program"]
    raw_id_fields = ["mentee", "mentor"]


admin.site.register(UnmatchedReason)


# --- Safeguarding concerns: records, read here and never added, changed or deleted -----------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConcernNoteInline(admin.TabularInline):
    model = ConcernNote
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "author", "from_status", "to_status", "text"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["pk", "program", "urgency", "status", "raised_as", "created_at", "updated_at"]
    list_filter = ["status", "urgency", "program"]
    list_select_related = ["program"]
    date_hierarchy = "created_at"
    inlines = [ConcernNoteInline]


@admin.register(ConcernNote)
class ConcernNoteAdmin(ReadOnlyAdmin):
    list_display = ["concern", "author", "from_status", "to_status", "created_at"]
    list_filter = ["to_status"]
    list_select_related = ["concern__program", "author"]
