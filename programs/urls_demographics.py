"""Demographics: the optional, self-described questions a program chooses, and a person answering them
(kept apart from the profile)."""

from django.urls import path

from programs.views import demographics

QUESTION = "programs/<slug:slug>/demographics/<int:pk>/"

urlpatterns = [
    path("programs/<slug:slug>/demographics/", demographics.question_list, name="demographic_questions"),
    path(QUESTION, demographics.question_edit, name="demographic_question_edit"),
    path(QUESTION + "move/", demographics.question_move, name="demographic_question_move"),
    path(QUESTION + "retire/", demographics.question_retire, name="demographic_question_retire"),
    path("applications/<int:pk>/about-you/", demographics.about_you, name="about_you"),
]
