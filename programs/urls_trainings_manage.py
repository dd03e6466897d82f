"""URLs of the programs app: coordinators' trainings (included by programs/urls.py, in the
"programs" namespace). Taking a training is programs/urls_training_take.py."""

from django.urls import path

from programs.views import trainings_manage as manage
from programs.views import trainings_people as people

TRAINING = "programs/<slug:slug>/trainings/<int:pk>/"
SESSION = TRAINING + "sessions/<int:session_id>/"
PAGE = TRAINING + "pages/<int:page_id>/"

urlpatterns = [
    path("programs/<slug:slug>/trainings/", manage.training_list_view, name="trainings"),
    path("programs/<slug:slug>/trainings/people/", people.training_overview, name="trainings_people"),
    path(TRAINING, manage.training_manage, name="training_manage"),
    path(TRAINING + "publish/", manage.training_publish, name="training_publish"),
    path(TRAINING + "unpublish/", manage.training_unpublish, name="training_unpublish"),
    path(TRAINING + "archive/", manage.training_archive, name="training_archive"),
    path(TRAINING + "completion/", people.training_completion, name="training_completion"),
    path(TRAINING + "pages/", manage.page_add, name="training_page_add"),
    path(PAGE, manage.page_edit, name="training_page_edit"),
    path(PAGE + "image/", manage.page_image, name="training_manage_image"),
    path(PAGE + "remove/", manage.page_remove, name="training_page_remove"),
    path(PAGE + "move/", manage.page_move, name="training_page_move"),
    path(TRAINING + "questions/", manage.question_add, name="training_question_add"),
    path(
        TRAINING + "questions/<int:question_id>/remove/",
        manage.question_remove,
        name="training_question_remove",
    ),
    path(TRAINING + "sessions/", manage.session_add, name="training_session_add"),
    path(SESSION, manage.session_attendance, name="training_attendance"),
    path(SESSION + "add/", manage.session_add_person, name="training_attendance_add"),
    path(SESSION + "cancel/", manage.session_cancel, name="training_session_call_off"),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/trainings/",
        people.applicant_training_record,
        name="applicant_trainings",
    ),
    path(
        "programs/<slug:slug>/applicants/<int:pk>/trainings/<int:record_id>/remove/",
        people.applicant_training_remove,
        name="applicant_training_remove",
    ),
]
