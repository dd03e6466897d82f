"""URLs: the discussion boards (included by matching/urls.py; views in matching/views/boards.py)."""

from django.urls import path

from matching.views import boards

urlpatterns = [
    path("programs/<slug:slug>/board/", boards.board, name="board"),
    path("programs/<slug:slug>/board/new/", boards.topic_new, name="topic_new"),
    path("groups/<int:pk>/board/", boards.group_board, name="group_board"),
    path("groups/<int:pk>/board/new/", boards.group_topic_new, name="group_topic_new"),
    path("topics/<int:pk>/", boards.topic, name="topic"),
    path("topics/<int:pk>/reply/", boards.post_reply, name="post_reply"),
    path("topics/<int:pk>/pin/", boards.topic_pin, name="topic_pin"),
    path("topics/<int:pk>/lock/", boards.topic_lock, name="topic_lock"),
    path("topics/<int:pk>/hide/", boards.topic_hide, name="topic_hide"),
    path("posts/<int:pk>/hide/", boards.post_hide, name="post_hide"),
    path("posts/<int:pk>/release/", boards.post_release, name="post_release"),
    path("posts/<int:pk>/report/", boards.post_report, name="post_report"),
]
