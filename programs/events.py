"""Events (programs/models/events.py): coordinators create, change, publish and cancel them; people
RSVP and cancel; the wait-list moves up; attendance is taken on the day. The day-before reminder
and the feedback request are programs/event_followups.py.

Places are counted under a row lock on the event (``select_for_update``): every RSVP, cancellation
and change of capacity takes it first, so two people taking the last place at once never both have
it, and several cancellations at once never overfill the event nor promote anyone twice. Who may
come is programs/event_access.py's rule.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.services import audit_record
from programs.event_access import audience_programs_for, in_audience, runs_event
from programs.event_emails import event_cancelled_emails, event_promoted_email, event_updated_emails
from programs.models import Event, EventStatus, Rsvp, RsvpStatus

# A change of any of these is news for those going: the calendar event's SEQUENCE goes up.
WHEN_AND_WHERE = ("starts_at", "duration_minutes", "place", "link")
FIELDS = ("title", "kind", "description", *WHEN_AND_WHERE, "capacity", "is_public")


def _lock(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_audience_choice(by, programs, *, keep=()):
    """``programs`` must be programs ``by`` runs (those of ``keep``, already the event's, aside)."""
    allowed = set(audience_programs_for(by).values_list("pk", flat=True)) | {p.pk for p in keep}
    chosen = list(programs)
    if not chosen:
        raise ValidationError({"programs": "Choose at least one program: its people can come."})
    if any(p.pk not in allowed for p in chosen):
        raise PermissionDenied("You can only open an event to the programs you run.")
    return chosen


def _audit(by, action, event, summary=""):
    audit_record(actor=by, action=action, target=event, summary=summary or event.title)


def going_count(event):
    return event.rsvps.filter(status=RsvpStatus.GOING).count()


def places_left(event, going=None):
    """Places still free (None: no limit)."""
    if event.capacity is None:
        return None
    going = going_count(event) if going is None else going
    return max(event.capacity - going, 0)


@transaction.atomic
def event_create(*, by, programs, **fields):
    """A new event, as a draft that only its coordinators see."""
    programs = _check_audience_choice(by, programs)
    event = Event(created_by=by, **{name: fields[name] for name in fields if name in FIELDS})
    event.full_clean()
    event.save()
    event.programs.set(programs)
    _audit(by, "event.created", event)
    return event


@transaction.atomic
def event_edit(*, event, by, programs=None, **fields):
    """Change an event. A new time or place raises its calendar SEQUENCE and those going are told;
    a larger capacity moves the wait-list up. The capacity cannot go below those already going.
    ``programs``: the audience among the programs ``by`` runs (those they do not run stay)."""
    event = _lock(event)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled.")
    if not runs_event(by, event):
        raise PermissionDenied("You do not run this event.")
    before = {name: getattr(event, name) for name in WHEN_AND_WHERE}
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"Not an event field: {name}")
        setattr(event, name, value)
    going = going_count(event)
    if event.capacity is not None and event.capacity < going:
        raise ValidationError(
            {"capacity": f"{going} people are going already: the capacity cannot be lower."}
        )
    event.full_clean()
    moved = any(getattr(event, name) != value for name, value in before.items())
    if moved:
        event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    if programs is not None:
        current = list(event.programs.all())
        mine = set(audience_programs_for(by).values_list("pk", flat=True))
        kept = [p for p in current if p.pk not in mine]
        event.programs.set(_check_audience_choice(by, list(programs) + kept, keep=kept))
    _audit(by, "event.moved" if moved else "event.updated", event)
    if moved and event.is_published:
        event_updated_emails(event, event.rsvps.filter(status=RsvpStatus.GOING).select_related("user"))
    _fill_places(event)
    return event


@transaction.atomic
def event_publish(*, event, by):
    """Its audience sees it and may RSVP (a public one is listed on its programs' events page)."""
    event = _lock(event)
    if event.status != EventStatus.DRAFT:
        raise ValidationError("Only a draft can be published.")
    if event.ends_at <= timezone.now():
        raise ValidationError("This event is over: it cannot be published.")
    event.status = EventStatus.PUBLISHED
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "updated_at"])
    _audit(by, "event.published", event)
    return event


@transaction.atomic
def event_cancel(*, event, by):
    """Call the event off: everyone going or on the wait-list is told. The RSVPs stay as they were
    (the calendar feeds then show the event as cancelled)."""
    event = _lock(event)
    if event.is_cancelled:
        return event
    if event.attendance_taken_at:
        raise ValidationError("Attendance was taken: this event happened.")
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "sequence", "updated_at"])
    _audit(by, "event.cancelled", event)
    told = event.rsvps.filter(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED]).select_related("user")
    event_cancelled_emails(event, list(told))
    return event


