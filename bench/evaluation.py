"""Benchmark of the evaluation reports at city scale, each side by side with a baseline in the same run.

Run: ``.venv/bin/python -m bench.evaluation`` (or ``make bench``, once registered in bench/__main__).

It never touches a developer's data: it creates a database ``bench_<pid>`` on the same PostgreSQL
server, migrates it, builds the city-scale program there (evaluation/demo/scale.py), measures, and drops the
database at the end, whatever happens.

1. The KPI dashboard vs a bare Django view over the same program (target: <= 3x). The bare view
   loads the program through the same access helper and reads the same rows once with the ORM:
   a count of the matches, and a count and mean rating of the period's check-ins. Both are called
   as view functions with the same request, and their bodies rendered. The page also lists the
   pairs at risk (evaluation.selectors.pairs_at_risk), timed on its own as well.
2. The 500,000-row check-ins CSV export (the coordinator's streamed download, through the view)
   vs PostgreSQL ``COPY (same query) TO STDOUT WITH CSV`` (target: <= 1.5x), with the export's
   peak memory: Python allocations (tracemalloc, in a separate pass) and resident-set growth.
3. The worker-built XLSX of the same rows (``exports.export_build``; target: <= 20 s), beside COPY
   and the CSV export of the same rows, interleaved in the same run; the writer before (openpyxl)
   on the first 50,000 rows beside this one; and its memory, shown flat: peak Python allocations
   (tracemalloc) for 20,000 and 100,000 rows, resident-set growth during a whole build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import tracemalloc

REPEATS = 5
EXPORT_REPEATS = 3


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()


@contextlib.contextmanager
def scratch_database():
    """A fresh, migrated database ``bench_<pid>`` as Django's default for the duration; dropped after."""
    import psycopg2
    from django.core.management import call_command
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    original = settings_dict["NAME"]
    name = f"bench_{os.getpid()}"
    params = {"dbname": "postgres", "user": settings_dict["USER"], "host": settings_dict["HOST"]}
    if settings_dict.get("PORT"):
        params["port"] = settings_dict["PORT"]
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connections.close_all()
    settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        connections.close_all()
        settings_dict["NAME"] = original
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _timed(function, repeats):
    times = []
    result = None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), min(times), result


def _rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


XLSX_TARGET_SECONDS = 20
XLSX_MEMORY_ROWS = (20_000, 100_000)  # tracemalloc passes (it slows Python down many times over)
OPENPYXL_ROWS = 50_000  # the writer before (openpyxl), for reference, on the first rows only


def _rss_growth_kib(function):
    """How far the resident set grew above its size before, sampled every 20 ms while ``function`` ran."""
    import threading

    before, peak, done = _rss_kib(), [0], threading.Event()

    def sample():
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss_kib() - before)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        function()
    finally:
        done.set()
        sampler.join()
    return max(peak[0], _rss_kib() - before)


