from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentorship import views, views_audit

# The admin logs in through allauth, so its rate limits and verification apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Mentorship administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("profile/", views.profile_edit, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("programs.urls")),
    path("", include("matching.urls")),
    path("", include("evaluation.urls")),
    path("admin/", admin.site.urls),
]

# Staff only (404 for anyone else): the audit trail, and the same rows as CSV.
urlpatterns += [
    path("staff/audit/", views_audit.audit_list, name="audit_list"),
    path("staff/audit/export.csv", views_audit.audit_export, name="audit_export"),
]
