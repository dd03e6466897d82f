"""Input types of the matching engine: plain numpy/scipy arrays, no Django.

`matching.engine` re-exports everything public here; import from there. The arrays are indexed by
position: mentee ``i`` is row ``i`` of every mentee field, mentor ``j`` row ``j`` of every mentor field.
The service that loads people from the database keeps its own ``index -> primary key`` lists.

Every field accepts plain Python sequences (lists built row by row from a queryset) and is converted
to a numpy array of the documented dtype in ``__post_init__``; tag fields also accept a list of
tag-id lists, converted with `tag_matrix`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp

CRITERIA = ("goals", "interests", "availability", "location", "preferences")

N_SLOTS = 21  # 7 days x (morning, afternoon, evening)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")

IN_PERSON, ONLINE, EITHER = 0, 1, 2

# A neutral 0.5 for a criterion the mentee (or the pair, for availability) says nothing about: an
# empty profile field is neither a good nor a bad fit, and it must not sink a pair below min_score
# the way a real mismatch (0) does.
NEUTRAL = 0.5


class Rule(enum.StrEnum):
    """Hard rules; a pair breaking one is never a candidate (`explain` lists them by these codes)."""

    LANGUAGE = "language"
    BACKGROUND_CHECK = "background_check"
    EXCLUDED = "excluded"
    REQUIRED_GENDER = "required_gender"
    REQUIRED_AGE_BAND = "required_age_band"
    MAX_DISTANCE = "max_distance"
    CAPACITY = "capacity"
    MIN_SCORE = "min_score"


RULE_TEXT = {
    Rule.LANGUAGE: "they share no language",
    Rule.BACKGROUND_CHECK: "the mentee is a minor and the mentor's background check is not current",
    Rule.EXCLUDED: "the pair is excluded (earlier mismatch or exclusion list)",
    Rule.REQUIRED_GENDER: "the mentor's gender is not the one the mentee requires",
    Rule.REQUIRED_AGE_BAND: "the mentor's age band is not the one the mentee requires",
    Rule.MAX_DISTANCE: "they cannot meet online and live farther apart than the maximum distance",
    Rule.CAPACITY: "the mentor has no free places",
    Rule.MIN_SCORE: "the score is below the minimum score",
}


@dataclass(frozen=True)
class Weights:
    """Weight of each criterion in the 0-100 score; only ratios matter, all must be >= 0."""

    goals: float = 4.0
    interests: float = 3.0
    availability: float = 2.0
    location: float = 1.0
    preferences: float = 1.0

    def as_array(self) -> np.ndarray:
        w = np.array([getattr(self, name) for name in CRITERIA], dtype=np.float64)
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError(f"weights must be finite, >= 0 and not all zero: {self}")
        return w


def tag_matrix(tag_lists: Iterable[Iterable[int]], n_tags: int | None = None) -> sp.csr_array:
    """CSR binary matrix (len(tag_lists) x n_tags) from one list of tag ids per person.

    Duplicate ids count once. ``n_tags`` defaults to the largest id + 1.
    """
    rows = [np.fromiter(tags, dtype=np.int64) for tags in tag_lists]
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    if flat.size and flat.min() < 0:
        raise ValueError("tag ids must be >= 0")
    needed = int(flat.max()) + 1 if flat.size else 0
    if n_tags is None:
        n_tags = needed
    elif needed > n_tags:
        raise ValueError(f"tag id {needed - 1} outside a vocabulary of {n_tags} tags")
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    matrix = sp.csr_array(
        (np.ones(flat.size, dtype=np.uint8), flat, indptr), shape=(len(rows), n_tags), dtype=np.uint8
    )
    return _binary(matrix)


def availability_mask(slots: Iterable[int | tuple[int, int]]) -> int:
    """21-bit weekly availability mask; a slot is ``day * 3 + part`` or a ``(day, part)`` pair.

    Days are 0 = Monday .. 6 = Sunday, parts 0 = morning, 1 = afternoon, 2 = evening.
    """
    mask = 0
    for slot in slots:
        index = slot[0] * 3 + slot[1] if isinstance(slot, tuple) else int(slot)
        if not 0 <= index < N_SLOTS:
            raise ValueError(f"availability slot {slot!r} out of range")
        mask |= 1 << index
    return mask


def language_mask(language_ids: Iterable[int]) -> int:
    """int64-compatible bitmask from language ids (each < 64)."""
    mask = 0
    for lang in language_ids:
        if not 0 <= lang < 64:
            raise ValueError(f"language id {lang} must be in 0..63")
        mask |= 1 << lang
    return mask - (1 << 64) if mask >= 1 << 63 else mask  # bit 63 is the int64 sign bit


def _binary(matrix) -> sp.csr_array:
    matrix = sp.csr_array(matrix)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.data = np.ones_like(matrix.data, dtype=np.uint8)
    return matrix.astype(np.uint8)


def _tags(value, n: int, name: str) -> sp.csr_array:
    if value is None:
        return sp.csr_array((n, 0), dtype=np.uint8)
    matrix = _binary(value) if sp.issparse(value) else tag_matrix(value)
    if matrix.shape[0] != n:
        raise ValueError(f"{name} has {matrix.shape[0]} rows, expected {n}")
    return matrix


def _column(value, n: int, name: str, dtype, default) -> np.ndarray:
    if value is None:
        return np.full(n, default, dtype=dtype)
    array = np.asarray(value)
    if array.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {array.shape}")
    is_float = array.dtype.kind == "f"
    if dtype is not np.float64 and is_float and not np.all(np.isfinite(array) & (array == np.round(array))):
        raise ValueError(f"{name} must hold integers")
    converted = array.astype(dtype)
    converted.setflags(write=False)
    return converted


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


def _check_common(obj, n: int) -> None:
    _set(obj, "availability", _column(obj.availability, n, "availability", np.int32, 0))
    _set(obj, "area", _column(obj.area, n, "area", np.int64, -1))
    _set(obj, "mode", _column(obj.mode, n, "mode", np.int8, EITHER))
    _set(obj, "lat", _column(obj.lat, n, "lat", np.float64, np.nan))
    _set(obj, "lon", _column(obj.lon, n, "lon", np.float64, np.nan))
    if np.any((obj.availability < 0) | (obj.availability >= 1 << N_SLOTS)):
        raise ValueError("availability masks must use only the low 21 bits")
    if np.any((obj.mode < 0) | (obj.mode > 2)):
        raise ValueError("mode must be 0 (in person), 1 (online) or 2 (either)")
    if np.any(obj.area < -1):
        raise ValueError("area ids are >= 0, or -1 for none")
    known = ~np.isnan(obj.lat) & ~np.isnan(obj.lon)
    if np.any(np.abs(obj.lat[known]) > 90) or np.any(np.abs(obj.lon[known]) > 180):
        raise ValueError("coordinates must be degrees: |lat| <= 90, |lon| <= 180")


@dataclass(frozen=True, eq=False)
class Mentees:
    """The n mentees. Only ``languages`` is required; every other field has a neutral default.

    languages: (n,) int64 bitmask of spoken languages (bit k = language id k, see `language_mask`).
    goals, interests: (n x T) binary CSR over the shared tag vocabulary, or a list of tag-id lists.
    availability: (n,) int32 21-bit mask (`availability_mask`); 0 = not given (neutral, 0.5).
    area: (n,) int area id, -1 = none. mode: (n,) 0 in person, 1 online, 2 either (default).
    lat, lon: (n,) degrees, NaN = unknown.
    is_minor: (n,) bool; a minor is only ever matched with a mentor whose background check is current.
    preferred_gender / preferred_age_band: (n,) int code the mentor should have, -1 = no preference.
    gender_required / age_band_required: (n,) bool; True makes the preference a hard rule, False a
        nice-to-have that counts in the preferences criterion.
    """

    languages: Sequence[int] | np.ndarray
    goals: object = None
    interests: object = None
    availability: Sequence[int] | np.ndarray | None = None
    area: Sequence[int] | np.ndarray | None = None
    mode: Sequence[int] | np.ndarray | None = None
    lat: Sequence[float] | np.ndarray | None = None
    lon: Sequence[float] | np.ndarray | None = None
    is_minor: Sequence[bool] | np.ndarray | None = None
    preferred_gender: Sequence[int] | np.ndarray | None = None
    gender_required: Sequence[bool] | np.ndarray | None = None
    preferred_age_band: Sequence[int] | np.ndarray | None = None
    age_band_required: Sequence[bool] | np.ndarray | None = None

    def __post_init__(self):
        n = len(self.languages)
        _set(self, "languages", _column(self.languages, n, "languages", np.int64, 0))
        _set(self, "goals", _tags(self.goals, n, "goals"))
        _set(self, "interests", _tags(self.interests, n, "interests"))
        _check_common(self, n)
        _set(self, "is_minor", _column(self.is_minor, n, "is_minor", np.bool_, False))
        for name, default, dtype in (
            ("preferred_gender", -1, np.int64),
            ("gender_required", False, np.bool_),
            ("preferred_age_band", -1, np.int64),
            ("age_band_required", False, np.bool_),
        ):
            _set(self, name, _column(getattr(self, name), n, name, dtype, default))
        if np.any(self.preferred_gender < -1) or np.any(self.preferred_age_band < -1):
            raise ValueError("preference codes are >= 0, or -1 for no preference")

    def __len__(self) -> int:
        return self.languages.shape[0]


@dataclass(frozen=True, eq=False)
class Mentors:
    """The m mentors. ``languages`` and ``capacity`` are required.

    languages, availability, area, mode, lat, lon: as for `Mentees`.
    skills, interests: (m x T) binary CSR over the shared tag vocabulary, or a list of tag-id lists.
    capacity: (m,) int >= 0, free places left (0 = full: never a candidate).
    gender, age_band: (m,) int codes compared with the mentees' preferences, -1 = unknown (meets no
        preference).
    background_check_current: (m,) bool; required for any mentee who is a minor.
    """

    languages: Sequence[int] | np.ndarray
    capacity: Sequence[int] | np.ndarray
    skills: object = None
    interests: object = None
    availability: Sequence[int] | np.ndarray | None = None
    area: Sequence[int] | np.ndarray | None = None
    mode: Sequence[int] | np.ndarray | None = None
    lat: Sequence[float] | np.ndarray | None = None
    lon: Sequence[float] | np.ndarray | None = None
    gender: Sequence[int] | np.ndarray | None = None
    age_band: Sequence[int] | np.ndarray | None = None
    background_check_current: Sequence[bool] | np.ndarray | None = None

    def __post_init__(self):
        m = len(self.languages)
        _set(self, "languages", _column(self.languages, m, "languages", np.int64, 0))
        _set(self, "capacity", _column(self.capacity, m, "capacity", np.int64, 0))
        if np.any(self.capacity < 0):
            raise ValueError("capacity must be >= 0")
        _set(self, "skills", _tags(self.skills, m, "skills"))
        _set(self, "interests", _tags(self.interests, m, "interests"))
        _check_common(self, m)
        _set(self, "gender", _column(self.gender, m, "gender", np.int64, -1))
        _set(self, "age_band", _column(self.age_band, m, "age_band", np.int64, -1))
        _set(
            self,
            "background_check_current",
            _column(self.background_check_current, m, "background_check_current", np.bool_, False),
        )

    def __len__(self) -> int:
        return self.languages.shape[0]


@dataclass(frozen=True, eq=False)
class MatchingProblem:
    """Everything the engine needs; immutable, so derived arrays are computed once and cached.

    exclusions: (k, 2) int array of (mentee_index, mentor_index) pairs that must never be paired.
    weights: criterion weights (`Weights`).
    min_score: optional hard lower bound (0-100) on a pair's score.
    max_distance_km: optional hard rule for pairs that cannot meet online (not both online-capable)
        and whose coordinates are all known: their great-circle distance must not exceed it.
    distance_falloff_km: the location value falls linearly from 1 at 0 km to 0 at this distance
        (pairs in the same area or both online-capable get 1 regardless).
    """

    mentees: Mentees
    mentors: Mentors
    exclusions: Sequence[tuple[int, int]] | np.ndarray = ()
    weights: Weights = field(default_factory=Weights)
    min_score: float | None = None
    max_distance_km: float | None = None
    distance_falloff_km: float = 25.0

    def __post_init__(self):
        n, m = len(self.mentees), len(self.mentors)
        pairs = np.asarray(self.exclusions, dtype=np.int64).reshape(-1, 2)
        if pairs.size and (
            pairs[:, 0].min() < 0 or pairs[:, 0].max() >= n or pairs[:, 1].min() < 0 or pairs[:, 1].max() >= m
        ):
            raise ValueError("exclusion indices out of range")
        pairs = np.unique(pairs, axis=0)
        pairs.setflags(write=False)
        _set(self, "exclusions", pairs)
        self.weights.as_array()
        for name in ("min_score", "max_distance_km"):  # database values may be Decimal or int
            if getattr(self, name) is not None:
                _set(self, name, float(getattr(self, name)))
        _set(self, "distance_falloff_km", float(self.distance_falloff_km))
        if self.min_score is not None and not 0 <= self.min_score <= 100:
            raise ValueError("min_score must be within 0..100")
        if self.max_distance_km is not None and not self.max_distance_km >= 0:
            raise ValueError("max_distance_km must be >= 0")
        if not self.distance_falloff_km > 0:
            raise ValueError("distance_falloff_km must be > 0")

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def n_mentors(self) -> int:
        return len(self.mentors)

    @cached_property
    def prepared(self):
        """Derived arrays shared by `solve`, `explain` and `ranked_mentors` (computed once)."""
        from matching.engine.scoring import Prepared

        return Prepared(self)
