"""Load benchmark: the production web server on city-scale data, driven by locust (`make bench BENCH=load`).

1. A scratch database ``bench_<pid>`` (bench/evaluation.py ``scratch_database``, dropped at the end)
   with the city-scale program (evaluation/demo/scale.py: 20,000 people, 10,000 matches, 500,000
   check-ins, 1,000,000 messages), ten more coordinators of it and two staff members, each with
   two-factor authentication set up (the site lets them in only then).
2. Signed-in sessions made beforehand (evaluation/load_sessions.py), one per simulated person, so
   that the login form's rate limits and password hashing do not shape the test; each kind's first
   page is fetched once with its cookie to check that the site accepts it.
3. gunicorn as the README deploys it (``gunicorn -c python:mentorship.gunicorn_conf mentorship.wsgi``,
   after ``collectstatic``) with production's settings (DEBUG off, the variables they require, the
   embedded PostgreSQL and Redis by URL, ``conn_max_age=60``); requests carry X-Forwarded-Proto:
   https, which SECURE_PROXY_SSL_HEADER=true trusts, as behind the TLS proxy of a deployment.
   Workers: WEB_CONCURRENCY, default 4: two per core of this 2-core machine, since a synchronous
   worker spends a good part of each request waiting for PostgreSQL (on the same cores); more only
   adds memory and context switches next to PostgreSQL and locust.
4. locust headless (bench/locustfile.py): 200 users for 2 minutes, 188 mentors and mentees, 10
   coordinators and 2 staff, 2-6 s of think time between pages (a quick reader; real people read
   longer, so 200 users here are more like 500-1,000 people on the site). Target: 0 errors and
   p95 <= 300 ms over all pages. Then saturation, with no think time: 24 users on the same page mix
   for 30 s, beside the same users on /healthz (a bare Django view through the same server and
   middleware) for 20 s: the baseline of the requests per second.

Shorter runs for development: BENCH_LOAD_USERS=50 BENCH_LOAD_TIME=30s, and BENCH_LOAD_SMALL=1 for a
tenth of the city (the result is then not the target's); BENCH_LOAD_COORDINATORS (default users/20,
at most 10) and BENCH_LOAD_STAFF (users/100, at most 2), e.g. 0 to see the participants' pages alone.
Everything started is stopped, and the database dropped, even on failure.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.evaluation import _setup_django, scratch_database

ROOT = Path(__file__).resolve().parent.parent
USERS, TIME = 200, "2m"  # the target
P95_TARGET_MS = 300
SATURATION_USERS, SATURATION_TIME, BARE_TIME = 24, "30s", "20s"


def _small():
    from evaluation.demo.scale import Sizes

    return Sizes(people=2_000, matches=1_000, checkins=50_000, messages=100_000)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_env(database, statics, media):
    """The server's environment. Its SECRET_KEY becomes this process's too: sessions and their
    password hashes are signed with it, and are made here."""
    from django.conf import settings

    settings.SECRET_KEY = secrets.token_urlsafe(64)
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env.update(
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        EMAIL_HOST="127.0.0.1",  # nothing browsed sends mail; none is sent (no worker runs)
        DATABASE_URL=f"postgresql://{db['USER']}@/{database}?host={db['HOST']}&conn_max_age=60",
        REDIS_URL=settings.REDIS_URL,
        SECURE_PROXY_SSL_HEADER="true",
        STATIC_ROOT=str(statics),
        MEDIA_ROOT=str(media),
        LOG_LEVEL="WARNING",
    )
    return env


def _people(program):
    """Ten more coordinators of the program and two staff members, with two-factor set up."""
    from allauth.mfa.models import Authenticator

    from evaluation.demo import people
    from evaluation.demo.scale import DOMAIN

    managers = [program.coordinators.order_by("pk").first()]
    managers += [
        people.coordinator(email=f"load-coordinator-{k:02d}@{DOMAIN}", display_name=f"Coordinator {k}")
        for k in range(1, 10)
    ]
    program.coordinators.add(*managers)
    staff = [people.person(email=f"load-staff-{k}@{DOMAIN}", is_staff=True) for k in (1, 2)]
    for user in managers + staff:
        totp = {"data": {"secret": "JBSWY3DPEHPK3PXP"}}
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults=totp)
    return managers, staff


def _get(url, cookie=None):
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http://127.0.0.1 only)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def _alone(base, made, repeats=3):
    """Each page of one person of each kind, fetched on its own (nothing else running), a few
    times: the median ms by page, the baseline of the times under load. It warms the workers, too."""
    cookie_name = made.as_json()["cookie_name"]
    times = {}
    for kind in ("participant", "coordinator", "staff"):
        session = next((s for s in made.sessions if s["kind"] == kind), None)
        first = {}
        for name, url in session["pages"] if session else ():
            first.setdefault(name, url)  # one match page, one applicant page...
        for page, url in first.items():
            name = page if kind == "participant" else f"{page} [{kind}]"  # as bench/locustfile.py labels
            for _ in range(repeats):
                began = time.perf_counter()
                status, where = _get(base + url, f"{cookie_name}={session['session']}")
                times.setdefault(name, []).append((time.perf_counter() - began) * 1000)
                if status != 200:
                    raise RuntimeError(f"{name} ({url}) answers a {kind} {status} {where}")
    return {name: statistics.median(ms) for name, ms in times.items()}


def _drained(base, seconds=120):
    """Wait until the requests a run left queued are served (a quick answer to /healthz)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        began = time.perf_counter()
        with contextlib.suppress(OSError):
            _get(f"{base}/healthz")
        if time.perf_counter() - began < 0.5:
            return
        time.sleep(1)


