"""The demo pairs' own space (issue 13): when each person was last active, a few conversations
(one with contact details held for the coordinator), a conversation with the coordinators, and
meetings at every stage: planned, waiting for an answer, and one that has just happened and waits
to be logged. Written through the services, then dated back, so the pages show what a program a
few months in would."""

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from evaluation.models import CheckIn
from matching import meetings
from matching.messaging import services as messaging
from matching.models import Conversation, Match, MatchStatus, Meeting, MeetingMode, Message
from mentorship.models import User

PAIR_TALK = [
    ("mentor", "Hi! Great to meet you properly on Thursday. How did the maths test go?"),
    ("mentee", "It went ok I think, the fractions part was hard but I finished it"),
    ("mentor", "Finishing it is the main thing. Shall we look at the college open days next time?"),
    ("mentee", "Yes please. My number is 07700 900123 if it's easier to text"),
    (
        "mentor",
        "Let's keep to messages here, it's the program's rule. I found this list: "
        "https://www.example.org/open-days",
    ),  # fmt: skip
    ("mentee", "Thanks! The one on the 12th looks good"),
]
COORDINATOR_TALK = [
    ("coordinator", "Hi, just checking in after your first month. How are the meetings going?"),
    ("mentee", "Really good thanks, we meet at the library every other week"),
    ("coordinator", "Lovely to hear. Message me here any time if something comes up."),
]


def _local(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _talk(conversation, lines, *, people, start):
    """Send ``lines`` as ``people`` (role -> user), then date them back an hour or a day apart."""
    sent = [
        messaging.message_send(conversation=conversation, by=people[role], body=body) for role, body in lines
    ]
    for k, message in enumerate(sent):
        Message.objects.filter(pk=message.pk).update(created_at=start + dt.timedelta(hours=5 * k))
    newest = start + dt.timedelta(hours=5 * (len(sent) - 1))
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=newest)
    return sent


def demo_pair_space(*, program, lead, today, logins=()):
    active = list(
        Match.objects.filter(program=program, status=MatchStatus.ACTIVE)
        .select_related("mentee__user", "mentor__user")
        .order_by("pk")
    )
    if not active:
        return
    _last_active(active, today)
    # The demo's own mentor and mentee logins see it first, when they are in a pair.
    emails = set(logins)
    active.sort(key=lambda m: (m.mentee.user.email not in emails and m.mentor.user.email not in emails, m.pk))
    first, second = active[0], active[1] if len(active) > 1 else active[0]
    now = timezone.now()

    for match, lines in ((first, PAIR_TALK), (second, PAIR_TALK[:3])):
        conversation = messaging.conversation_for_match(match=match)
        people = {"mentor": match.mentor.user, "mentee": match.mentee.user}
        _talk(conversation, lines, people=people, start=now - dt.timedelta(days=3))
    conversation = messaging.conversation_for_enrollment(enrollment=first.mentee)
    _talk(conversation, COORDINATOR_TALK, people={"coordinator": lead, "mentee": first.mentee.user},
          start=now - dt.timedelta(days=9))  # fmt: skip

    # Meetings: one planned next week, one the mentee proposed that waits for the mentor, and one
    # held two days ago that both still have to log.
    mentor, mentee = first.mentor.user, first.mentee.user
    planned = meetings.meeting_propose(
        match=first, by=mentor, starts_at=_local(today + dt.timedelta(days=6), 16),
        mode=MeetingMode.IN_PERSON, place="Central Library, study room 2",
        note="Bring the open day list, we'll pick two.",
    )  # fmt: skip
    meetings.meeting_accept(meeting=planned, by=mentee)
    meetings.meeting_propose(
        match=first, by=mentee, starts_at=_local(today + dt.timedelta(days=13), 17), duration_minutes=45,
        mode=MeetingMode.VIDEO, place="https://meet.example.org/city-youth-mentoring",
    )  # fmt: skip
    held = meetings.meeting_propose(
        match=first, by=mentor, starts_at=_local(today + dt.timedelta(days=1), 16), place="Central Library"
    )
    meetings.meeting_accept(meeting=held, by=mentee)
    Meeting.objects.filter(pk=held.pk).update(starts_at=_local(today - dt.timedelta(days=2), 16))


def _last_active(matches, today):
    """Each person in a pair was last active around their pair's latest check-in (drifting pairs,
    with none lately, show up as inactive in the coordinators' to-do)."""
    latest = dict(
        CheckIn.objects.filter(match__in=matches)
        .values("match")
        .annotate(day=Max("occurred_on"))
        .values_list("match", "day")
    )
    for match in matches:
        day = latest.get(match.pk) or match.started_on or today
        seen = _local(min(day + dt.timedelta(days=1), today), 19)
        User.objects.filter(pk__in=[match.mentee.user_id, match.mentor.user_id]).update(last_active_at=seen)
