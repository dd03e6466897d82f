"""What the audit trail costs a page: a minor's applicant page, with and without its audit row.

Viewing a minor's full record writes one row of the audit trail (issue 10): one INSERT in the
request's autocommit. This measures that INSERT's share of the page, side by side in one run:

- the coordinator's GET of a minor's applicant page through the test client, as served;
- the same request with the audit row's write skipped (the view's ``audit_record`` replaced by a
  no-op for this pass only: the one thing that differs between the two);
- ``audit_record`` called on its own, the INSERT alone.

The two page passes alternate request by request, so that a noisy neighbour slows both alike.
Works in a database of its own, ``bench_<pid>`` (created, migrated and dropped, see
bench/evaluation.py), so a developer's data is never touched.

    .venv/bin/python -m bench audit
"""

from __future__ import annotations

import os
import statistics
import time

REQUESTS = 150


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


def _world():
    from evaluation.demo import people

    lead = people.coordinator(email="lead@bench.test", display_name="Lee Lead")
    program = people.program(coordinator=lead, name="Bench Youth Mentoring")
    enrollment = people.ready_mentee(program=program, email="young@bench.test", minor=True)
    return lead, program, enrollment


def run():
    _setup_django()
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
    from django.urls import reverse

    from bench.evaluation import scratch_database
    from mentorship.models import AuditEntry
    from mentorship.services import audit_record

    setup_test_environment()  # the test client's host, and emails kept in memory
    with scratch_database(), override_settings(MFA_REQUIRED_FOR_STAFF=False):
        lead, program, enrollment = _world()
        client = Client()
        client.force_login(lead)
        url = reverse("programs:applicant", kwargs={"slug": program.slug, "pk": enrollment.pk})

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        skip_audit = mock.patch("programs.views.applicants.audit_record", lambda **kwargs: None)
        for _ in range(10):  # warm: templates compiled, connection open
            page()
            with skip_audit:
                page()

        with CaptureQueriesContext(connection) as audited:
            page()
        with skip_audit, CaptureQueriesContext(connection) as bare:
            page()
        remaining = [q["sql"][:60] for q in bare.captured_queries]
        extra = []
        for query in audited.captured_queries:
            if query["sql"][:60] in remaining:
                remaining.remove(query["sql"][:60])
            else:
                extra.append(query["sql"])

        rows_before = AuditEntry.objects.count()
        with_audit, without_audit = [], []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            page()
            with_audit.append(time.perf_counter() - began)
            with skip_audit:
                began = time.perf_counter()
                page()
                without_audit.append(time.perf_counter() - began)
        written = AuditEntry.objects.count() - rows_before

        inserts = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            audit_record(actor=lead, action="enrollment.viewed", target=enrollment)
            inserts.append(time.perf_counter() - began)

    ms = 1000
    page_with = statistics.median(with_audit) * ms
    page_without = statistics.median(without_audit) * ms
    insert = statistics.median(inserts) * ms
    print(f"minor's applicant page, {REQUESTS} requests each, alternating (median):")
    print(f"  with its audit row     {page_with:7.2f} ms   ({len(audited.captured_queries)} queries)")
    print(f"  audit row skipped      {page_without:7.2f} ms   ({len(bare.captured_queries)} queries)")
    print(f"  ratio                  {page_with / page_without:7.3f}x")
    print(f"  difference             {page_with - page_without:+7.2f} ms")
    print(f"  audit_record alone     {insert:7.2f} ms   (one INSERT)")
    print(f"  rows written by the audited pass: {written} for {REQUESTS} requests")
    print(f"  extra statements per audited request: {len(extra)}")
    for sql in extra:
        print(f"    {sql[:110]}")


if __name__ == "__main__":
    run()
