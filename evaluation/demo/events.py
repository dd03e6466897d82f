"""The demo's events (evaluation/demo/community.py calls it): three past ones with attendance taken
(a few people did not come) and feedback from some who came, and three to come: a public speed
networking evening that is full with two people on its wait-list, a program-only social, and an
online workshop with places left. Two of the people waiting for a Riverside circle came to the
public careers evening before they applied (the "new people through an event" figure). Written
directly (bulk), consistent with what programs/events.py keeps: one RSVP per person, the wait-list
in the order people joined it, nobody going beyond the capacity."""

import datetime as dt
import random

from django.utils import timezone

from evaluation.demo.community_posts import EVENT_FEEDBACK, EVENTS
from matching.models import Match, MatchStatus
from programs.models import Enrollment, Event, EventFeedback, EventStatus, Rsvp, RsvpStatus


def _local(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _pools(site, built):
    """Who might come, per program key: users, the demo's own logins first."""
    pairs = Match.objects.filter(program=site.program, status=MatchStatus.ACTIVE).select_related(
        "mentor__user", "mentee__user"
    )
    youth = [u for m in pairs.order_by("pk") for u in (m.mentee.user, m.mentor.user)]
    # The demo's own mentee and mentor logins first, matched or not.
    youth = [
        *site.mentees[:1],
        *site.mentors[:1],
        *(u for u in youth if u not in site.mentees[:1] + site.mentors[:1]),
    ]
    eastside = [e.user for e in built.eastside_mentees] + [e.user for e in built.eastside_mentors]
    riverside = [e.user for e in built.circle_members] + [built.alumna.user]
    return {"youth": youth, "eastside": eastside, "riverside": riverside}


def _who(pools, keys, count, rng, *, first=()):
    people = list(first)
    candidates = []
    for user in (u for key in keys for u in pools[key]):
        if user not in candidates and user not in people:
            candidates.append(user)
    rng.shuffle(candidates)
    return (people + candidates)[:count]


def _past_rsvps(rng, event, people, *, sure_ids=()):
    """RSVPs to a past event: most went and came, a few did not come, two cancelled; feedback from
    about half who came. ``sure_ids``: people who certainly came."""
    rsvps, answers = [], []
    for k, user in enumerate(people):
        booked = event.starts_at - dt.timedelta(days=rng.randint(2, 20))
        cancelled = k in (3, 11) and user.pk not in sure_ids
        came = None if cancelled else (user.pk in sure_ids or (k not in (5, 9) and rng.random() > 0.05))
        rsvp = Rsvp(
            event=event,
            user=user,
            status=RsvpStatus.CANCELLED if cancelled else RsvpStatus.GOING,
            attended=came,
            created_at=booked,
            updated_at=booked,
            reminded_at=None if cancelled else event.starts_at - dt.timedelta(hours=20),
            feedback_sent_at=event.ends_at + dt.timedelta(hours=16) if came else None,
        )
        rsvps.append(rsvp)
        if came and rng.random() < 0.5:
            rating, words = rng.choice(EVENT_FEEDBACK)
            answers.append(
                EventFeedback(
                    rsvp=rsvp,
                    rating=rating,
                    text=words,
                    submitted_at=event.ends_at + dt.timedelta(days=1, hours=rng.randint(0, 30)),
                )
            )
    return rsvps, answers


def _upcoming_rsvps(rng, event, people, *, waiting=()):
    now = timezone.now()
    rsvps = [
        Rsvp(
            event=event,
            user=user,
            status=RsvpStatus.GOING,
            created_at=now - dt.timedelta(days=rng.randint(1, 12)),
        )
        for user in people
    ]
    # The wait-list, in the order people joined it (the first is promoted first).
    for k, user in enumerate(waiting):
        joined = now - dt.timedelta(days=len(waiting) - k, hours=3)
        rsvps.append(
            Rsvp(
                event=event, user=user, status=RsvpStatus.WAITLISTED, waitlisted_at=joined, created_at=joined
            )
        )
    return rsvps


def demo_events(site, built, *, lead, today, seed=15):
    rng = random.Random(seed + 2)
    programs = {"youth": site.program, "eastside": built.eastside, "riverside": built.riverside}
    pools = _pools(site, built)
    newcomers = [e.user for e in built.circle_waiting[:2]]
    rsvps, answers, made = [], [], {}
    for key, title, kind, description, days, hour, minutes, place, link, capacity, public, audience in EVENTS:
        starts = _local(today + dt.timedelta(days=days), hour)
        past = days < 0
        event = Event.objects.create(
            title=title,
            kind=kind,
            description=description,
            starts_at=starts,
            duration_minutes=minutes,
            place=place,
            link=link,
            capacity=capacity,
            is_public=public,
            status=EventStatus.PUBLISHED,
            created_by=lead,
            created_at=starts - dt.timedelta(days=35),
            updated_at=starts - dt.timedelta(days=35),
            attendance_taken_at=starts + dt.timedelta(minutes=minutes) if past else None,
        )
        event.programs.set([programs[k] for k in audience])
        made[key] = event
        if key == "summer":
            people = _who(pools, audience, 18, rng, first=pools["youth"][:2])
        elif key == "careers":
            people = _who(pools, audience, 20, rng, first=newcomers)
        elif key == "circles":
            people = _who(pools, audience, 14, rng)
        elif key == "showcase":
            mine = pools["youth"][:2] + [built.eastside_mentees[0].user, built.eastside_mentors[0].user]
            people = _who(pools, audience, capacity, rng, first=mine)
        else:
            people = _who(pools, audience, 8 if key == "social" else 6, rng, first=pools[audience[0]][:1])
        if past:
            made_rsvps, made_answers = _past_rsvps(rng, event, people, sure_ids={u.pk for u in newcomers})
            rsvps += made_rsvps
            answers += made_answers
        else:
            waiting = [built.circle_waiting[2].user, built.visitor] if key == "showcase" else []
            rsvps += _upcoming_rsvps(rng, event, people, waiting=waiting)
    Rsvp.objects.bulk_create(rsvps)
    EventFeedback.objects.bulk_create(answers)
    # The newcomers applied to Riverside ten days after the careers evening.
    applied = made["careers"].starts_at + dt.timedelta(days=10)
    Enrollment.objects.filter(user__in=newcomers, program=built.riverside).update(created_at=applied)
    return made
