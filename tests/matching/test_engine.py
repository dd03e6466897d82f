"""Tests of the pure matching engine (no Django; runs with ``-p no:django``)."""

import dataclasses
import itertools
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    EITHER,
    IN_PERSON,
    ONLINE,
    MatchingProblem,
    Mentees,
    Mentors,
    Reason,
    Rule,
    Weights,
    availability_mask,
    dense_reference_assignment,
    explain,
    greedy_assignment,
    haversine_km,
    language_mask,
    ranked_mentors,
    solve,
    tag_matrix,
)
from matching.engine.solver import check_certificate, solve_sparse

ROOT = Path(__file__).resolve().parents[2]
ENGLISH, FRENCH, GERMAN = 1, 2, 4  # language bitmasks


# ------------------------------------------------------------------------------------------ helpers


def random_problem(rng, n, m, *, n_tags=12, max_capacity=3, min_score=None, max_distance_km=None):
    """Random people with plenty of ties, rules that bite and a few coordinates."""

    def tags(count):
        return [rng.choice(n_tags, size=rng.integers(0, 5), replace=False).tolist() for _ in range(count)]

    def coords(count):
        known = rng.random(count) < 0.5
        lat = np.where(known, 50.9 + rng.normal(0, 0.2, count), np.nan)
        lon = np.where(known, 6.9 + rng.normal(0, 0.3, count), np.nan)
        return lat, lon

    lat_e, lon_e = coords(n)
    lat_o, lon_o = coords(m)
    mentees = Mentees(
        languages=rng.choice([ENGLISH, FRENCH, ENGLISH | FRENCH, GERMAN], size=n, p=[0.6, 0.1, 0.2, 0.1]),
        goals=tags(n),
        interests=tags(n),
        availability=rng.integers(0, 1 << 21, size=n) & rng.integers(0, 1 << 21, size=n),
        area=rng.integers(-1, 4, size=n),
        mode=rng.integers(0, 3, size=n),
        lat=lat_e,
        lon=lon_e,
        is_minor=rng.random(n) < 0.3,
        preferred_gender=np.where(rng.random(n) < 0.4, rng.integers(0, 2, n), -1),
        gender_required=rng.random(n) < 0.3,
        preferred_age_band=np.where(rng.random(n) < 0.3, rng.integers(0, 3, n), -1),
        age_band_required=rng.random(n) < 0.3,
    )
    mentors = Mentors(
        languages=rng.choice([ENGLISH, FRENCH, ENGLISH | GERMAN], size=m, p=[0.6, 0.2, 0.2]),
        capacity=rng.integers(0, max_capacity + 1, size=m),
        skills=tags(m),
        interests=tags(m),
        availability=rng.integers(0, 1 << 21, size=m) & rng.integers(0, 1 << 21, size=m),
        area=rng.integers(-1, 4, size=m),
        mode=rng.integers(0, 3, size=m),
        lat=lat_o,
        lon=lon_o,
        gender=rng.integers(-1, 2, size=m),
        age_band=rng.integers(-1, 3, size=m),
        background_check_current=rng.random(m) < 0.7,
    )
    k = int(rng.integers(0, n * m // 4 + 1)) if n and m else 0
    exclusions = np.column_stack([rng.integers(0, n, k), rng.integers(0, m, k)]) if k else ()
    return MatchingProblem(
        mentees, mentors, exclusions=exclusions, min_score=min_score, max_distance_km=max_distance_km
    )


def pair_table(problem):
    """Exact scores and allowed-ness of every pair, through the public `explain`."""
    n, m = problem.n_mentees, problem.n_mentors
    score = np.zeros((n, m))
    allowed = np.zeros((n, m), dtype=bool)
    for i, j in itertools.product(range(n), range(m)):
        e = explain(problem, i, j)
        score[i, j], allowed[i, j] = e.score, e.is_candidate
    return score, allowed


def brute_force(problem):
    """(matched, total) of the best assignment by exhaustive search."""
    score, allowed = pair_table(problem)
    capacity = problem.mentors.capacity
    best = (0, 0.0)
    options = [
        [None] + [j for j in range(problem.n_mentors) if allowed[i, j]] for i in range(problem.n_mentees)
    ]
    for choice in itertools.product(*options):
        used = [j for j in choice if j is not None]
        if any(used.count(j) > capacity[j] for j in set(used)):
            continue
        value = (len(used), sum(score[i, j] for i, j in enumerate(choice) if j is not None))
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1]):
            best = value
    return best


