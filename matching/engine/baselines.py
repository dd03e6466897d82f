"""Baselines for tests and the benchmark: greedy (highest score first) and SciPy's dense assignment.

Both return a `MatchingResult` like `solve` (with pricing_rounds = 0 and no score/solve split).
"""

from __future__ import annotations

import heapq
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching.engine.problem import MatchingProblem
from matching.engine.results import MatchingResult, plain_result
from matching.engine.scoring import BLOCK_ELEMENTS, nonzero2d


def greedy_assignment(problem: MatchingProblem) -> MatchingResult:
    """Baseline: take allowed pairs highest score first (ties: lower mentee, then mentor index)."""
    started = time.perf_counter()
    prep = problem.prepared
    remaining = prep.capacity.copy()
    mentor_of = np.full(prep.n, -1, dtype=np.int64)
    heap, lists = [], {}
    lists_of = _GreedyLists(prep)
    for i in range(prep.n):
        lists[i] = lists_of.first(i) or (lists_of.rest(i, remaining) if lists_of.more(i) else [])
        if lists[i]:
            heapq.heappush(heap, (-lists[i][0][0], i, lists[i][0][1], 0))
    while heap:
        _, i, j, pos = heapq.heappop(heap)
        if remaining[j] > 0:
            remaining[j] -= 1
            mentor_of[i] = j
            continue
        items = lists[i]
        pos += 1
        while pos < len(items) and remaining[items[pos][1]] == 0:
            pos += 1
        if pos == len(items) and lists_of.more(i):
            # Mentors never free up, so the rest of the row only needs the mentors not yet full.
            items = lists[i] = lists_of.rest(i, remaining)
            pos = 0
        if pos < len(items):
            heapq.heappush(heap, (-items[pos][0], i, items[pos][1], pos))
    return plain_result(problem, mentor_of, started)


def dense_reference_assignment(problem: MatchingProblem) -> MatchingResult:
    """Reference: SciPy's dense linear_sum_assignment on capacity-expanded mentor places (for tests and
    the benchmark; O((n + places)^3) time and n x max(n, places) memory)."""
    started = time.perf_counter()
    prep = problem.prepared
    n, m = prep.n, prep.m
    usable = np.minimum(prep.capacity, n)  # no mentor can use more places than there are mentees
    places = int(usable.sum())
    owner = np.repeat(np.arange(m), usable)
    # Weight B + score for allowed pairs, B > 100 * n so that one more match always wins; a forbidden
    # pair costs 0 like staying unmatched, and max(n, places) columns leave room for every mentee.
    bonus = 100.0 * (n + 1)
    cost = np.zeros((n, max(n, places)))
    step = max(1, BLOCK_ELEMENTS // max(m, 1))
    for r0 in range(0, n, step):
        rows = np.arange(r0, min(n, r0 + step))
        _, _, score, flags, _ = prep.evaluate(np.repeat(rows, m), np.tile(np.arange(m), rows.size))
        weight = np.where(flags == 0, -(bonus + score), 0.0).reshape(rows.size, m)
        cost[rows, :places] = weight[:, owner]
    mentor_of = np.full(n, -1, dtype=np.int64)
    if n and places:
        rows, cols = linear_sum_assignment(cost)
        real = (cols < places) & (cost[rows, np.minimum(cols, places - 1)] < 0)
        mentor_of[rows[real]] = owner[cols[real]]
    del cost
    return plain_result(problem, mentor_of, started)


class _GreedyLists:
    """Each mentee's allowed mentors in greedy order, (-score, mentor), a first page then the rest."""

    PAGE = 32

    def __init__(self, prep):
        self.prep = prep
        self._first, self._complete = {}, {}
        for r0, _, block in prep.all_blocks():
            k = min(self.PAGE, block.shape[1])
            cut = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k]
            # Every pair with exact score >= cut - err has block score >= cut - 2 err, so the page is
            # exact (nothing missing, nothing out of order) down to `safe` = cut - err.
            rows, cols = nonzero2d(block >= np.maximum(cut - 2 * prep.err, np.float32(-1e30))[:, None])
            whole = np.bincount(rows, minlength=block.shape[0]) == np.isfinite(block).sum(axis=1)
            ei, ej = prep.mentee_order[rows + r0], prep.mentor_order[cols]
            _, _, score, flags, _ = prep.evaluate(ei, ej)
            safe = np.where(whole[rows], -np.inf, cut[rows].astype(np.float64) - prep.err)
            ok = flags == 0
            ei, ej, score, safe, rows = ei[ok], ej[ok], score[ok], safe[ok], rows[ok]
            order = np.lexsort((ej, -score, ei))
            for idx in np.split(order, np.flatnonzero(np.diff(ei[order])) + 1):
                if idx.size == 0:
                    continue
                keep = score[idx] >= safe[idx]
                i = int(ei[idx[0]])
                self._first[i] = list(zip(score[idx][keep].tolist(), ej[idx][keep].tolist(), strict=True))
                self._complete[i] = bool(whole[rows[idx[0]]])

    def first(self, i):
        return self._first.get(i, [])

    def more(self, i):
        return not self._complete.get(i, True)

    def rest(self, i, remaining):
        self._complete[i] = True
        open_mentors = np.flatnonzero(remaining > 0)
        _, _, score, flags, _ = self.prep.evaluate(np.full(open_mentors.size, i), open_mentors)
        ok = flags == 0
        mentors, score = open_mentors[ok], score[ok]
        order = np.lexsort((mentors, -score))
        return list(zip(score[order].tolist(), mentors[order].tolist(), strict=True))
