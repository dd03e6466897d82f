from django.urls import path

from matching import urls_boards, urls_group_matching, urls_groups
from matching.views import breaks, choosing, concerns, matches, meetings, messages, review

app_name = "matching"

urlpatterns = [
    # Coordinators
    path("programs/<slug:slug>/matching/", review.program_matching, name="program"),
    path("programs/<slug:slug>/matching/run/", review.run_start, name="run_start"),
    path("programs/<slug:slug>/matching/runs/<int:pk>/progress/", review.run_progress, name="run_progress"),
    path("programs/<slug:slug>/matching/runs/<int:pk>/cancel/", review.run_cancel, name="run_cancel"),
    path(
        "programs/<slug:slug>/matching/suggestions/<int:pk>/accept/", review.suggestion_accept, name="accept"
    ),
    path(
        "programs/<slug:slug>/matching/suggestions/<int:pk>/decline/",
        review.suggestion_decline,
        name="decline",
    ),
    path("programs/<slug:slug>/matching/accept-above/", review.accept_above, name="accept_above"),
    path("programs/<slug:slug>/matching/mentees/<int:pk>/", review.mentee_options, name="mentee_options"),
    path("programs/<slug:slug>/matching/manual/", review.manual_match, name="manual"),
    path("programs/<slug:slug>/matches/", review.program_matches, name="matches"),
    # Both people in a match, and its coordinators
    path("matches/<int:pk>/", matches.match_detail, name="match"),
    path("matches/<int:pk>/confirm/", matches.match_confirm, name="confirm"),
    path("matches/<int:pk>/pause/", matches.match_pause, name="pause"),
    path("matches/<int:pk>/resume/", matches.match_resume, name="resume"),
    path("matches/<int:pk>/close/", matches.match_close, name="close"),
    # The pair's meetings: proposed by one, answered by the other (matching/meetings.py)
    path("matches/<int:pk>/meetings/", meetings.meetings, name="meetings"),
    path("meetings/<int:pk>/accept/", meetings.meeting_accept, name="meeting_accept"),
    path("meetings/<int:pk>/decline/", meetings.meeting_decline, name="meeting_decline"),
    path("meetings/<int:pk>/move/", meetings.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    # Participants choose
    path("applications/<int:pk>/choose/", choosing.choose, name="choose"),
    path("requests/", choosing.requests, name="requests"),
    path("requests/<int:pk>/decide/", choosing.request_decide, name="request_decide"),
    path("requests/<int:pk>/withdraw/", choosing.request_withdraw, name="request_withdraw"),
    path("applications/<int:pk>/availability/", choosing.mentor_availability, name="availability"),
    # Breaks: the participant's own, or a coordinator's for them
    path("applications/<int:pk>/break/", breaks.own_break, name="own_break"),
    path("programs/<slug:slug>/applicants/<int:pk>/break/", breaks.applicant_break, name="applicant_break"),
    # Safeguarding concerns: raised from a match page or a guardian's link; read by the leads
    path("matches/<int:pk>/concern/", concerns.match_concern, name="match_concern"),
    path("guardian/<uuid:manage_token>/concern/", concerns.guardian_concern, name="guardian_concern"),
    path(
        "guardian/<uuid:manage_token>/concern/received/",
        concerns.guardian_concern_received,
        name="guardian_concern_received",
    ),
    path("programs/<slug:slug>/concerns/", concerns.program_concerns, name="concerns"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern"),
    path("concerns/<int:pk>/move/", concerns.concern_move, name="concern_move"),
    path("concerns/<int:pk>/note/", concerns.concern_note, name="concern_note"),
    path("concerns/<int:pk>/pause-contact/", concerns.concern_pause_contact, name="concern_pause_contact"),
    # Messages: the pair's conversation and each participant's with the coordinators
    path("conversations/<int:pk>/", messages.conversation, name="conversation"),
    path("conversations/<int:pk>/new/", messages.conversation_new, name="conversation_new"),
    path("matches/<int:pk>/messages/", messages.match_messages, name="match_messages"),
    path("applications/<int:pk>/messages/", messages.enrollment_messages, name="enrollment_messages"),
    path("messages/<int:pk>/release/", messages.message_release, name="message_release"),
    path("messages/<int:pk>/report/", messages.message_report, name="message_report"),
    path("programs/<slug:slug>/messages/", messages.program_inbox, name="inbox"),
]

# Groups and peer circles (their pages; matching and circle forming) and the discussion boards.
urlpatterns += urls_groups.urlpatterns + urls_group_matching.urlpatterns + urls_boards.urlpatterns