def assert_valid(problem, result):
    loads = np.bincount([p.mentor for p in result.pairs], minlength=problem.n_mentors)
    assert np.all(loads <= problem.mentors.capacity)
    assert len({p.mentee for p in result.pairs}) == len(result.pairs)
    for pair in result.pairs:
        assert explain(problem, pair.mentee, pair.mentor).broken_rules == ()
    matched = {p.mentee for p in result.pairs}
    assert sorted(matched | {u.mentee for u in result.unmatched}) == list(range(problem.n_mentees))
    assert math.isclose(result.total_score, sum(p.score for p in result.pairs), rel_tol=1e-12, abs_tol=1e-9)


def same_optimum(a, b):
    return a.n_matched == b.n_matched and math.isclose(
        a.total_score, b.total_score, rel_tol=1e-9, abs_tol=1e-9
    )


def person(**fields):
    """One-mentee/one-mentor field helper: every value wrapped in a list."""
    return {key: [value] for key, value in fields.items()}


# ------------------------------------------------------------------------------------- optimality


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 5),
    m=st.integers(0, 4),
    min_score=st.one_of(st.none(), st.floats(0, 80)),
    max_distance_km=st.one_of(st.none(), st.floats(1, 60)),
)
def test_optimum_equals_exhaustive_search_on_small_instances(seed, n, m, min_score, max_distance_km):
    problem = random_problem(
        np.random.default_rng(seed),
        n,
        m,
        max_capacity=2,
        min_score=min_score,
        max_distance_km=max_distance_km,
    )
    result = solve(problem, candidates_per_mentee=1, candidates_per_place=1, pricing_slack=0.0)
    matched, total = brute_force(problem)
    assert result.n_matched == matched
    assert math.isclose(result.total_score, total, rel_tol=1e-9, abs_tol=1e-9)
    assert_valid(problem, result)


@pytest.mark.parametrize("seed", range(4))
def test_optimum_equals_the_dense_reference_on_medium_instances(seed):
    problem = random_problem(np.random.default_rng(seed), 150, 80, min_score=[None, 30.0][seed % 2])
    result = solve(problem)
    reference = dense_reference_assignment(problem)
    assert same_optimum(result, reference)
    assert_valid(problem, result)
    assert_valid(problem, reference)


def test_pricing_adds_pairs_outside_the_first_candidate_lists_and_still_reaches_the_optimum():
    problem = random_problem(np.random.default_rng(7), 120, 40, max_capacity=2)
    result = solve(problem, candidates_per_mentee=1, candidates_per_place=0, pricing_slack=0.0)
    assert result.pricing_rounds >= 1
    assert same_optimum(result, dense_reference_assignment(problem))


def test_maximum_cardinality_beats_a_higher_total_with_fewer_pairs():
    # Mentee 0 fits mentor 0 perfectly and mentor 1 poorly; mentee 1 can only take mentor 0. One pair
    # scores more than any other single pair, but two pairs are always preferred.
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH, FRENCH], goals=[[0, 1], [5]]),
        Mentors(languages=[ENGLISH | FRENCH, ENGLISH], capacity=[1, 1], skills=[[0, 1], []]),
    )
    result = solve(problem)
    assert result.n_matched == 2
    assert {(p.mentee, p.mentor) for p in result.pairs} == {(0, 1), (1, 0)}


def shuffled(side, order):
    """The same people in another order (every field of a `Mentees` or `Mentors`)."""
    return type(side)(**{f.name: getattr(side, f.name)[order] for f in dataclasses.fields(side)})


