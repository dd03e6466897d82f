"""Benchmark of matching end to end: from the database to stored suggestions (issues 4 and 17).

On a database of its own, ``bench_<pid>`` (bench.evaluation.scratch_database: created, migrated and
dropped on the configured server; a developer's data is never touched), one program with N mentees
and N/2 mentors (capacities 1-3), all matchable, with realistic profiles (the generator of
bench.matching_engine). Each measurement runs in a fresh process, as a worker would (django.setup,
then the call), so its peak memory (VmHWM) is the run's own, data generation excluded:

* service: `matching.runs.run_execute` on a freshly queued MatchRun: load the pool, score, solve,
  store suggestions and reasons in one transaction. Where the time goes comes from the run's own
  timings (load, score, solve, store) and "other" (claiming the run, progress notes, the commit).
* engine: `matching.engine.solve` alone on the very same problem (the pool loaded beforehand,
  untimed): the baseline, measured side by side, so service/engine shows what the database adds.

Each size is measured REPEATS times; between repeats the run's suggestions and reasons are deleted
(untimed), so every repeat stores all of them, as a first run does (a later run that finds its
pending suggestions again only keeps them, which is cheaper).

    .venv/bin/python -m bench matching-service
"""

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZES = [(2_000, 1_000), (10_000, 5_000)]
TARGETS = {2_000: 1.0, 10_000: 2.0}  # seconds, end to end, median of REPEATS
MEMORY_TARGET_MB = 700  # peak resident memory of the worker process doing the run
REPEATS = 3
ROOT = Path(__file__).resolve().parents[1]


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


def _rows(matrix):
    return [matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tolist() for i in range(matrix.shape[0])]


def _bits(mask):
    return [b for b in range(64) if int(mask) >> b & 1]


def _populate(n, m, seed):
    """One running program with n matchable mentees and m matchable mentors, their profiles taken
    from bench.matching_engine's generator (tags, languages, availability, places, minors)."""
    import math

    from django.db import transaction

    from bench.matching_engine import N_TAGS, make_problem
    from mentorship.models import Language, Profile, Tag, User
    from programs.models import (
        DEFAULT_CHECKLIST,
        ChecklistItem,
        Enrollment,
        EnrollmentStatus,
        Program,
        ProgramStatus,
        Role,
        ScreeningRecord,
    )

    problem = make_problem(n, m, seed)
    mentees, mentors = problem.mentees, problem.mentors
    today = dt.date.today()
    modes = ["in_person", "online", "either"]
    with transaction.atomic():
        program = Program.objects.create(
            name=f"Bench {n}x{m}",
            slug=f"bench-{n}-{m}",
            description="Benchmark data.",
            status=ProgramStatus.RUNNING,
        )
        items = ChecklistItem.objects.bulk_create(
            ChecklistItem(program=program, key=key, name=label, valid_days=days, order=i)
            for i, (key, label, days) in enumerate(DEFAULT_CHECKLIST)
        )
        tags = Tag.objects.bulk_create(Tag(name=f"bench tag {n}-{k}") for k in range(N_TAGS))
        languages = Language.objects.bulk_create(Language(name=f"bench language {n}-{k}") for k in range(10))
        users = User.objects.bulk_create(
            (User(email=f"b{n}-{k}@bench.test", password="!") for k in range(n + m)), batch_size=5_000
        )

        def profile(k, side, i, minor):
            lat, lon = float(side.lat[i]), float(side.lon[i])
            return Profile(
                user=users[k],
                display_name=f"Person {k}",
                date_of_birth=today.replace(year=today.year - (15 if minor else 30), day=1),
                availability=int(side.availability[i]),
                area=f"area {int(side.area[i])}" if side.area[i] >= 0 else "",
                latitude=None if math.isnan(lat) else lat,
                longitude=None if math.isnan(lon) else lon,
                meeting_mode=modes[int(side.mode[i])],
            )

        profiles = Profile.objects.bulk_create(
            [profile(i, mentees, i, bool(mentees.is_minor[i])) for i in range(n)]
            + [profile(n + j, mentors, j, False) for j in range(m)],
            batch_size=5_000,
        )
        masks = list(mentees.languages) + list(mentors.languages)
        rel = Profile.languages.through
        rel.objects.bulk_create(
            (rel(profile=profiles[k], language=languages[b]) for k in range(n + m) for b in _bits(masks[k])),
            batch_size=10_000,
        )
        tag_rows = {
            "goals": (0, _rows(mentees.goals)),
            "skills": (n, _rows(mentors.skills)),
            "interests": (0, _rows(mentees.interests) + _rows(mentors.interests)),
        }
        for field, (offset, rows) in tag_rows.items():
            rel = getattr(Profile, field).through
            rel.objects.bulk_create(
                (rel(profile=profiles[offset + k], tag=tags[t]) for k, row in enumerate(rows) for t in row),
                batch_size=10_000,
            )
        enrollments = Enrollment.objects.bulk_create(
            [
                Enrollment(program=program, user=users[i], role=Role.MENTEE, status=EnrollmentStatus.APPROVED,
                           heard_about="friend", guardian_consent=True)
                for i in range(n)
            ]
            + [
                Enrollment(program=program, user=users[n + j], role=Role.MENTOR,
                           status=EnrollmentStatus.APPROVED, heard_about="friend",
                           capacity=int(mentors.capacity[j]))
                for j in range(m)
            ],
            batch_size=5_000,
        )  # fmt: skip
        ScreeningRecord.objects.bulk_create(
            (
                ScreeningRecord(enrollment=e, item=item, completed_on=today)
                for e in enrollments[n:]
                for item in items
            ),
            batch_size=10_000,
        )
    return program


