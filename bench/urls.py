"""The pages benchmark's URLs (bench/pages.py): the project's own, plus the bare Django view it
measures every page against, so that both go through the same client and middleware."""

from django.urls import include, path
from django.utils import timezone

from evaluation import kpis


def bare(request, slug):
    from bench.evaluation import bare_view

    start, end = kpis.default_period(timezone.localdate())
    return bare_view(request, slug, start=start, end=end)


urlpatterns = [
    path("bench-bare/<slug:slug>/", bare, name="bench_bare"),
    path("", include("mentorship.urls")),
]
