"""Local partners: coordinators keep the records, tag people, and grant contacts a read-only login; a
partner contact sees aggregate figures only."""

from django.urls import path  # noqa: F401

urlpatterns = []
