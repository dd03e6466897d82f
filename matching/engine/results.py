"""Result types of the matching engine, the per-pair breakdown and the reasons mentees stay unmatched."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from matching.engine.problem import CRITERIA, RULE_TEXT, Rule


class Reason(enum.StrEnum):
    """Why a mentee is unmatched."""

    NO_MENTORS = "no_mentors"
    LANGUAGE = "language"
    BACKGROUND_CHECK = "background_check"
    EXCLUDED = "excluded"
    REQUIRED_PREFERENCES = "required_preferences"
    MAX_DISTANCE = "max_distance"
    NO_FREE_PLACES = "no_free_places"
    MIN_SCORE = "min_score"
    AT_CAPACITY = "at_capacity"


class CriterionScore(NamedTuple):
    """One criterion of a pair's score."""

    name: str  # one of CRITERIA
    value: float  # 0..1
    weight: float
    points: float  # 100 * weight * value / sum(weights); the points of a pair add up to its score


class MatchedPair(NamedTuple):
    """A suggested pair; unpacks as (mentee, mentor, score, criteria)."""

    mentee: int
    mentor: int
    score: float
    criteria: tuple[CriterionScore, ...]


class UnmatchedMentee(NamedTuple):
    """A mentee left without a mentor: `reason` for code, `message` for people."""

    mentee: int
    reason: Reason
    message: str


@dataclass(frozen=True)
class PairExplanation:
    """What `explain` returns: the pair's score, its breakdown and the hard rules it breaks."""

    mentee: int
    mentor: int
    score: float
    criteria: tuple[CriterionScore, ...]
    broken_rules: tuple[Rule, ...]  # empty: the pair is a candidate
    distance_km: float | None  # None unless both coordinates are known

    @property
    def is_candidate(self) -> bool:
        return not self.broken_rules

    @property
    def rule_messages(self) -> list[str]:
        return [RULE_TEXT[rule] for rule in self.broken_rules]


@dataclass(frozen=True)
class MatchingResult:
    """What `solve` (and the baselines) return."""

    pairs: list[MatchedPair]  # sorted by mentee index (each mentee at most once)
    unmatched: list[UnmatchedMentee]  # sorted by mentee index
    total_score: float
    n_matched: int
    score_seconds: float  # preparing + scoring all pairs + choosing candidates
    solve_seconds: float  # sparse solves + pricing passes + result assembly
    pricing_rounds: int  # re-solves needed after the first (0: the first candidates were enough)
    candidate_pairs: int  # edges of the final candidate graph
    mentor_of: np.ndarray = field(repr=False)  # (n,) mentor index per mentee, -1 if unmatched

    @property
    def total_seconds(self) -> float:
        return self.score_seconds + self.solve_seconds


def criteria_of(prep, values, points):
    """The five `CriterionScore`s of one pair from its exact values and points."""
    weights = prep.problem.weights
    return tuple(
        CriterionScore(name, float(values[c]), float(getattr(weights, name)), float(points[c]))
        for c, name in enumerate(CRITERIA)
    )


def matched_pairs(prep, mentor_of):
    """(pairs sorted by mentee, exact total score); re-checks that no pair breaks a hard rule."""
    mentees = np.flatnonzero(mentor_of >= 0)
    values, points, score, flags, _ = prep.evaluate(mentees, mentor_of[mentees])
    if np.any(flags):
        raise AssertionError("a matched pair breaks a hard rule")
    pairs = [
        MatchedPair(int(i), int(mentor_of[i]), float(score[k]), criteria_of(prep, values[k], points[k]))
        for k, i in enumerate(mentees)
    ]
    return pairs, float(score.sum())


def plain_result(problem, mentor_of, started):
    """A `MatchingResult` for an assignment computed some other way (the baselines)."""
    prep = problem.prepared
    pairs, total = matched_pairs(prep, mentor_of)
    return MatchingResult(
        pairs=pairs,
        unmatched=unmatched_mentees(prep, mentor_of),
        total_score=total,
        n_matched=len(pairs),
        score_seconds=0.0,
        solve_seconds=time.perf_counter() - started,
        pricing_rounds=0,
        candidate_pairs=0,
        mentor_of=mentor_of,
    )


