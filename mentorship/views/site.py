"""The home page and the signed-in dashboard."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string

from mentorship.steps import checklists_for


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "mentorship/home.html")


@login_required
def dashboard(request):
    # Panels come from the apps above this one (settings.DASHBOARD_PANELS), which it must not import.
    panels = [import_string(path)(request) for path in settings.DASHBOARD_PANELS]
    context = {"panels": panels, "checklists": checklists_for(request.user)}
    return render(request, "mentorship/dashboard.html", context)
