"""URLs: boards (included by matching/urls.py)."""

urlpatterns = []
