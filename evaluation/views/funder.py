"""The funder report: a program's key figures, charts, equity summary, events and featured stories, as
a web page and a worker-built PDF."""

from django.urls import path  # noqa: F401

urlpatterns = []
