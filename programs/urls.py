from django.urls import path

from programs import (
    urls_demographics,
    urls_events,
    urls_partners,
    urls_resources,
    urls_training_take,
    urls_trainings_manage,
)
from programs.views import applicants, manage, nudges, public, recruit

app_name = "programs"

urlpatterns = [
    # Public and applicants' own pages
    path("programs/", public.program_list, name="list"),
    path("programs/<slug:slug>/", public.program_detail, name="detail"),
    path("programs/<slug:slug>/apply/<str:role>/", public.apply, name="apply"),
    path("applications/<int:pk>/", public.enrollment_detail, name="enrollment"),
    path("applications/<int:pk>/withdraw/", public.enrollment_withdraw, name="enrollment_withdraw"),
    path("applications/<int:pk>/guardian/", public.enrollment_guardian, name="enrollment_guardian"),
    path("applications/<int:pk>/area/", public.enrollment_area, name="enrollment_area"),
    path("consent/<uuid:token>/", public.guardian_consent, name="guardian_consent"),
    path("guardian/<uuid:token>/", public.guardian_page, name="guardian"),
    path("guardian/<uuid:token>/withdraw/", public.guardian_withdraw, name="guardian_withdraw"),
    # Coordinators: setting a program up
    path("programs/new", manage.program_create, name="create"),
    path("programs/<slug:slug>/manage/", manage.program_dashboard, name="dashboard"),
    path("programs/<slug:slug>/settings/", manage.program_settings, name="settings"),
    path("programs/<slug:slug>/status/", manage.program_status, name="status"),
    path("programs/<slug:slug>/coordinators/", manage.coordinator_add, name="coordinator_add"),
    path(
        "programs/<slug:slug>/coordinators/<int:user_id>/remove/",
        manage.coordinator_remove,
        name="coordinator_remove",
    ),
    path("programs/<slug:slug>/leads/", manage.leads_set, name="leads"),
    path("programs/<slug:slug>/checklist/", manage.checklist_add, name="checklist_add"),
    path(
        "programs/<slug:slug>/checklist/<int:item_id>/remove/",
        manage.checklist_remove,
        name="checklist_remove",
    ),
    path("programs/<slug:slug>/areas/", manage.area_add, name="area_add"),
    path("programs/<slug:slug>/areas/<int:area_id>/", manage.area_update, name="area_update"),
    path("programs/<slug:slug>/areas/<int:area_id>/remove/", manage.area_remove, name="area_remove"),
    path("programs/<slug:slug>/questions/", manage.question_add, name="question_add"),
    path(
        "programs/<slug:slug>/questions/<int:question_id>/remove/",
        manage.question_remove,
        name="question_remove",
    ),
    # Coordinators: applicants and screening
    path("programs/<slug:slug>/applicants/", applicants.applicant_list, name="applicants"),
    path("programs/<slug:slug>/applicants/bulk/", applicants.applicant_bulk, name="applicants_bulk"),
    path("programs/<slug:slug>/applicants/export/", applicants.applicant_export, name="applicants_export"),
    path("programs/<slug:slug>/applicants/<int:pk>/", applicants.applicant_detail, name="applicant"),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/status/",
        applicants.applicant_status,
        name="applicant_status",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/screening/",
        applicants.applicant_screening,
        name="applicant_screening",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/capacity/",
        applicants.applicant_capacity,
        name="applicant_capacity",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/guardian/",
        applicants.applicant_guardian,
        name="applicant_guardian",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/guardian/resend/",
        applicants.applicant_guardian_resend,
        name="applicant_guardian_resend",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/notes/",
        applicants.applicant_note,
        name="applicant_note",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/dob-checked/",
        applicants.applicant_dob_checked,
        name="applicant_dob_checked",
    ),
    path("programs/<slug:slug>/applicants/<int:pk>/nudge/", nudges.applicant_nudge, name="applicant_nudge"),
    # Coordinators: recruiting by invitation and import
    path("programs/<slug:slug>/invite/", recruit.invite, name="invite"),
    path("programs/<slug:slug>/import/", recruit.import_applicants, name="import"),
    path("invitations/<uuid:token>/", recruit.invitation, name="invitation"),
    path(
        "programs/<slug:slug>/invitations/<int:pk>/resend/",
        recruit.invitation_resend,
        name="invitation_resend",
    ),
]

# Trainings (coordinators; taking them, guardians included) and the resource library.
urlpatterns += urls_trainings_manage.urlpatterns + urls_training_take.urlpatterns + urls_resources.urlpatterns

# Events: coordinators' pages, RSVPs, attendance, feedback and the public events page.
urlpatterns += urls_events.urlpatterns

# Local partners and their contacts' read-only pages; optional demographic questions.
urlpatterns += urls_partners.urlpatterns + urls_demographics.urlpatterns
