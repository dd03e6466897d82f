"""URLs: events (included by programs/urls.py)."""

urlpatterns = []
