from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    CheckIn,
    ExportRecord,
    Goal,
    GoalNote,
    RetentionHold,
    StaffContact,
    Story,
    SurveyResponse,
    ThankYou,
)


@admin.register(RetentionHold)
class RetentionHoldAdmin(admin.ModelAdmin):
    """Staff set a hold (who, why) and lift it by deleting it; a hold is never edited, so the row
    always says who set it and when."""

    list_display = ["user", "reason", "set_by", "set_at"]
    search_fields = ["user__email", "reason"]
    autocomplete_fields = ["user"]
    readonly_fields = ["set_by", "set_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)


# --- The pairs' journals and the exports, for staff -----------------------------------------------
# Rows are written by the services, which check who may write and when; the admin lets staff read
# them, correct a mislogged check-in, and remove what should not be there. Surveys and exports are
# records of what someone answered or took away: read-only and never deleted here.

MATCH_PEOPLE = ["match__program", "match__mentee__user", "match__mentor__user"]
MATCH_SEARCH = ["match__mentee__user__email", "match__mentor__user__email", "match__program__name"]


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CheckInAdminForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["occurred_on", "held", "duration_minutes", "rating", "notes"]

    def clean(self):
        data = super().clean()
        occurred_on = data.get("occurred_on")
        if occurred_on and "occurred_on" in self.changed_data:
            # The same rule as logging one: not in the future, not before the match started.
            try:
                services._check_date(
                    occurred_on, match=self.instance.match, field="occurred_on", today=timezone.localdate()
                )
            except ValidationError as error:
                self.add_error(None, error)
        if data.get("held") is False:
            # As when logging: a missed meeting has no length and no rating.
            data["duration_minutes"] = data["rating"] = None
        return data


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Staff correct a mislogged check-in (date, held, length, rating, notes); the KPI rollups are
    kept by database triggers, so an edit or a delete keeps them consistent. New check-ins are
    logged by the pair."""

    form = CheckInAdminForm
    list_display = ["occurred_on", "match", "program", "held", "duration_minutes", "rating", "logged_by"]
    list_filter = ["match__program", "held", "mode"]
    list_select_related = [*MATCH_PEOPLE, "logged_by"]
    search_fields = MATCH_SEARCH
    date_hierarchy = "occurred_on"
    readonly_fields = ["match", "logged_by", "mode", "created_at"]
    fields = ["match", "logged_by", "occurred_on", "held", "duration_minutes", "rating", "mode", "notes"]

    def has_add_permission(self, request):
        return False

    @admin.display(ordering="match__program__name")
    def program(self, obj):
        return obj.match.program


class GoalNoteInline(admin.TabularInline):
    model = GoalNote
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Goal)
class GoalAdmin(ViewOnlyAdmin):
    """Read here; the pair changes a goal through the journal (which keeps completed_at right)."""

    list_display = ["title", "match", "program", "status", "target_date", "updated_at"]
    list_filter = ["match__program", "status"]
    list_select_related = MATCH_PEOPLE
    search_fields = ["title", *MATCH_SEARCH]
    inlines = [GoalNoteInline]

    @admin.display(ordering="match__program__name")
    def program(self, obj):
        return obj.match.program


@admin.register(GoalNote)
class GoalNoteAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "goal", "author", "program"]
    list_filter = ["goal__match__program"]
    list_select_related = ["goal__match__program", "author"]
    search_fields = ["text", "goal__title", "author__email"]

    @admin.display(ordering="goal__match__program__name")
    def program(self, obj):
        return obj.goal.match.program


@admin.register(StaffContact)
class StaffContactAdmin(ViewOnlyAdmin):
    list_display = ["contacted_on", "match", "program", "method", "coordinator"]
    list_filter = ["match__program", "method"]
    list_select_related = [*MATCH_PEOPLE, "coordinator"]
    search_fields = [*MATCH_SEARCH, "coordinator__email"]
    date_hierarchy = "contacted_on"

    @admin.display(ordering="match__program__name")
    def program(self, obj):
        return obj.match.program


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ViewOnlyAdmin):
    """What someone answered: never changed or deleted here."""

    list_display = ["submitted_at", "kind", "period", "role", "respondent", "match", "rating", "nps"]
    list_filter = ["match__program", "kind", "role"]
    list_select_related = [*MATCH_PEOPLE, "respondent"]
    search_fields = ["respondent__email", *MATCH_SEARCH]
    date_hierarchy = "submitted_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(ViewOnlyAdmin):
    """Who took which data away, and when: never changed or deleted here."""

    list_display = ["created_at", "dataset", "file_format", "program", "requested_by", "status", "row_count"]
    list_filter = ["program", "dataset", "file_format", "status"]
    list_select_related = ["program", "requested_by"]
    search_fields = ["requested_by__email", "program__name"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ThankYou)
class ThankYouAdmin(ViewOnlyAdmin):
    list_display = ["enrollment", "program", "sent_by", "created_at", "dismissed_at"]
    list_filter = ["program"]
    list_select_related = ["enrollment__user", "enrollment__program", "program", "sent_by"]


# --- Stories (issue 16) ----------------------------------------------------------------------------
# Told, curated, featured and withdrawn in the app (evaluation/story_services.py: the consent, the
# guardian's agreement, the funder reports): here staff read them. A withdrawn story's words are
# not shown (the withdrawal deletes them).

STORY_WORDS = ["title", "text", "edited_text", "proposed_text"]


@admin.register(Story)
class StoryAdmin(ViewOnlyAdmin):
    list_display = [
        "created_at",
        "program",
        "occasion",
        "consent",
        "guardian_approval",
        "featured",
        "withdrawn_at",
    ]
    list_filter = ["program", "occasion", "consent", "guardian_approval", "featured"]
    list_select_related = ["program"]
    search_fields = ["title", "program__name", "enrollment__user__email"]
    date_hierarchy = "created_at"

    def get_exclude(self, request, obj=None):
        hidden = ["guardian_token"]  # the guardian's single-use link
        return hidden + STORY_WORDS if obj is not None and obj.withdrawn_at else hidden

    def has_delete_permission(self, request, obj=None):
        return False
