"""Pair scores and hard rules of the matching engine, computed two ways.

* `Prepared.evaluate(I, J)`: exact float64 criterion values, score and broken-rule flags for any list of
  pairs. This is the definition: `explain`, the result's breakdowns, `ranked_mentors` and every score the
  solver optimises come from it.
* `Prepared.block(r0, r1)`: float32 scores of a block of mentees against all mentors with free places,
  fast enough for all n x m pairs (one sparse product for the tag criteria, a handful of vectorised ops
  for the rest), with ``-inf`` for pairs that break a hard rule. It is only used to *find* pairs (candidate
  lists, pricing); every block score is within `Prepared.err` of the exact score, a rigorous bound, and
  every hard rule except min_score is decided by exactly the same integer/IEEE operations as in
  `evaluate`, so the two never disagree on which pairs are allowed.

Blocks use an internal order: mentors with capacity 0 are left out, and people with coordinates come last
on both sides so the distance sub-block is a contiguous slice. `funnel_counts` applies the hard rules one
after the other, for the reasons of unmatched mentees.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from matching.engine.problem import CRITERIA, IN_PERSON, NEUTRAL, Rule

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
BLOCK_ELEMENTS = 1 << 19  # ~2 MB float32 blocks: cache-sized (measured 2x faster than 8 MB ones)

RULE_BITS = {rule: 1 << k for k, rule in enumerate(Rule)}
_C2_SLACK = 1e-13  # >> |(2 - 2 cos) - chord2| for unit vectors (a few 1e-16)
F32_UNIT = 2.0**-24
_GOALS, _INTERESTS, _AVAILABILITY, _LOCATION, _PREFERENCES = range(len(CRITERIA))


def unit_vectors(lat, lon):
    """Points on the unit sphere; NaN where a coordinate is unknown."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)


def chord2(xa, ya, za, xb, yb, zb):
    # Squared chord between unit vectors; haversine(d) = chord^2 / 4. The block and the exact path call
    # this same function, so the max-distance rule sees bit-identical numbers in both.
    dx = xa - xb
    d2 = dx * dx
    dy = ya - yb
    d2 = d2 + dy * dy
    dz = za - zb
    return d2 + dz * dz


def km_from_chord2(c2):
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(c2) / 2.0))


