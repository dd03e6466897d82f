"""From the database to the engine's arrays: who takes part in a program's matching, encoded.

Only matchable people (approved; mentors fully and currently screened; minors with a guardian's
consent) take part: mentees without an open match and still eligible, mentors open to new matches
with a free place. Everything is read in a handful of set-based queries, so that 15,000 people
load in well under a second.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from matching import engine
from matching.engine.problem import EITHER, IN_PERSON, ONLINE
from matching.models import (
    OPEN_MATCH_STATUSES,
    ClosureReason,
    Exclusion,
    Match,
    MatchSuggestion,
    SuggestionStatus,
)
from mentorship.models import AgeBand, Gender, MeetingMode, Profile, adult_birthdate_limit, age_on
from programs.models import BACKGROUND_CHECK, Enrollment, Role, ScreeningRecord, participant_location

GENDER_CODES = {value: code for code, value in enumerate(Gender.values)}
AGE_BAND_CODES = {value: code for code, value in enumerate(AgeBand.values)}
MODE_CODES = {
    MeetingMode.IN_PERSON: IN_PERSON,
    MeetingMode.ONLINE: ONLINE,
    MeetingMode.EITHER: EITHER,
}


@dataclass(frozen=True)
class Person:
    """One enrollment of the pool, as plain values (15,000 model instances would cost a second)."""

    pk: int
    user_id: int
    profile_id: int
    capacity: int | None


@dataclass
class Pool:
    """The people of one matching run, in engine order, and the problem built from them."""

    program: object
    mentees: list  # Person, index = engine mentee index
    mentors: list  # Person, index = engine mentor index
    free_places: list  # per mentor
    problem: object
    fingerprint: str
    excluded_pairs: set = field(default_factory=set)  # (mentee enrollment id, mentor enrollment id)


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
        .order_by("pk")
    )


def pool_mentors(program, on):
    return (
        Enrollment.objects.filter(program=program, role=Role.MENTOR, accepting_new_matches=True)
        .matchable(on)
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


PROFILE_FIELDS = [
    "date_of_birth",
    "gender",
    "availability",
    "area",
    "latitude",
    "longitude",
    "meeting_mode",
    "partner_gender",
    "partner_gender_importance",
    "partner_age_band",
    "partner_age_band_importance",
    "updated_at",
]


def _rows(queryset):
    fields = ["pk", "user_id", "user__profile__id", "capacity", "area_name"] + [
        f"user__profile__{f}" for f in PROFILE_FIELDS
    ]
    people, profiles = [], []
    for row in queryset.values_list(*fields):
        people.append(Person(pk=row[0], user_id=row[1], profile_id=row[2], capacity=row[3]))
        profiles.append({"area_name": row[4], **dict(zip(PROFILE_FIELDS, row[5:], strict=True))})
    return people, profiles


def area_points(program):
    """The program's areas: name -> (latitude, longitude), or None for an area with no point."""
    return {
        name: (lat, lon) if lat is not None and lon is not None else None
        for name, lat, lon in program.program_areas.values_list("name", "latitude", "longitude")
    }


