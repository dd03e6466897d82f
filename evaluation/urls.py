"""The evaluation app's URLs, gathered from its view modules (each keeps its own list)."""

from evaluation.views import (
    compare,
    equity,
    feeds,
    funder,
    meetings,
    pairs,
    partner_view,
    people,
    recognition,
    reports,
    stories,
    survey_links,
)

app_name = "evaluation"

urlpatterns = [
    *pairs.urlpatterns,
    *reports.urlpatterns,
    *compare.urlpatterns,
    *feeds.urlpatterns,
    *people.urlpatterns,
    *survey_links.urlpatterns,
    *meetings.urlpatterns,
    *recognition.urlpatterns,
    *stories.urlpatterns,
    *equity.urlpatterns,
    *funder.urlpatterns,
    *partner_view.urlpatterns,
]
