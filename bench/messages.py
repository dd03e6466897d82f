"""Messages at city scale: the conversation page, its polling answer, the unread counts and the
coordinators' inbox, each against a bare Django view in the same run (issue 13; target <= 3x),
with their query counts at two sizes of conversation (target: the same).

The data is the city-scale program (evaluation/demo/scale.py: 20,000 people, 10,000 matches,
500,000 check-ins, 1,000,000 messages in 12,000 conversations), built in a database of its own,
``bench_<pid>``, created, migrated and dropped at the end (bench/evaluation.py), so a developer's
data is never touched.

Every page goes through the whole stack (Django's test client: middleware, session, the signed-in
person, templates), and so does the baseline: a bare view behind the same middleware that loads
the conversation through the same access helper and returns its newest 100 messages' ids as plain
text. The passes alternate request by request, so that a noisy neighbour slows both alike.

"The unread counts" is the bare view plus the two selectors the dashboard and the match page call
for them (matching/inbox.py). The mentee's whole dashboard is printed for the record, not held to
the target: most of it is other panels (surveys, next steps, meetings), issue 17's business.

    .venv/bin/python -m bench messages
"""

from __future__ import annotations

import os
import statistics
import sys
import time

REQUESTS = 40
TARGET = 3.0


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


def bare_view(request, pk):
    """The baseline: the signed-in person's conversation through the access helper, and the ids of
    its newest 100 messages, as plain text."""
    from django.http import HttpResponse

    from matching.access import get_conversation_for
    from matching.models import Message

    conversation = get_conversation_for(request.user, pk)
    ids = list(
        Message.objects.filter(conversation=conversation).order_by("-pk").values_list("pk", flat=True)[:100]
    )
    return HttpResponse(" ".join(map(str, ids)), content_type="text/plain")


def unread_view(request, pk):
    """The bare view, and the unread counts the dashboard and the match page show: what the counts
    add to a request."""
    from django.http import HttpResponse

    from matching import inbox

    response = bare_view(request, pk)  # the same reads as the baseline, then the counts
    mine = inbox.coordinator_conversations_of(request.user)
    counts = inbox.unread_by_match(request.user, [response_match_id(pk)])
    return HttpResponse(response.content + f" {counts} {len(mine)}".encode(), content_type="text/plain")


def response_match_id(pk):
    from matching.models import Conversation

    return Conversation.objects.filter(pk=pk).values_list("match_id", flat=True).first()


urlpatterns = []  # filled in run(): the site's URLs and the bare view (this module is the URLconf)


def _median_ms(samples):
    return statistics.median(samples) * 1000


def run():
    _setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
    from django.urls import include, path, reverse

    from bench.evaluation import scratch_database
    from evaluation.demo import scale
    from matching import inbox
    from matching.models import Conversation, ConversationReader, Message

    setup_test_environment()
    urlpatterns[:] = [
        path("bench/bare/<int:pk>/", bare_view),
        path("bench/unread/<int:pk>/", unread_view),
        path("", include("mentorship.urls")),
    ]
    print(f"Scratch database bench_{os.getpid()} (dropped at the end).")
    with scratch_database(), override_settings(ROOT_URLCONF=__name__, MFA_REQUIRED_FOR_STAFF=False):
        began = time.perf_counter()
        built = scale.build_city()
        print(f"City-scale data built in {time.perf_counter() - began:.1f} s: "
              f"{built.counts['people']:,} people, {built.counts['matches']:,} matches, "
              f"{built.counts['messages']:,} messages.")  # fmt: skip
        program, lead = built.program, built.coordinator
        conversations = (
            Conversation.objects.filter(program=program, kind="pair", match__status="active")
            .annotate(n=Count("messages"))
            .order_by("-n", "pk")
        )
        big = conversations.select_related("match__mentee__user").first()
        small = conversations.filter(n__gte=1).select_related("match__mentee__user").last()
        mentee = big.match.mentee.user
        print(f"{Conversation.objects.count():,} conversations, {ConversationReader.objects.count():,} "
              f"read positions; the longest active pair's thread has {big.n:,} messages, "
              f"the shortest {small.n}.")  # fmt: skip

        as_mentee, as_lead = Client(), Client()
        as_mentee.force_login(mentee)
        as_lead.force_login(lead)
        newest = Message.objects.filter(conversation=big).order_by("-pk").values_list("pk", flat=True)[1]

        def after(conversation):  # one message to send back: the newest
            return newest if conversation == big else 0

        def page(client, url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return get

        bare = page(as_mentee, f"/bench/bare/{big.pk}/")
        cases = [
            ("conversation page, the mentee (longest thread)", as_mentee,
             lambda c: reverse("matching:conversation", args=[c.pk])),
            ("conversation page, the coordinator", as_lead,
             lambda c: reverse("matching:conversation", args=[c.pk])),
            ("polling answer (one new message)", as_mentee,
             lambda c: reverse("matching:conversation_new", args=[c.pk]) + f"?after={after(c)}"),
            ("the bare view with the unread counts", as_mentee, lambda c: f"/bench/unread/{c.pk}/"),
            ("the coordinators' inbox (12,000 conversations)", as_lead,
             lambda c: reverse("matching:inbox", args=[program.slug])),
            ("(for the record) the mentee's whole dashboard", as_mentee, lambda c: reverse("dashboard")),
        ]  # fmt: skip

        # Warm both passes: templates compiled, connection open, caches as they would be.
        for _, client, url in cases:
            for _ in range(3):
                page(client, url(big))()
                bare()

        print(f"\nEach page vs the bare view, {REQUESTS} requests each, alternating (median):")
        worst = 0.0
        for label, client, url in cases:
            timed, baseline = [], []
            get = page(client, url(big))
            for _ in range(REQUESTS):
                began = time.perf_counter()
                get()
                timed.append(time.perf_counter() - began)
                began = time.perf_counter()
                bare()
                baseline.append(time.perf_counter() - began)
            with CaptureQueriesContext(connection) as at_big:
                get()
            # The same page for the shortest thread (its mentee, for the mentee's pages).
            small_client = client
            if client is as_mentee:
                small_client = Client()
                small_client.force_login(small.match.mentee.user)
            with CaptureQueriesContext(connection) as at_small:
                page(small_client, url(small))()
            ratio = _median_ms(timed) / _median_ms(baseline)
            if not label.startswith("(for the record)"):
                worst = max(worst, ratio)
            print(f"  {label:50} {_median_ms(timed):7.1f} ms  bare {_median_ms(baseline):6.1f} ms  "
                  f"ratio {ratio:4.2f}x  queries {len(at_big.captured_queries)} "
                  f"(shortest thread: {len(at_small.captured_queries)})")  # fmt: skip

        # The unread counts alone: the selectors the dashboard and the match page call.
        counts = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            inbox.unread_by_match(mentee, [big.match_id])
            inbox.coordinator_conversations_of(mentee)
            counts.append(time.perf_counter() - began)
        print(f"\n  unread counts alone (unread_by_match + coordinator_conversations_of): "
              f"{_median_ms(counts):.2f} ms")  # fmt: skip
        verdict = "met" if worst <= TARGET else "NOT met"
        print(f"\nWorst ratio {worst:.2f}x (target <= {TARGET:.0f}x): {verdict}.")
    return 0


if __name__ == "__main__":
    sys.exit(run())
