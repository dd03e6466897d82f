"""Group matching (matching/group_pool.py on the pair engine) against exhaustive search on small
random instances: the same number placed and the same total, group sizes and hard rules respected."""

import itertools
import math

import numpy as np
import pytest

from matching import engine
from matching.engine.groups import combine_leaders

ENGLISH, FRENCH, GERMAN = 1, 2, 4


def random_instance(rng):
    n = int(rng.integers(0, 7))
    n_leaders = int(rng.integers(1, 5))
    n_groups = int(rng.integers(1, 4))

    def tags(count):
        return [rng.choice(8, size=rng.integers(0, 4), replace=False).tolist() for _ in range(count)]

    mentees = engine.Mentees(
        languages=rng.choice([ENGLISH, FRENCH, ENGLISH | FRENCH, GERMAN], size=n),
        goals=engine.tag_matrix(tags(n), 8),
        interests=engine.tag_matrix(tags(n), 8),
        availability=rng.integers(0, 1 << 21, size=n) & rng.integers(0, 1 << 21, size=n),
        area=rng.integers(-1, 3, size=n),
        is_minor=rng.random(n) < 0.4,
    )
    leaders = engine.Mentors(
        languages=rng.choice([ENGLISH, FRENCH, GERMAN, ENGLISH | GERMAN], size=n_leaders),
        capacity=np.ones(n_leaders, dtype=int),
        skills=engine.tag_matrix(tags(n_leaders), 8),
        interests=engine.tag_matrix(tags(n_leaders), 8),
        availability=rng.integers(0, 1 << 21, size=n_leaders),
        area=rng.integers(-1, 3, size=n_leaders),
        background_check_current=rng.random(n_leaders) < 0.6,
    )
    groups = [
        rng.choice(n_leaders, size=rng.integers(1, min(n_leaders, 2) + 1), replace=False).tolist()
        for _ in range(n_groups)
    ]
    capacity = rng.integers(1, 4, size=n_groups)
    k = int(rng.integers(0, n * n_leaders // 3 + 1)) if n else 0
    exclusions = np.column_stack([rng.integers(0, n, k), rng.integers(0, n_leaders, k)]) if k else ()
    mentors, pairs = combine_leaders(leaders, groups, capacity, exclusions)
    problem = engine.MatchingProblem(mentees, mentors, exclusions=pairs, min_score=[None, 30.0][n % 2])
    return problem, mentees, leaders, groups, capacity, exclusions


def raw_allowed(mentees, leaders, groups, exclusions, i, g):
    """The group rules from the leaders themselves: a language shared with some leader, every leader
    checked for a minor, no leader excluded."""
    members = groups[g]
    if not any(int(mentees.languages[i]) & int(leaders.languages[j]) for j in members):
        return False
    if mentees.is_minor[i] and not all(leaders.background_check_current[j] for j in members):
        return False
    excluded = {(int(a), int(b)) for a, b in np.asarray(exclusions).reshape(-1, 2)}
    return not any((i, j) in excluded for j in members)


def brute_force(problem):
    n, m = problem.n_mentees, problem.n_mentors
    table = {(i, g): engine.explain(problem, i, g) for i in range(n) for g in range(m)}
    options = [[None] + [g for g in range(m) if table[i, g].is_candidate] for i in range(n)]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used = [g for g in choice if g is not None]
        if any(used.count(g) > problem.mentors.capacity[g] for g in set(used)):
            continue
        value = (len(used), sum(table[i, g].score for i, g in enumerate(choice) if g is not None))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1] + 1e-12):
            best = value
    return best


@pytest.mark.parametrize("seed", range(60))
def test_group_matching_equals_exhaustive_search_and_keeps_sizes_and_rules(seed):
    problem, mentees, leaders, groups, capacity, exclusions = random_instance(np.random.default_rng(seed))
    result = engine.solve(problem, candidates_per_mentee=1, candidates_per_place=1, pricing_slack=0.0)
    placed, total = brute_force(problem)
    assert result.n_matched == placed
    assert math.isclose(result.total_score, total, rel_tol=1e-9, abs_tol=1e-9)
    loads = np.bincount([p.mentor for p in result.pairs], minlength=len(groups))
    assert np.all(loads <= capacity)
    for pair in result.pairs:
        assert raw_allowed(mentees, leaders, groups, exclusions, pair.mentee, pair.mentor)
        assert engine.explain(problem, pair.mentee, pair.mentor).broken_rules == ()
    # Everyone not placed has a reason from the engine's hard rules.
    assert {u.mentee for u in result.unmatched} | {p.mentee for p in result.pairs} == set(
        range(problem.n_mentees)
    )


@pytest.mark.parametrize("seed", range(30))
def test_combined_profile_applies_the_leaders_rules(seed):
    problem, mentees, leaders, groups, _, exclusions = random_instance(np.random.default_rng(100 + seed))
    for i, g in itertools.product(range(problem.n_mentees), range(len(groups))):
        broken = set(engine.explain(problem, i, g).broken_rules)
        rules = {engine.Rule.LANGUAGE, engine.Rule.BACKGROUND_CHECK, engine.Rule.EXCLUDED}
        assert (not broken & rules) == raw_allowed(mentees, leaders, groups, exclusions, i, g)


def test_combined_profile_unions_tags_and_intersects_availability():
    leaders = engine.Mentors(
        languages=[ENGLISH, FRENCH],
        capacity=[1, 1],
        skills=[[0], [1]],
        interests=[[2], [3]],
        availability=[0b0111, 0b0110],
        area=[5, 6],
        background_check_current=[True, False],
    )
    mentors, pairs = combine_leaders(leaders, [[0, 1], [1]], [3, 2], [(4, 1)])
    assert mentors.languages.tolist() == [ENGLISH | FRENCH, FRENCH]
    assert mentors.skills.toarray().tolist() == [[1, 1], [0, 1]]
    assert mentors.interests.toarray().tolist() == [[0, 0, 1, 1], [0, 0, 0, 1]]
    assert mentors.availability.tolist() == [0b0110, 0b0110]
    assert mentors.area.tolist() == [5, 6]
    assert mentors.background_check_current.tolist() == [False, False]
    assert mentors.capacity.tolist() == [3, 2]
    assert pairs == [(4, 0), (4, 1)]
