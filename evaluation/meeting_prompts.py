"""After a planned meeting: ask each of the pair to log it as a check-in, prefilled from it.

A meeting is "to log" for a person when it was accepted, has ended (within ``LOOKBACK``: older
ones are history, not a prompt), its match is open for check-ins (evaluation.services
JOURNAL_STATUSES) and that person has not logged a check-in from it (CheckIn.meeting, unique per
meeting and person). The prompt shows on the pair's journal and on the dashboard (``my_meetings``,
settings.DASHBOARD_PANELS), with the meetings waiting for the person's answer and the next one.
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CheckIn, CheckInMode
from evaluation.services import JOURNAL_STATUSES
from matching.meetings import ended_planned
from matching.models import MatchStatus, Meeting, MeetingMode, MeetingStatus
from matching.selectors import in_pair
from programs.limited import limited_first_name

LOOKBACK = dt.timedelta(days=30)
NEXT_SHOWN = 3
# How a planned meeting's mode is logged.
CHECKIN_MODE = {
    MeetingMode.IN_PERSON: CheckInMode.IN_PERSON,
    MeetingMode.VIDEO: CheckInMode.VIDEO,
    MeetingMode.PHONE: CheckInMode.PHONE,
}
RELATED = ("match__program", "match__mentee__user__profile", "match__mentor__user__profile")


def _mine(user):
    return Meeting.objects.filter(in_pair(user, "match__"))


def meetings_to_log(user, *, match=None, now=None):
    """The planned meetings ``user`` is asked to log (see the module's rule), oldest first."""
    now = now or timezone.now()
    meetings = _mine(user) if match is None else Meeting.objects.filter(match=match)
    logged = CheckIn.objects.filter(meeting=OuterRef("pk"), logged_by=user)
    return list(
        ended_planned(meetings, now=now)
        .filter(match__status__in=JOURNAL_STATUSES, starts_at__gte=now - LOOKBACK)
        .exclude(Exists(logged))
        .select_related(*RELATED)
        .order_by("starts_at", "pk")
    )


def meeting_of(match, raw_id):
    """The meeting a ``?meeting=`` names, if it is one of ``match``'s (404 otherwise); None for
    no (or an empty) parameter."""
    if not raw_id:
        return None
    try:
        pk = int(raw_id)
    except ValueError:
        raise Http404("No such meeting.") from None
    return get_object_or_404(Meeting, pk=pk, match=match)


def logged_by(meeting, user):
    return CheckIn.objects.filter(meeting=meeting, logged_by=user).exists()


def checkin_initial(meeting):
    """The check-in form's first values for a meeting: its day, held, its length and mode."""
    return {
        "occurred_on": timezone.localdate(meeting.starts_at),
        "held": "yes",
        "duration_minutes": meeting.duration_minutes,
        "mode": CHECKIN_MODE.get(meeting.mode, CheckInMode.IN_PERSON),
    }


def log_url(meeting):
    return reverse("evaluation:checkin_new", args=[meeting.match_id]) + f"?meeting={meeting.pk}"


def _prompt(meeting, user):
    return {
        "meeting": meeting,
        "partner": limited_first_name(meeting.match.partner_of(user)),
        "log_url": log_url(meeting),
        "missed_url": reverse("evaluation:meeting_missed", args=[meeting.pk]),
    }


def prompts(user, *, match=None, now=None):
    """What a page shows for each meeting to log: the meeting, the partner's first name, links."""
    return [_prompt(meeting, user) for meeting in meetings_to_log(user, match=match, now=now)]


def my_meetings(request):
    """The dashboard's "Meetings" panel: to log, to answer, coming up. Hidden when there is none."""
    user = request.user
    now = timezone.now()
    to_log = prompts(user, now=now)
    open_ = _mine(user).filter(match__status=MatchStatus.ACTIVE, starts_at__gt=now).select_related(*RELATED)
    to_answer = [
        {"meeting": m, "partner": limited_first_name(m.match.partner_of(user))}
        for m in open_.filter(status=MeetingStatus.PROPOSED).exclude(proposed_by=user).order_by("starts_at")
    ]
    coming = [
        {"meeting": m, "partner": limited_first_name(m.match.partner_of(user))}
        for m in open_.filter(status=MeetingStatus.ACCEPTED).order_by("starts_at")[:NEXT_SHOWN]
    ]
    return {
        "template": "evaluation/_meetings_panel.html",
        "hidden": not (to_log or to_answer or coming),
        "to_log": to_log,
        "to_answer": to_answer,
        "coming": coming,
    }
