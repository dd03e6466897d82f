"""Every coordinator and staff page at city scale, each against a bare Django view in the same run.

The pages are the GET rows of tests/url_matrix.py that the program's coordinator or staff may see
(200), apart from the public pages, the links that are their own key, and allauth's account pages.
Each is fetched through django.test.Client, with the whole middleware, signed in as the city's
coordinator (staff's pages: as a staff user), its arguments taken from the city data: the active
match with the most check-ins (its mentee's application, conversation, goals), an open concern,
the event with the most RSVPs, the training with the most completions, an unmatched mentee...

For each page: the median of 5 requests, interleaved request by request with a bare view
(bench.evaluation.bare_view: the program through the same access helper, a count of its matches
and the mean rating of the year's check-ins) routed through the same client (bench/urls.py); the
ratio page/bare against the target 3x; the first (cold) request's time; and the number of queries
of one request at city scale and in a small city (``SMALL``), flagged when it grows. Sorted by
ratio, misses first. Downloads (CSV files streamed whole) are listed apart, timed once.

Works in scratch databases ``bench_<pid>`` (bench.evaluation.scratch_database): the small city
first, then the city; a developer's data and cache are never touched.

    .venv/bin/python -m bench pages
    BENCH_PAGES=programs:dashboard,programs:applicants .venv/bin/python -m bench pages   # some pages
    BENCH_PAGES=programs: .venv/bin/python -m bench pages   # a prefix: every programs page
    BENCH_SKIP_SMALL=1 .venv/bin/python -m bench pages      # no small city (no query growth check)
"""

from __future__ import annotations

import os
import statistics
import time
from types import SimpleNamespace

REPEATS = 5
TARGET = 3.0
DOWNLOADS = {"audit_export", "programs:applicants_export"}


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


def _wanted(name):
    only = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    return not only or any(name == p or (p.endswith(":") and name.startswith(p)) for p in only)


def _pages():
    """(name, row, role) for every coordinator and staff page of the URL matrix."""
    from tests import url_matrix as m

    pages = []
    for name, row in m.MATRIX.items():
        if row.get == m.PUBLIC or name.startswith(("account_", "mfa_")) or not _wanted(name):
            continue
        if row.get.get("coordinator") == 200:
            pages.append((name, row, "coordinator"))
        elif row.get.get("staff") == 200:
            pages.append((name, row, "staff"))
    return pages


def _world(built):
    """The URL matrix's world (tests/scenarios.py url_world), taken from the city's data."""
    from django.db.models import Count, Q

    from evaluation.demo import people
    from evaluation.models import Goal
    from matching.models import Concern, Match, MatchRun
    from mentorship.models import User
    from programs.models import Enrollment, Event, Invitation

    program, lead = built.program, built.coordinator
    staff = User.objects.filter(email="staff@bench.test").first() or people.person(
        email="staff@bench.test", display_name="Staff Bench", is_staff=True, is_superuser=True
    )
    match = (
        Match.objects.filter(program=program, status="active")
        .annotate(n=Count("checkins"))
        .order_by("-n", "pk")
        .select_related("mentee__user", "mentor__user")
        .first()
    )
    outsider = (
        Enrollment.objects.filter(program=program, role="mentee", status="approved")
        .filter(matches_as_mentee__isnull=True)
        .order_by("pk")
        .first()
    )
    goal = Goal.objects.filter(match=match).first() or Goal.objects.create(
        match=match, title="Finish my CV", created_by=match.mentee.user
    )
    concern = Concern.objects.filter(program=program).exclude(status="resolved").order_by("pk").first()
    event = (
        Event.objects.filter(programs=program, status="published")
        .annotate(n=Count("rsvps", filter=Q(rsvps__status="going")))
        .order_by("-n", "pk")
        .first()
    )
    training = program.trainings.annotate(n=Count("records")).order_by("-n", "pk").first()
    run = MatchRun.objects.filter(program=program).first() or MatchRun.objects.create(
        program=program, trigger="coordinator", started_by=lead
    )
    return SimpleNamespace(
        people=SimpleNamespace(
            mentee=match.mentee.user,
            mentor=match.mentor.user,
            outsider=outsider.user,
            coordinator=lead,
            staff=staff,
            other_coordinator=None,
        ),  # fmt: skip
        program=program,
        mentee_enrollment=match.mentee,
        mentor_enrollment=match.mentor,
        outsider_enrollment=outsider,
        match=match,
        goal=goal,
        concern=concern,
        run=run,
        invitation=Invitation.objects.filter(program=program).first(),
        event=event,
        training=training,
    )


def _arguments(row, w):
    """The URL's arguments: the matrix's own, but the city's event and training (with their
    RSVPs and completions) rather than the small ones the matrix makes."""
    from tests import url_matrix as m

    if row.args is m.matrix_event:
        return {"pk": w.event.pk}
    if row.args is m.training_manage:
        return {"slug": w.program.slug, "pk": w.training.pk}
    row.prepare(w)
    return row.args(w)


def _urls(w):
    """{name: (url, role)} for the pages wanted; the ones whose arguments cannot be made are
    reported and left out."""
    from django.urls import reverse

    urls, skipped = {}, {}
    for name, row, role in _pages():
        try:
            urls[name] = (reverse(name, kwargs=_arguments(row, w)), role)
        except Exception as error:  # noqa: BLE001 (reported: a page of the matrix the city lacks)
            skipped[name] = f"{type(error).__name__}: {error}"[:100]
    return urls, skipped


