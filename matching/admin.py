from django.contrib import admin

from matching.models import (
    Concern,
    ConcernNote,
    Exclusion,
    Group,
    GroupAttendance,
    GroupMember,
    GroupSession,
    Match,
    MatchRequest,
    MatchRun,
    MatchSuggestion,
    Post,
    Topic,
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


# --- Groups and peer circles; discussion boards ---------------------------------------------------


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    fields = ["enrollment", "role", "source", "joined_on", "left_on", "left_reason"]
    readonly_fields = ["source"]
    raw_id_fields = ["enrollment"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "program", "status", "started_on", "created_at"]
    list_filter = ["kind", "status", "program"]
    search_fields = ["name"]
    list_select_related = ["program"]
    raw_id_fields = ["created_by", "closed_by"]
    inlines = [GroupMemberInline]


class GroupAttendanceInline(admin.TabularInline):
    model = GroupAttendance
    extra = 0
    raw_id_fields = ["enrollment"]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "status", "held", "attendance_taken_at"]
    list_filter = ["status", "held", "group__program"]
    list_select_related = ["group__program"]
    readonly_fields = ["uid", "sequence", "reminded_at"]
    raw_id_fields = ["group", "created_by", "attendance_taken_by"]
    date_hierarchy = "starts_at"
    inlines = [GroupAttendanceInline]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ["author", "author_role", "body", "held", "released_at", "hidden_at", "created_at"]
    readonly_fields = ["author", "author_role", "created_at"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "program",
        "group",
        "author_role",
        "pinned",
        "locked",
        "hidden_at",
        "last_post_at",
    ]
    list_filter = ["pinned", "locked", "program"]
    search_fields = ["title"]
    list_select_related = ["program", "group"]
    raw_id_fields = ["group", "author", "hidden_by"]
    inlines = [PostInline]
