"""From the database to the engine's arrays: who takes part in a program's matching, encoded.

Only matchable people (approved; mentors fully and currently screened; minors with a guardian's
consent) take part: mentees without an open match and still eligible, mentors open to new matches
with a free place. Everything is read in a handful of set-based queries, so that 15,000 people
load in well under a second.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from matching import engine
from matching.engine_problem import EITHER, IN_PERSON, ONLINE
from matching.models import (
    OPEN_MATCH_STATUSES,
    ClosureReason,
    Exclusion,
    Match,
    MatchSuggestion,
    SuggestionStatus,
)
from mentorship.models import AgeBand, Gender, MeetingMode, Profile, age_on
from programs.models import BACKGROUND_CHECK, Enrollment, Role, ScreeningRecord

GENDER_CODES = {value: code for code, value in enumerate(Gender.values)}
AGE_BAND_CODES = {value: code for code, value in enumerate(AgeBand.values)}
MODE_CODES = {
    MeetingMode.IN_PERSON: IN_PERSON,
    MeetingMode.ONLINE: ONLINE,
    MeetingMode.EITHER: EITHER,
}


@dataclass
class Pool:
    """The people of one matching run, in engine order, and the problem built from them."""

    program: object
    mentees: list  # Enrollment, index = engine mentee index
    mentors: list  # Enrollment, index = engine mentor index
    free_places: list  # per mentor
    problem: object
    fingerprint: str
    excluded_pairs: set = field(default_factory=set)  # (mentee enrollment id, mentor enrollment id)

    def mentee_index(self, enrollment_id):
        return self._mentee_positions[enrollment_id]

    def mentor_index(self, enrollment_id):
        return self._mentor_positions[enrollment_id]

    def __post_init__(self):
        self._mentee_positions = {e.pk: i for i, e in enumerate(self.mentees)}
        self._mentor_positions = {e.pk: j for j, e in enumerate(self.mentors)}


def open_match_counts(program):
    """Open matches per mentor enrollment id."""
    rows = (
        Match.objects.filter(program=program, status__in=OPEN_MATCH_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    return {row["mentor_id"]: row["n"] for row in rows}


def pool_mentees(program, on):
    return (
        Enrollment.objects.filter(program=program, role=Role.MENTEE, accepting_new_matches=True)
        .matchable(on)
        .exclude(matches_as_mentee__status__in=OPEN_MATCH_STATUSES)
        .select_related("user__profile")
        .order_by("pk")
    )


def pool_mentors(program, on):
    return (
        Enrollment.objects.filter(program=program, role=Role.MENTOR, accepting_new_matches=True)
        .matchable(on)
        .select_related("user__profile")
        .order_by("pk")
    )


def excluded_pairs(program):
    """Pairs never to suggest: the exclusion list, pairs closed as a mismatch, declined suggestions."""
    pairs = set(Exclusion.objects.filter(program=program).values_list("mentee_id", "mentor_id"))
    pairs |= set(
        Match.objects.filter(program=program, closure_reason=ClosureReason.MISMATCH).values_list(
            "mentee_id", "mentor_id"
        )
    )
    pairs |= set(
        MatchSuggestion.objects.filter(program=program, status=SuggestionStatus.DECLINED).values_list(
            "mentee_id", "mentor_id"
        )
    )
    return pairs


def build_pool(program, *, on=None, mentee_ids=None, mentor_ids=None, ignore_capacity=False):
    """Load the pool. ``mentee_ids``/``mentor_ids`` narrow it (a manual match checks one pair)."""
    on = on or timezone.localdate()
    mentees_qs, mentors_qs = pool_mentees(program, on), pool_mentors(program, on)
    if mentee_ids is not None:
        mentees_qs = mentees_qs.filter(pk__in=mentee_ids)
    if mentor_ids is not None:
        mentors_qs = mentors_qs.filter(pk__in=mentor_ids)
    mentees, mentors = list(mentees_qs), list(mentors_qs)
    taken = open_match_counts(program)
    free = [max(0, m.effective_capacity() - taken.get(m.pk, 0)) for m in mentors]
    if not ignore_capacity:
        keep = [j for j, places in enumerate(free) if places > 0]
        mentors, free = [mentors[j] for j in keep], [free[j] for j in keep]

    profiles = [e.user.profile for e in mentees] + [e.user.profile for e in mentors]
    profile_ids = [p.pk for p in profiles]
    languages = _m2m(Profile.languages.through, "language_id", profile_ids)
    interests = _m2m(Profile.interests.through, "tag_id", profile_ids)
    skills = _m2m(Profile.skills.through, "tag_id", profile_ids)
    goals = _m2m(Profile.goals.through, "tag_id", profile_ids)

    language_bits = _dense_ids(languages)
    if len(language_bits) > 64:
        raise ValueError("more than 64 languages in one pool")
    tag_ids = _dense_ids(interests, skills, goals)
    areas = {}

    def common(profile):
        area = profile.normalised_area
        return {
            "languages": engine.language_mask(language_bits[x] for x in languages.get(profile.pk, ())),
            "interests": [tag_ids[t] for t in interests.get(profile.pk, ())],
            "availability": profile.availability,
            "area": areas.setdefault(area, len(areas)) if area else -1,
            "mode": MODE_CODES.get(profile.meeting_mode, EITHER),
            "lat": profile.latitude if profile.latitude is not None else float("nan"),
            "lon": profile.longitude if profile.longitude is not None else float("nan"),
        }

    mentee_rows = [common(e.user.profile) for e in mentees]
    mentor_rows = [common(e.user.profile) for e in mentors]
    checked = _background_checked(program, mentors, on)
    excluded = excluded_pairs(program)
    mentee_pos = {e.pk: i for i, e in enumerate(mentees)}
    mentor_pos = {e.pk: j for j, e in enumerate(mentors)}
    exclusions = [(mentee_pos[a], mentor_pos[b]) for a, b in excluded if a in mentee_pos and b in mentor_pos]

    def column(rows, key):
        return [row[key] for row in rows]

    def profile_of(e):
        return e.user.profile

    mentee_profiles = [profile_of(e) for e in mentees]
    mentor_profiles = [profile_of(e) for e in mentors]
    problem = engine.MatchingProblem(
        mentees=engine.Mentees(
            languages=column(mentee_rows, "languages"),
            goals=engine.tag_matrix(
                ([tag_ids[t] for t in goals.get(p.pk, ())] for p in mentee_profiles), len(tag_ids)
            ),
            interests=engine.tag_matrix(column(mentee_rows, "interests"), len(tag_ids)),
            availability=column(mentee_rows, "availability"),
            area=column(mentee_rows, "area"),
            mode=column(mentee_rows, "mode"),
            lat=column(mentee_rows, "lat"),
            lon=column(mentee_rows, "lon"),
            is_minor=[p.is_minor(on) or p.date_of_birth is None for p in mentee_profiles],
            preferred_gender=[GENDER_CODES.get(p.partner_gender, -1) for p in mentee_profiles],
            gender_required=[p.partner_gender_importance == "required" for p in mentee_profiles],
            preferred_age_band=[AGE_BAND_CODES.get(p.partner_age_band, -1) for p in mentee_profiles],
            age_band_required=[p.partner_age_band_importance == "required" for p in mentee_profiles],
        ),
        mentors=engine.Mentors(
            languages=column(mentor_rows, "languages"),
            capacity=free,
            skills=engine.tag_matrix(
                ([tag_ids[t] for t in skills.get(p.pk, ())] for p in mentor_profiles), len(tag_ids)
            ),
            interests=engine.tag_matrix(column(mentor_rows, "interests"), len(tag_ids)),
            availability=column(mentor_rows, "availability"),
            area=column(mentor_rows, "area"),
            mode=column(mentor_rows, "mode"),
            lat=column(mentor_rows, "lat"),
            lon=column(mentor_rows, "lon"),
            gender=[GENDER_CODES.get(p.gender, -1) for p in mentor_profiles],
            age_band=[
                AGE_BAND_CODES.get(AgeBand.for_age(age_on(p.date_of_birth, on)), -1) for p in mentor_profiles
            ],
            background_check_current=[m.pk in checked for m in mentors],
        ),
        exclusions=exclusions,
        weights=engine.Weights(
            **{k: float(v) for k, v in program.criteria_weights.items() if k in engine.CRITERIA}
        ),
        min_score=program.min_score,
        max_distance_km=program.max_distance_km,
    )
    fingerprint = _fingerprint(program, mentees, mentors, free, excluded, languages, interests, skills, goals)
    return Pool(
        program=program,
        mentees=mentees,
        mentors=mentors,
        free_places=free,
        problem=problem,
        fingerprint=fingerprint,
        excluded_pairs=excluded,
    )


def _m2m(through, column, profile_ids):
    out = {}
    for profile_id, value in through.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", column
    ):
        out.setdefault(profile_id, []).append(value)
    return out


def _dense_ids(*mappings):
    ids = sorted({v for mapping in mappings for values in mapping.values() for v in values})
    return {v: i for i, v in enumerate(ids)}


def _background_checked(program, mentors, on):
    return set(
        ScreeningRecord.objects.filter(enrollment__in=[m.pk for m in mentors], item__key=BACKGROUND_CHECK)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        .values_list("enrollment_id", flat=True)
    )


def _fingerprint(program, mentees, mentors, free, excluded, *m2m):
    """Changes whenever anything the engine reads changes: then a nightly run is worth doing."""
    digest = hashlib.sha256()
    settings = [program.criteria_weights, program.min_score, program.max_distance_km]
    people = [(e.pk, e.user.profile.updated_at.isoformat()) for e in mentees + mentors]
    payload = [
        settings,
        people,
        free,
        sorted(excluded),
        [sorted((k, sorted(v)) for k, v in m.items()) for m in m2m],
    ]
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()
