"""URLs of the programs app: taking a training (included by programs/urls.py, in the "programs"
namespace). A participant's, and the same pages for a parent or guardian from their emailed link."""

from django.urls import path

from programs.views import training_take as views

urlpatterns = [
    path("trainings/<int:pk>/", views.training, name="training"),
    path("trainings/<int:pk>/pages/<int:number>/", views.training_page, name="training_page"),
    path("trainings/<int:pk>/pages/<int:number>/image/", views.training_image, name="training_image"),
    path("trainings/<int:pk>/quiz/", views.training_quiz, name="training_quiz"),
    path(
        "trainings/<int:pk>/sessions/<int:session_id>/signup/",
        views.session_signup,
        name="training_session_signup",
    ),
    path(
        "trainings/<int:pk>/sessions/<int:session_id>/cancel/",
        views.session_cancel,
        name="training_session_cancel",
    ),
    path("guardian/<uuid:token>/trainings/<int:pk>/", views.guardian_training, name="guardian_training"),
    path(
        "guardian/<uuid:token>/trainings/<int:pk>/pages/<int:number>/",
        views.guardian_training_page,
        name="guardian_training_page",
    ),
    path(
        "guardian/<uuid:token>/trainings/<int:pk>/pages/<int:number>/image/",
        views.guardian_training_image,
        name="guardian_training_image",
    ),
    path(
        "guardian/<uuid:token>/trainings/<int:pk>/quiz/",
        views.guardian_training_quiz,
        name="guardian_training_quiz",
    ),
]
