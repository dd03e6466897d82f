"""Exact lexicographic b-matching on a sparse candidate graph, with a dual certificate.

Maximise first the number of matched mentees, then the total of integer edge weights, each mentee at
most once and mentor j at most ``capacity[j]`` times. Weights are integers (scores on a fine grid), so
every step below is exact: no tolerance decides anything.

1. Maximum flow (SciPy, Dinic) gives the largest cardinality k* and, from the vertices the source still
   reaches, a König cover: alpha[i] = mentee i is *not* reachable, alpha_p[j] = mentor j is reachable.
   Every edge has alpha[i] + alpha_p[j] >= 1, and sum(alpha) + sum(capacity * alpha_p) = k*. By
   complementary slackness every maximum matching uses only edges with alpha + alpha_p == 1, matches
   every alpha mentee and fills every alpha_p mentor. So the lexicographic problem splits into two
   independent *full* assignment problems without any big-M constant:
     X: alpha mentees (all must be matched) x non-alpha_p mentors' places;
     Y: alpha_p mentors' places (all must be filled) x non-alpha mentees.
   Both are solved exactly with SciPy's LAPJVsp on capacity-expanded places.
2. Duals by longest paths (exact, vectorised Bellman-Ford over mentors; no positive cycle exists because
   the matching is optimal): beta_p[j] is the least mentor price consistent with the matching, and
   beta[i] = w[i, mentor(i)] - beta_p[mentor(i)] (0 for unmatched mentees).
3. `check_certificate` verifies, for the candidate edges, everything the optimality proof needs; the
   caller prices every other pair with `violates` (see `matching.engine` for the full argument).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow, min_weight_full_bipartite_matching

_NEG = np.int64(-(1 << 62))


@dataclass
class SparseSolution:
    mentor_of: np.ndarray  # (n,) mentor index or -1
    alpha: np.ndarray  # (n,) bool, mentee in the cover (matched in every maximum matching)
    alpha_p: np.ndarray  # (m,) bool, mentor in the cover (full in every maximum matching)
    beta: np.ndarray  # (n,) int64 mentee duals
    beta_p: np.ndarray  # (m,) int64 mentor duals
    matched_weight: np.ndarray  # (n,) int64 weight of the mentee's edge, 0 if unmatched

    def violates(self, mentees, mentors, weights) -> np.ndarray:
        """Pairs (allowed, with these integer weights) that the certificate does not cover."""
        level = self.alpha[mentees].astype(np.int8) + self.alpha_p[mentors]
        short = weights > self.beta[mentees] + self.beta_p[mentors]
        return (level == 0) | ((level == 1) & short)


def solve_sparse(n: int, m: int, capacity: np.ndarray, ei: np.ndarray, ej: np.ndarray, w: np.ndarray):
    """Optimal (max cardinality, then max total weight) matching on the edges (ei, ej, w).

    Edges are unique (mentee, mentor) pairs with integer weights 0 <= w <= max_weight, where
    (max_weight + 1) * (n + m + 2) < 2**52 keeps LAPJVsp's float64 arithmetic exact.
    """
    mentor_of = np.full(n, -1, dtype=np.int64)
    if ei.size == 0:  # nothing to match: the empty cover and zero duals certify it
        zeros = np.zeros(n, np.int64)
        return SparseSolution(
            mentor_of, np.zeros(n, bool), np.zeros(m, bool), zeros, np.zeros(m, np.int64), zeros
        )
    alpha, alpha_p = _cover(n, m, capacity, ei, ej)
    in_x = alpha[ei] & ~alpha_p[ej]
    in_y = ~alpha[ei] & alpha_p[ej]
    cost_base = float(w.max(initial=0)) + 1.0
    _assign(mentor_of, ei[in_x], ej[in_x], w[in_x], capacity, cost_base, mentees_are_rows=True)
    _assign(mentor_of, ei[in_y], ej[in_y], w[in_y], capacity, cost_base, mentees_are_rows=False)

    matched_weight = np.zeros(n, dtype=np.int64)
    edge_of = _edge_lookup(ei, ej, m)
    matched = np.flatnonzero(mentor_of >= 0)
    matched_weight[matched] = w[edge_of(matched, mentor_of[matched])]

    beta_p = np.zeros(m, dtype=np.int64)
    # X mentors: floor 0 (a mentor with a free place must have price 0); Y mentors: prices rise from the
    # unmatched mentees that could take their places.
    start = np.where(alpha_p, _NEG, 0).astype(np.int64)
    beta_p[:] = _longest_paths(start, in_x | in_y, ei, ej, w, mentor_of, matched_weight)
    beta = np.where(mentor_of >= 0, matched_weight - beta_p[np.maximum(mentor_of, 0)], 0).astype(np.int64)
    return SparseSolution(mentor_of, alpha, alpha_p, beta, beta_p, matched_weight)


def check_certificate(sol: SparseSolution, capacity, ei, ej, w) -> None:
    """Raise if the solution and duals do not satisfy feasibility and complementary slackness."""
    n = sol.mentor_of.size
    matched = sol.mentor_of >= 0
    load = np.bincount(sol.mentor_of[matched], minlength=capacity.size)
    full = load == capacity
    problems = []
    if np.any(load > capacity):
        problems.append("capacity exceeded")
    if np.any(sol.alpha & ~matched) or np.any(~matched & (sol.beta != 0)):
        problems.append("an unmatched mentee has a non-zero dual")
    if np.any(sol.alpha_p & ~full) or np.any(~full & (sol.beta_p != 0)):
        problems.append("a mentor with free places has a non-zero dual")
    if np.any(~sol.alpha & (sol.beta < 0)) or np.any(~sol.alpha_p & (sol.beta_p < 0)):
        problems.append("a dual that must be >= 0 is negative")
    rows = np.flatnonzero(matched)
    level = sol.alpha[rows].astype(int) + sol.alpha_p[sol.mentor_of[rows]]
    if np.any(level != 1):
        problems.append("a matched edge is not on the cover's boundary")
    if np.any(sol.violates(ei, ej, w)):
        problems.append("a candidate edge violates the duals")
    if np.any(sol.beta[rows] + sol.beta_p[sol.mentor_of[rows]] != sol.matched_weight[rows]):
        problems.append("a matched edge is not tight")
    if problems:
        raise AssertionError(f"matching certificate failed for n={n}: " + "; ".join(problems))


def _cover(n, m, capacity, ei, ej):
    source, sink = 0, n + m + 1
    size = n + m + 2
    big = np.int32(min(n + 1, 2**30))  # never cut: the min cut then is a vertex cover
    rows = np.concatenate([np.zeros(n, np.int64), 1 + ei, 1 + n + np.arange(m)])
    cols = np.concatenate([1 + np.arange(n), 1 + n + ej, np.full(m, sink)])
    places = np.minimum(capacity, n + 1).astype(np.int32)  # int32 for SciPy; n + 1 is as good as more
    caps = np.concatenate([np.ones(n, np.int32), np.full(ei.size, big, np.int32), places])
    keep = caps > 0
    graph = sp.csr_array((caps[keep], (rows[keep], cols[keep])), shape=(size, size))
    flow = maximum_flow(graph, source, sink, method="dinic").flow
    residual = sp.csr_array(graph - sp.csr_array(flow))
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    reached = np.zeros(size, dtype=bool)
    reached[breadth_first_order(residual, source, directed=True, return_predecessors=False)] = True
    return ~reached[1 : n + 1], reached[n + 1 : n + m + 1]


def _assign(mentor_of, ei, ej, w, capacity, cost_base, *, mentees_are_rows):
    """Full assignment: every mentee (X) or every mentor place (Y) of these edges is matched."""
    if ei.size == 0:
        return
    mentees, e_idx = _compact(ei, mentor_of.size)
    mentors, o_idx = _compact(ej, capacity.size)
    # A mentor never uses more places than it has edges here, so larger capacities need no expansion.
    places = np.minimum(capacity[mentors], np.bincount(o_idx, minlength=mentors.size))
    first_place = np.concatenate(([0], np.cumsum(places)))
    reps = places[o_idx]
    edge = np.repeat(np.arange(ei.size), reps)
    place = first_place[o_idx][edge] + (np.arange(edge.size) - np.repeat(np.cumsum(reps) - reps, reps))
    cost = cost_base - w[edge].astype(np.float64)  # >= 1: LAPJVsp ignores explicit zeros
    if mentees_are_rows:
        graph = sp.csr_array((cost, (e_idx[edge], place)), shape=(mentees.size, first_place[-1]))
        rows, cols = min_weight_full_bipartite_matching(graph)
        owner = np.repeat(np.arange(mentors.size), places)
        mentor_of[mentees[rows]] = mentors[owner[cols]]
    else:
        graph = sp.csr_array((cost, (place, e_idx[edge])), shape=(first_place[-1], mentees.size))
        rows, cols = min_weight_full_bipartite_matching(graph)
        owner = np.repeat(np.arange(mentors.size), places)
        mentor_of[mentees[cols]] = mentors[owner[rows]]


def _compact(values, size):
    """The distinct values (sorted) and each value's position among them (values in 0..size-1)."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present), position[values]