def test_the_optimum_does_not_depend_on_the_order_of_people():
    rng = np.random.default_rng(11)
    problem = random_problem(rng, 60, 25)
    pe, po = rng.permutation(60), rng.permutation(25)
    new_mentee, new_mentor = np.argsort(pe), np.argsort(po)
    reordered = MatchingProblem(
        shuffled(problem.mentees, pe),
        shuffled(problem.mentors, po),
        exclusions=np.column_stack(
            [new_mentee[problem.exclusions[:, 0]], new_mentor[problem.exclusions[:, 1]]]
        ),
    )
    assert same_optimum(solve(problem), solve(reordered))


def test_the_solver_certificate_rejects_a_suboptimal_matching():
    # Two mentees, two mentors, weights favour the crossed pairing.
    ei, ej, w = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([10, 1, 9, 8])
    capacity = np.array([1, 1])
    sol = solve_sparse(2, 2, capacity, ei, ej, w)
    check_certificate(sol, capacity, ei, ej, w)
    assert sol.mentor_of.tolist() == [0, 1] or sol.mentor_of.tolist() == [1, 0]
    assert (w[0] + w[3] if sol.mentor_of[0] == 0 else w[1] + w[2]) == 18
    sol.mentor_of[:] = sol.mentor_of[::-1]  # the worse pairing, same duals: complementary slackness fails
    with pytest.raises(AssertionError):
        check_certificate(sol, capacity, ei, ej, w)


# ----------------------------------------------------------------------------- rules and results


@pytest.mark.parametrize("seed", range(3))
def test_no_pair_breaks_a_hard_rule_and_capacities_hold(seed):
    problem = random_problem(np.random.default_rng(100 + seed), 200, 60, min_score=25.0, max_distance_km=20.0)
    for result in (solve(problem), greedy_assignment(problem)):
        assert_valid(problem, result)
        assert all(p.score >= 25.0 for p in result.pairs)


def test_output_is_deterministic():
    problem = random_problem(np.random.default_rng(5), 300, 90)
    first, second = solve(problem), solve(random_problem(np.random.default_rng(5), 300, 90))
    assert [(p.mentee, p.mentor, p.score) for p in first.pairs] == [
        (p.mentee, p.mentor, p.score) for p in second.pairs
    ]
    assert first.unmatched == second.unmatched


def test_pairs_carry_a_breakdown_that_adds_up_to_the_score():
    problem = random_problem(np.random.default_rng(3), 50, 20)
    result = solve(problem)
    assert result.pairs == sorted(result.pairs, key=lambda p: p.mentee)
    for pair in result.pairs:
        assert [c.name for c in pair.criteria] == [
            "goals",
            "interests",
            "availability",
            "location",
            "preferences",
        ]
        assert math.isclose(sum(c.points for c in pair.criteria), pair.score, rel_tol=1e-12)
        assert pair.criteria == explain(problem, pair.mentee, pair.mentor).criteria


def test_min_score_is_respected_even_with_free_places():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH, ENGLISH], goals=[[0], [1]]),
        Mentors(languages=[ENGLISH], capacity=[2], skills=[[0]]),
        min_score=70.0,
    )
    result = solve(problem)
    assert [(p.mentee, p.mentor) for p in result.pairs] == [(0, 0)]
    assert result.unmatched[0].reason is Reason.MIN_SCORE
    assert explain(problem, 1, 0).broken_rules == (Rule.MIN_SCORE,)


def test_greedy_takes_the_highest_scores_first_and_can_miss_the_optimum():
    # Mentee 0 scores best with mentor 0, but mentee 1 has nobody else: greedy takes (0, 0) first.
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH | FRENCH, FRENCH], goals=[[0, 1], [0]]),
        Mentors(languages=[ENGLISH | FRENCH, ENGLISH], capacity=[1, 1], skills=[[0, 1], [0]]),
    )
    greedy, best = greedy_assignment(problem), solve(problem)
    assert [(p.mentee, p.mentor) for p in greedy.pairs] == [(0, 0)]
    assert best.n_matched == 2 and greedy.total_score < best.total_score


