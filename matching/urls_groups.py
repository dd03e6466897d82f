"""URLs: groups (included by matching/urls.py)."""

urlpatterns = []
