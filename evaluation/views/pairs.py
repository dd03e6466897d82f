"""Work in progress (a helper is writing this module)."""

urlpatterns = []
