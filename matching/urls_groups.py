"""URLs: groups (included by matching/urls.py): a group's page, its sessions, goals and conversation."""

from django.urls import path

from matching.views import group_sessions, groups

urlpatterns = [
    path("groups/<int:pk>/", groups.group, name="group"),
    path("groups/<int:pk>/messages/", groups.group_messages, name="group_messages"),
    path("groups/<int:pk>/goals/new/", groups.group_goal_new, name="group_goal_new"),
    path("group-goals/<int:pk>/status/", groups.group_goal_status, name="group_goal_status"),
    path("groups/<int:pk>/sessions/new/", group_sessions.group_session_new, name="group_session_new"),
    path("group-sessions/<int:pk>/", group_sessions.group_session, name="group_session"),
    path("group-sessions/<int:pk>/edit/", group_sessions.group_session_edit, name="group_session_edit"),
    path("group-sessions/<int:pk>/cancel/", group_sessions.group_session_cancel, name="group_session_cancel"),
    path("group-sessions/<int:pk>/attendance/", group_sessions.group_attendance, name="group_attendance"),
    path("group-sessions/<int:pk>/feedback/", group_sessions.group_feedback, name="group_feedback"),
]