@pytest.mark.parametrize("seed", range(3))
def test_greedy_matches_a_plain_sorted_implementation(seed):
    problem = random_problem(np.random.default_rng(200 + seed), 40, 15, min_score=[None, 20.0, 40.0][seed])
    score, allowed = pair_table(problem)
    remaining = problem.mentors.capacity.copy()
    expected = {}
    for _, i, j in sorted((-score[i, j], i, j) for i, j in zip(*np.nonzero(allowed), strict=True)):
        if i not in expected and remaining[j] > 0:
            expected[i] = j
            remaining[j] -= 1
    assert {p.mentee: p.mentor for p in greedy_assignment(problem).pairs} == expected


# ------------------------------------------------------------------------------------------ reasons


def reason_of(problem, mentee=0):
    result = solve(problem)
    (unmatched,) = [u for u in result.unmatched if u.mentee == mentee]
    return unmatched


def test_a_mentee_nobody_shares_a_language_with_is_told_so():
    problem = MatchingProblem(
        Mentees(languages=[FRENCH]), Mentors(languages=[ENGLISH, GERMAN], capacity=[1, 1])
    )
    u = reason_of(problem)
    assert u.reason is Reason.LANGUAGE and u.message == "no mentor shares a language"


def test_a_minor_without_checked_mentors_is_told_about_the_background_check():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], is_minor=[True]),
        Mentors(languages=[ENGLISH, FRENCH], capacity=[1, 1], background_check_current=[False, True]),
    )
    u = reason_of(problem)
    assert u.reason is Reason.BACKGROUND_CHECK and "background check" in u.message


def test_a_mentee_whose_mentors_are_all_excluded_is_told_so():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH]),
        Mentors(languages=[ENGLISH, ENGLISH, FRENCH], capacity=[1, 1, 1]),
        exclusions=[(0, 0), (0, 1)],
    )
    u = reason_of(problem)
    assert u.reason is Reason.EXCLUDED and "all 2 mentors" in u.message


def test_a_mentee_whose_required_preferences_nobody_meets_is_told_so():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], preferred_gender=[1], gender_required=[True]),
        Mentors(languages=[ENGLISH, ENGLISH], capacity=[1, 1], gender=[0, -1]),
    )
    u = reason_of(problem)
    assert u.reason is Reason.REQUIRED_PREFERENCES and "required gender" in u.message


def test_a_mentee_beyond_the_maximum_distance_is_told_so_unless_both_can_meet_online():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], mode=[IN_PERSON], lat=[50.94], lon=[6.96]),  # Cologne
        Mentors(languages=[ENGLISH], capacity=[1], mode=[EITHER], lat=[52.52], lon=[13.40]),  # Berlin
        max_distance_km=50.0,
    )
    u = reason_of(problem)
    assert u.reason is Reason.MAX_DISTANCE and "50 km" in u.message
    assert explain(problem, 0, 0).broken_rules == (Rule.MAX_DISTANCE,)
    online = MatchingProblem(
        Mentees(languages=[ENGLISH], mode=[ONLINE], lat=[50.94], lon=[6.96]),
        problem.mentors,
        max_distance_km=50.0,
    )
    assert solve(online).n_matched == 1  # both can meet online: the distance rule does not apply


def test_a_mentee_whose_mentors_are_all_full_is_told_so():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH]), Mentors(languages=[ENGLISH, FRENCH], capacity=[0, 2])
    )
    u = reason_of(problem)
    assert u.reason is Reason.NO_FREE_PLACES and "full" in u.message
    assert explain(problem, 0, 0).broken_rules == (Rule.CAPACITY,)


