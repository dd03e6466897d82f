"""URLs of the programs app: resources (included by programs/urls.py, in the "programs" namespace)."""

from django.urls import path

from programs.views import resources

urlpatterns = [
    path("programs/<slug:slug>/resources/", resources.library, name="library"),
    path("programs/<slug:slug>/resources/new/", resources.resource_new, name="resource_new"),
    path("programs/<slug:slug>/resources/copy/", resources.resource_copy, name="resource_copy"),
    path("programs/<slug:slug>/resources/<int:pk>/", resources.resource_detail, name="resource"),
    path("programs/<slug:slug>/resources/<int:pk>/file/", resources.resource_file, name="resource_file"),
    path("programs/<slug:slug>/resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path(
        "programs/<slug:slug>/resources/<int:pk>/delete/", resources.resource_delete, name="resource_delete"
    ),
    path("guardian/<uuid:token>/resources/<int:pk>/", resources.guardian_resource, name="guardian_resource"),
    path(
        "guardian/<uuid:token>/resources/<int:pk>/file/",
        resources.guardian_resource_file,
        name="guardian_resource_file",
    ),
]