def _wait_up(base, server, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} (see its log above)")
        with contextlib.suppress(OSError):
            if _get(f"{base}/healthz")[0] == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _locust(base, sessions, csv_prefix, *, users, duration, think="2-6", bare=False):
    env = {**os.environ, "LOAD_SESSIONS": str(sessions), "LOAD_THINK": think}
    env.pop("DEBUG", None)
    if bare:
        env["LOAD_BARE"] = "1"
    command = [
        str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "-u", str(users), "-r", str(max(1, users // 10)), "-t", duration,
        "--host", base, "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    # locust answers 1 when a request failed: the failures are read from its CSV files.
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(command, env=env, cwd=ROOT, timeout=_seconds(duration) + 120, **quiet)
    with open(f"{csv_prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    failures = []
    with contextlib.suppress(FileNotFoundError), open(f"{csv_prefix}_failures.csv") as f:
        failures = list(csv.DictReader(f))
    return rows, failures


def _seconds(duration):
    units = {"s": 1, "m": 60, "h": 3600}
    return int(float(duration[:-1]) * units[duration[-1]]) if duration[-1] in units else int(duration)


def _ms(row, column):
    value = row.get(column, "")
    return float(value) if value not in ("", "N/A") else float("nan")


def _report(rows, failures, alone, *, users, duration, target_run):
    pages = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -_ms(r, "95%"))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    # The server's work by page, estimated as requests x the page's time alone: what fills the workers.
    work = {r["Name"]: int(r["Request Count"]) * alone.get(r["Name"], 0) for r in pages}
    all_work = sum(work.values()) or 1
    print(f"\n   {'page (URL name)':<32}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'alone ms':>10}{'p50/alone':>10}{'work':>7}")  # fmt: skip
    for row in pages:
        base, share = alone.get(row["Name"], float("nan")), work[row["Name"]] / all_work
        print(f"   {row['Name']:<32}{row['Request Count']:>9}{row['Failure Count']:>8}"
              f"{_ms(row, '50%'):>8.0f}{_ms(row, '95%'):>8.0f}{_ms(row, '99%'):>8.0f}"
              f"{base:>10.0f}{_ms(row, '50%') / base:>9.1f}x{share:>6.0%}")  # fmt: skip
    print(f"   {'all pages':<32}{total['Request Count']:>9}{total['Failure Count']:>8}"
          f"{_ms(total, '50%'):>8.0f}{_ms(total, '95%'):>8.0f}{_ms(total, '99%'):>8.0f}")  # fmt: skip
    print(
        "   (alone: each page fetched by itself before the run, median of 3: the baseline; work: the\n"
        "   page's share of the server's time, estimated as requests x alone)"
    )
    for failure in failures[:8]:
        print(f"   error: {failure['Name']} {failure['Error']} x{failure['Occurrences']}")
    errors, p95 = int(total["Failure Count"]), _ms(total, "95%")
    rps = float(total["Requests/s"])
    verdict = "PASS" if errors == 0 and p95 <= P95_TARGET_MS else "MISS"
    note = "" if target_run else f"  (a shorter run; the target is {USERS} users for {TIME})"
    print(f"\n   {users} users for {duration}: {rps:.1f} requests/s, {errors} errors, p95 {p95:.0f} ms, "
          f"p99 {_ms(total, '99%'):.0f} ms -> target 0 errors and p95 <= {P95_TARGET_MS} ms: "
          f"{verdict}{note}")  # fmt: skip
    return verdict


def _stop(server, tmp):
    if server is None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.log.close()
    lines = (tmp / "gunicorn.log").read_text().splitlines()
    timeouts = sum("WORKER TIMEOUT" in line for line in lines)
    if timeouts:  # a request longer than gunicorn's --timeout (30 s): its worker is killed, a 500
        print(f"   gunicorn: {timeouts} worker timeouts (requests over 30 s, answered 500 or dropped)")
    errors = [line for line in lines if '"ERROR"' in line and "WORKER TIMEOUT" not in line]
    for line in errors[:3]:
        print(f"   gunicorn log: {line[:200]}")


def run():
    _setup_django()
    from evaluation import load_sessions
    from evaluation.demo import scale

    users = int(os.environ.get("BENCH_LOAD_USERS", USERS))
    duration = os.environ.get("BENCH_LOAD_TIME", TIME)
    workers = int(os.environ.get("WEB_CONCURRENCY", 4))
    print(f"Scratch database bench_{os.getpid()} (dropped at the end).")
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = None
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        database = stack.enter_context(scratch_database())
        stack.callback(lambda: _stop(server, tmp))  # before the database is dropped
        env = _production_env(database, tmp / "static", tmp / "media")
        began = time.perf_counter()
        sizes = _small() if os.environ.get("BENCH_LOAD_SMALL") else scale.SCALES["city"]
        built = scale.build_city(sizes=sizes)
        print(f"City-scale data built in {time.perf_counter() - began:.0f} s: "
              + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in built.counts.items()))  # fmt: skip
        managers, staff = _people(built.program)
        n_managers = min(len(managers), int(os.environ.get("BENCH_LOAD_COORDINATORS", max(1, users // 20))))
        n_staff = min(len(staff), int(os.environ.get("BENCH_LOAD_STAFF", max(1, users // 100))))
        made = load_sessions.sessions_for(
            built.program,
            participants=users - n_managers - n_staff,
            managers=managers[:n_managers],
            staff=staff[:n_staff],
        )
        assert not made.skipped, made.skipped
        sessions = tmp / "sessions.json"
        sessions.write_text(json.dumps(made.as_json()))
        kinds = {}
        for s in made.sessions:
            kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
        print(f"Signed-in sessions: {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}.")

        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 (closed in _stop)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(
            [gunicorn, "-c", "python:mentorship.gunicorn_conf", "mentorship.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        server.log = log
        _wait_up(base, server)
        print(f"gunicorn: {workers} sync workers on {base}, production settings (DEBUG off).")
        for kind in sorted(kinds):
            first = next(s for s in made.sessions if s["kind"] == kind)
            cookie = f"{made.as_json()['cookie_name']}={first['session']}"
            status, where = _get(base + first["pages"][0][1], cookie)
            if status != 200:
                raise RuntimeError(f"a {kind}'s session is not accepted: {status} {where}")
        print("Each kind's session checked: its first page answers 200.")
        alone = _alone(base, made)
        slowest = sorted(alone.items(), key=lambda item: -item[1])[:4]
        print(f"Each page alone, median of 3 (the baseline): {len(alone)} pages; the slowest "
              + ", ".join(f"{name} {ms:.0f} ms" for name, ms in slowest))  # fmt: skip

        # The saturation's baseline first, on the server as fresh as for the pages alone.
        bare_rows, _ = _locust(base, sessions, tmp / "bare", users=SATURATION_USERS, duration=BARE_TIME,
                               think="0", bare=True)  # fmt: skip
        print(f"\n1. {users} signed-in users for {duration}, 2-6 s between pages (locust, headless)")
        rows, failures = _locust(base, sessions, tmp / "main", users=users, duration=duration)
        target_run = (users, duration) == (USERS, TIME)
        _report(rows, failures, alone, users=users, duration=duration, target_run=target_run)

        print(f"\n2. Saturation: {SATURATION_USERS} users, no think time")
        _drained(base)
        mix_rows, mix_failures = _locust(base, sessions, tmp / "mix", users=SATURATION_USERS,
                                         duration=SATURATION_TIME, think="0")  # fmt: skip
        bare = next(r for r in bare_rows if r["Name"] == "Aggregated")
        mix = next(r for r in mix_rows if r["Name"] == "Aggregated")
        bare_rps, mix_rps = float(bare["Requests/s"]), float(mix["Requests/s"])
        print(f"   {'what':<44}{'rps':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}")
        for label, row in (("the page mix (measured)", mix), ("/healthz, bare view (baseline)", bare)):
            print(f"   {label:<44}{float(row['Requests/s']):>8.1f}{_ms(row, '50%'):>8.0f}"
                  f"{_ms(row, '95%'):>8.0f}{row['Failure Count']:>8}")  # fmt: skip
        ratio = mix_rps / bare_rps if bare_rps else float("nan")
        print(f"   ratio: the page mix serves {ratio:.2f}x the bare view's requests/s "
              f"(no target; load tool, server and PostgreSQL share the 2 cores)")  # fmt: skip
        slowest = sorted((r for r in mix_rows if r["Name"] != "Aggregated"), key=lambda r: -_ms(r, "50%"))
        print("   slowest pages at saturation (p50 ms): "
              + ", ".join(f"{r['Name']} {_ms(r, '50%'):.0f}" for r in slowest[:5]))  # fmt: skip
        for failure in mix_failures[:5]:
            print(f"   error: {failure['Name']} {failure['Error']} x{failure['Occurrences']}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