def test_a_mentee_below_the_minimum_score_is_told_so():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], goals=[[1]]),
        Mentors(languages=[ENGLISH], capacity=[1], skills=[[2]]),
        min_score=60.0,
    )
    u = reason_of(problem)
    assert u.reason is Reason.MIN_SCORE and "minimum score of 60" in u.message


def test_a_mentee_who_lost_compatible_mentors_to_others_hears_they_are_at_capacity():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH, ENGLISH], goals=[[0], [1]]),
        Mentors(languages=[ENGLISH], capacity=[1], skills=[[0]]),
    )
    u = reason_of(problem, mentee=1)
    assert u.reason is Reason.AT_CAPACITY and "other mentees" in u.message


def test_a_mentee_without_any_mentors_is_told_so():
    problem = MatchingProblem(Mentees(languages=[ENGLISH]), Mentors(languages=[], capacity=[]))
    assert reason_of(problem).reason is Reason.NO_MENTORS


def test_reasons_follow_the_rules_in_order():
    # The only French speaker is excluded; the English speaker would be fine but the mentee is French only.
    problem = MatchingProblem(
        Mentees(languages=[FRENCH], is_minor=[True]),
        Mentors(languages=[FRENCH, ENGLISH], capacity=[1, 1], background_check_current=[True, True]),
        exclusions=[(0, 0)],
    )
    assert reason_of(problem).reason is Reason.EXCLUDED


# ------------------------------------------------------------------------------- scores by hand


def test_breakdown_matches_a_hand_computed_example():
    problem = MatchingProblem(
        Mentees(
            **person(
                languages=ENGLISH,
                availability=availability_mask([(0, 0), (0, 1), (0, 2)]),
                area=3,
                preferred_gender=1,
                preferred_age_band=2,
            ),
            goals=[[0, 1, 2, 3]],
            interests=[[5, 6]],
        ),
        Mentors(
            **person(
                languages=ENGLISH | FRENCH,
                capacity=1,
                availability=availability_mask([(0, 2), (1, 0)]),
                area=3,
                mode=IN_PERSON,
                gender=1,
                age_band=0,
            ),
            skills=[[1, 2, 9]],
            interests=[[6, 7]],
        ),
    )
    e = explain(problem, 0, 0)
    values = {c.name: c.value for c in e.criteria}
    # goals 2 of 4, interests 1 of 2, one shared slot of min(3, 2), same area, 1 of 2 preferences met
    assert values == {
        "goals": 0.5,
        "interests": 0.5,
        "availability": 0.5,
        "location": 1.0,
        "preferences": 0.5,
    }
    assert e.score == pytest.approx(100 * (4 * 0.5 + 3 * 0.5 + 2 * 0.5 + 1 * 1 + 1 * 0.5) / 11)
    assert [round(c.points, 9) for c in e.criteria] == [
        round(100 * w * v / 11, 9) for w, v in [(4, 0.5), (3, 0.5), (2, 0.5), (1, 1.0), (1, 0.5)]
    ]
    assert e.broken_rules == () and e.is_candidate and e.distance_km is None


def test_empty_profile_fields_score_neutral_and_distance_falls_off():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], mode=[IN_PERSON], area=[1], lat=[50.0], lon=[7.0]),
        Mentors(
            languages=[ENGLISH],
            capacity=[1],
            mode=[EITHER],
            area=[2],
            lat=[50.0 + math.degrees(10 / 6371.0088)],
            lon=[7.0],
        ),
        weights=Weights(goals=1, interests=1, availability=1, location=1, preferences=1),
    )
    e = explain(problem, 0, 0)
    values = {c.name: c.value for c in e.criteria}
    assert e.distance_km == pytest.approx(10.0, abs=0.01)
    assert values["location"] == pytest.approx(1 - e.distance_km / 25)
    assert values["goals"] == values["interests"] == values["availability"] == 0.5
    assert values["preferences"] == 1.0
    assert e.score == pytest.approx(100 * (0.5 * 3 + values["location"] + 1) / 5)


