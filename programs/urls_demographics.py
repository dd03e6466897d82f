"""Demographics: the optional, self-described questions a program chooses, and a person answering them
(kept apart from the profile)."""

from django.urls import path  # noqa: F401

urlpatterns = []