def _clients(w):
    from django.test import Client

    clients = {"coordinator": Client(), "staff": Client()}
    clients["coordinator"].force_login(w.people.coordinator)
    clients["staff"].force_login(w.people.staff)
    return clients


def _get(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def _counted(client, url):
    """(seconds, queries) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        _get(client, url)
        seconds = time.perf_counter() - began
    return seconds, len(captured.captured_queries)


def _small_counts():
    from bench.evaluation import scratch_database
    from evaluation.demo import scale

    sizes = scale.Sizes(
        people=500, matches=200, checkins=6_000, messages=5_000, events=12, rsvps=600, concerns=30,
        audit=3_000, invitations=50, trainings=True,
    )  # fmt: skip
    with scratch_database():
        began = time.perf_counter()
        w = _world(scale.build_city(sizes=sizes))
        print(f"Small city built in {time.perf_counter() - began:.1f} s ({sizes.people} people).", flush=True)
        urls, _ = _urls(w)
        clients = _clients(w)
        counts = {}
        for name, (url, role) in urls.items():
            _get(clients[role], url)
            counts[name] = _counted(clients[role], url)[1]
        return counts


def _measure(w, urls):
    from django.urls import reverse

    clients = _clients(w)
    bare_url = reverse("bench_bare", kwargs={"slug": w.program.slug})
    results = []
    for name, (url, role) in urls.items():
        client = clients[role]
        began = time.perf_counter()
        status, size = _get(client, url)
        cold = time.perf_counter() - began
        _get(client, bare_url)
        page_times, bare_times = [], []
        for _ in range(1 if name in DOWNLOADS else REPEATS):  # a whole file: once is enough
            seconds, queries = _counted(client, url)  # (DEBUG logs the queries anyway)
            page_times.append(seconds)
            bare_times.append(_counted(client, bare_url)[0])
        page, bare = statistics.median(page_times), statistics.median(bare_times)
        results.append(SimpleNamespace(name=name, role=role, status=status, size=size, cold=cold, page=page,
                                       bare=bare, ratio=page / bare, queries=queries))  # fmt: skip
        print(f"  {name}: {page * 1000:.0f} ms / bare {bare * 1000:.0f} ms", flush=True)
    return results


def _table(results, small, skipped):
    ms = 1000
    header = (f"{'page':44} {'as':5} {'code':>4} {'page ms':>8} {'bare ms':>8} {'ratio':>6} {'target':>6} "
              f"{'':4} {'cold ms':>8} {'q city':>6} {'q small':>7}")  # fmt: skip
    pages = [r for r in results if r.name not in DOWNLOADS]
    pages.sort(key=lambda r: (r.ratio <= TARGET and r.status == 200, -r.ratio))
    lines = [header, "-" * len(header)]
    for r in pages + [r for r in results if r.name in DOWNLOADS]:
        verdict = "PASS" if r.ratio <= TARGET and r.status == 200 else "MISS"
        if r.name in DOWNLOADS:
            verdict = "file"
        q_small = small.get(r.name)
        grows = " GROWS" if q_small is not None and r.queries > q_small else ""
        lines.append(
            f"{r.name:44} {r.role[:5]:5} {r.status:>4} {r.page * ms:8.0f} {r.bare * ms:8.1f} {r.ratio:6.2f} "
            f"{TARGET:5.0f}x {verdict:4} {r.cold * ms:8.0f} {r.queries:6} "
            f"{'-' if q_small is None else q_small:>7}{grows}"
        )
    misses = sum(1 for r in pages if r.ratio > TARGET or r.status != 200)
    growing = [r.name for r in results if small.get(r.name) is not None and r.queries > small[r.name]]
    lines.append("")
    lines.append(
        f"{len(pages)} pages: {len(pages) - misses} PASS, {misses} MISS (ratio > {TARGET:.0f}x or not 200); "
        f"{len(growing)} with more queries at city scale than small: {', '.join(growing) or 'none'}."
    )
    lines.append(
        "Downloads ('file': a whole CSV streamed) are listed for the record, not against the 3x target."
    )
    for name, reason in skipped.items():
        lines.append(f"skipped {name}: {reason}")
    return "\n".join(lines)


def run():
    _setup_django()
    from django.conf import settings
    from django.test.utils import override_settings, setup_test_environment

    from bench.evaluation import scratch_database
    from evaluation.demo import scale

    setup_test_environment()  # the test client's host, and emails kept in memory
    cache = {**settings.CACHES["default"], "KEY_PREFIX": f"bench-pages-{os.getpid()}"}
    with override_settings(
        ROOT_URLCONF="bench.urls", MFA_REQUIRED_FOR_STAFF=False, CACHES={"default": cache}
    ):
        small = {} if os.environ.get("BENCH_SKIP_SMALL") else _small_counts()
        with scratch_database() as name:
            print(f"Scratch database {name} (dropped at the end).", flush=True)
            built = scale.build_city()
            counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in built.counts.items())
            print(f"City built in {built.seconds:.1f} s: {counts}.", flush=True)
            w = _world(built)
            urls, skipped = _urls(w)
            results = _measure(w, urls)
    print(f"\nEvery coordinator and staff page at city scale vs a bare Django view (median of {REPEATS}, "
          "interleaved; 'q': queries of one request)\n")  # fmt: skip
    print(_table(results, small, skipped))
    return 0
