"""Benchmark of matching end to end: from the database to stored suggestions (issue 4, item 7).

On a database of its own, ``bench_<pid>`` (created, migrated and dropped on the configured server;
a developer's data is never touched), one program with N mentees and N/2 mentors (capacities 1-3),
all matchable, with realistic profiles (the generator of bench.matching_engine). Measured side by
side in the same run: the whole service (`matching.runs.run_execute`: load the pool, solve,
store suggestions and reasons in one transaction) against the engine alone on the very same
problem, so the ratio shows what the database adds.

    .venv/bin/python -m bench.matching_service
"""

import datetime as dt
import os
import resource
import time

SIZES = [(2_000, 1_000), (10_000, 5_000)]
TARGETS = {2_000: 1.0, 10_000: 5.0}  # seconds, end to end


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


def _measure(program):
    from matching import engine
    from matching.models import MatchRun
    from matching.pool import build_pool
    from matching.runs import run_execute

    queued = MatchRun.objects.create(program=program, trigger="coordinator")
    start = time.perf_counter()
    run = run_execute(run_id=queued.pk)
    service = time.perf_counter() - start
    assert run.status == "done", run.error
    pool = build_pool(program)  # the same pool again: the engine alone on the same problem
    start = time.perf_counter()
    result = engine.solve(pool.problem)
    engine_only = time.perf_counter() - start
    return {
        "service": service,
        "engine": engine_only,
        "timings": run.timings,
        "matched": run.matched_count,
        "suggestions": run.new_suggestions,
        "total": run.total_score,
        "engine_total": result.total_score,
    }


def run():
    _setup_django()
    from django.db import connection

    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{os.getpid()}"
    old_name = settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows = []
    try:
        for n, m in SIZES:
            started = time.perf_counter()
            program = _populate(n, m, seed=1)
            print(f"  {n} x {m}: data loaded in {time.perf_counter() - started:.1f} s", flush=True)
            rows.append((n, m, _measure(program)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\nMatching end to end: database -> pool -> engine -> stored suggestions (run_execute)")
    print(f"  {'size':>12} {'load':>7} {'score':>7} {'solve':>7} {'service':>8} {'engine':>7} {'ratio':>6}"
          f" {'target':>7} {'matched':>8}")  # fmt: skip
    for n, m, r in rows:
        t = r["timings"]
        ratio = r["service"] / r["engine"]
        print(
            f"  {n:>6}x{m:<5} {t['load']:>6.2f}s {t['score']:>6.2f}s {t['solve']:>6.2f}s"
            f" {r['service']:>7.2f}s {r['engine']:>6.2f}s {ratio:>5.2f}x"
            f" {TARGETS[n]:>6.1f}s {r['matched']:>8}"
        )
        assert abs(r["total"] - r["engine_total"]) <= 1e-9 * max(1.0, abs(r["engine_total"]))
    print(f"  peak memory of this process (data generation included): {peak_mb:.0f} MB")
    return rows


if __name__ == "__main__":
    run()