def build_pool(program, *, on=None, mentee_ids=None, mentor_ids=None, ignore_capacity=False):
    """Load the pool. ``mentee_ids``/``mentor_ids`` narrow it (a manual match checks one pair)."""
    on = on or timezone.localdate()
    mentees_qs, mentors_qs = pool_mentees(program, on), pool_mentors(program, on)
    if mentee_ids is not None:
        mentees_qs = mentees_qs.filter(pk__in=mentee_ids)
    if mentor_ids is not None:
        mentors_qs = mentors_qs.filter(pk__in=mentor_ids)
    mentees, mentee_profiles = _rows(mentees_qs)
    mentors, mentor_profiles = _rows(mentors_qs)
    taken = open_match_counts(program)
    default = program.default_mentor_capacity
    free = [max(0, (m.capacity or default) - taken.get(m.pk, 0)) for m in mentors]
    if not ignore_capacity:
        keep = [j for j, places in enumerate(free) if places > 0]
        mentors, mentor_profiles = [mentors[j] for j in keep], [mentor_profiles[j] for j in keep]
        free = [free[j] for j in keep]

    profile_ids = [p.profile_id for p in mentees + mentors]
    languages = _m2m(Profile.languages.through, "language_id", profile_ids)
    interests = _m2m(Profile.interests.through, "tag_id", profile_ids)
    skills = _m2m(Profile.skills.through, "tag_id", [p.profile_id for p in mentors])
    goals = _m2m(Profile.goals.through, "tag_id", [p.profile_id for p in mentees])

    language_bits = _dense_ids(languages)
    if len(language_bits) > 64:
        raise ValueError("more than 64 languages in one pool")
    tag_ids = _dense_ids(interests, skills, goals)
    areas = {}
    limit = adult_birthdate_limit(on)

    points = area_points(program)

    def columns(people, profiles):
        # Where each person is: the program area they chose, else their profile (one rule).
        where = [
            participant_location(
                area_name=p["area_name"],
                area_points=points,
                profile_area=p["area"],
                latitude=p["latitude"],
                longitude=p["longitude"],
            )
            for p in profiles
        ]
        return {
            "languages": [
                engine.language_mask(language_bits[x] for x in languages.get(person.profile_id, ()))
                for person in people
            ],
            "interests": [[tag_ids[t] for t in interests.get(person.profile_id, ())] for person in people],
            "availability": [p["availability"] for p in profiles],
            "area": [areas.setdefault(key, len(areas)) if key else -1 for key, _, _ in where],
            "mode": [MODE_CODES.get(p["meeting_mode"], EITHER) for p in profiles],
            "lat": [lat for _, lat, _ in where],
            "lon": [lon for _, _, lon in where],
        }

    checked = _background_checked(mentors, on)
    excluded = excluded_pairs(program)
    mentee_pos = {e.pk: i for i, e in enumerate(mentees)}
    mentor_pos = {e.pk: j for j, e in enumerate(mentors)}
    exclusions = [(mentee_pos[a], mentor_pos[b]) for a, b in excluded if a in mentee_pos and b in mentor_pos]
    n_tags = len(tag_ids)
    problem = engine.MatchingProblem(
        mentees=engine.Mentees(
            **columns(mentees, mentee_profiles),
            goals=engine.tag_matrix(
                ([tag_ids[t] for t in goals.get(p.profile_id, ())] for p in mentees), n_tags
            ),
            # Unknown age counts as a minor: the stricter rule (a current background check) applies.
            is_minor=[p["date_of_birth"] is None or p["date_of_birth"] > limit for p in mentee_profiles],
            preferred_gender=[GENDER_CODES.get(p["partner_gender"], -1) for p in mentee_profiles],
            gender_required=[p["partner_gender_importance"] == "required" for p in mentee_profiles],
            preferred_age_band=[AGE_BAND_CODES.get(p["partner_age_band"], -1) for p in mentee_profiles],
            age_band_required=[p["partner_age_band_importance"] == "required" for p in mentee_profiles],
        ),
        mentors=engine.Mentors(
            **columns(mentors, mentor_profiles),
            capacity=free,
            skills=engine.tag_matrix(
                ([tag_ids[t] for t in skills.get(p.profile_id, ())] for p in mentors), n_tags
            ),
            gender=[GENDER_CODES.get(p["gender"], -1) for p in mentor_profiles],
            age_band=[
                AGE_BAND_CODES.get(AgeBand.for_age(age_on(p["date_of_birth"], on)), -1)
                for p in mentor_profiles
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
    fingerprint = _fingerprint(
        program, mentees, mentors, mentee_profiles + mentor_profiles, free, excluded, points
    )
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
    """profile id -> [related ids], for many profiles in one query (an array parameter, not a
    15,000-item IN list)."""
    table = through._meta.db_table
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT profile_id, {column} FROM {table} WHERE profile_id = ANY(%s)",  # noqa: S608 (names from _meta)
            [list(profile_ids)],
        )
        for profile_id, value in cursor.fetchall():
            out.setdefault(profile_id, []).append(value)
    return out


def _dense_ids(*mappings):
    ids = sorted({v for mapping in mappings for values in mapping.values() for v in values})
    return {v: i for i, v in enumerate(ids)}


def _background_checked(mentors, on):
    return set(
        ScreeningRecord.objects.filter(enrollment__in=[m.pk for m in mentors], item__key=BACKGROUND_CHECK)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        .values_list("enrollment_id", flat=True)
    )


def _fingerprint(program, mentees, mentors, profiles, free, excluded, points):
    """Changes whenever anything the engine reads changes: then a nightly run is worth doing.

    Profiles' own fields change their ``updated_at``; their tags and languages (many-to-many rows)
    do not, so a count and a sum of the link rows' ids stands for those (an added or removed link
    changes both or the sum).
    """
    digest = hashlib.sha256()
    ids = [p.profile_id for p in mentees + mentors]
    with connection.cursor() as cursor:
        links = []
        for rel in (Profile.languages, Profile.interests, Profile.skills, Profile.goals):
            table = rel.through._meta.db_table  # a name from the models, not from input
            sql = f"SELECT count(*), coalesce(sum(id), 0) FROM {table} WHERE profile_id = ANY(%s)"  # noqa: S608
            cursor.execute(sql, [ids])
            links.append(cursor.fetchone())
    settings = [program.criteria_weights, program.min_score, program.max_distance_km, points]
    people = [
        [p.pk for p in mentees],
        [p.pk for p in mentors],
        [str(p["updated_at"]) for p in profiles],
        [p["area_name"] for p in profiles],
    ]
    payload = [settings, people, free, sorted(excluded), links]
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()
