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


# The coordinator and staff pages of tests/url_matrix.py (its GET rows where either gets 200, but
# the public pages, the links that are their own key and allauth's), by what their arguments are
# (tests/test_bench_pages.py keeps the two lists together). As: the coordinator, else staff.
NONE, PROGRAM, APPLICANT, MATCH = (), ("slug",), ("slug", "applicant"), ("match",)
PAGES = {
    "coordinator": {
        NONE: [
            "dashboard",
            "profile",
            "programs:create",
            "matching:requests",
            "evaluation:exports",
            "evaluation:calendar",
            "evaluation:my_stories",
        ],
        ("slug", "role"): ["programs:apply"],
        PROGRAM: [
            "programs:dashboard",
            "programs:settings",
            "programs:applicants",
            "programs:applicants_export",
            "programs:invite",
            "programs:import",
            "matching:program",
            "matching:matches",
            "matching:concerns",
            "matching:inbox",
            "evaluation:contacts_due",
            "evaluation:program_dashboard",
            "evaluation:program_export",
            "programs:trainings",
            "programs:trainings_people",
            "programs:resource_new",
            "programs:resource_copy",
            "matching:groups",
            "matching:group_new",
            "programs:events",
            "programs:event_new",
            "matching:board",
            "matching:topic_new",
            "evaluation:program_volunteer_hours",
            "evaluation:stories_manage",
            "programs:demographic_questions",
            "evaluation:equity",
            "programs:partners",
            "evaluation:funder_report",
        ],
        APPLICANT: ["programs:applicant"],
        ("slug", "outsider"): ["matching:mentee_options"],
        ("slug", "run"): ["matching:run_progress"],
        MATCH: [
            "matching:match",
            "matching:close",
            "matching:match_concern",
            "matching:meetings",
            "evaluation:pair",
            "evaluation:contact_new",
            "evaluation:goal_new",
        ],
        ("goal",): ["evaluation:goal_edit"],
        ("concern",): ["matching:concern", "matching:concern_pause_contact"],
        ("conversation",): ["matching:conversation", "matching:conversation_new"],
        ("message",): ["matching:message_report"],
        ("slug", "training"): ["programs:training_manage", "programs:training_completion"],
        ("slug", "in_person", "session"): ["programs:training_attendance"],
        ("training",): ["programs:training", "programs:training_quiz"],
        ("training", "number"): ["programs:training_page"],
        ("event",): [
            "programs:event_edit",
            "programs:event_cancel",
            "programs:event_attendance",
            "programs:event",
            "programs:event_ics",
        ],
        ("mentor",): ["evaluation:certificate"],
        ("slug", "mentor"): ["evaluation:thank_you_new"],
    },
    "staff": {
        NONE: [
            "audit_list",
            "audit_export",
            "evaluation:staff_dashboard",
            "evaluation:staff_export",
            "evaluation:people",
            "evaluation:volunteer_hours",
            "evaluation:programs_compared",
        ],
        ("person",): ["evaluation:person", "evaluation:person_data", "evaluation:person_erase"],
    },
}
# Pages whose rows the city does not have (a training's page or session being edited, resources,
# groups, boards, stories, demographic questions, partners' records, built files): not measured.
NOT_MEASURED = [
    "evaluation:export_download", "programs:training_image", "programs:training_page_edit",
    "programs:training_manage_image",
    "programs:resource", "programs:resource_edit", "programs:resource_file",
    "matching:group", "matching:group_goal_new", "matching:group_session_new", "matching:group_session",
    "matching:group_session_edit", "matching:group_session_cancel", "matching:group_attendance",
    "matching:group_run", "matching:group_member_place", "matching:group_leader_add", "matching:group_close",
    "matching:group_member_move", "matching:group_member_remove", "matching:group_board",
    "matching:group_topic_new", "matching:topic", "matching:post_report", "evaluation:story_propose",
    "programs:demographic_question_edit", "programs:partner", "evaluation:partner_report",
    "evaluation:funder_report_progress",
]  # fmt: skip


def _pages():
    """(name, argument kinds, role) for every page measured (and wanted: BENCH_PAGES)."""
    return [
        (name, kinds, role)
        for role, by_kinds in PAGES.items()
        for kinds, names in by_kinds.items()
        for name in names
        if _wanted(name)
    ]


def _world(built):
    """The URL matrix's world (tests/scenarios.py url_world), taken from the city's data."""
    from django.db.models import Count, Q

    from evaluation.demo import people
    from evaluation.models import Goal
    from matching.models import Concern, Conversation, Match, MatchRun
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
    session = _session(program)
    conversation = Conversation.objects.get(match=match)
    message = conversation.messages.exclude(sender=lead).order_by("-pk").first()
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
        session=session,
        conversation=conversation,
        message=message,
    )


def _session(program):
    """An in-person training for every mentor (the city's are online), with a session this week
    and 40 of them signed up: its attendance page offers the other ~8,000 to add."""
    import datetime as dt

    from django.utils import timezone

    from programs.models import Enrollment, SessionSignup, Training, TrainingSession

    training, _ = Training.objects.get_or_create(
        program=program,
        title="Safeguarding in the room (bench)",
        defaults={"audience": "mentor", "kind": "in_person", "published_at": timezone.now()},
    )
    starts = timezone.now() - dt.timedelta(hours=2)
    session = training.sessions.first() or TrainingSession.objects.create(
        training=training,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="Library",
        capacity=40,
    )
    mentors = Enrollment.objects.filter(program=program, role="mentor", status="approved").order_by("pk")[:40]
    SessionSignup.objects.bulk_create(
        [SessionSignup(session=session, enrollment=e) for e in mentors], ignore_conflicts=True
    )
    return session


def _arguments(kinds, w):
    """The URL's arguments, from the city's rows (``_world``)."""
    values = {
        "slug": ("slug", w.program.slug),
        "role": ("role", "mentee"),
        "applicant": ("pk", w.mentee_enrollment.pk),
        "outsider": ("pk", w.outsider_enrollment.pk),
        "run": ("pk", w.run.pk),
        "match": ("pk", w.match.pk),
        "goal": ("pk", w.goal.pk),
        "concern": ("pk", w.concern.pk),
        "conversation": ("pk", w.conversation.pk),
        "message": ("pk", w.message.pk),
        "training": ("pk", w.training.pk),
        "in_person": ("pk", w.session.training_id),
        "session": ("session_id", w.session.pk),
        "number": ("number", 1),
        "event": ("pk", w.event.pk),
        "mentor": ("pk", w.mentor_enrollment.pk),
        "person": ("pk", w.people.mentee.pk),
    }
    return dict(values[kind] for kind in kinds)


def _urls(w):
    """{name: (url, role)} for the pages wanted."""
    from django.urls import reverse

    urls = {name: (reverse(name, kwargs=_arguments(kinds, w)), role) for name, kinds, role in _pages()}
    return urls, {name: "the city has no such rows" for name in NOT_MEASURED if _wanted(name)}


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
        lines.append(f"not measured {name}: {reason}")
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
