from django.urls import path

from matching import views, views_concerns

app_name = "matching"

urlpatterns = [
    # Coordinators
    path("programs/<slug:slug>/matching/", views.program_matching, name="program"),
    path("programs/<slug:slug>/matching/run/", views.run_start, name="run_start"),
    path("programs/<slug:slug>/matching/runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("programs/<slug:slug>/matching/runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path(
        "programs/<slug:slug>/matching/suggestions/<int:pk>/accept/", views.suggestion_accept, name="accept"
    ),
    path(
        "programs/<slug:slug>/matching/suggestions/<int:pk>/decline/",
        views.suggestion_decline,
        name="decline",
    ),
    path("programs/<slug:slug>/matching/accept-above/", views.accept_above, name="accept_above"),
    path("programs/<slug:slug>/matching/mentees/<int:pk>/", views.mentee_options, name="mentee_options"),
    path("programs/<slug:slug>/matching/manual/", views.manual_match, name="manual"),
    path("programs/<slug:slug>/matches/", views.program_matches, name="matches"),
    # Both people in a match, and its coordinators
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/confirm/", views.match_confirm, name="confirm"),
    path("matches/<int:pk>/pause/", views.match_pause, name="pause"),
    path("matches/<int:pk>/resume/", views.match_resume, name="resume"),
    path("matches/<int:pk>/close/", views.match_close, name="close"),
    # Participants choose
    path("applications/<int:pk>/choose/", views.choose, name="choose"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("applications/<int:pk>/availability/", views.mentor_availability, name="availability"),
    # Safeguarding concerns: raised from a match page or a guardian's link; read by the leads
    path("matches/<int:pk>/concern/", views_concerns.match_concern, name="match_concern"),
    path("guardian/<uuid:manage_token>/concern/", views_concerns.guardian_concern, name="guardian_concern"),
    path(
        "guardian/<uuid:manage_token>/concern/received/",
        views_concerns.guardian_concern_received,
        name="guardian_concern_received",
    ),
    path("programs/<slug:slug>/concerns/", views_concerns.program_concerns, name="concerns"),
    path("concerns/<int:pk>/", views_concerns.concern_detail, name="concern"),
    path("concerns/<int:pk>/move/", views_concerns.concern_move, name="concern_move"),
    path("concerns/<int:pk>/note/", views_concerns.concern_note, name="concern_note"),
    path(
        "concerns/<int:pk>/pause-contact/", views_concerns.concern_pause_contact, name="concern_pause_contact"
    ),
]