def chord2_for_km(km: float) -> float:
    if km >= math.pi * EARTH_RADIUS_KM:
        return math.inf
    return (2.0 * math.sin(km / (2.0 * EARTH_RADIUS_KM))) ** 2


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine formula, via unit-vector chords)."""
    a, b = (
        unit_vectors(np.asarray(lat1, float), np.asarray(lon1, float)),
        unit_vectors(np.asarray(lat2, float), np.asarray(lon2, float)),
    )
    return km_from_chord2(chord2(*a, *b))


def _pad(matrix: sp.csr_array, n_tags: int) -> sp.csr_array:
    return sp.csr_array((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], n_tags))


def _bitsets(matrix: sp.csr_array) -> np.ndarray:
    words = max(1, -(-matrix.shape[1] // 64))
    out = np.zeros((matrix.shape[0], words), dtype=np.uint64)
    coo = matrix.tocoo()
    cols = coo.col.astype(np.uint64)
    np.bitwise_or.at(out, (coo.row, (cols // 64).astype(np.intp)), np.uint64(1) << (cols % np.uint64(64)))
    return out


def nonzero2d(mask):
    """np.nonzero for a 2-D mask; flatnonzero + divmod is an order of magnitude faster when sparse."""
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


def _overlap(bits_a: np.ndarray, bits_b: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits_a & bits_b).sum(axis=1, dtype=np.int64)


class Prepared:
    """Arrays derived once from a `MatchingProblem` (see the module docstring)."""

    def __init__(self, problem):
        self.problem = problem
        e, o = problem.mentees, problem.mentors
        self.n, self.m = len(e), len(o)
        m = self.m
        w = problem.weights.as_array()
        self.points = 100.0 * w / w.sum()  # points per unit of each criterion value

        # Tags: only tags on both sides can overlap; the denominators count all of a mentee's tags.
        n_tags = max(e.goals.shape[1], e.interests.shape[1], o.skills.shape[1], o.interests.shape[1])
        goals, skills = _pad(e.goals, n_tags), _pad(o.skills, n_tags)
        interests_e, interests_o = _pad(e.interests, n_tags), _pad(o.interests, n_tags)
        self.n_goals = np.diff(goals.indptr)
        self.n_interests = np.diff(interests_e.indptr)
        gcols = np.flatnonzero((goals.sum(axis=0) > 0) & (skills.sum(axis=0) > 0))
        icols = np.flatnonzero((interests_e.sum(axis=0) > 0) & (interests_o.sum(axis=0) > 0))
        self.goal_bits = _bitsets(goals[:, gcols]), _bitsets(skills[:, gcols])
        self.interest_bits = _bitsets(interests_e[:, icols]), _bitsets(interests_o[:, icols])

        self.avail = e.availability, o.availability
        self.avail_count = np.bitwise_count(e.availability), np.bitwise_count(o.availability)
        self.lang = e.languages, o.languages
        self.area = e.area, o.area
        self.online = e.mode != IN_PERSON, o.mode != IN_PERSON
        self.xyz = unit_vectors(e.lat, e.lon), unit_vectors(o.lat, o.lon)
        self.has_xy = ~np.isnan(self.xyz[0][0]), ~np.isnan(self.xyz[1][0])
        self.minor, self.checked = e.is_minor, o.background_check_current
        self.pref_gender, self.pref_age = e.preferred_gender, e.preferred_age_band
        self.req_gender = e.gender_required & (e.preferred_gender >= 0)
        self.req_age = e.age_band_required & (e.preferred_age_band >= 0)
        self.gender, self.age = o.gender, o.age_band
        self.capacity = o.capacity
        self.exclusion_keys = problem.exclusions[:, 0] * m + problem.exclusions[:, 1]  # sorted (unique)
        self.min_score = problem.min_score
        self.max_c2 = None if problem.max_distance_km is None else chord2_for_km(problem.max_distance_km)
        self.falloff_km = problem.distance_falloff_km
        self.falloff_c2 = chord2_for_km(problem.distance_falloff_km)

        self._prepare_blocks(goals[:, gcols], interests_e[:, icols], skills[:, gcols], interests_o[:, icols])

    # ---------------------------------------------------------------- exact evaluation of pair lists

    def evaluate(self, mentee_idx, mentor_idx):
        """Exact (values (P, 5), points (P, 5), score (P,), rule flags (P,), distance km (P,))."""
        i = np.asarray(mentee_idx, dtype=np.intp).ravel()
        j = np.asarray(mentor_idx, dtype=np.intp).ravel()
        values = np.empty((i.size, len(CRITERIA)))
        ng, ni = self.n_goals[i], self.n_interests[i]
        overlap = _overlap(self.goal_bits[0][i], self.goal_bits[1][j])
        values[:, _GOALS] = np.where(ng > 0, overlap / np.maximum(ng, 1), NEUTRAL)
        overlap = _overlap(self.interest_bits[0][i], self.interest_bits[1][j])
        values[:, _INTERESTS] = np.where(ni > 0, overlap / np.maximum(ni, 1), NEUTRAL)
        smaller = np.minimum(self.avail_count[0][i], self.avail_count[1][j])
        shared = np.bitwise_count(self.avail[0][i] & self.avail[1][j])
        values[:, _AVAILABILITY] = np.where(smaller > 0, shared / np.maximum(smaller, 1), NEUTRAL)

        both_online = self.online[0][i] & self.online[1][j]
        same_area = (self.area[0][i] == self.area[1][j]) & (self.area[0][i] >= 0)
        both_xy = self.has_xy[0][i] & self.has_xy[1][j]
        (xa, ya, za), (xb, yb, zb) = self.xyz
        c2 = chord2(xa[i], ya[i], za[i], xb[j], yb[j], zb[j])
        km = np.where(both_xy, km_from_chord2(np.where(both_xy, c2, 0.0)), np.nan)
        near = np.where(both_xy, np.maximum(0.0, 1.0 - np.nan_to_num(km) / self.falloff_km), 0.0)
        values[:, _LOCATION] = np.where(same_area | both_online, 1.0, near)

        pg, pa = self.pref_gender[i], self.pref_age[i]
        nice_g = (pg >= 0) & ~self.req_gender[i]
        nice_a = (pa >= 0) & ~self.req_age[i]
        stated = nice_g.astype(np.int64) + nice_a
        met = (nice_g & (pg == self.gender[j])).astype(np.int64) + (nice_a & (pa == self.age[j]))
        values[:, _PREFERENCES] = np.where(stated > 0, met / np.maximum(stated, 1), 1.0)

        points = values * self.points
        score = points[:, 0] + points[:, 1] + points[:, 2] + points[:, 3] + points[:, 4]

        flags = np.zeros(i.size, dtype=np.int64)
        flags |= np.where((self.lang[0][i] & self.lang[1][j]) == 0, RULE_BITS[Rule.LANGUAGE], 0)
        flags |= np.where(self.minor[i] & ~self.checked[j], RULE_BITS[Rule.BACKGROUND_CHECK], 0)
        if self.exclusion_keys.size:
            keys = i.astype(np.int64) * self.m + j
            pos = np.minimum(np.searchsorted(self.exclusion_keys, keys), self.exclusion_keys.size - 1)
            flags |= np.where(self.exclusion_keys[pos] == keys, RULE_BITS[Rule.EXCLUDED], 0)
        flags |= np.where(self.req_gender[i] & (pg != self.gender[j]), RULE_BITS[Rule.REQUIRED_GENDER], 0)
        flags |= np.where(self.req_age[i] & (pa != self.age[j]), RULE_BITS[Rule.REQUIRED_AGE_BAND], 0)
        if self.max_c2 is not None:
            far = both_xy & ~both_online & (np.where(both_xy, c2, 0.0) > self.max_c2)
            flags |= np.where(far, RULE_BITS[Rule.MAX_DISTANCE], 0)
        flags |= np.where(self.capacity[j] == 0, RULE_BITS[Rule.CAPACITY], 0)
        if self.min_score is not None:
            flags |= np.where(score < self.min_score, RULE_BITS[Rule.MIN_SCORE], 0)
        return values, points, score, flags, km

    def funnel_counts(self, mentees) -> np.ndarray:
        """(len(mentees), 6): mentors left after language, background check, exclusions, required
        preferences, max distance and free places, each rule applied on top of the previous ones."""
        mentees = np.asarray(mentees, dtype=np.intp)
        out = np.zeros((mentees.size, 6), dtype=np.int64)
        step = max(1, (1 << 21) // max(self.m, 1))
        excl_i, excl_j = np.divmod(self.exclusion_keys, max(self.m, 1))
        for a in range(0, mentees.size, step):
            i = mentees[a : a + step, None]
            ok = (self.lang[0][i] & self.lang[1][None, :]) != 0
            out[a : a + step, 0] = ok.sum(axis=1)
            ok &= ~(self.minor[i] & ~self.checked[None, :])
            out[a : a + step, 1] = ok.sum(axis=1)
            hit = np.isin(excl_i, i.ravel())
            local = {int(v): k for k, v in enumerate(i.ravel())}
            for ii, jj in zip(excl_i[hit], excl_j[hit], strict=True):
                ok[local[int(ii)], jj] = False
            out[a : a + step, 2] = ok.sum(axis=1)
            ok &= ~(self.req_gender[i] & (self.pref_gender[i] != self.gender[None, :]))
            ok &= ~(self.req_age[i] & (self.pref_age[i] != self.age[None, :]))
            out[a : a + step, 3] = ok.sum(axis=1)
            if self.max_c2 is not None:
                (xa, ya, za), (xb, yb, zb) = self.xyz
                c2 = chord2(xa[i], ya[i], za[i], xb[None, :], yb[None, :], zb[None, :])
                both_xy = self.has_xy[0][i] & self.has_xy[1][None, :]
                online = self.online[0][i] & self.online[1][None, :]
                ok &= ~(both_xy & ~online & (np.where(both_xy, c2, 0.0) > self.max_c2))
            out[a : a + step, 4] = ok.sum(axis=1)
            ok &= self.capacity[None, :] > 0
            out[a : a + step, 5] = ok.sum(axis=1)
        return out

    # ---------------------------------------------------------------- fast float32 blocks

    def _prepare_blocks(self, goals, interests_e, skills, interests_o):
        k = self.points
        # Language, background check and required/nice preferences depend on a few small codes per
        # person: one table over the distinct code combinations, gathered per block.
        mentee_keys = np.stack(
            [self.lang[0], self.minor, self.pref_gender, self.req_gender, self.pref_age, self.req_age], axis=1
        ).astype(np.int64)
        mentor_keys = np.stack([self.lang[1], self.checked, self.gender, self.age], axis=1).astype(np.int64)
        self.row_keys, row_key_idx = np.unique(mentee_keys, axis=0, return_inverse=True)
        self.col_keys, col_key_idx = np.unique(mentor_keys, axis=0, return_inverse=True)

        # Internal order (stable, so it depends only on the input): mentors with free places, those
        # with coordinates last and by rule key (a cache-friendly gather); mentees with coordinates last.
        active = np.flatnonzero(self.capacity > 0)
        self.mentor_order = mo = active[np.lexsort((col_key_idx.ravel()[active], self.has_xy[1][active]))]
        self.mentee_order = eo = np.argsort(self.has_xy[0], kind="stable")
        self.mentee_rank = np.empty(self.n, dtype=np.intp)
        self.mentee_rank[eo] = np.arange(self.n)
        self.mentor_rank = np.full(self.m, -1, dtype=np.intp)
        self.mentor_rank[mo] = np.arange(mo.size)
        self.m_active = mo.size
        self.first_xy_row = int(np.count_nonzero(~self.has_xy[0]))
        self.first_xy_col = int(np.count_nonzero(~self.has_xy[1][mo]))
        self.row_key_idx, self.col_key_idx = row_key_idx.ravel()[eo], col_key_idx.ravel()[mo]
        self.key_table = None
        if self.row_keys.shape[0] * self.col_keys.shape[0] <= 1 << 22:
            self.key_table = self._key_table(np.arange(self.row_keys.shape[0]))

        # Tag points in one sparse product: mentee rows carry points / number of tags, mentor columns 0/1.
        def scaled(matrix, counts, pts):
            factor = np.where(counts > 0, pts / np.maximum(counts, 1), 0.0)
            return sp.diags_array(factor) @ matrix.astype(np.float64)

        left = sp.hstack(
            [scaled(goals, self.n_goals, k[_GOALS]), scaled(interests_e, self.n_interests, k[_INTERESTS])],
            format="csr",
        )
        self.tag_rows = sp.csr_array(left[eo].astype(np.float32))
        self.tag_cols = np.ascontiguousarray(
            sp.hstack([skills, interests_o], format="csr")[mo].toarray().T, dtype=np.float32
        )
        self.row_const = (
            np.where(self.n_goals == 0, NEUTRAL * k[_GOALS], 0.0)
            + np.where(self.n_interests == 0, NEUTRAL * k[_INTERESTS], 0.0)
        )[eo].astype(np.float32)

        # Availability: shared / min(count_a, count_b) = shared * max(1/count_a, 1/count_b).
        ca, cb = self.avail_count[0][eo], self.avail_count[1][mo]
        self.avail_rows, self.avail_cols = self.avail[0][eo], self.avail[1][mo]
        kav = k[_AVAILABILITY]
        self.avail_row_factor = np.where(ca > 0, kav / np.maximum(ca, 1), 0.0).astype(np.float32)
        self.avail_col_factor = np.where(cb > 0, kav / np.maximum(cb, 1), 0.0).astype(np.float32)
        self.avail_row_unknown = np.flatnonzero(ca == 0)
        self.avail_col_unknown = np.flatnonzero(cb == 0)
        self.avail_neutral = np.float32(NEUTRAL * kav)

        # Location: same area (codes; -1 and -2 for none never compare equal) or both online-capable.
        _, codes = np.unique(np.concatenate([self.area[0], self.area[1]]), return_inverse=True)
        codes = codes.ravel()
        dtype = np.int16 if codes.size == 0 or codes.max() < 2**15 - 1 else np.int32
        self.area_rows = np.where(self.area[0] >= 0, codes[: self.n], -1)[eo].astype(dtype)
        self.area_cols = np.where(self.area[1] >= 0, codes[self.n :], -2)[mo].astype(dtype)
        self.online_rows, self.online_cols = self.online[0][eo], self.online[1][mo]
        self.loc_points = np.float32(k[_LOCATION])
        self.xyz_rows = tuple(c[eo] for c in self.xyz[0])
        self.xyz_cols = tuple(c[mo] for c in self.xyz[1])
        self.xyz_row_mat = np.ascontiguousarray(np.column_stack(self.xyz_rows))
        self.xyz_col_mat = np.ascontiguousarray(np.vstack(self.xyz_cols))

        # Exclusions in block coordinates, sorted by row.
        rows = self.mentee_rank[self.problem.exclusions[:, 0]]
        cols = self.mentor_rank[self.problem.exclusions[:, 1]]
        keep = cols >= 0
        order = np.lexsort((cols[keep], rows[keep]))
        self.excl_rows, self.excl_cols = rows[keep][order], cols[keep][order]

        # Rigorous bound on |block score - exact score|. float32: one unit roundoff per term of a row's
        # sparse dot product and per later float32 operation (< 48), each on a quantity <= 100 points.
        # Distances: the block's chord differs from the exact one by < sqrt(1e-14) (see _C2_SLACK), and
        # it uses d ~ R * chord, short of 2R asin(chord / 2) by at most `trunc` within the falloff.
        max_terms = int(np.diff(self.tag_rows.indptr).max(initial=0))
        err = 100.0 * F32_UNIT * (max_terms + 48) * 1.25
        half = min(1.0, math.sqrt(min(self.falloff_c2, 4.0)) / 2.0)
        trunc = 2.0 * EARTH_RADIUS_KM * (math.asin(half) - half)
        err += k[_LOCATION] * (EARTH_RADIUS_KM * math.sqrt(1e-14) + trunc) * 1.25 / self.falloff_km
        self.err = err + 1e-9

    def _key_table(self, row_key_ids):
        rk = self.row_keys[row_key_ids][:, None, :]
        ck = self.col_keys[None, :, :]
        lang_e, minor, pg, req_g, pa, req_a = (rk[..., c] for c in range(6))
        lang_o, checked, gender, age = (ck[..., c] for c in range(4))
        broken = ((lang_e & lang_o) == 0) | ((minor != 0) & (checked == 0))
        broken |= (req_g != 0) & (pg != gender)
        broken |= (req_a != 0) & (pa != age)
        nice_g = (pg >= 0) & (req_g == 0)
        nice_a = (pa >= 0) & (req_a == 0)
        stated = nice_g.astype(np.int64) + nice_a
        met = (nice_g & (pg == gender)).astype(np.int64) + (nice_a & (pa == age))
        pts = np.where(stated > 0, met / np.maximum(stated, 1), 1.0) * self.points[_PREFERENCES]
        return np.where(broken, -np.inf, pts).astype(np.float32)

    def all_blocks(self, rows_per_block: int | None = None):
        """(r0, r1, block) over all internal rows, each block a fresh array."""
        if self.n == 0 or self.m_active == 0:
            return
        step = rows_per_block or max(1, min(self.n, BLOCK_ELEMENTS // self.m_active))
        for r0 in range(0, self.n, step):
            r1 = min(self.n, r0 + step)
            yield r0, r1, self.block(r0, r1)

    def block(self, r0: int, r1: int, out: np.ndarray | None = None) -> np.ndarray:
        """float32 scores (r1 - r0, m_active) of internal mentee rows r0:r1; -inf = breaks a rule.

        ``out``, if given, is a C-contiguous float32 array of that shape to write into.
        """
        rows = slice(r0, r1)
        shape = (r1 - r0, self.m_active)
        tags = self.tag_rows[rows] @ self.tag_cols  # sparse rows (<= a few dozen tags) @ dense columns
        if out is None:
            out = np.empty(shape, dtype=np.float32)
        np.add(tags, self.row_const[rows, None], out=out)
        scratch = tags  # reused for every float32 temporary below

        # Availability points: shared slots * max(points / count_a, points / count_b).
        shared = np.bitwise_and(self.avail_rows[rows, None], self.avail_cols[None, :])
        count = np.bitwise_count(shared)
        np.maximum(self.avail_row_factor[rows, None], self.avail_col_factor[None, :], out=scratch)
        np.multiply(scratch, count, out=scratch)
        unknown = self.avail_row_unknown[(self.avail_row_unknown >= r0) & (self.avail_row_unknown < r1)]
        scratch[unknown - r0] = self.avail_neutral
        scratch[:, self.avail_col_unknown] = self.avail_neutral
        out += scratch
        del shared, count

        # Preference points, or -inf for language / background check / required preferences.
        key_idx = self.row_key_idx[rows]
        if self.key_table is not None:
            table = self.key_table[key_idx]
        else:
            ids, inverse = np.unique(key_idx, return_inverse=True)
            table = self._key_table(ids)[inverse]
        np.take(table, self.col_key_idx, axis=1, out=scratch)
        out += scratch
        del table

        # Location points: 1 for the same area or both online-capable, else by distance (below).
        local = np.equal(self.area_rows[rows, None], self.area_cols[None, :])
        local |= self.online_rows[rows, None] & self.online_cols[None, :]
        np.multiply(local, self.loc_points, out=scratch)
        x0, c0 = max(r0, self.first_xy_row), self.first_xy_col
        if x0 < r1 and c0 < self.m_active:
            self._distance_block(out[x0 - r0 :, c0:], scratch[x0 - r0 :, c0:], x0, r1, c0)
        out += scratch

        lo, hi = np.searchsorted(self.excl_rows, [r0, r1])
        out[self.excl_rows[lo:hi] - r0, self.excl_cols[lo:hi]] = -np.inf
        if self.min_score is not None:
            out[out < self.min_score - self.err] = -np.inf
        return out

    def _distance_block(self, out, location, x0, r1, c0):
        # Squared chords from one small product (2 - 2 cos), then float32; einsum rather than BLAS, whose
        # idle threads spin on the other core after a 3-term product (measured: twice the CPU time of all
        # blocks on 2 cores). Pairs whose chord is that close to the max-distance threshold are re-decided
        # with the exact `chord2`, so the rule agrees with `evaluate`; the effect on the location value is
        # part of `err` (any summation order of the 3-term dot product is far inside _C2_SLACK).
        c2 = np.einsum("ik,kj->ij", self.xyz_row_mat[x0:r1], self.xyz_col_mat[:, c0:])
        np.multiply(c2, -2.0, out=c2)
        c2 += 2.0
        c2f = c2.astype(np.float32)
        if self.max_c2 is not None:
            near_hi = np.float32(self.max_c2 * (1 + 2.0**-20) + _C2_SLACK)
            near_lo = np.float32(self.max_c2 * (1 - 2.0**-20) - _C2_SLACK)
            apart = ~(self.online_rows[x0:r1, None] & self.online_cols[None, c0:])
            out[(c2f > near_hi) & apart] = -np.inf
            band_r, band_c = nonzero2d((c2f >= near_lo) & (c2f <= near_hi) & apart)
            if band_r.size:
                xr, yr, zr = (c[x0 + band_r] for c in self.xyz_rows)
                xc, yc, zc = (c[c0 + band_c] for c in self.xyz_cols)
                far = chord2(xr, yr, zr, xc, yc, zc) > self.max_c2
                out[band_r[far], band_c[far]] = -np.inf
        del c2
        # Location value 1 - d / falloff with d ~ R * chord (asin(x) ~ x below the falloff distance).
        np.maximum(c2f, np.float32(0.0), out=c2f)
        np.sqrt(c2f, out=c2f)
        c2f *= np.float32(-EARTH_RADIUS_KM / self.falloff_km)
        c2f += np.float32(1.0)
        c2f *= self.loc_points
        np.maximum(location, c2f, out=location)
