"""Mentor-mentee assignment engine: pure numpy/scipy, exactly optimal, explainable. No Django.

Arrays in, result out: build a `MatchingProblem` (`Mentees`, `Mentors`, exclusions, `Weights`, optional
min_score and max_distance_km), call `solve` and get a `MatchingResult` (pairs with per-criterion
breakdowns, a reason for every unmatched mentee, totals, timings, pricing rounds). `explain` gives one
pair's breakdown and the hard rules it breaks; `ranked_mentors` lists a mentee's compatible mentors.
`greedy_assignment` and `dense_reference_assignment` are baselines for tests and the benchmark.

Modules of this package: problem (inputs), scoring (scores and rules), candidates (candidate graph,
pricing), solver (exact sparse solve, certificate), results (outputs, reasons),
baselines (greedy, dense reference).

Score
-----
score = 100 * sum(w_c * v_c) / sum(w_c) over five criteria with values v_c in [0, 1]:
goals (share of the mentee's goals the mentor lists as skills), interests (share of the mentee's
interests the mentor shares), availability (shared weekly slots / the smaller slot count), location (1
for the same area or when both can meet online, else 1 - d / 25 km from haversine coordinates, else 0)
and preferences (share of the mentee's nice-to-have preferences the mentor meets, 1 if none). A
criterion the mentee (or, for availability, either side) left empty scores a neutral 0.5: no
information is neither a good nor a bad fit. `Prepared.evaluate` is the exact float64 definition.

Hard rules (a pair breaking one is never a candidate): a shared language; a minor only with a mentor
whose background check is current; no excluded pair; required preferences met; max distance for pairs
that cannot meet online with both coordinates known; mentor capacity; optional min_score.

Objective and ties
------------------
Match as many mentees as possible; among those, maximise the total score; mentors within capacity. The
solver works on integer weights w = round(score * 2**k), k chosen so that SciPy's LAPJVsp computes in
exact float64 integers (k = 29 for 10,000 mentees), so it finds the *exact* optimum of the rounded
problem; the float total is within n * 2**-k points of the float optimum (2e-5 points at 10,000).

Ties are broken deterministically: among equally good assignments the engine returns the one LAPJVsp
reaches on the candidate graph, and that graph depends only on the input (block scores are computed in a
fixed order; ties at a candidate-list cut are all kept). Nothing is random or depends on timing, so the
same input, in the same order, always gives the same output.

Algorithm and optimality proof
------------------------------
1. The float32 scores of all n x m pairs are computed in cache-sized blocks (`Prepared.block`: one
   sparse product for the tags, a few vectorised operations for the rest) and kept in memory when they
   fit. `Prepared.err` rigorously bounds |block score - exact score|; every hard rule except min_score
   is decided by the same integer/IEEE operations as in `evaluate`, so both agree on what is allowed.
2. Candidates: each mentee's best ~8 mentors and each mentor's best ~8 mentees per free place.
3. `solver.solve_sparse` solves the candidate graph exactly. A maximum flow yields a König cover
   (alpha for mentees, alpha_p for mentors); it splits the lexicographic problem into two independent
   full assignment problems without any big-M constant, each solved by LAPJVsp. Longest paths give
   integer duals beta, beta_p; `check_certificate` verifies feasibility and complementary slackness.
4. Pricing over *all* pairs proves optimality. For any B larger than every score total put
   u_i = B * alpha_i + beta_i and v_j = B * alpha_p_j + beta_p_j. These are feasible duals of the linear
   programme "maximise sum (B + w_ij) x_ij, each mentee <= 1, mentor j <= capacity_j, x >= 0" over all
   allowed pairs iff every allowed pair has alpha_i + alpha_p_j >= 1, and w_ij <= beta_i + beta_p_j when
   alpha_i + alpha_p_j == 1 (pairs covered twice are slack by B). With the checked complementary
   slackness (matched pairs tight, dual 0 for unmatched mentees and for mentors with free places, sign
   conditions) the matching is optimal for weights B + w: the constraint matrix is totally unimodular,
   so no fractional solution does better, and B makes that "maximum cardinality first, then maximum
   total weight". `price` compares every block score + err with u_i + v_j, re-scores the flagged pairs
   exactly, and if any violates the duals adds it - with the pairs within `pricing_slack` points of
   violating, which the next duals would otherwise expose - and the graph is solved again.
   `pricing_rounds` counts those re-solves; the loop only ends when a pass over all pairs finds no
   violation, so the guarantee is checked, not assumed.

Unmatched reasons come from the hard rules: for a mentee with no allowed pair at all, the first rule (in
the order language, background check, exclusions, required preferences, distance, free places, min
score) after which no mentor was left; a mentee who had allowed mentors but stays unmatched lost them to
others, and maximum cardinality means every one of them is full.
"""

from __future__ import annotations

import time

import numpy as np