def _openpyxl_build(dataset, scope, path):
    """The XLSX as it was written before mentorship/xlsx.py: openpyxl's write-only workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from evaluation import exports

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.name[:31])
    header = []
    for name in dataset.header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for rows in exports.iter_chunks(dataset, scope, chunk_rows=5_000):
        for row in rows:
            sheet.append(row)  # (its formula guard, left out here, only made it slower)
    workbook.save(path)


def xlsx_section(*, user, scope, copy_out, csv_export):
    """3. The worker-built XLSX of the check-ins (``exports.export_build``, as the worker runs it)
    vs COPY of the same rows and the CSV export, interleaved; openpyxl (before) on the first rows;
    then memory: resident-set growth sampled during a whole build, and peak Python allocations
    (tracemalloc) of builds of the first 20,000 and 100,000 rows, which should be about the same."""
    import dataclasses

    from evaluation import exports

    def build():
        record = exports.export_record_create(
            user=user, scope=scope, dataset="checkins", file_format="xlsx", status="queued"
        )
        record = exports.export_build(record_id=record.pk)
        path = exports.export_file_path(record)
        assert path is not None, record.error
        size = path.stat().st_size
        path.unlink()
        return record.row_count, size

    build_times, copy_times, csv_times = [], [], []
    for _ in range(EXPORT_REPEATS):  # interleaved, so that all three see the same machine
        seconds, _, (rows, size) = _timed(build, 1)
        build_times.append(seconds)
        copy_times.append(_timed(copy_out, 1)[0])
        csv_times.append(_timed(csv_export, 1)[0])
    xlsx_median, copy_median = statistics.median(build_times), statistics.median(copy_times)
    csv_median = statistics.median(csv_times)

    dataset = exports.DATASETS["checkins"]
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as folder:
        grew = _rss_growth_kib(lambda: exports.write_xlsx(dataset, scope, os.path.join(folder, "all.xlsx")))
        traced = {}
        for limit in XLSX_MEMORY_ROWS:
            first = dataclasses.replace(dataset, order=f"{dataset.order} LIMIT {limit}")
            tracemalloc.start()
            exports.write_xlsx(first, scope, os.path.join(folder, f"{limit}.xlsx"))
            traced[limit] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        first = dataclasses.replace(dataset, order=f"{dataset.order} LIMIT {OPENPYXL_ROWS}")
        began = time.perf_counter()
        _openpyxl_build(first, scope, os.path.join(folder, "openpyxl.xlsx"))
        openpyxl_seconds = time.perf_counter() - began
        began = time.perf_counter()
        exports.write_xlsx(first, scope, os.path.join(folder, "first.xlsx"))
        first_seconds = time.perf_counter() - began

    verdict = "PASS" if xlsx_median <= XLSX_TARGET_SECONDS else "MISS"
    print(f"\n3. Worker-built XLSX of the same {rows:,} check-ins (median of {EXPORT_REPEATS}, interleaved)")
    print(f"   {'what':<44} {'measured':>9} {'baseline':>9} {'ratio':>7}  target")
    print(f"   {'XLSX build (export_build) vs COPY':<44} {xlsx_median:>8.1f}s {copy_median:>8.1f}s "
          f"{xlsx_median / copy_median:>6.1f}x  <= {XLSX_TARGET_SECONDS} s: {verdict}")  # fmt: skip
    print(f"   {'XLSX build vs the CSV export':<44} {xlsx_median:>8.1f}s {csv_median:>8.1f}s "
          f"{xlsx_median / csv_median:>6.1f}x")  # fmt: skip
    what = f"first {OPENPYXL_ROWS:,} rows: vs openpyxl (the one before)"
    print(f"   {what:<44} {first_seconds:>8.1f}s {openpyxl_seconds:>8.1f}s "
          f"{first_seconds / openpyxl_seconds:>6.2f}x")  # fmt: skip
    print(f"   file {size / 2**20:.1f} MiB; runs {', '.join(f'{t:.1f}' for t in build_times)} s")
    small, big = (traced[k] for k in XLSX_MEMORY_ROWS)
    flat = "PASS" if big <= small * 1.25 + 2**20 else "MISS"
    print(f"   memory: peak Python allocations {small / 2**20:.1f} MiB for {XLSX_MEMORY_ROWS[0]:,} rows, "
          f"{big / 2**20:.1f} MiB for {XLSX_MEMORY_ROWS[1]:,} (flat: {flat}); resident set grew "
          f"{grew / 1024:.1f} MiB during a whole {rows:,}-row build")  # fmt: skip


def bare_view(request, slug, *, start, end):
    """The baseline: the same program, its rows read once, a plain response."""
    from django.db.models import Avg, Count
    from django.http import HttpResponse

    from evaluation.models import CheckIn
    from matching.models import Match
    from programs.access import get_program_for

    program = get_program_for(request.user, slug, manage=True)
    matches = Match.objects.filter(program=program).aggregate(n=Count("pk"))
    checkins = CheckIn.objects.filter(match__program=program, occurred_on__range=(start, end)).aggregate(
        n=Count("pk"), rating=Avg("rating")
    )
    return HttpResponse(
        f"{matches['n']} matches; {checkins['n']} check-ins, mean rating {checkins['rating']}"
    )


def run():
    _setup_django()
    from django.conf import settings
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.base import SessionBase
    from django.db import connection
    from django.test import RequestFactory

    from evaluation import exports, kpis
    from evaluation.demo import scale
    from evaluation.models import ExportRecord
    from evaluation.views import reports
    from programs.models import Program

    print(f"Scratch database bench_{os.getpid()} (dropped at the end).")
    media = tempfile.TemporaryDirectory(prefix="bench-media-")
    settings.MEDIA_ROOT = media.name  # worker-built files go there, not under var/
    with media, scratch_database():
        began = time.perf_counter()
        built = scale.build_city()
        seed_seconds = time.perf_counter() - began
        counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in built.counts.items())
        print(f"City-scale data built in {seed_seconds:.1f} s: {counts}.")
        program, user = built.program, built.coordinator
        today = dt.date.today()
        start, end = kpis.default_period(today)
        factory = RequestFactory()

        def get(url):
            request = factory.get(url)
            request.user = user
            request.session = SessionBase()
            request._messages = FallbackStorage(request)
            return request

        # 1. The dashboard, its KPI queries alone, and the bare view.
        def dashboard():
            response = reports.program_dashboard(get(f"/programs/{program.slug}/reports/"), slug=program.slug)
            assert response.status_code == 200, response.status_code
            return len(response.content)

        def kpi_queries():
            return kpis.compute(Program.objects.filter(pk=program.pk), on=today, start=start, end=end)

        def bare():
            response = bare_view(get("/bare/"), program.slug, start=start, end=end)
            return len(response.content)

        for warm in (dashboard, bare):  # warm the caches once, equally
            warm()
        bare_median, bare_best, _ = _timed(bare, REPEATS)
        kpi_median, kpi_best, report = _timed(kpi_queries, REPEATS)
        page_median, page_best, size = _timed(dashboard, REPEATS)
        print("\n1. KPI dashboard vs a bare Django view (median of 5; best in brackets)")
        print(f"   bare view (program, count of matches, count and mean of the period's check-ins): "
              f"{bare_median * 1000:.0f} ms ({bare_best * 1000:.0f})")  # fmt: skip
        print(f"   KPI queries (6 aggregate queries):  {kpi_median * 1000:.0f} ms ({kpi_best * 1000:.0f})  "
              f"ratio {kpi_median / bare_median:.2f}x (target <= 3x)")  # fmt: skip
        print(f"   whole dashboard page ({size / 1024:.0f} KiB, with charts and pairs at risk): "
              f"{page_median * 1000:.0f} ms ({page_best * 1000:.0f})  "
              f"ratio {page_median / bare_median:.2f}x")  # fmt: skip
        from evaluation.selectors import pairs_at_risk
        from matching.models import Match

        risk_seconds, _, risky = _timed(
            lambda: pairs_at_risk(Match.objects.filter(program=program), on=today, limit=50), REPEATS
        )
        print(f"   of which pairs_at_risk (selectors.py; {risky.total:,} pairs at risk, 50 shown): "
              f"{risk_seconds * 1000:.0f} ms")  # fmt: skip
        active, compliance = report.value("active_matches"), report.get("compliance").display
        print(f"   active matches {active:,}; compliance {compliance}")
        if os.environ.get("BENCH_EVALUATION_DASHBOARD_ONLY"):  # section 1 alone, for quick runs
            return 0

        # 2. The check-ins CSV export vs COPY of the same rows.
        all_time = {"on": today.isoformat(), "start": "2000-01-01", "end": today.isoformat()}
        scope = exports.Scope.for_programs(
            Program.objects.filter(pk=program.pk),
            program=program,
            on=today,
            start=dt.date(2000, 1, 1),
            end=today,
        )
        dataset = exports.DATASETS["checkins"]
        copy_sql = (
            connection.cursor()
            .mogrify(
                f"COPY (SELECT {dataset.select} {dataset.source} {dataset.order}) "
                "TO STDOUT WITH (FORMAT csv, HEADER)",
                scope.sql_parameters(),
            )
            .decode()
        )

        class Sink:
            size = 0

            def write(self, data):
                self.size += len(data)

        def copy_out():
            sink = Sink()
            with connection.cursor() as cursor:
                cursor.copy_expert(copy_sql, sink)
            return sink.size, 0

        def export(sample_memory=False):
            request = factory.post(
                f"/programs/{program.slug}/reports/export/",
                {**all_time, "dataset": "checkins", "file_format": "csv"},
            )
            request.user = user
            request.session = SessionBase()
            request._messages = FallbackStorage(request)
            response = reports.program_export(request, slug=program.slug)
            assert response.status_code == 200 and response.streaming, response.status_code
            size, before, peak = 0, _rss_kib(), 0
            for chunk in response.streaming_content:
                size += len(chunk)
                if sample_memory:
                    peak = max(peak, _rss_kib() - before)
            response.close()
            return size, peak

        export()
        copy_out()
        export_times, copy_times = [], []
        for _ in range(EXPORT_REPEATS):  # interleaved, so that both see the same machine
            seconds, _, (export_size, _) = _timed(export, 1)
            export_times.append(seconds)
            seconds, _, (copy_size, _) = _timed(copy_out, 1)
            copy_times.append(seconds)
        _, _, (_, rss_growth) = _timed(lambda: export(sample_memory=True), 1)
        tracemalloc.start()
        export()
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = ExportRecord.objects.filter(dataset="checkins").latest("created_at").row_count
        export_median, copy_median = statistics.median(export_times), statistics.median(copy_times)
        print(f"\n2. Check-ins CSV export ({rows:,} rows) vs COPY ... TO STDOUT (median of {EXPORT_REPEATS})")
        print(f"   COPY:   {copy_median:.2f} s, {copy_size / 2**20:.1f} MiB")
        print(f"   export: {export_median:.2f} s, {export_size / 2**20:.1f} MiB  ratio "
              f"{export_median / copy_median:.2f}x (target <= 1.5x)")  # fmt: skip
        print(f"   export memory: peak Python allocations {traced_peak / 2**20:.1f} MiB (tracemalloc); "
              f"resident set grew {rss_growth / 1024:.1f} MiB while streaming")  # fmt: skip

        # 3. The worker's XLSX of the same rows, beside COPY and the CSV export in the same run.
        xlsx_section(user=user, scope=scope, copy_out=copy_out, csv_export=export)
    return 0


if __name__ == "__main__":
    sys.exit(run())
