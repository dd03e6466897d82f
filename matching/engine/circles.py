"""Peer circles: partition mentees into circles of about k, maximising the fit within each circle.

Pure numpy, no Django. Grouping people by shared goals, interests, availability and area is a hard
problem (a graph partitioning with size bounds), so this is a heuristic, measured against two
baselines (``random_circles``, ``greedy_circles``) in ``bench/groups.py``.

Fit of two mentees (`pair_fit`, 0..1): the weighted mean of goals they share, interests they share
(shared tags / the smaller tag count), weekly slots they share (shared / the smaller slot count) and
whether they are in the same area; a criterion one of them left empty scores a neutral 0.5, as in the
pair engine. Weights: goals 4, interests 3, availability 2, area 1.

Hard rules: everyone in a circle shares a language with everyone else in it, and no excluded pair is
ever in one circle. A circle holds k - 1 .. k + 1 people (``sizes_for``); someone who cannot be put
in any circle without breaking a rule stays unplaced, with the rule as the reason.

Heuristic (`form_circles`): greedy circles, hardest people first (fewest compatible others), then a
local search on the precomputed pairwise score matrix S (fit, or -PENALTY for a forbidden pair).
G = S @ membership holds each person's summed score towards each circle (O(n) to update per
change); each round computes every person's best swap (the n x n gain matrix at once) and best
move, and applies them best first as long as no two touch the same circle, until no move or swap
improves the total; then a few seeded perturbations (random swaps followed by the same search),
keeping the best. Everything is
seeded and counted (no time limits), so the same input gives the same circles.

Quality (`circle_quality`): the mean pairwise fit over all pairs that share a circle, the number of
pairs in one circle that break a hard rule, and how many stayed unplaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

PENALTY = 100.0  # a forbidden pair: worse than any gain a circle can bring (<= 13 members x fit 1)
FIT_WEIGHTS = {"goals": 4.0, "interests": 3.0, "availability": 2.0, "area": 1.0}
NEUTRAL = 0.5


@dataclass(frozen=True)
class CircleResult:
    circles: list  # [[mentee index, ...], ...]
    unplaced: list  # [(mentee index, reason code), ...]
    quality: float  # mean within-circle pairwise fit
    violations: int  # pairs in one circle that break a hard rule
    seconds: float = 0.0


UNPLACED_TEXT = {
    "too_few": "too few mentees to form a circle",
    "language": "shares no language with the people of any circle",
    "excluded": "excluded from being with the people of every circle they could join",
}


def _popcount(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.uint64)
    count = np.zeros(a.shape, dtype=np.int64)
    while np.any(a):
        count += (a & np.uint64(1)).astype(np.int64)
        a = a >> np.uint64(1)
    return count


def _share(tags) -> np.ndarray:
    """Shared tags / the smaller tag count per pair; NEUTRAL where either has none."""
    m = sp.csr_array(tags).astype(np.float64)
    counts = np.asarray(m.sum(axis=1)).ravel()
    shared = (m @ m.T).toarray()
    smaller = np.minimum(counts[:, None], counts[None, :])
    return np.where(smaller > 0, shared / np.maximum(smaller, 1), NEUTRAL)


def pair_fit(*, goals, interests, availability, area) -> np.ndarray:
    """(n x n) fit in 0..1 of every pair of mentees (the diagonal is 0)."""
    avail = np.asarray(availability, dtype=np.int64)
    n = avail.shape[0]
    slots = _popcount(avail)
    both = _popcount(avail[:, None] & avail[None, :])
    smaller = np.minimum(slots[:, None], slots[None, :])
    availability_fit = np.where(smaller > 0, both / np.maximum(smaller, 1), NEUTRAL)
    area = np.asarray(area, dtype=np.int64)
    known = area >= 0
    area_fit = np.where(known[:, None] & known[None, :], (area[:, None] == area[None, :]) * 1.0, NEUTRAL)
    w = FIT_WEIGHTS
    fit = (
        w["goals"] * _share(goals)
        + w["interests"] * _share(interests)
        + w["availability"] * availability_fit
        + w["area"] * area_fit
    ) / sum(w.values())
    np.fill_diagonal(fit, 0.0)
    return fit.reshape(n, n)


def allowed_pairs(languages, exclusions=(), n=None) -> np.ndarray:
    """(n x n) bool: the two may share a circle (a common language, not an excluded pair)."""
    lang = np.asarray(languages, dtype=np.int64)
    n = lang.shape[0] if n is None else n
    allowed = (lang[:, None] & lang[None, :]) != 0
    pairs = np.asarray(exclusions, dtype=np.int64).reshape(-1, 2)
    allowed[pairs[:, 0], pairs[:, 1]] = False
    allowed[pairs[:, 1], pairs[:, 0]] = False
    np.fill_diagonal(allowed, True)
    return allowed


def sizes_for(n: int, k: int) -> list:
    """Circle sizes for n people at size k: as many circles as keeps every size within k-1..k+1
    (sizes differ by one at most); [] when n < k - 1. Between k + 1 and 2k - 2 no count fits, and
    one circle (or two, whichever is nearer k) is as even as it gets."""
    if n < max(2, k - 1):
        return []
    best = None
    for c in range(max(1, n // (k + 1)), n // max(1, k - 1) + 2):
        if c == 0:
            continue
        lo, hi = n // c, -(-n // c)
        cost = (max(0, (k - 1) - lo) + max(0, hi - (k + 1)), abs(n / c - k))
        if lo >= 2 and (best is None or cost < best[0]):
            best = (cost, c)
    c = best[1]
    return [n // c + (1 if i < n % c else 0) for i in range(c)]


class Problem:
    """The precomputed matrices of one circle problem."""

    def __init__(self, fit, allowed, k, speaks=None):
        self.fit = np.asarray(fit, dtype=np.float64)
        self.allowed = np.asarray(allowed, dtype=bool)
        # A shared language (the rest of ``allowed`` is exclusions): only to name the rule.
        self.speaks = self.allowed if speaks is None else np.asarray(speaks, dtype=bool)
        self.n = self.fit.shape[0]
        self.k = k
        self.score = np.where(self.allowed, self.fit, -PENALTY)
        np.fill_diagonal(self.score, 0.0)

    @classmethod
    def build(cls, *, languages, goals, interests, availability, area, k, exclusions=()):
        fit = pair_fit(goals=goals, interests=interests, availability=availability, area=area)
        return cls(fit, allowed_pairs(languages, exclusions), k, allowed_pairs(languages))


def circle_quality(problem: Problem, circles) -> tuple[float, int]:
    """(mean pairwise fit over pairs sharing a circle, pairs in one circle breaking a hard rule)."""
    total, pairs, broken = 0.0, 0, 0
    for circle in circles:
        idx = np.asarray(circle, dtype=np.int64)
        if idx.size < 2:
            continue
        upper = np.triu_indices(idx.size, 1)
        total += float(problem.fit[np.ix_(idx, idx)][upper].sum())
        broken += int((~problem.allowed[np.ix_(idx, idx)])[upper].sum())
        pairs += upper[0].size
    return (total / pairs if pairs else 0.0), broken


def _result(problem, circles, unplaced, started):
    import time

    quality, broken = circle_quality(problem, circles)
    circles = [sorted(int(i) for i in c) for c in circles if len(c)]
    return CircleResult(circles, unplaced, quality, broken, time.perf_counter() - started)


def random_circles(problem: Problem, *, seed: int = 0) -> CircleResult:
    """Baseline: a random partition into the same sizes, blind to fit and rules."""
    import time

    started = time.perf_counter()
    sizes = sizes_for(problem.n, problem.k)
    if not sizes:
        return _result(problem, [], [(i, "too_few") for i in range(problem.n)], started)
    order = np.random.default_rng(seed).permutation(problem.n)
    cuts = np.cumsum(sizes)[:-1]
    return _result(problem, np.split(order, cuts), [], started)


def _greedy(problem: Problem, order, sizes):
    """Fill circle after circle: start with the next person in ``order``, then add the person with
    the highest summed score to the circle so far (forbidden pairs weigh -PENALTY)."""
    free = np.ones(problem.n, dtype=bool)
    rank = np.empty(problem.n, dtype=np.int64)
    rank[order] = np.arange(problem.n)
    circles = []
    pointer = 0
    for size in sizes:
        while pointer < len(order) and not free[order[pointer]]:
            pointer += 1
        if pointer == len(order):
            break
        seed_person = order[pointer]
        members = [seed_person]
        free[seed_person] = False
        gain = problem.score[seed_person].copy()
        for _ in range(size - 1):
            candidates = np.flatnonzero(free)
            if candidates.size == 0:
                break
            values = gain[candidates]
            best = candidates[np.lexsort((rank[candidates], -values))[0]]
            members.append(best)
            free[best] = False
            gain += problem.score[best]
        circles.append(members)
    return circles


def greedy_circles(problem: Problem) -> CircleResult:
    """Baseline: fill each circle with the best-fitting next person (in index order)."""
    import time

    started = time.perf_counter()
    sizes = sizes_for(problem.n, problem.k)
    if not sizes:
        return _result(problem, [], [(i, "too_few") for i in range(problem.n)], started)
    circles = _greedy(problem, np.arange(problem.n), sizes)
    return _result(problem, circles, [], started)


class _Search:
    """Local search on circle labels with G = S @ membership kept up to date."""

    def __init__(self, problem, label, n_circles, lo, hi):
        self.p, self.lo, self.hi = problem, lo, hi
        self.label = label.copy()
        self.c = n_circles
        member = np.zeros((problem.n, n_circles))
        member[np.arange(problem.n), label] = 1.0
        self.g = problem.score @ member
        self.size = np.bincount(label, minlength=n_circles)

    def total(self):
        return float(self.g[np.arange(self.p.n), self.label].sum() / 2)

    def _move(self, i, b):
        a = self.label[i]
        self.g[:, a] -= self.p.score[:, i]
        self.g[:, b] += self.p.score[:, i]
        self.size[a] -= 1
        self.size[b] += 1
        self.label[i] = b

    def improve(self, max_rounds=1000):
        """Rounds of vectorised best moves and swaps: every person's best swap (the whole n x n
        gain matrix at once) and best move, applied best first while no two touch the same circle
        (so each applied gain is exact), until a round finds nothing that improves the total."""
        n, s = self.p.n, self.p.score
        rows = np.arange(n)
        for _ in range(max_rounds):
            label = self.label
            own = self.g[rows, label]
            x = self.g[:, label]  # x[i, j]: i's summed score towards j's circle
            swap = x + x.T - own[:, None] - own[None, :] - 2 * s
            swap[label[:, None] == label[None, :]] = -np.inf
            best_j = np.argmax(swap, axis=1)
            swap_gain = swap[rows, best_j]
            move = self.g - own[:, None]
            move[rows, label] = -np.inf
            move[:, self.size >= self.hi] = -np.inf
            move[self.size[label] <= self.lo, :] = -np.inf
            best_b = np.argmax(move, axis=1)
            move_gain = move[rows, best_b]
            gains = np.concatenate([swap_gain, move_gain])
            order = np.flatnonzero(gains > 1e-9)
            if order.size == 0:
                return
            order = order[np.lexsort((order, -gains[order]))]
            touched = np.zeros(self.c, dtype=bool)
            for k in order:
                i = k % n
                a = label[i]
                if k < n:
                    j = best_j[i]
                    b = label[j]
                    if touched[a] or touched[b]:
                        continue
                    self._move(i, b)
                    self._move(j, a)
                else:
                    b = best_b[i]
                    if touched[a] or touched[b]:
                        continue
                    self._move(i, b)
                touched[a] = touched[b] = True


def _repair(problem, circles, hi):
    """Take out whoever breaks a hard rule in their circle (most broken pairs first), then put each
    back where they break none and fit best, if a circle has room; returns (circles, unplaced)."""
    circles = [list(c) for c in circles]
    out = []
    for circle in circles:
        while len(circle) > 1:
            idx = np.asarray(circle)
            bad = (~problem.allowed[np.ix_(idx, idx)]).sum(axis=1)
            if bad.max() == 0:
                break
            out.append(circle.pop(int(np.argmax(bad))))
    unplaced = []
    for i in out:
        options = [
            (float(problem.fit[i, c].sum()), -n) if len(c) < hi and problem.allowed[i, c].all() else None
            for n, c in enumerate(circles)
        ]
        choices = [(v, n) for n, v in enumerate(options) if v is not None]
        if choices:
            circles[max(choices)[1]].append(i)
        else:
            speaks = any(len(c) < hi and problem.speaks[i, c].all() for c in circles)
            unplaced.append((int(i), "excluded" if speaks else "language"))
    return circles, unplaced


def form_circles(problem: Problem, *, seed: int = 0, restarts: int = 4) -> CircleResult:
    """The heuristic (see the module docstring): greedy, hardest first, then local search and a few
    seeded perturbations; people who break a rule wherever they go end unplaced."""
    import time

    started = time.perf_counter()
    n, k = problem.n, problem.k
    sizes = sizes_for(n, k)
    if not sizes:
        return _result(problem, [], [(i, "too_few") for i in range(n)], started)
    lo, hi = min(min(sizes), k - 1), max(max(sizes), k + 1)
    compatible = problem.allowed.sum(axis=1)
    order = np.lexsort((np.arange(n), compatible))
    starts = [_greedy(problem, order, sizes), _greedy(problem, np.arange(n), sizes)]
    rng = np.random.default_rng(seed)
    best = None
    for circles in starts:
        label = np.empty(n, dtype=np.int64)
        for c, members in enumerate(circles):
            label[members] = c
        search = _Search(problem, label, len(circles), lo, hi)
        search.improve()
        if best is None or search.total() > best.total() + 1e-9:
            best = search
    for _ in range(restarts):
        trial = _Search(problem, best.label, best.c, lo, hi)
        for _ in range(max(1, n // 20)):
            i, j = rng.integers(0, n, size=2)
            a, b = trial.label[i], trial.label[j]
            if a != b:
                trial._move(i, b)
                trial._move(j, a)
        trial.improve()
        if trial.total() > best.total() + 1e-9:
            best = trial
    circles = [np.flatnonzero(best.label == c).tolist() for c in range(best.c)]
    circles, unplaced = _repair(problem, circles, hi)
    return _result(problem, circles, unplaced, started)
