"""Benchmark of group matching and peer circles (synthetic, seeded; no database).

    .venv/bin/python -m bench groups

Group matching: 5,000 mentees into 500 groups (one or two leaders each, 8 places) through the exact
engine, beside the greedy baseline on the same problem (time and total, ratios side by side).
Peer circles: 500 mentees into circles of 5 with the heuristic, beside random and greedy circles
(quality = mean within-circle pairwise fit; pairs breaking a hard rule counted; time against greedy).
Each ends with its target and PASS/MISS.
"""

import time

import numpy as np

from bench.matching_engine import make_problem
from matching import engine
from matching.engine import circles
from matching.engine.groups import combine_leaders

N_MENTEES, N_GROUPS, PLACES = 5000, 500, 8
N_CIRCLE, CIRCLE_SIZE = 500, 5
GROUP_TARGET_RATIO = 3.0  # exact engine time / greedy time, side by side (absolute times are noisy)


def group_problem(seed=0):
    rng = np.random.default_rng(seed)
    base = make_problem(N_MENTEES, int(N_GROUPS * 1.4), seed=seed)
    leaders = np.arange(len(base.mentors))
    order = rng.permutation(leaders)
    groups = [[int(order[g])] for g in range(N_GROUPS)]
    for g, extra in enumerate(order[N_GROUPS:]):  # 200 groups get a co-leader
        groups[g].append(int(extra))
    mentors, pairs = combine_leaders(base.mentors, groups, np.full(N_GROUPS, PLACES), base.exclusions)
    return engine.MatchingProblem(
        base.mentees, mentors, exclusions=pairs, weights=base.weights, max_distance_km=base.max_distance_km
    )


def _timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def run():
    problem, build = _timed(group_problem)
    exact, t_exact = _timed(lambda: engine.solve(problem))
    greedy, t_greedy = _timed(lambda: engine.greedy_assignment(problem))
    print(
        f"group matching: {N_MENTEES} mentees x {N_GROUPS} groups ({PLACES} places), "
        f"problem built in {build:.2f} s"
    )
    print(f"  {'':18}{'seconds':>9}{'placed':>8}{'total':>12}")
    print(f"  {'exact engine':18}{t_exact:9.2f}{exact.n_matched:8d}{exact.total_score:12.1f}")
    print(f"  {'greedy baseline':18}{t_greedy:9.2f}{greedy.n_matched:8d}{greedy.total_score:12.1f}")
    print(
        f"  ratios engine/greedy: time {t_exact / t_greedy:.2f}x, "
        f"placed {exact.n_matched / max(1, greedy.n_matched):.4f}, "
        f"total {exact.total_score / max(1e-9, greedy.total_score):.4f}"
    )
    optimal = exact.n_matched >= greedy.n_matched and exact.total_score >= greedy.total_score - 1e-6
    fast = t_exact <= GROUP_TARGET_RATIO * t_greedy
    print(
        f"  target: the exact engine places at least as many, with at least greedy's total, in <= "
        f"{GROUP_TARGET_RATIO:.0f}x greedy's time: {'PASS' if optimal and fast else 'MISS'}"
    )

    base = make_problem(N_CIRCLE, 1, seed=1).mentees
    problem, build = _timed(
        lambda: circles.Problem.build(
            languages=base.languages,
            goals=base.goals,
            interests=base.interests,
            availability=base.availability,
            area=base.area,
            k=CIRCLE_SIZE,
        )
    )
    heuristic = circles.form_circles(problem)
    greedy = circles.greedy_circles(problem)
    rand = circles.random_circles(problem)
    print(f"\npeer circles: {N_CIRCLE} mentees into circles of {CIRCLE_SIZE} (pair-fit matrix {build:.2f} s)")
    print(
        f"  {'':12}{'seconds':>9}{'time/greedy':>12}{'quality':>9}{'vs random':>11}{'vs greedy':>11}"
        f"{'broken':>8}{'unplaced':>10}"
    )
    for name, result in (("heuristic", heuristic), ("greedy", greedy), ("random", rand)):
        print(
            f"  {name:12}{result.seconds:9.3f}{result.seconds / max(greedy.seconds, 1e-9):11.2f}x"
            f"{result.quality:9.4f}{result.quality / rand.quality:10.3f}x"
            f"{result.quality / greedy.quality:10.3f}x{result.violations:8d}{len(result.unplaced):10d}"
        )
    total = build + heuristic.seconds
    better = heuristic.quality >= greedy.quality and heuristic.quality >= rand.quality
    print(
        f"  target: heuristic quality >= greedy and random, end to end {total:.2f} s <= 2 s: "
        f"{'PASS' if better and total <= 2 else 'MISS'}"
    )


if __name__ == "__main__":
    run()
