"""The dashboard's "My programs" panel (the site's dashboard lists panels from the apps above it,
named in settings.DASHBOARD_PANELS, so that the site app never imports them)."""

from django.db.models import Q

from programs import selectors
from programs.invitations import invitations_waiting_for
from programs.models import Enrollment, EnrollmentStatus, Event, Rsvp


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


UPCOMING_EVENTS = 5


def upcoming_events(request):
    """The next events the person may come to (their programs', and public ones they replied to),
    with their reply. Hidden when there are none."""
    user = request.user
    programs = Enrollment.objects.filter(user=user, status=EnrollmentStatus.APPROVED).values("program")
    replied = Rsvp.objects.filter(user=user).values("event")
    mine = Event.objects.published().upcoming().filter(Q(programs__in=programs) | Q(pk__in=replied))
    events = list(mine.distinct().order_by("starts_at", "pk")[:UPCOMING_EVENTS])
    answers = {r.event_id: r for r in Rsvp.objects.filter(user=user, event__in=[e.pk for e in events])}
    rows = [(event, answers.get(event.pk)) for event in events]
    return {"template": "programs/_panel_upcoming_events.html", "rows": rows, "hidden": not rows}
