"""From the database to the engine's arrays: who takes part in a program's matching, encoded.

Only matchable people (approved; mentors fully and currently screened; minors with a guardian's
consent) take part: mentees without an open match and still eligible, mentors open to new matches
with a free place. Everything is read in a handful of set-based queries (the tag and language links
of the whole pool in one COPY, parsed by numpy into the engine's arrays, no object per row), so that
15,000 people load in well under a second.
"""

import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
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
    rows = list(queryset.values_list(*fields))
    people = [Person(pk=row[0], user_id=row[1], profile_id=row[2], capacity=row[3]) for row in rows]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(fields)
    # Profile values by column (field -> list, in the order of people): no per-row dictionaries.
    return people, dict(zip(["area_name", *PROFILE_FIELDS], map(list, columns[4:]), strict=True))


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
        mentors = [mentors[j] for j in keep]
        mentor_profiles = {name: [values[j] for j in keep] for name, values in mentor_profiles.items()}
        free = [free[j] for j in keep]

    links = _links(mentees, mentors)
    if np.unique(links["languages"][1]).size > 64:
        raise ValueError("more than 64 languages in one pool")
    tag_vocabulary = np.unique(np.concatenate([links[name][1] for name in ("interests", "skills", "goals")]))
    areas = {}
    limit = adult_birthdate_limit(on)

    points = area_points(program)

    def columns(people, profiles):
        # Where each person is: the program area they chose, else their profile (one rule).
        where = [
            participant_location(
                area_name=area_name, area_points=points, profile_area=area, latitude=lat, longitude=lon
            )
            for area_name, area, lat, lon in zip(
                profiles["area_name"],
                profiles["area"],
                profiles["latitude"],
                profiles["longitude"],
                strict=True,
            )
        ]
        return {
            "languages": _language_masks(people, *links["languages"][:2]),
            "interests": _tag_rows(people, *links["interests"][:2], tag_vocabulary),
            "availability": profiles["availability"],
            "area": [areas.setdefault(key, len(areas)) if key else -1 for key, _, _ in where],
            "mode": [MODE_CODES.get(mode, EITHER) for mode in profiles["meeting_mode"]],
            "lat": [lat for _, lat, _ in where],
            "lon": [lon for _, _, lon in where],
        }

    checked = _background_checked(program, on)
    excluded = excluded_pairs(program)
    mentee_pos = {e.pk: i for i, e in enumerate(mentees)}
    mentor_pos = {e.pk: j for j, e in enumerate(mentors)}
    exclusions = [(mentee_pos[a], mentor_pos[b]) for a, b in excluded if a in mentee_pos and b in mentor_pos]
    problem = engine.MatchingProblem(
        mentees=engine.Mentees(
            **columns(mentees, mentee_profiles),
            goals=_tag_rows(mentees, *links["goals"][:2], tag_vocabulary),
            # Unknown age counts as a minor: the stricter rule (a current background check) applies.
            is_minor=[born is None or born > limit for born in mentee_profiles["date_of_birth"]],
            preferred_gender=[GENDER_CODES.get(v, -1) for v in mentee_profiles["partner_gender"]],
            gender_required=[v == "required" for v in mentee_profiles["partner_gender_importance"]],
            preferred_age_band=[AGE_BAND_CODES.get(v, -1) for v in mentee_profiles["partner_age_band"]],
            age_band_required=[v == "required" for v in mentee_profiles["partner_age_band_importance"]],
        ),
        mentors=engine.Mentors(
            **columns(mentors, mentor_profiles),
            capacity=free,
            skills=_tag_rows(mentors, *links["skills"][:2], tag_vocabulary),
            gender=[GENDER_CODES.get(v, -1) for v in mentor_profiles["gender"]],
            age_band=[
                AGE_BAND_CODES.get(AgeBand.for_age(age_on(born, on)), -1)
                for born in mentor_profiles["date_of_birth"]
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
    profiles = {name: mentee_profiles[name] + mentor_profiles[name] for name in ("updated_at", "area_name")}
    fingerprint = _fingerprint(program, mentees, mentors, profiles, free, excluded, points, links)
    return Pool(
        program=program,
        mentees=mentees,
        mentors=mentors,
        free_places=free,
        problem=problem,
        fingerprint=fingerprint,
        excluded_pairs=excluded,
    )


# The many-to-many rows the engine reads: whose (profile ids), what (related ids), and the rows' own ids.
LINKS = (
    ("languages", Profile.languages.through, "language_id"),
    ("interests", Profile.interests.through, "tag_id"),
    ("skills", Profile.skills.through, "tag_id"),  # mentors' only
    ("goals", Profile.goals.through, "tag_id"),  # mentees' only
)


def _links(mentees, mentors):
    """{relation: (profile ids, related ids, link ids)} as int64 arrays, for the whole pool in one
    COPY (an array parameter, not a 15,000-item IN list; text parsed by numpy, no per-row objects)."""

    # Integer literals only (profile ids from the database), so the COPY needs no parameters.
    def array(people):
        return "'{" + ",".join(str(int(p.profile_id)) for p in people) + "}'::bigint[]"

    whose = {"languages": array(mentees + mentors), "skills": array(mentors), "goals": array(mentees)}
    whose["interests"] = whose["languages"]
    select = " UNION ALL ".join(
        # names from the models' _meta, not from input
        f"SELECT {k}, profile_id, {column}, id FROM {through._meta.db_table}"  # noqa: S608
        f" WHERE profile_id = ANY({whose[name]})"
        for k, (name, through, column) in enumerate(LINKS)
    )
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY ({select}) TO STDOUT", buffer)
    text = buffer.getvalue()
    rows = np.fromstring(text, dtype=np.int64, sep=" ") if text else np.zeros(0, np.int64)
    rows = rows.reshape(-1, 4)
    return {name: tuple(rows[rows[:, 0] == k, 1:].T) for k, (name, _, _) in enumerate(LINKS)}


def _positions(people, profile_ids):
    """(which of ``profile_ids`` belong to ``people``, their indexes in ``people``)."""
    own = np.array([p.profile_id for p in people], dtype=np.int64)
    if own.size == 0:
        return np.zeros(len(profile_ids), bool), np.zeros(0, np.intp)
    order = np.argsort(own, kind="stable")
    at = np.minimum(np.searchsorted(own[order], profile_ids), own.size - 1)
    found = own[order][at] == profile_ids
    return found, order[at[found]]


def _tag_rows(people, profile_ids, tags, vocabulary):
    """(len(people) x len(vocabulary)) binary CSR of each person's tags."""
    found, rows = _positions(people, profile_ids)
    cols = np.searchsorted(vocabulary, tags[found])
    matrix = sp.csr_array(
        (np.ones(rows.size, np.uint8), (rows, cols)), shape=(len(people), vocabulary.size), dtype=np.uint8
    )
    matrix.sum_duplicates()
    return matrix


def _language_masks(people, profile_ids, languages):
    """int64 language bit masks (bit k = the k-th language id of the whole pool)."""
    masks = np.zeros(len(people), dtype=np.uint64)
    bit = np.searchsorted(np.unique(languages), languages).astype(np.uint64)
    found, rows = _positions(people, profile_ids)
    np.bitwise_or.at(masks, rows, np.uint64(1) << bit[found])
    return masks.view(np.int64)


def _background_checked(program, on):
    """Enrollment ids of the program's mentors with a current background check (the caller looks
    its pool's mentors up in it: one set-based query, no list of thousands of ids)."""
    return set(
        ScreeningRecord.objects.filter(
            enrollment__program=program, enrollment__role=Role.MENTOR, item__key=BACKGROUND_CHECK
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        .values_list("enrollment_id", flat=True)
    )


def _fingerprint(program, mentees, mentors, profiles, free, excluded, points, links):
    """Changes whenever anything the engine reads changes: then a nightly run is worth doing.

    Profiles' own fields change their ``updated_at``; their tags and languages (many-to-many rows)
    do not, so a count and a sum of the link rows' ids stands for those (an added or removed link
    changes both or the sum).
    """
    digest = hashlib.sha256()
    counts = [[int(ids.size), int(ids.sum())] for _, _, ids in links.values()]
    settings = [program.criteria_weights, program.min_score, program.max_distance_km, points]
    people = [
        [p.pk for p in mentees],
        [p.pk for p in mentors],
        [str(v) for v in profiles["updated_at"]],
        profiles["area_name"],
    ]
    payload = [settings, people, free, sorted(excluded), counts]
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()
