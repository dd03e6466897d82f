"""Candidate graph and pricing for `matching.engine.solve`.

`ScorePass` computes the float32 scores of all pairs once (keeping them in memory when they fit) and
picks the first candidates: each mentee's best mentors and each mentor's best mentees per free place.
`CandidateEdges` holds the candidate graph with exact integer weights. `price` is the optimality check
over *all* pairs: it flags every pair whose block score (plus the rigorous error bound) could violate
the current duals, re-scores the flagged pairs exactly and returns those to add, or None when none
violates them. See `matching.engine` for the proof.
"""

from __future__ import annotations

import math

import numpy as np

from matching.engine.scoring import BLOCK_ELEMENTS, nonzero2d

STORE_LIMIT_BYTES = 400 << 20  # keep all block scores in memory up to this size (10k x 5k: 200 MB)


def weight_scale(n: int) -> float:
    """Grid (a power of two) for the integer weights round(score * scale).

    LAPJVsp adds and subtracts costs <= 101 * scale along augmenting paths of at most 2n + 1 edges; the
    bound keeps every such sum below 2**50, so its float64 arithmetic is exact (2**29 at n = 10,000).
    """
    return 2.0 ** min(32, math.floor(math.log2(2.0**50 / (101.0 * (2 * n + 2)))))