# --- RSVPs ------------------------------------------------------------------------------------------


@transaction.atomic
def rsvp(*, event, user):
    """``user`` comes: going if a place is free, else on the wait-list (served in the order people
    joined it). Returns the Rsvp."""
    event = _lock(event)
    if not in_audience(user, event):
        raise PermissionDenied("This event is not open to you.")
    if not event.is_published:
        raise ValidationError("This event is not open for replies.")
    if event.starts_at <= timezone.now():
        raise ValidationError("This event has started.")
    now = timezone.now()
    existing = Rsvp.objects.filter(event=event, user=user).first()
    if existing is not None and existing.status != RsvpStatus.CANCELLED:
        raise ValidationError("You have replied already.")
    answer = existing or Rsvp(event=event, user=user)
    free = places_left(event)
    answer.status = RsvpStatus.GOING if free is None or free > 0 else RsvpStatus.WAITLISTED
    answer.waitlisted_at = now if answer.status == RsvpStatus.WAITLISTED else None
    answer.promoted_at = None
    answer.updated_at = now
    answer.save()
    return answer


@transaction.atomic
def rsvp_cancel(*, event, user):
    """``user`` no longer comes. If they had a place, it goes to the longest-waiting person on the
    wait-list, who is told by email. Returns the person promoted (an Rsvp) or None."""
    event = _lock(event)
    answer = Rsvp.objects.select_for_update().filter(event=event, user=user).first()
    if answer is None or answer.status == RsvpStatus.CANCELLED:
        raise ValidationError("You have no place to cancel.")
    if event.starts_at <= timezone.now():
        raise ValidationError("This event has started.")
    answer.status = RsvpStatus.CANCELLED
    answer.waitlisted_at = None
    answer.updated_at = timezone.now()
    answer.save(update_fields=["status", "waitlisted_at", "updated_at"])
    promoted = _fill_places(event)
    return promoted[0] if promoted else None


def _fill_places(event):
    """Promote the wait-list into the free places, longest-waiting first (the event is locked by
    the caller). Each promoted person is emailed once. Returns them."""
    if not event.is_published or event.starts_at <= timezone.now():
        return []
    waiting = event.rsvps.filter(status=RsvpStatus.WAITLISTED).order_by("waitlisted_at", "pk")
    waiting = waiting.select_related("user", "event")
    free = places_left(event)
    chosen = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for answer in chosen:
        answer.status, answer.promoted_at, answer.updated_at = RsvpStatus.GOING, now, now
        answer.save(update_fields=["status", "promoted_at", "updated_at"])
        event_promoted_email(answer)
    return chosen


def waitlist_position(answer):
    """1 for the first in line; None when not on the wait-list."""
    if answer is None or answer.status != RsvpStatus.WAITLISTED:
        return None
    ahead = answer.event.rsvps.filter(status=RsvpStatus.WAITLISTED, waitlisted_at__lt=answer.waitlisted_at)
    same = answer.event.rsvps.filter(
        status=RsvpStatus.WAITLISTED, waitlisted_at=answer.waitlisted_at, pk__lt=answer.pk
    )
    return ahead.count() + same.count() + 1


# --- Attendance ---------------------------------------------------------------------------------------


@transaction.atomic
def attendance_take(*, event, present, by):
    """Who came (``present``: {rsvp pk: True, False, or None for not marked}), among those going,
    from the start time on. Those who came are asked for feedback once the event is over
    (programs/event_followups.py). Returns how many are marked present."""
    event = _lock(event)
    if event.is_cancelled:
        raise ValidationError("This event is cancelled.")
    if event.starts_at > timezone.now():
        raise ValidationError("Attendance can be taken once the event has started.")
    for answer in event.rsvps.filter(status=RsvpStatus.GOING):
        mark = present.get(answer.pk)
        if mark is None or mark == answer.attended:
            continue
        answer.attended = mark
        answer.save(update_fields=["attended"])
    event.attendance_taken_at = timezone.now()
    event.save(update_fields=["attendance_taken_at"])
    came = event.rsvps.filter(status=RsvpStatus.GOING, attended=True).count()
    _audit(by, "event.attendance", event, f"{event.title}: {came} came")
    return came
