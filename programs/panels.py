"""The dashboard's "My programs" panel (the site's dashboard lists panels from the apps above it,
named in settings.DASHBOARD_PANELS, so that the site app never imports them)."""

from programs import selectors
from programs.invitations import invitations_waiting_for


def my_programs(request):
    """The person's applications and waiting invitations; for those who run programs, the programs
    they run (for staff, every program: they see all of them, and run none). Someone who runs
    programs and has neither an application nor an invitation is not asked to apply."""
    user = request.user
    enrollments = [
        (enrollment, selectors.missing_for(enrollment)) for enrollment in selectors.enrollments_of(user)
    ]
    invitations = list(invitations_waiting_for(user))
    runs = user.runs_programs()
    return {
        "template": "programs/_panel_my_programs.html",
        "enrollments": enrollments,
        "invitations": invitations,
        "show_mine": bool(enrollments or invitations) or not runs,
        "managed": selectors.programs_managed_by(user) if runs else None,
        "all_programs": user.is_staff,
    }
