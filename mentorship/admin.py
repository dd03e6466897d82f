from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentorship.models import AuditEntry, Heartbeat, Language, OutboundEmail, Profile, Tag, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "profile__display_name"]
    inlines = [ProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_inlines(self, request, obj):
        # User.save creates the profile, so an inline on the add page would insert a second one.
        # Django's UserAdmin continues to the change page after adding, where the profile shows.
        return [] if obj is None else super().get_inlines(request, obj)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "pronouns", "updated_at"]
    search_fields = ["user__email", "display_name"]
    list_select_related = ["user"]
    list_filter = ["meeting_mode", "gender", "email_reminders"]
    autocomplete_fields = ["languages", "interests", "skills", "goals"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "to", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    readonly_fields = ["to", "subject", "body", "kind", "created_at", "sent_at", "attempts", "last_error"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is read here, never changed."""

    list_display = ["at", "action", "target_type", "target_id", "actor", "actor_label", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor__email", "actor_label", "summary"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
