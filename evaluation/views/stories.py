"""Success stories: telling one's story, consent and withdrawal, the guardian's agreement,
coordinators' curation and the public stories page."""

from django.urls import path  # noqa: F401

urlpatterns = []
