from django.contrib import admin

from matching.models import Exclusion, Match, MatchRequest, MatchRun, MatchSuggestion, UnmatchedReason


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
