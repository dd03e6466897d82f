"""Benchmark of `matching.engine`: the exact engine against SciPy's dense assignment and greedy.

    .venv/bin/python -m bench.matching_engine [--skip-dense-large] [--sizes 2000x1000,10000x5000]

`run()` is the entry point for ``bench/__main__.py``. Every measurement runs in a fresh subprocess, so
peak memory (the process's max RSS) and timings are not polluted by earlier runs; engine figures are
the median of ``repeat`` processes. The problems are synthetic but shaped like real programmes (seeded).
Reported: score-matrix time, solve time (sparse solves, pricing, result), engine total, pricing rounds,
peak memory; the dense reference (linear_sum_assignment on capacity-expanded columns, same objective)
as engine-time / dense-time; greedy's total as a percentage of the optimum; and the relative
difference between the engine's total and the dense optimum (must be <= 1e-9).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from matching.engine import MatchingProblem, Mentees, Mentors

N_TAGS = 300
N_LANGUAGES = 10
N_AREAS = 12
SIZES = ((2000, 1000), (10000, 5000))
LARGE = 2000 * 1000  # problems with more pairs than this skip the dense reference on --skip-dense-large
ROOT = Path(__file__).resolve().parents[1]


def _tag_lists(rng, count, popularity):
    sizes = rng.integers(3, 9, size=count)
    return [rng.choice(N_TAGS, size=s, replace=False, p=popularity).tolist() for s in sizes]


def _languages(rng, count):
    others = np.arange(1, N_LANGUAGES)
    weights = 1.0 / others
    weights /= weights.sum()
    masks = np.zeros(count, dtype=np.int64)
    english = rng.random(count) < 0.85
    masks[english] |= 1
    extra = rng.integers(0, 3, size=count) + (~english)  # non-English speakers speak at least one other
    for k in range(count):
        for lang in rng.choice(others, size=min(extra[k], 2), replace=False, p=weights):
            masks[k] |= 1 << int(lang)
    return masks


def _availability(rng, count):
    # Evenings on weekdays and weekend daytimes are the popular slots.
    slot_weight = np.array([1, 1, 4] * 5 + [3, 3, 2] * 2, dtype=float)
    slot_weight /= slot_weight.sum()
    sizes = rng.integers(2, 10, size=count)
    masks = np.zeros(count, dtype=np.int32)
    for k in range(count):
        for slot in rng.choice(21, size=sizes[k], replace=False, p=slot_weight):
            masks[k] |= 1 << int(slot)
    masks[rng.random(count) < 0.05] = 0  # some never said
    return masks


def _places(rng, count, centres):
    area = rng.integers(0, N_AREAS, size=count)
    area[rng.random(count) < 0.08] = -1
    lat = np.full(count, np.nan)
    lon = np.full(count, np.nan)
    known = rng.random(count) < 0.5
    base = np.where(area >= 0, area, rng.integers(0, N_AREAS, size=count))
    lat[known] = centres[base[known], 0] + rng.normal(0, 0.05, size=known.sum())
    lon[known] = centres[base[known], 1] + rng.normal(0, 0.07, size=known.sum())
    mode = rng.choice(3, size=count, p=[0.25, 0.25, 0.5])
    return area, lat, lon, mode


def make_problem(n_mentees: int, n_mentors: int, seed: int = 0, **options) -> MatchingProblem:
    """Synthetic but realistic profiles (seeded): a few hundred tags with skewed popularity, 3-8 goals,
    skills and interests each, 1-3 of 10 languages with English most common, 12 areas, ~30% minors,
    weekly availability patterns, coordinates for half of the people, capacities 1-3, a max distance."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, N_TAGS + 1) ** 0.9
    popularity /= popularity.sum()
    popularity = popularity[rng.permutation(N_TAGS)]
    centres = np.column_stack([rng.uniform(50.6, 51.4, N_AREAS), rng.uniform(6.4, 7.6, N_AREAS)])

    area, lat, lon, mode = _places(rng, n_mentees, centres)
    pref_gender = np.where(rng.random(n_mentees) < 0.25, rng.integers(0, 2, n_mentees), -1)
    pref_age = np.where(rng.random(n_mentees) < 0.15, rng.integers(0, 5, n_mentees), -1)
    mentees = Mentees(
        languages=_languages(rng, n_mentees),
        goals=_tag_lists(rng, n_mentees, popularity),
        interests=_tag_lists(rng, n_mentees, popularity),
        availability=_availability(rng, n_mentees),
        area=area,
        mode=mode,
        lat=lat,
        lon=lon,
        is_minor=rng.random(n_mentees) < 0.3,
        preferred_gender=pref_gender,
        gender_required=rng.random(n_mentees) < 0.3,
        preferred_age_band=pref_age,
        age_band_required=rng.random(n_mentees) < 0.3,
    )
    area, lat, lon, mode = _places(rng, n_mentors, centres)
    mentors = Mentors(
        languages=_languages(rng, n_mentors),
        capacity=rng.choice([1, 2, 3], size=n_mentors, p=[0.5, 0.3, 0.2]),
        skills=_tag_lists(rng, n_mentors, popularity),
        interests=_tag_lists(rng, n_mentors, popularity),
        availability=_availability(rng, n_mentors),
        area=area,
        mode=mode,
        lat=lat,
        lon=lon,
        gender=rng.choice([-1, 0, 1, 2], size=n_mentors, p=[0.05, 0.45, 0.45, 0.05]),
        age_band=np.where(rng.random(n_mentors) < 0.05, -1, rng.integers(0, 5, n_mentors)),
        background_check_current=rng.random(n_mentors) < 0.75,
    )
    exclusions = np.column_stack(
        [rng.integers(0, n_mentees, n_mentees // 20), rng.integers(0, n_mentors, n_mentees // 20)]
    )
    options.setdefault("max_distance_km", 40.0)
    return MatchingProblem(mentees, mentors, exclusions=exclusions, **options)


# ---------------------------------------------------------------------------------------- measuring


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def _measure(method: str, n: int, m: int, seed: int) -> dict:
    """One measurement, in this (fresh) process."""
    from matching import engine

    problem = make_problem(n, m, seed)  # the engine's own preparation is timed, inside solve()
    before = _rss_bytes()
    started = time.perf_counter()
    run = {
        "engine": engine.solve,
        "dense": engine.dense_reference_assignment,
        "greedy": engine.greedy_assignment,
    }
    result = run[method](problem)
    seconds = time.perf_counter() - started
    return {
        "method": method,
        "seconds": seconds,
        "score_seconds": result.score_seconds,
        "solve_seconds": result.solve_seconds,
        "pricing_rounds": result.pricing_rounds,
        "matched": result.n_matched,
        "total": result.total_score,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "before_mb": before / 2**20,
    }


def _measure_in_subprocess(method: str, n: int, m: int, seed: int) -> dict:
    command = [sys.executable, "-m", "bench.matching_engine", "--measure", method, str(n), str(m), str(seed)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{method} {n}x{m} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(*, skip_dense_large: bool = False, sizes=SIZES, seed: int = 0, repeat: int = 3) -> list[dict]:
    """Measure every size and print the table; returns the rows."""
    rows = []
    for n, m in sizes:
        print(f"  {n} x {m}: engine x{repeat} ...", flush=True)
        engines = [_measure_in_subprocess("engine", n, m, seed) for _ in range(repeat)]
        engine = dict(engines[0])
        for key in ("seconds", "score_seconds", "solve_seconds", "peak_mb"):
            engine[key] = statistics.median(e[key] for e in engines)
        print(f"  {n} x {m}: greedy ...", flush=True)
        greedy = _measure_in_subprocess("greedy", n, m, seed)
        dense = None
        if not (skip_dense_large and n * m > LARGE):
            print(f"  {n} x {m}: dense reference (slow) ...", flush=True)
            dense = _measure_in_subprocess("dense", n, m, seed)
        rows.append({"n": n, "m": m, "engine": engine, "greedy": greedy, "dense": dense})
    _print_table(rows, repeat)
    return rows


def _print_table(rows, repeat):
    print()
    print(f"matching engine (median of {repeat} fresh processes) vs dense reference and greedy")
    head = (
        f"{'size':>11} {'score s':>8} {'solve s':>8} {'total s':>8} {'rounds':>6} {'peak MB':>8} "
        f"{'dense s':>8} {'dense MB':>9} {'eng/dense':>9} {'greedy/opt':>10} {'|eng-opt|/opt':>13} "
        f"{'matched':>7}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        e, g, d = row["engine"], row["greedy"], row["dense"]
        optimum = d["total"] if d else e["total"]
        same = d is None or d["matched"] == e["matched"]
        line = (
            f"{row['n']:>5}x{row['m']:<5} {e['score_seconds']:8.3f} {e['solve_seconds']:8.3f} "
            f"{e['seconds']:8.3f} {e['pricing_rounds']:6d} {e['peak_mb']:8.0f} "
        )
        if d:
            rel = abs(e["total"] - d["total"]) / max(abs(d["total"]), 1e-300)
            line += f"{d['seconds']:8.2f} {d['peak_mb']:9.0f} {e['seconds'] / d['seconds']:9.4f} "
        else:
            rel = None
            line += f"{'skipped':>8} {'':>9} {'':>9} "
        line += f"{100 * g['total'] / optimum:9.2f}% "
        line += f"{rel:13.1e} " if rel is not None else f"{'n/a':>13} "
        line += f"{e['matched']:>7}" + ("" if same else f" (dense: {d['matched']})")
        print(line)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average during the run: {load} ({os.cpu_count()} cores; other jobs share them)")
    print(
        "greedy/opt: greedy total as % of the optimum (greedy matched "
        + ", ".join(f"{r['greedy']['matched']}" for r in rows)
        + "); peak MB: max RSS of the whole process, problem included"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.matching_engine", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--skip-dense-large", action="store_true", help="no dense reference at 10k x 5k")
    parser.add_argument("--sizes", default=",".join(f"{n}x{m}" for n, m in SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", nargs=4, metavar=("METHOD", "N", "M", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        method, n, m, seed = args.measure
        print(json.dumps(_measure(method, int(n), int(m), int(seed))))
        return 0
    sizes = [tuple(int(x) for x in size.split("x")) for size in args.sizes.split(",")]
    run(skip_dense_large=args.skip_dense_large, sizes=sizes, seed=args.seed, repeat=args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
