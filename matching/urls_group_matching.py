"""URLs: group matching (included by matching/urls.py): the program's groups, group matching and
circle forming runs, and placing, moving and removing people by hand (coordinators and staff)."""

from django.urls import path

from matching.views import group_matching as views

urlpatterns = [
    path("programs/<slug:slug>/groups/", views.groups_view, name="groups"),
    path("programs/<slug:slug>/groups/new/", views.group_new, name="group_new"),
    path("programs/<slug:slug>/groups/runs/start/", views.group_run_start, name="group_run_start"),
    path("programs/<slug:slug>/groups/runs/<int:pk>/", views.group_run, name="group_run"),
    path("programs/<slug:slug>/groups/runs/<int:pk>/apply/", views.group_run_apply, name="group_run_apply"),
    path(
        "programs/<slug:slug>/groups/runs/<int:pk>/discard/",
        views.group_run_discard,
        name="group_run_discard",
    ),
    path("groups/<int:pk>/place/", views.group_member_place, name="group_member_place"),
    path("groups/<int:pk>/leaders/add/", views.group_leader_add, name="group_leader_add"),
    path("groups/<int:pk>/start/", views.group_start, name="group_start"),
    path("groups/<int:pk>/close/", views.group_close, name="group_close"),
    path("group-members/<int:pk>/move/", views.group_member_move, name="group_member_move"),
    path("group-members/<int:pk>/remove/", views.group_member_remove, name="group_member_remove"),
]
