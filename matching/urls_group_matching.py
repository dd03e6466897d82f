"""URLs: group matching (included by matching/urls.py)."""

urlpatterns = []
