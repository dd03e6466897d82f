"""The equity report: representation and outcomes by self-described group, small cells suppressed."""

from django.urls import path  # noqa: F401

urlpatterns = []