from matching.engine.baselines import dense_reference_assignment, greedy_assignment
from matching.engine.candidates import STORE_LIMIT_BYTES, CandidateEdges, ScorePass, price, weight_scale
from matching.engine.problem import (
    CRITERIA,
    EITHER,
    IN_PERSON,
    ONLINE,
    RULE_TEXT,
    MatchingProblem,
    Mentees,
    Mentors,
    Rule,
    Weights,
    availability_mask,
    language_mask,
    tag_matrix,
)
from matching.engine.results import (
    CriterionScore,
    MatchedPair,
    MatchingResult,
    PairExplanation,
    Reason,
    UnmatchedMentee,
    criteria_of,
    matched_pairs,
    unmatched_mentees,
)
from matching.engine.scoring import RULE_BITS, haversine_km
from matching.engine.solver import check_certificate, solve_sparse

__all__ = [
    "CRITERIA",
    "EITHER",
    "IN_PERSON",
    "ONLINE",
    "RULE_TEXT",
    "CriterionScore",
    "MatchedPair",
    "MatchingProblem",
    "MatchingResult",
    "Mentees",
    "Mentors",
    "PairExplanation",
    "Reason",
    "Rule",
    "UnmatchedMentee",
    "Weights",
    "availability_mask",
    "dense_reference_assignment",
    "explain",
    "greedy_assignment",
    "haversine_km",
    "language_mask",
    "ranked_mentors",
    "solve",
    "tag_matrix",
]


def solve(
    problem: MatchingProblem,
    *,
    candidates_per_mentee: int = 8,
    candidates_per_place: int = 8,
    pricing_slack: float = 6.0,
    store_limit_bytes: int = STORE_LIMIT_BYTES,
) -> MatchingResult:
    """The optimal assignment (see the module docstring). The keyword arguments only affect speed:
    the sizes of the first candidate lists, how far below violating pricing still adds pairs (points),
    and up to how many bytes the block scores are kept in memory instead of recomputed."""
    started = time.perf_counter()
    prep = problem.prepared
    n = prep.n
    scale = weight_scale(n)
    scores = ScorePass(prep, max(1, candidates_per_mentee), max(0, candidates_per_place), store_limit_bytes)
    edges = CandidateEdges(prep, scale)
    edges.add(*scores.candidates())
    score_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rounds = 0
    while True:
        sol = solve_sparse(n, prep.m, prep.capacity, edges.ei, edges.ej, edges.w)
        check_certificate(sol, prep.capacity, edges.ei, edges.ej, edges.w)
        if n == 0 or prep.m_active == 0:
            break  # no allowed pair exists outside the (empty) candidate graph
        found = price(prep, scores, edges, sol, scale, max(1, candidates_per_mentee), pricing_slack)
        if found is None:
            break
        edges.add(*found)
        rounds += 1
    pairs, total = matched_pairs(prep, sol.mentor_of)
    return MatchingResult(
        pairs=pairs,
        unmatched=unmatched_mentees(prep, sol.mentor_of, scores.row_max),
        total_score=total,
        n_matched=len(pairs),
        score_seconds=score_seconds,
        solve_seconds=time.perf_counter() - started,
        pricing_rounds=rounds,
        candidate_pairs=int(edges.ei.size),
        mentor_of=sol.mentor_of,
    )


def explain(problem: MatchingProblem, mentee_index: int, mentor_index: int) -> PairExplanation:
    """Score breakdown of one pair and the hard rules it breaks (empty if it is a candidate)."""
    prep = problem.prepared
    if not (0 <= mentee_index < prep.n and 0 <= mentor_index < prep.m):
        raise IndexError(f"no pair ({mentee_index}, {mentor_index}) in a {prep.n} x {prep.m} problem")
    values, points, score, flags, km = prep.evaluate([mentee_index], [mentor_index])
    broken = tuple(rule for rule in Rule if flags[0] & RULE_BITS[rule])
    distance = None if np.isnan(km[0]) else float(km[0])
    criteria = criteria_of(prep, values[0], points[0])
    return PairExplanation(mentee_index, mentor_index, float(score[0]), criteria, broken, distance)


def ranked_mentors(
    problem: MatchingProblem, mentee_index: int, limit: int | None = 10
) -> list[tuple[int, float]]:
    """(mentor index, score) of the mentee's compatible mentors, best first (ties: lower index first).

    Mentors without free places are not compatible (capacity is a hard rule)."""
    prep = problem.prepared
    if not 0 <= mentee_index < prep.n:
        raise IndexError(f"no mentee {mentee_index}")
    mentors = np.arange(prep.m)
    _, _, score, flags, _ = prep.evaluate(np.full(prep.m, mentee_index), mentors)
    ok = np.flatnonzero(flags == 0)
    order = ok[np.lexsort((mentors[ok], -score[ok]))][:limit]
    return [(int(j), float(score[j])) for j in order]
