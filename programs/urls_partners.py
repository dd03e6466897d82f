"""Local partners: coordinators keep the records, tag people, and grant contacts a read-only login; a
partner contact sees aggregate figures only."""

from django.urls import path

from programs.views import partners

urlpatterns = [
    path("programs/<slug:slug>/partners/", partners.partner_list, name="partners"),
    path("programs/<slug:slug>/partners/<int:pk>/", partners.partner_detail, name="partner"),
    path("programs/<slug:slug>/partners/<int:pk>/archive/", partners.partner_archive, name="partner_archive"),
    path("programs/<slug:slug>/partners/<int:pk>/restore/", partners.partner_restore, name="partner_restore"),
    path(
        "programs/<slug:slug>/partners/<int:pk>/viewers/", partners.viewer_grant, name="partner_viewer_grant"
    ),
    path(
        "programs/<slug:slug>/partners/<int:pk>/viewers/<int:viewer_id>/resend/",
        partners.viewer_resend,
        name="partner_viewer_resend",
    ),
    path(
        "programs/<slug:slug>/partners/<int:pk>/viewers/<int:viewer_id>/revoke/",
        partners.viewer_revoke,
        name="partner_viewer_revoke",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/partner/",
        partners.applicant_partner,
        name="applicant_partner",
    ),
    path("partner-access/<uuid:token>/", partners.viewer_accept, name="partner_viewer_accept"),
]
