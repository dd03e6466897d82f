"""Who sees, comes to and runs an event (programs/models/events.py): the one rule, for the services
and the views alike.

- Its **coordinators**: staff, and the coordinators of any program the event is for. They see it
  in every state (a draft too), its attendee list, and run it.
- Its **audience**: the approved participants of its programs; for a public event, anyone signed
  in. They see it once published (and still when it was cancelled), and may RSVP.
- A published (or cancelled) **public** event's page is anyone's, even a visitor's: the details
  only; the online link is for those going.

Anything else answers 404, so that an event nobody may see does not leak its existence."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.models import Enrollment, EnrollmentStatus, Event, EventStatus, Program
from programs.selectors import programs_managed_by

SHOWN = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def runs_event(user, event):
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return event.programs.filter(coordinators=user).exists()


def in_audience(user, event):
    """May come: signed in, and the event is public or they are approved in one of its programs."""
    if not user.is_authenticated:
        return False
    if event.is_public:
        return True
    return Enrollment.objects.filter(
        user=user, status=EnrollmentStatus.APPROVED, program__in=event.programs.all()
    ).exists()


def sees_event(user, event):
    if runs_event(user, event):
        return True
    if event.status not in SHOWN:
        return False
    return event.is_public or in_audience(user, event)


def get_event_for(user, pk, *, manage=False):
    """An event the user may see (``manage``: may run); 404 otherwise."""
    event = get_object_or_404(Event.objects.prefetch_related("programs"), pk=pk)
    allowed = runs_event(user, event) if manage else sees_event(user, event)
    if not allowed:
        raise Http404("No such event.")
    return event


def events_open_to(user):
    """The published events ``user`` is in the audience of (public ones included)."""
    programs = Enrollment.objects.filter(user=user, status=EnrollmentStatus.APPROVED).values("program")
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED)
        .filter(Q(is_public=True) | Q(programs__in=programs))
        .distinct()
    )


def audience_programs_for(user):
    """The programs ``user`` may choose as an event's audience: those they run (staff: all)."""
    return programs_managed_by(user).order_by("name") if user.is_authenticated else Program.objects.none()
