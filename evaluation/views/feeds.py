"""A person's calendar: an iCalendar feed (RFC 5545) at a secret, revocable address.

The feed holds, for each of the person's active matches, the day the next check-in is due (the
last day of the current cadence period, or of the next one when this period already has a
check-in; periods that are not due, with a paused day, are skipped: evaluation/periods.py),
every meeting they have logged (held or missed), and the meetings the pair planned on the site
(``_planned_meetings``), and the sessions of the person's current groups (planned, or cancelled as
STATUS:CANCELLED: matching/group_calendar.py). Events carry the partner's first
name only, from their limited profile (programs.limited): no notes, no email addresses, nothing
else of a profile. The token in the address is the key (a calendar app cannot log in); "Make a
new address" replaces it and the old one answers 404.

iCalendar is small enough to write by hand; its rules (escaping, folding, CRLF, UTC times) are
mentorship/ical.py, shared with the meeting invitations that go by email.
UIDs are derived from what an event is (a check-in's id, a pair and period), so they stay the same
from one fetch to the next and calendar apps update events instead of duplicating them.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from evaluation import periods
from evaluation.access import get_feed_by_token
from evaluation.models import CalendarFeed, CheckIn, new_feed_token
from matching import group_calendar, meeting_calendar
from matching.models import MatchStatus, Meeting, MeetingStatus
from matching.selectors import matches_of
from mentorship import ical
from programs import event_calendar
from programs.limited import limited_profiles

MAX_MEETINGS = 500  # the most recent; a calendar app need not re-read years of history every hour

# --- The feed's events --------------------------------------------------------------------------


def _event(*, uid, day, summary, stamp, description=""):
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{ical.utc_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{ical.date_value(day)}",
        f"DTEND;VALUE=DATE:{ical.date_value(day + dt.timedelta(days=1))}",
        f"SUMMARY:{ical.escape(summary)}",
        "TRANSP:TRANSPARENT",  # a reminder, not a busy slot
    ]
    if description:
        lines.append(f"DESCRIPTION:{ical.escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar_for(user, *, on):
    """The user's iCalendar document (a str with CRLF line ends)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    mine = matches_of(user).annotate(last_checkin=Max("checkins__occurred_on")).prefetch_related("pauses")
    matches = {m.pk: m for m in mine}

    partners = [m.partner_of(user) for m in matches.values()]
    names = {pk: p.first_name for pk, p in zip(matches, limited_profiles(partners), strict=True)}

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical.escape(settings.SITE_NAME)}//Check-ins//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ical.escape(settings.SITE_NAME)}: check-ins",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for match in matches.values():
        if match.status != MatchStatus.ACTIVE or match.started_on is None:
            continue
        history = periods.History(
            started_on=match.started_on,
            cadence=match.program.checkin_cadence_days,
            pauses=tuple(periods.Pause(p.started_on, p.ended_on) for p in match.pauses.all()),
        )
        due = periods.next_due(history, on=on, last_checkin=match.last_checkin)
        if due is None:
            continue
        start = due.first_day
        lines += _event(
            uid=f"due-{match.pk}-{start:%Y%m%d}@{host}",
            day=due.last_day,
            summary=f"Check-in with {names[match.pk]} due",
            stamp=dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
            description=f"Log it at {settings.SITE_URL}{reverse('evaluation:checkin_new', args=[match.pk])}",
        )
    meetings = CheckIn.objects.filter(match_id__in=list(matches)).order_by("-occurred_on", "-pk")
    for checkin in meetings[:MAX_MEETINGS]:
        name = names[checkin.match_id]
        lines += _event(
            uid=f"checkin-{checkin.pk}@{host}",
            day=checkin.occurred_on,
            summary=f"Check-in with {name}" if checkin.held else f"Missed check-in with {name}",
            stamp=checkin.created_at,
        )
    lines += _planned_meetings(matches)
    # The sessions of the person's current groups, with the UID and SEQUENCE of the emailed copy.
    lines += group_calendar.feed_lines(user)
    lines += event_calendar.feed_lines(user)  # events they are going to (programs/event_calendar.py)
    lines.append("END:VCALENDAR")
    return ical.document(lines)


def _planned_meetings(matches):
    """The pair's planned meetings (CONFIRMED) and proposals (TENTATIVE), with the UID and SEQUENCE
    of the invitations the pair were emailed (matching/meeting_calendar.py), so a calendar holding
    both copies sees one event. Declined and cancelled meetings are left out rather than listed as
    CANCELLED: a subscribed calendar mirrors the feed, so an event that leaves it is removed at the
    next refresh, and the feed stays a list of what is planned. So are a closed pair's meetings
    that had not begun: the pair no longer meets."""
    planned = Meeting.objects.filter(
        match_id__in=list(matches), status__in=[MeetingStatus.ACCEPTED, MeetingStatus.PROPOSED]
    ).exclude(match__status=MatchStatus.CLOSED, starts_at__gt=timezone.now())
    lines = []
    for meeting in planned.order_by("-starts_at", "-pk")[:MAX_MEETINGS]:
        meeting.match = matches[meeting.match_id]  # loaded with both people's profiles
        lines += meeting_calendar.event_lines(meeting, stamp=meeting.updated_at)
    return lines


# --- The feed's address: created on first visit, replaced on request ----------------------------


def calendar_feed_get_or_create(*, user):
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_renew(*, user):
    """A new secret address; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": new_feed_token(), "created_at": timezone.now()}
    )
    return feed


# --- Views --------------------------------------------------------------------------------------


@require_safe
def feed(request, token):
    """No login: calendar apps cannot log in, so the unguessable token is the key."""
    calendar_feed = get_feed_by_token(token)
    body = calendar_for(calendar_feed.user, on=timezone.localdate())
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="check-ins.ics"'
    # Personal, behind a secret: no shared cache keeps it (and a revoked address is dead at once).
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def calendar(request):
    calendar_feed = calendar_feed_get_or_create(user=request.user)
    address = settings.SITE_URL + reverse("evaluation:feed", args=[calendar_feed.token])
    return render(
        request,
        "evaluation/feed_calendar.html",
        {
            "feed": calendar_feed,
            "address": address,
            "webcal_address": "webcal://" + address.split("://", 1)[-1],
        },
    )


@login_required
@require_POST
def calendar_revoke(request):
    calendar_feed_renew(user=request.user)
    messages.success(
        request,
        "Your calendar has a new address. The old one no longer works: "
        "add the new one to your calendar app in its place.",
    )
    return redirect("evaluation:calendar")


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/new-address/", calendar_revoke, name="calendar_revoke"),
    # token_urlsafe: letters, digits, "-" and "_", which is exactly the slug converter.
    path("calendar/<slug:token>.ics", feed, name="feed"),
]
