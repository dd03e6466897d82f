"""Peer circles (matching/engine/circles.py): everyone placed in valid sizes, hard rules never
broken, heuristic quality >= greedy >= random, deterministic."""

import numpy as np
import pytest

from matching.engine import tag_matrix
from matching.engine.circles import (
    Problem,
    circle_quality,
    form_circles,
    greedy_circles,
    random_circles,
    sizes_for,
)


def instance(seed, n, k=5, *, languages=(1, 3), exclusions=0, n_tags=20):
    rng = np.random.default_rng(seed)

    def tags():
        return tag_matrix(
            [rng.choice(n_tags, size=rng.integers(1, 5), replace=False) for _ in range(n)], n_tags
        )

    pairs = np.column_stack([rng.integers(0, n, exclusions), rng.integers(0, n, exclusions)])
    return Problem.build(
        languages=rng.choice(languages, size=n),
        goals=tags(),
        interests=tags(),
        availability=rng.integers(0, 1 << 21, size=n) & rng.integers(0, 1 << 21, size=n),
        area=rng.integers(-1, 5, size=n),
        k=k,
        exclusions=pairs[pairs[:, 0] != pairs[:, 1]],
    )


@pytest.mark.parametrize(("n", "k"), [(4, 5), (5, 5), (10, 5), (23, 5), (60, 4), (61, 6), (100, 5)])
def test_sizes_cover_everyone_within_k_minus_one_to_k_plus_one(n, k):
    sizes = sizes_for(n, k)
    assert sum(sizes) == n
    assert all(k - 1 <= s <= k + 1 for s in sizes)


def test_too_few_people_form_no_circle():
    result = form_circles(instance(0, 3, k=5))
    assert result.circles == []
    assert [code for _, code in result.unplaced] == ["too_few"] * 3


@pytest.mark.parametrize("seed", range(8))
def test_everyone_is_placed_in_valid_sizes_when_everyone_shares_a_language(seed):
    problem = instance(seed, 47, languages=(1, 3))  # everyone speaks language 1
    result = form_circles(problem)
    assert result.unplaced == []
    assert sorted(i for c in result.circles for i in c) == list(range(47))
    assert all(4 <= len(c) <= 6 for c in result.circles)
    assert result.violations == 0


@pytest.mark.parametrize("seed", range(8))
def test_hard_rules_are_never_broken(seed):
    problem = instance(seed, 40, languages=(1, 2, 3, 4), exclusions=30)
    result = form_circles(problem)
    for circle in result.circles:
        idx = np.asarray(circle)
        assert problem.allowed[np.ix_(idx, idx)].all()
    assert result.violations == 0
    placed = [i for c in result.circles for i in c]
    assert sorted(placed + [i for i, _ in result.unplaced]) == list(range(40))
    assert {code for _, code in result.unplaced} <= {"language", "excluded"}


@pytest.mark.parametrize("seed", range(6))
def test_heuristic_beats_greedy_beats_random(seed):
    problem = instance(seed, 80, languages=(1,))
    heuristic, greedy, rand = (
        form_circles(problem),
        greedy_circles(problem),
        random_circles(problem, seed=seed),
    )
    assert heuristic.quality >= greedy.quality >= rand.quality
    assert heuristic.quality > rand.quality


def test_deterministic():
    problem = instance(3, 60, languages=(1, 3, 2), exclusions=10)
    assert form_circles(problem).circles == form_circles(problem).circles
    assert random_circles(problem, seed=1).circles == random_circles(problem, seed=1).circles


def test_quality_counts_broken_pairs():
    allowed = np.ones((4, 4), dtype=bool)
    allowed[2, 3] = allowed[3, 2] = False
    problem = Problem(np.full((4, 4), 0.5) - np.eye(4) * 0.5, allowed, k=2)
    quality, broken = circle_quality(problem, [[0, 1], [2, 3]])
    assert quality == 0.5
    assert broken == 1
    assert circle_quality(problem, [[0, 2], [1, 3]]) == (0.5, 0)
