"""Coordinators run events: the program's list (upcoming and past, with who is going, waiting and
came), a new event, its changes, publishing, cancelling (asks first) and attendance on the day (a
checkbox per person, made for a phone). The event's own page, RSVPs, feedback and the public list
are programs/views/event_pages.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorship.web import act, form_errors, message_error
from programs import events
from programs.access import get_program_for
from programs.event_access import get_event_for
from programs.event_forms import EventAttendanceForm, EventForm
from programs.models import RsvpStatus


def with_counts(queryset):
    """Events with how many are going, waiting and came (one query however many)."""
    return queryset.annotate(
        going=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)),
        waiting=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITLISTED)),
        came=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING, rsvps__attended=True)),
    )


PAST_PAGE_SIZE = 25


@login_required
def event_list(request, slug):
    """The upcoming events, then the past ones a page at a time, newest first (years of them)."""
    program = get_program_for(request.user, slug, manage=True)
    now = timezone.now()
    listed = with_counts(program.events.all())
    past = Paginator(listed.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), PAST_PAGE_SIZE)
    page = past.get_page(request.GET.get("page"))
    context = {
        "program": program,
        "upcoming": listed.filter(starts_at__gte=now).order_by("starts_at", "pk"),
        "past": page.object_list,
        "page": page,
    }
    return render(request, "programs/events/manage_list.html", context)


def _form_page(request, form, *, program=None, event=None, status=200):
    context = {"form": form, "program": program, "event": event}
    return render(request, "programs/events/form.html", context, status=status)


@login_required
def event_new(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = EventForm(request.POST or None, user=request.user, initial={"programs": [program.pk]})
    if request.method != "POST":
        return _form_page(request, form, program=program)
    if form.is_valid():
        try:
            event = events.event_create(by=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, f"“{event.title}” is created as a draft: publish it when it is ready.")
            return redirect(event)
    return _form_page(request, form, program=program, status=400)


@login_required
def event_edit(request, pk):
    event = get_event_for(request.user, pk, manage=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method != "POST":
        return _form_page(request, form, event=event)
    if form.is_valid():
        try:
            events.event_edit(event=event, by=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, "Event saved.")
            return redirect(event)
    event.refresh_from_db()
    return _form_page(request, form, event=event, status=400)


@login_required
@require_POST
def event_publish(request, pk):
    event = get_event_for(request.user, pk, manage=True)
    act(
        request,
        lambda: events.event_publish(event=event, by=request.user),
        done=f"“{event.title}” is published: the people it is for can reply.",
    )
    return redirect(event)


@login_required
def event_cancel(request, pk):
    """A confirm page; its POST calls the event off and tells everyone going or waiting."""
    event = get_event_for(request.user, pk, manage=True)
    if request.method == "POST":
        act(
            request,
            lambda: events.event_cancel(event=event, by=request.user),
            done=f"“{event.title}” is cancelled. Everyone going or on the wait-list is told by email.",
        )
        return redirect(event)
    counts = with_counts(type(event).objects.filter(pk=event.pk)).get()
    return render(request, "programs/events/cancel.html", {"event": event, "counts": counts})


def _attendance_page(request, event, form=None, status=200):
    going = event.rsvps.filter(status=RsvpStatus.GOING).select_related("user__profile")
    going = going.order_by("user__last_name", "user__first_name", "pk")
    context = {"event": event, "form": form or EventAttendanceForm(rsvps=going)}
    return render(request, "programs/events/attendance.html", context, status=status)


@login_required
def event_attendance(request, pk):
    """Who came: a checkbox per person going, sent at once (made for a phone in the room)."""
    event = get_event_for(request.user, pk, manage=True)
    if request.method != "POST":
        return _attendance_page(request, event)
    going = event.rsvps.filter(status=RsvpStatus.GOING).select_related("user__profile")
    form = EventAttendanceForm(request.POST, rsvps=going)
    if form.is_valid():
        try:
            came = events.attendance_take(event=event, present=form.present(), by=request.user)
        except ValidationError as error:
            message_error(request, error)
            return redirect(event)
        messages.success(request, f"Attendance saved: {came} came.")
        return redirect(request.path)
    return _attendance_page(request, event, form=form, status=400)