def _measure(kind, database, program_id):
    """One measurement in this fresh process: the service (run_execute) or the engine alone."""
    _setup_django()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database
    from matching import engine
    from matching.models import MatchRun
    from matching.pool import build_pool
    from matching.runs import run_execute
    from programs.models import Program

    program = Program.objects.get(pk=program_id)
    before_mb = _peak_mb()
    if kind == "service":
        queued = MatchRun.objects.create(program=program, trigger="coordinator")
        start, cpu = time.perf_counter(), time.process_time()
        run = run_execute(run_id=queued.pk)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert run.status == "done", run.error
        out = {"timings": run.timings, "matched": run.matched_count, "total": run.total_score}
        out["suggestions"] = run.new_suggestions
    else:
        problem = build_pool(program).problem
        start, cpu = time.perf_counter(), time.process_time()
        result = engine.solve(problem)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        out = {"total": result.total_score, "matched": result.n_matched}
    peak_mb = _peak_mb()
    return {**out, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "before_mb": before_mb}


def _peak_mb():
    """This process's peak resident memory (VmHWM). Not ru_maxrss: across fork and exec Linux carries
    the parent's resident size into it, and the parent here holds the generated data."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_subprocess(kind, database, program_id):
    command = [sys.executable, "-m", "bench.matching_service", "--measure", kind, database, str(program_id)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{kind} measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _reset(program):
    from matching.models import MatchSuggestion, UnmatchedReason

    MatchSuggestion.objects.filter(program=program).delete()
    UnmatchedReason.objects.filter(run__program=program).delete()


def run():
    _setup_django()
    from bench.evaluation import scratch_database

    results = []
    with scratch_database() as database:
        for n, m in SIZES:
            started = time.perf_counter()
            program = _populate(n, m, seed=1)
            print(f"  {n} x {m}: data loaded in {time.perf_counter() - started:.1f} s", flush=True)
            repeats = []
            for _ in range(REPEATS):
                _reset(program)
                service = _in_subprocess("service", database, program.pk)
                engine = _in_subprocess("engine", database, program.pk)
                assert abs(service["total"] - engine["total"]) <= 1e-9 * max(1.0, abs(engine["total"]))
                repeats.append((service, engine))
            results.append((n, m, repeats))
    _print(results)
    return results


def _print(results):
    print("\nMatching end to end: database -> pool -> engine -> stored suggestions (run_execute),")
    print("each run in a fresh worker process; engine = engine.solve alone on the same problem (baseline)")
    head = (
        f"  {'size':>11} {'run':>6} {'load':>6} {'score':>6} {'solve':>6} {'store':>6} {'other':>6}"
        f" {'service':>8} {'engine':>7} {'ratio':>6} {'cpu':>6} {'peak MB':>8} {'matched':>8}"
    )
    print(head)
    for n, m, repeats in results:
        for k, (service, engine) in enumerate(repeats, 1):
            t = service["timings"]
            other = service["seconds"] - sum(t.get(key, 0.0) for key in ("load", "score", "solve", "store"))
            print(
                f"  {n:>5}x{m:<5} {k:>6} {t['load']:>5.2f}s {t['score']:>5.2f}s {t['solve']:>5.2f}s"
                f" {t.get('store', 0.0):>5.2f}s {other:>5.2f}s {service['seconds']:>7.2f}s"
                f" {engine['seconds']:>6.2f}s {service['seconds'] / engine['seconds']:>5.2f}x"
                f" {service['cpu']:>5.2f}s {service['peak_mb']:>8.0f} {service['matched']:>8}"
            )
        median = statistics.median(s["seconds"] for s, _ in repeats)
        engine_median = statistics.median(e["seconds"] for _, e in repeats)
        peak = max(s["peak_mb"] for s, _ in repeats)
        target = TARGETS[n]
        print(
            f"  {n:>5}x{m:<5} {'median':>6} {'':>41} {median:>7.2f}s {engine_median:>6.2f}s"
            f" {median / engine_median:>5.2f}x {'':>6} {peak:>8.0f}"
        )
        print(
            f"  {'':>11} target {target:.1f} s end to end: {'PASS' if median <= target else 'MISS'}"
            f" ({median:.2f} s); peak memory {peak:.0f} MB of the worker process (Django "
            f"{max(s['before_mb'] for s, _ in repeats):.0f} MB before the run) vs {MEMORY_TARGET_MB} MB:"
            f" {'PASS' if peak <= MEMORY_TARGET_MB else 'MISS'}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average: {load} ({os.cpu_count()} cores, shared); suggestions reset between repeats")
    print("  cpu: the worker's own CPU seconds in the run (PostgreSQL's not included); far below the")
    print("  wall time, it means the machine was busy with other work")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(_measure(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        run()