def test_haversine_distance_of_a_known_pair():
    paris, london = (48.8566, 2.3522), (51.5074, -0.1278)
    expected = (
        2
        * 6371.0088
        * math.asin(
            math.sqrt(
                math.sin(math.radians(london[0] - paris[0]) / 2) ** 2
                + math.cos(math.radians(paris[0]))
                * math.cos(math.radians(london[0]))
                * math.sin(math.radians(london[1] - paris[1]) / 2) ** 2
            )
        )
    )
    assert float(haversine_km(*paris, *london)) == pytest.approx(expected, rel=1e-12)
    assert 343 < expected < 344


def test_explain_lists_every_broken_rule():
    problem = MatchingProblem(
        Mentees(languages=[FRENCH], is_minor=[True], preferred_age_band=[1], age_band_required=[True]),
        Mentors(languages=[ENGLISH], capacity=[0], age_band=[2]),
        exclusions=[(0, 0)],
    )
    e = explain(problem, 0, 0)
    assert e.broken_rules == (
        Rule.LANGUAGE,
        Rule.BACKGROUND_CHECK,
        Rule.EXCLUDED,
        Rule.REQUIRED_AGE_BAND,
        Rule.CAPACITY,
    )
    assert len(e.rule_messages) == 5 and not e.is_candidate


def test_ranked_mentors_lists_compatible_mentors_best_first():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], goals=[[0, 1]]),
        Mentors(
            languages=[ENGLISH, ENGLISH, FRENCH, ENGLISH],
            capacity=[1, 1, 1, 1],
            skills=[[0], [0, 1], [0, 1], [0]],
        ),
    )
    ranked = ranked_mentors(problem, 0)
    assert [j for j, _ in ranked] == [1, 0, 3]  # the French-only mentor is not compatible; ties by index
    assert ranked[0][1] > ranked[1][1] == ranked[2][1]
    assert ranked_mentors(problem, 0, limit=1) == ranked[:1]


# -------------------------------------------------------------------------------------------- input


def test_input_helpers_build_masks_and_tag_matrices():
    assert availability_mask([0, (6, 2)]) == 1 | (1 << 20)
    assert language_mask([0, 3]) == 0b1001
    assert language_mask([63]) == -(1 << 63)  # int64 sign bit
    matrix = tag_matrix([[2, 0, 2], [], [1]], n_tags=4)
    assert matrix.shape == (3, 4) and matrix.toarray().tolist() == [[1, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0]]
    with pytest.raises(ValueError):
        availability_mask([21])
    with pytest.raises(ValueError):
        Mentors(languages=[1], capacity=[-1])
    with pytest.raises(ValueError):
        MatchingProblem(Mentees(languages=[1]), Mentors(languages=[1], capacity=[1]), exclusions=[(0, 1)])


def test_different_vocabulary_widths_are_aligned():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], goals=tag_matrix([[0]], n_tags=3)),
        Mentors(languages=[ENGLISH], capacity=[1], skills=[[0, 7]]),
    )
    assert {c.name: c.value for c in explain(problem, 0, 0).criteria}["goals"] == 1.0


def test_the_engine_imports_nothing_from_django():
    code = "import sys, matching.engine; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_huge_capacities_are_handled_without_expanding_them():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH] * 3, goals=[[0], [1], [2]]),
        Mentors(languages=[ENGLISH, ENGLISH], capacity=[10**12, 1], skills=[[0, 1, 2], [0]]),
    )
    result = solve(problem)
    assert result.n_matched == 3 and same_optimum(result, dense_reference_assignment(problem))


def test_database_number_types_are_accepted():
    problem = MatchingProblem(
        Mentees(languages=[ENGLISH], lat=[Decimal("50.94")], lon=[Decimal("6.96")], mode=[IN_PERSON]),
        Mentors(languages=[ENGLISH], capacity=[1], lat=[50.95], lon=[6.97]),
        min_score=Decimal("40"),
        max_distance_km=30,
    )
    assert solve(problem).n_matched == 1
    assert isinstance(problem.min_score, float) and problem.max_distance_km == 30.0
