from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentorship.views import audit, health, profile, site

# The admin logs in through allauth, so its rate limits and verification apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Mentorship administration"

urlpatterns = [
    path("", site.home, name="home"),
    path("dashboard/", site.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("profile/", profile.profile_edit, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("programs.urls")),
    path("", include("matching.urls")),
    path("", include("evaluation.urls")),
    path("admin/", admin.site.urls),
]

# Staff only (404 for anyone else): the audit trail, and the same rows as CSV.
urlpatterns += [
    path("staff/audit/", audit.audit_list, name="audit_list"),
    path("staff/audit/export.csv", audit.audit_export, name="audit_export"),
]
