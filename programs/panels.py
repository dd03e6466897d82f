"""The dashboard's "My programs" panel (the site's dashboard lists panels from the apps above it,
named in settings.DASHBOARD_PANELS, so that the site app never imports them)."""

from programs import selectors


def my_programs(request):
    enrollments = [
        (enrollment, selectors.missing_for(enrollment))
        for enrollment in selectors.enrollments_of(request.user)
    ]
    return {
        "template": "programs/_panel_my_programs.html",
        "enrollments": enrollments,
        "managed": selectors.programs_managed_by(request.user) if _coordinates(request.user) else None,
    }


def _coordinates(user):
    return user.runs_programs()