# ------------------------------------------------------------------------------------------ reasons

_FUNNEL = (
    Reason.LANGUAGE,
    Reason.BACKGROUND_CHECK,
    Reason.EXCLUDED,
    Reason.REQUIRED_PREFERENCES,
    Reason.MAX_DISTANCE,
    Reason.NO_FREE_PLACES,
    Reason.MIN_SCORE,
)


def unmatched_mentees(prep, mentor_of, row_max=None):
    unmatched = np.flatnonzero(mentor_of < 0)
    if unmatched.size == 0:
        return []
    has_allowed = _has_allowed_pair(prep, unmatched, row_max)
    counts = np.zeros((unmatched.size, len(_FUNNEL) - 1), dtype=np.int64)
    lonely = np.flatnonzero(~has_allowed)
    if lonely.size:
        counts[lonely] = prep.funnel_counts(unmatched[lonely])
    out = []
    for k, i in enumerate(unmatched):
        if has_allowed[k]:
            reason = Reason.AT_CAPACITY
        elif prep.m == 0:
            reason = Reason.NO_MENTORS
        else:
            stage = np.flatnonzero(counts[k] == 0)
            reason = _FUNNEL[stage[0]] if stage.size else Reason.MIN_SCORE
        out.append(UnmatchedMentee(int(i), reason, _reason_text(prep, int(i), reason, counts[k])))
    return out


def _has_allowed_pair(prep, mentees, row_max):
    """Whether each mentee has at least one pair that breaks no hard rule (min_score included).

    row_max: the best block score of every internal row, if already known."""
    if row_max is None:
        row_max = np.full(prep.n, -np.inf, dtype=np.float32)
        for r0, r1, block in prep.all_blocks():
            row_max[r0:r1] = block.max(axis=1)
    best = row_max[prep.mentee_rank[mentees]].astype(np.float64)
    floor = -np.inf if prep.min_score is None else prep.min_score
    sure = best >= floor + prep.err
    out = sure & np.isfinite(best)
    unsure = np.flatnonzero(~sure & (best > -np.inf))
    for k in unsure:
        _, _, _, flags, _ = prep.evaluate(np.full(prep.m, mentees[k]), np.arange(prep.m))
        out[k] = bool(np.any(flags == 0))
    return out


def _reason_text(prep, i, reason, counts):
    """Wording for `reason`; counts[k] = mentors left after the first k + 1 rules of the funnel."""
    if reason is Reason.AT_CAPACITY:
        return "all compatible mentors are at capacity: their places went to other mentees"
    if reason is Reason.NO_MENTORS:
        return "there are no mentors"
    if reason is Reason.LANGUAGE:
        return "no mentor shares a language"
    if reason is Reason.BACKGROUND_CHECK:
        return (
            f"none of the {counts[0]} mentors who share a language has a current background check "
            "(required for a minor)"
        )
    if reason is Reason.EXCLUDED:
        who = "share a language" + (" and have a current background check" if prep.minor[i] else "")
        return f"all {counts[1]} mentors who {who} are excluded for this mentee (mismatch or exclusion list)"
    if reason is Reason.REQUIRED_PREFERENCES:
        wanted = [
            name for name, req in (("gender", prep.req_gender[i]), ("age band", prep.req_age[i])) if req
        ]
        return f"none of the {counts[2]} otherwise eligible mentors has the required {' and '.join(wanted)}"
    if reason is Reason.MAX_DISTANCE:
        km = prep.problem.max_distance_km
        return (
            f"all {counts[3]} otherwise eligible mentors live farther away than {km:g} km "
            "and cannot meet online"
        )
    if reason is Reason.NO_FREE_PLACES:
        return f"all {counts[4]} otherwise eligible mentors are full (no free places)"
    return (
        f"none of the {counts[5]} eligible mentors with free places reaches the minimum score "
        f"of {prep.min_score:g}"
    )
