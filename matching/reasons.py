"""Why a pair fits, in words a coordinator (or the pair) can check: the goals, interests and
languages they share by name, the times they are both free, where each of them is and how far
apart, and (for coordinators only) whether the mentee is under 18 and where their guardian's
consent stands. The score breakdown says how much each criterion weighed; this says what it was.

``pair_reasons`` works on a page's worth of pairs in a constant number of queries: the people's
programs, profiles, tags and languages are prefetched once for the whole list, never per row.
Shown to a participant (``limited=True``) it says only what their limited profile allows
(programs/limited.py): the program-defined area names, never a free-text area, a distance worked
out from coordinates, the other person's free times, an age or a guardian.
"""

import math
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.utils import timezone

from matching.engine.scoring import haversine_km
from mentorship.models import DAY_PARTS, DAYS, MeetingMode
from programs import limited as limited_profiles
from programs.models import participant_location

PREFETCH = [
    "program__program_areas",
    "user__profile__languages",
    "user__profile__interests",
    "user__profile__skills",
    "user__profile__goals",
]


@dataclass(frozen=True)
class PairReasons:
    goals: tuple[str, ...]  # the mentee's goals the mentor lists as skills
    interests: tuple[str, ...]  # interests both have
    languages: tuple[str, ...]  # languages both speak
    # "Tuesday evening", "Saturday morning and afternoon"; None for a participant: a partner's
    # free times are not in their limited profile.
    times: tuple[str, ...] | None
    mentee_area: str
    mentor_area: str
    same_area: bool
    km: int | None  # approximate distance (coordinators only), None when unknown
    both_online: bool  # both are happy to meet online
    minor: bool = False  # coordinators only: the mentee is under 18 (or of unknown age and asked for consent)
    age_unknown: bool = False
    consent: str = ""  # coordinators only: where the guardian's consent stands, when one is needed

    @property
    def times_text(self):
        return _join(self.times)


def _join(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shared_times(mask_a, mask_b):
    """The weekly slots in both availability masks, grouped by day: ("Tuesday evening",
    "Saturday morning and afternoon")."""
    both = (mask_a or 0) & (mask_b or 0)
    out = []
    for day, day_name in enumerate(DAYS):
        parts = [part for k, part in enumerate(DAY_PARTS) if both >> (day * 3 + k) & 1]
        if parts:
            out.append(f"{day_name} {_join(parts)}")
    return tuple(out)


def _names(manager):
    return {str(item): item.pk for item in manager.all()}


def _shared(left, right):
    right_ids = set(_names(right).values())
    return tuple(sorted(name for name, pk in _names(left).items() if pk in right_ids))


def consent_state(enrollment):
    """Where a mentee's guardian consent stands, in a few words."""
    if enrollment.guardian_consent is True:
        when = enrollment.guardian_answered_at
        return f"guardian consent given{' on ' + f'{when:%-d %b %Y}' if when else ''}"
    if enrollment.guardian_consent is False:
        return "guardian refused or withdrew consent"
    if enrollment.guardian_asked_at:
        return f"guardian asked on {enrollment.guardian_asked_at:%-d %b %Y}, no answer yet"
    return "guardian not asked yet"


def _area_points(program):
    """name -> (latitude, longitude) or None, from the prefetched areas (see pool.area_points)."""
    return {
        area.name: (area.latitude, area.longitude)
        if area.latitude is not None and area.longitude is not None
        else None
        for area in program.program_areas.all()
    }


def _area(enrollment, *, limited):
    """The area to name: the program's area they chose; for coordinators, else the profile's."""
    if limited:
        return limited_profiles.limited_profile(enrollment).area_name
    chosen = enrollment.area_name if enrollment.area_name in enrollment.program.areas else ""
    return chosen or enrollment.user.profile.area.strip()


def _km(mentee, mentor):
    """Approximate distance between where matching places the two (programs.participant_location),
    or None when either point is unknown."""
    points = _area_points(mentee.program)
    (_, lat1, lon1), (_, lat2, lon2) = (
        participant_location(
            area_name=e.area_name,
            area_points=points,
            profile_area=e.user.profile.area,
            latitude=e.user.profile.latitude,
            longitude=e.user.profile.longitude,
        )
        for e in (mentee, mentor)
    )
    if any(math.isnan(x) for x in (lat1, lon1, lat2, lon2)):
        return None
    return round(float(haversine_km(lat1, lon1, lat2, lon2)))


def _reasons(mentee, mentor, *, limited, on):
    e, o = mentee.user.profile, mentor.user.profile
    mentee_area, mentor_area = _area(mentee, limited=limited), _area(mentor, limited=limited)
    same_area = bool(mentee_area) and " ".join(mentee_area.lower().split()) == " ".join(
        mentor_area.lower().split()
    )
    reasons = {
        "goals": _shared(e.goals, o.skills),
        "interests": _shared(e.interests, o.interests),
        "languages": _shared(e.languages, o.languages),
        "times": None if limited else shared_times(e.availability, o.availability),
        "mentee_area": mentee_area,
        "mentor_area": mentor_area,
        "same_area": same_area,
        "km": None,
        "both_online": MeetingMode.IN_PERSON not in (e.meeting_mode, o.meeting_mode),
    }
    if not limited:
        needs_consent = mentee.needs_guardian_consent(on)
        reasons.update(
            km=_km(mentee, mentor),
            minor=needs_consent,
            age_unknown=needs_consent and e.date_of_birth is None,
            consent=consent_state(mentee) if needs_consent else "",
        )
    return PairReasons(**reasons)


def pair_reasons(pairs, *, limited=False, on=None):
    """The reasons of each (mentee enrollment, mentor enrollment) pair, in order, in a constant
    number of queries whatever the number of pairs."""
    pairs = list(pairs)
    on = on or timezone.localdate()
    prefetch_related_objects([person for pair in pairs for person in pair], *PREFETCH)
    return [_reasons(mentee, mentor, limited=limited, on=on) for mentee, mentor in pairs]


def attach_reasons(items, *, limited=False, on=None):
    """Set ``reasons`` on each item with ``mentee`` and ``mentor`` (suggestions, requests,
    matches); returns the items as a list."""
    items = list(items)
    for item, reasons in zip(
        items, pair_reasons([(i.mentee, i.mentor) for i in items], limited=limited, on=on), strict=True
    ):
        item.reasons = reasons
    return items