class ScorePass:
    """One pass over all pairs: block scores (kept if they fit), per-mentee and per-mentor candidates.

    Candidates are found from group maxima: the k-th largest maximum of k or more disjoint groups is a
    lower bound of the k-th largest score, so only the groups whose maximum reaches it are scanned.
    """

    ROW_GROUP = 16  # mentee rows per group for the per-mentor candidates

    def __init__(self, prep, k_mentee: int, k_place: int, store_limit_bytes: int):
        self.prep = prep
        n, m = prep.n, prep.m_active
        self.rows_per_block = max(self.ROW_GROUP, min(n, BLOCK_ELEMENTS // max(m, 1)))
        self.rows_per_block -= self.rows_per_block % self.ROW_GROUP
        self.stored = np.empty((n, m), dtype=np.float32) if 4 * n * m <= store_limit_bytes else None
        self.row_max = np.full(n, -np.inf, dtype=np.float32)
        self.k_mentee, self.k_place = k_mentee, k_place
        self.width = max(1, -(-m // (16 * k_mentee)))  # columns per group: >= 16 k groups per row
        self._pairs = []
        self._col_group_max = []
        if n == 0 or m == 0:
            return
        for r0, _, block in self._compute_blocks():
            self._row_candidates(block, r0)
            if k_place:
                self._col_group_max.append(_group_max(block, self.ROW_GROUP, axis=0))

    def _compute_blocks(self):
        for r0 in range(0, self.prep.n, self.rows_per_block):
            r1 = min(self.prep.n, r0 + self.rows_per_block)
            out = None if self.stored is None else self.stored[r0:r1]
            yield r0, r1, self.prep.block(r0, r1, out=out)

    def blocks(self):
        """(r0, r1, float32 scores) for all internal rows, from memory or recomputed."""
        if self.stored is None:
            yield from self._compute_blocks()
            return
        for r0 in range(0, self.prep.n, self.rows_per_block):
            r1 = min(self.prep.n, r0 + self.rows_per_block)
            yield r0, r1, self.stored[r0:r1]

    def _row_candidates(self, block, r0):
        group_max = _group_max(block, self.width, axis=1)
        self.row_max[r0 : r0 + block.shape[0]] = group_max.max(axis=1)
        cut = _kth_largest(group_max, np.full(block.shape[0], self.k_mentee), axis=1)
        cut = np.maximum(cut - 2 * self.prep.err, np.float32(-1e30))  # ties and exact-score margin
        rows, groups = nonzero2d(group_max >= cut[:, None])
        cols = groups[:, None] * self.width + np.arange(self.width)
        inside = cols < block.shape[1]  # the last group may be narrower
        values = block[rows[:, None], np.minimum(cols, block.shape[1] - 1)]
        hit_r, hit_c = nonzero2d((values >= cut[rows, None]) & inside)
        rows, cols = rows[hit_r], cols[hit_r, hit_c]
        self._pairs.append(_cap_per_row(rows + r0, cols, block[rows, cols], 8 * self.k_mentee))

    def candidates(self):
        """Internal (row, col) candidate pairs: per mentee and, per mentor, per free place."""
        pairs = self._pairs
        if self.k_place and self._col_group_max:
            group_max = np.concatenate(self._col_group_max)
            self._col_group_max = []
            want = self.k_place * self.prep.capacity[self.prep.mentor_order]
            cut = _kth_largest(group_max, want, axis=0)
            cut = np.maximum(cut - 2 * self.prep.err, np.float32(-1e30))
            groups, cols = nonzero2d(group_max >= cut[None, :])
            rows = groups[:, None] * self.ROW_GROUP + np.arange(self.ROW_GROUP)
            inside = rows < self.prep.n  # the last group may be shorter
            if self.stored is not None:
                values = self.stored[np.minimum(rows, self.prep.n - 1), cols[:, None]]
                hit_r, hit_c = nonzero2d((values >= cut[cols, None]) & inside)
                pairs.append((rows[hit_r, hit_c], cols[hit_r]))
            else:
                for r0, _, block in self.blocks():
                    hit_r, hit_c = nonzero2d(block >= cut[None, :])
                    pairs.append((hit_r + r0, hit_c))
        rows = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, np.intp)
        cols = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, np.intp)
        self._pairs = []
        return rows, cols


def _group_max(block, size, axis):
    """Maxima of consecutive groups of `size` rows (axis 0) or columns (axis 1); the last may be short."""
    length = block.shape[axis]
    whole = length // size
    parts = []
    if whole:
        head = block[: whole * size] if axis == 0 else block[:, : whole * size]
        shape = (whole, size, block.shape[1]) if axis == 0 else (block.shape[0], whole, size)
        parts.append(head.reshape(shape).max(axis=axis + 1))
    if whole * size < length:
        tail = block[whole * size :] if axis == 0 else block[:, whole * size :]
        parts.append(tail.max(axis=axis, keepdims=True))
    return np.concatenate(parts, axis=axis)


def _kth_largest(values, k, axis):
    """Per row (axis 1) or column (axis 0): the k-th largest value (-inf where there are fewer)."""
    size = values.shape[axis]
    out = np.full(values.shape[1 - axis], -np.inf, dtype=values.dtype)
    for kk in np.unique(k):
        lines = np.flatnonzero(k == kk)
        if kk > size or kk <= 0:
            continue
        part = values[lines] if axis == 1 else values[:, lines]
        out[lines] = np.take(np.partition(part, size - kk, axis=axis), size - kk, axis=axis)
    return out


def _cap_per_row(rows, cols, values, cap):
    # Degenerate rows (thousands of equal scores) would flood the candidates: keep the best `cap` of each
    # row, ties by column, which is still a deterministic choice.
    counts = np.bincount(rows - rows.min(), minlength=1) if rows.size else np.zeros(0, np.intp)
    if counts.size == 0 or counts.max() <= cap:
        return rows, cols
    order = np.lexsort((cols, -values, rows))
    rows, cols = rows[order], cols[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)
    keep = rank < cap
    return rows[keep], cols[keep]


class CandidateEdges:
    """The candidate graph in original indices with exact integer weights (allowed pairs only)."""

    def __init__(self, prep, scale: float):
        self.prep, self.scale = prep, scale
        self.ei = np.zeros(0, np.int64)
        self.ej = np.zeros(0, np.int64)
        self.w = np.zeros(0, np.int64)
        self.keys = np.zeros(0, np.int64)  # sorted internal keys row * m_active + col

    def add(self, rows, cols):
        prep = self.prep
        keys = _sorted_unique(rows.astype(np.int64) * prep.m_active + cols)
        keys = keys[~_isin_sorted(keys, self.keys)]
        if keys.size == 0:
            return
        rows, cols = np.divmod(keys, prep.m_active)
        ei, ej = prep.mentee_order[rows], prep.mentor_order[cols]
        _, _, score, flags, _ = prep.evaluate(ei, ej)
        ok = flags == 0  # block scores may sit just above min_score - err: the exact rule decides
        self.ei = np.concatenate([self.ei, ei[ok]])
        self.ej = np.concatenate([self.ej, ej[ok]])
        self.w = np.concatenate([self.w, np.rint(score[ok] * self.scale).astype(np.int64)])
        # Rejected pairs too, so they are never re-scored; both sorted and disjoint: a merge.
        self.keys = np.insert(self.keys, np.searchsorted(self.keys, keys), keys)


def _sorted_unique(values):
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def _isin_sorted(values, sorted_keys):
    if sorted_keys.size == 0:
        return np.zeros(values.size, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, values), sorted_keys.size - 1)
    return sorted_keys[pos] == values


def price(prep, scores, edges, sol, scale, limit_per_mentee, slack):
    """Pairs to add after a pricing pass over all pairs, or None if no pair violates the duals.

    When some pair violates them, the pairs within `slack` points of violating are added too: the next
    duals move a little, and those pairs are the ones that would otherwise surface one round later.
    """
    # Thresholds in points: mentee u = beta - BIG * (1 - alpha), mentor v = beta_p + BIG * alpha_p, so a
    # pair needs checking iff score > u + v: BIG puts uncovered pairs far above, doubly covered far below.
    beta, beta_p = sol.beta / scale, sol.beta_p / scale
    big = 256.0 + 2.0 * (np.abs(beta).max(initial=0) + np.abs(beta_p).max(initial=0))
    u = (beta - big * (~sol.alpha))[prep.mentee_order]
    v = (beta_p + big * sol.alpha_p)[prep.mentor_order]
    # float32 rounding of u, v and their sum is < 3 units of roundoff of |u| + |v|; add it to err.
    margin = prep.err + 4.0 * 2.0**-24 * (np.abs(u).max(initial=0) + np.abs(v).max(initial=0) + big) + 1e-9
    u32 = (u - margin - slack).astype(np.float32)
    v32 = v.astype(np.float32)
    flagged_rows, flagged_cols = [], []
    for r0, r1, block in scores.blocks():
        rows, cols = nonzero2d(block > u32[r0:r1, None] + v32[None, :])
        flagged_rows.append(rows + r0)
        flagged_cols.append(cols)
    rows, cols = np.concatenate(flagged_rows), np.concatenate(flagged_cols)
    keys = rows.astype(np.int64) * prep.m_active + cols
    fresh = ~_isin_sorted(keys, edges.keys)
    rows, cols = rows[fresh], cols[fresh]
    if rows.size == 0:
        return None
    ei, ej = prep.mentee_order[rows], prep.mentor_order[cols]
    _, _, score, flags, _ = prep.evaluate(ei, ej)
    w = np.rint(score * scale).astype(np.int64)
    allowed = flags == 0
    violating = sol.violates(ei, ej, w)
    if not np.any(allowed & violating):
        return None
    # Add each mentee's violating pairs, then those closest to violating (the graph stays small; the next
    # pass re-checks everything). Violations first, so every round adds at least one: the loop ends.
    reduced = score - u[rows] - v[cols]
    rows, cols, reduced, violating = rows[allowed], cols[allowed], reduced[allowed], violating[allowed]
    order = np.lexsort((cols, -reduced, ~violating, rows))
    rows, cols = rows[order], cols[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)
    keep = rank < 4 * limit_per_mentee
    return rows[keep], cols[keep]