def _edge_lookup(ei, ej, m):
    keys = ei.astype(np.int64) * m + ej
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]

    def edge_of(i, j):
        pos = np.searchsorted(sorted_keys, np.asarray(i, np.int64) * m + j)
        return order[pos]

    return edge_of


def _longest_paths(start, usable, ei, ej, w, mentor_of, matched_weight):
    """Least prices p >= start with p[j'] >= p[j] + w[i, j'] - w[i, j] for mentee i matched at j, and
    p[j'] >= w[i, j'] for unmatched mentee i, over the usable edges (vectorised Bellman-Ford)."""
    p = start.copy()
    e_i, e_j, e_w = ei[usable], ej[usable], w[usable]
    home = mentor_of[e_i]
    free = home < 0
    if free.any():
        np.maximum.at(p, e_j[free], e_w[free])
    arc = (home >= 0) & (home != e_j)
    src, dst = home[arc], e_j[arc]
    gain = e_w[arc] - matched_weight[e_i[arc]]
    if src.size == 0:
        return p
    order = np.argsort(dst, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    heads = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    targets = dst[heads]
    live = p[src] > _NEG
    for _ in range(p.size + 1):
        reach = np.where(live, p[src] + gain, _NEG)
        best = np.maximum.reduceat(reach, heads)
        better = best > p[targets]
        if not better.any():
            return p
        p[targets[better]] = best[better]
        live = p[src] > _NEG
    raise AssertionError("positive cycle in the price graph: the matching is not optimal")
