"""An event's own page (for its audience; a public one for anyone, a visitor too), replying to it
and taking the reply back, its calendar file, the feedback page (the emailed link is its own key)
and a program's public events page. The coordinators' pages are programs/views/events.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from mentorship.web import act, message_error
from programs import events
from programs.access import get_program_for
from programs.event_access import get_event_for, in_audience, runs_event
from programs.event_calendar import event_document
from programs.event_followups import event_feedback_give
from programs.event_forms import EventFeedbackForm
from programs.models import Event, EventStatus, Rsvp, RsvpStatus
from programs.views.events import with_counts

PAST_SHOWN = 20


def _loaded(request, pk):
    """The event, for whoever may see it; a visitor who may not is asked to sign in first (for any
    number: whether it exists is not told)."""
    try:
        return get_event_for(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:
            raise _LoginFirst() from None
        raise


class _LoginFirst(Exception):
    pass


def _login(request):
    return redirect_to_login(request.get_full_path())


def event_detail(request, pk):
    try:
        event = _loaded(request, pk)
    except _LoginFirst:
        return _login(request)
    user = request.user
    answer = Rsvp.objects.filter(event=event, user=user).first() if user.is_authenticated else None
    counted = with_counts(Event.objects.filter(pk=event.pk)).get()
    manages = runs_event(user, event)
    going = answer is not None and answer.status == RsvpStatus.GOING
    context = {
        "event": event,
        "answer": answer,
        "going": going,
        "counts": counted,
        "places_left": events.places_left(event, counted.going),
        "position": events.waitlist_position(answer),
        "may_reply": in_audience(user, event) and event.is_published and event.starts_at > timezone.now(),
        "manages": manages,
        "show_link": going or manages,
        "attendees": _attendees(event) if manages else None,
        "programs": event.programs.all(),
    }
    return render(request, "programs/events/event.html", context)


def _attendees(event):
    listed = event.rsvps.exclude(status=RsvpStatus.CANCELLED).select_related("user__profile")
    return listed.order_by("status", "waitlisted_at", "created_at", "pk")


def event_rsvp(request, pk):
    """A POST: going, or on the wait-list. A visitor is asked to sign in (or sign up) first, and
    comes back to the event's page."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("programs:event", args=[pk]))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    event = get_event_for(request.user, pk)
    try:
        answer = events.rsvp(event=event, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        message_error(request, error)
    else:
        if answer.status == RsvpStatus.GOING:
            messages.success(request, "You're going. See you there!")
        else:
            position = events.waitlist_position(answer)
            messages.info(
                request,
                f"The event is full: you're on the wait-list, number {position}. "
                "If a place comes free it is yours, and we'll email you.",
            )
    return redirect(event)


@login_required
@require_POST
def event_rsvp_cancel(request, pk):
    event = get_event_for(request.user, pk)
    act(
        request,
        lambda: events.rsvp_cancel(event=event, user=request.user),
        done="Your reply is taken back: you're not going.",
    )
    return redirect(event)


@require_safe
def event_ics(request, pk):
    """The event for one's calendar (the online link only for those going)."""
    try:
        event = _loaded(request, pk)
    except _LoginFirst:
        return _login(request)
    if event.status == EventStatus.DRAFT:
        raise Http404("No such event.")
    going = (
        request.user.is_authenticated
        and event.rsvps.filter(user=request.user, status=RsvpStatus.GOING).exists()
    )
    body = event_document(event, with_link=going)
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def event_feedback(request, token):
    """The link emailed to those who came: a rating and a few words, once, changed after."""
    answer = get_object_or_404(
        Rsvp.objects.select_related("event", "feedback"), feedback_token=token, attended=True
    )
    existing = getattr(answer, "feedback", None)
    form = EventFeedbackForm(request.POST or None, instance=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            event_feedback_give(
                rsvp=answer, rating=form.cleaned_data["rating"], text=form.cleaned_data["text"]
            )
            messages.success(
                request, "Thank you: your feedback is saved. You can change it with the same link."
            )
            return redirect(request.path)
        status = 400
    return render(
        request, "programs/events/feedback.html", {"event": answer.event, "form": form, "given": existing},
        status=status,
    )  # fmt: skip


def public_events(request, slug):
    """The program's published public events, upcoming and past: anyone's."""
    program = get_program_for(request.user, slug)
    shown = program.events.filter(is_public=True, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    now = timezone.now()
    past = shown.filter(starts_at__lt=now, status=EventStatus.PUBLISHED).order_by("-starts_at", "-pk")
    context = {
        "program": program,
        "upcoming": shown.filter(starts_at__gte=now).order_by("starts_at", "pk"),
        "past": past[:PAST_SHOWN],
    }
    return render(request, "programs/events/public_list.html", context)
