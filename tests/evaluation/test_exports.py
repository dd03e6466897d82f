"""Exports through the client: columns and content, formula injection in CSV and XLSX, streaming,
the worker's path for big workbooks, downloads, and the record every export leaves."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from evaluation import export_tasks, exports
from evaluation.models import CheckIn, ExportRecord
from programs.models import Program
from tests import scenarios
from tests.evaluation.kpi_history import START, D, build_history, enrolled, pair

pytestmark = pytest.mark.django_db

PERIOD = {"on": D.isoformat(), "start": START.isoformat(), "end": D.isoformat()}
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
]
HARMLESS = ["Plain note", "a=b", "2-3 hours", "Met at the café", 'She said "hi, again",\nthen left', ""]


@pytest.fixture
def history():
    return build_history()


@pytest.fixture
def lead(history):
    return history.coordinators.get()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tricky():
    """A program named like a formula, with check-ins whose notes start like formulas."""
    lead = scenarios.coordinator(email="lead@tricky.test")
    program = scenarios.program(coordinator=lead, name="=Evil program", status="running")
    mentee = enrolled(program, "mentee", "mentee@tricky.test", applied_on=dt.date(2026, 1, 1))
    mentor = enrolled(program, "mentor", "mentor@tricky.test", applied_on=dt.date(2026, 1, 1))
    match = pair(program, mentee, mentor, started_on=dt.date(2026, 1, 10))
    for k, note in enumerate(FORMULAS + HARMLESS):
        day = dt.date(2026, 2, 1) + dt.timedelta(k)
        CheckIn.objects.create(match=match, logged_by=mentee.user, occurred_on=day, notes=note, rating=3)
    return program, lead


def export(client, program, dataset, file_format, **period):
    return client.post(
        reverse("evaluation:program_export", args=[program.slug]),
        {**PERIOD, **period, "dataset": dataset, "file_format": file_format},
    )


def csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def workbook_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return sheet, list(sheet.iter_rows())


@pytest.mark.parametrize("dataset", list(exports.DATASETS))
def test_each_csv_export_streams_its_documented_columns(client, history, lead, dataset):
    client.force_login(lead)
    response = export(client, history, dataset, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{history.slug}-{dataset}-2026-06-30.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == exports.DATASETS[dataset].header
    # 33 figures (the two training figures and the twelve of groups and events included); matches A,
    # B, C2, E, F; the period's check-ins and survey answers; no groups or events.
    expected = {"kpis": 33, "matches": 5, "checkins": 8, "surveys": 8, "groups": 0, "events": 0}[dataset]
    assert len(rows) - 1 == expected


def test_the_check_ins_csv_has_the_rows_of_the_period(client, history, lead):
    client.force_login(lead)
    rows = csv_rows(export(client, history, "checkins", "csv"))
    header, body = rows[0], rows[1:]
    by = [dict(zip(header, row, strict=True)) for row in body]
    # 8 check-ins in the period (the one of 15 June 2025 is before it), oldest logged first.
    assert [row["occurred_on"] for row in by][:2] == ["2025-08-15", "2025-08-30"]
    missed = next(row for row in by if row["occurred_on"] == "2025-09-10")
    assert (missed["held"], missed["logged_by"], missed["program"]) == ("false", "mentee", "History Program")
    coordinator = next(row for row in by if row["occurred_on"] == "2025-10-01")
    assert (coordinator["logged_by"], coordinator["rating"]) == ("coordinator", "1")


def test_the_matches_csv_describes_each_match(client, history, lead):
    client.force_login(lead)
    rows = csv_rows(export(client, history, "matches", "csv"))
    by = {row[rows[0].index("started_on")]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    moved = by["2025-09-11"]
    assert (moved["status"], moved["ended_on"], moved["closure_reason"], moved["length_days"]) == (
        "closed", "2026-01-15", "moved", "126",
    )  # fmt: skip
    assert (moved["mentee_name"], moved["meetings_held"], moved["last_meeting_on"]) == ("M2", "0", "")
    assert by["2025-08-09"]["meetings_held"] == "4"  # A, up to D
    assert "2024-03-01" not in by  # C closed before the period


def test_the_kpi_summary_matches_the_dashboard(client, history, lead):
    client.force_login(lead)
    rows = csv_rows(export(client, history, "kpis", "csv"))
    by = {(row[0], row[3]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by[("active_matches", "")]["value"] == "3"
    assert by[("retention", "6 months")]["value"] == "0.8"
    assert (by[("retention", "6 months")]["numerator"], by[("retention", "6 months")]["denominator"]) == (
        "4",
        "5",
    )
    # Growth rests on fewer than 5 mentees: the value is kept, marked as too early to tell.
    growth = by[("growth", "")]
    marked = ("1.5", "too early to tell", "false")
    assert (growth["value"], growth["shown_as"], growth["enough_data"]) == marked
    assert by[("active_matches", "")]["enough_data"] == "true"
    assert by[("early_closure", "")]["scope"] == "History Program"
    assert by[("compliance", "")]["definition"].startswith("A match's cadence periods")


def test_csv_cells_that_look_like_formulas_become_plain_text(client, tricky):
    program, lead = tricky
    client.force_login(lead)
    rows = csv_rows(export(client, program, "checkins", "csv", start="2026-01-01", end="2026-06-30"))
    notes = [row[rows[0].index("notes")] for row in rows[1:]]
    assert notes == ["'" + value for value in FORMULAS] + HARMLESS
    assert {row[rows[0].index("program")] for row in rows[1:]} == {"'=Evil program"}
    # Numbers stay numbers.
    assert {row[rows[0].index("rating")] for row in rows[1:]} == {"3"}


def test_xlsx_cells_that_look_like_formulas_are_string_cells(client, tricky):
    program, lead = tricky
    client.force_login(lead)
    response = export(client, program, "checkins", "xlsx", start="2026-01-01", end="2026-06-30")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet, rows = workbook_rows(response)
    header = [cell.value for cell in rows[0]]
    assert header == exports.CHECKINS.header and rows[0][0].font.b
    notes = [row[header.index("notes")] for row in rows[1:]]
    for cell, original in zip(notes, FORMULAS + HARMLESS, strict=True):
        if not original:
            continue  # an empty cell
        assert cell.data_type == "s", original
        # XML parsers read a carriage return back as a newline.
        assert cell.value == original or cell.value == original.replace("\r", "\n"), original
    assert {row[header.index("program")].value for row in rows[1:]} == {"=Evil program"}
    assert all(row[header.index("program")].data_type == "s" for row in rows[1:])
    assert not any(cell.data_type == "f" for row in rows for cell in row)
    # Typed columns are typed: dates, numbers, yes/no.
    first = rows[1]
    assert first[header.index("occurred_on")].is_date
    assert first[header.index("rating")].value == 3
    assert first[header.index("held")].value is True


def test_every_export_is_recorded_once_finished(client, history, lead):
    client.force_login(lead)
    response = export(client, history, "checkins", "csv")
    record = ExportRecord.objects.get()
    assert (record.requested_by, record.program, record.dataset, record.file_format) == (
        lead, history, "checkins", "csv",
    )  # fmt: skip
    assert record.status == "running"  # nothing sent yet
    csv_rows(response)
    record.refresh_from_db()
    assert (record.status, record.row_count, record.progress) == ("done", 8, 100)
    assert record.parameters["start"] == START.isoformat() and record.parameters["programs"] == [history.pk]
    assert record.finished_at is not None
    export(client, history, "matches", "xlsx")
    assert ExportRecord.objects.filter(file_format="xlsx", status="done", row_count=5).count() == 1


def test_a_download_stopped_halfway_is_recorded_as_failed(history, lead):
    # What the server does when the browser goes away: it closes the response's iterator.
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    record = exports.export_record_create(user=lead, scope=scope, dataset="checkins", file_format="csv",
                                          status="running")  # fmt: skip
    stream = exports.csv_stream(record=record, scope=scope)
    next(stream), next(stream)  # the header, then the first chunk of rows (inside its transaction)
    stream.close()
    record.refresh_from_db()
    assert record.status == "failed" and "interrupted" in record.error


def test_the_csv_streams_in_chunks_from_a_server_side_cursor(history):
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    chunks = list(exports.iter_chunks(exports.CHECKINS, scope, chunk_rows=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 2]


def test_a_big_workbook_is_built_by_the_worker(
    client, history, lead, media, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "XLSX_IN_REQUEST_ROWS", 5)  # "big": more than 5 rows here
    client.force_login(lead)
    with django_capture_on_commit_callbacks() as callbacks:
        response = export(client, history, "checkins", "xlsx")
    assert response.status_code == 302 and response.url == reverse("evaluation:exports")
    assert len(callbacks) == 1  # the task is sent after commit (captured here, not sent)
    record = ExportRecord.objects.get()
    assert (record.status, record.file) == ("queued", "")
    page = client.get(reverse("evaluation:exports"))
    assert "Queued" in page.text and "not ready yet" in page.text

    export_tasks.build_export(record.pk)
    export_tasks.build_export(record.pk)  # delivered twice: the second does nothing
    record.refresh_from_db()
    assert (record.status, record.progress, record.row_count) == ("done", 100, 8)
    assert record.file.startswith("exports/") and (media / record.file).is_file()
    assert not list((media / "exports").glob("*.part"))

    page = client.get(reverse("evaluation:exports"))
    download = reverse("evaluation:export_download", args=[record.pk])
    assert download in page.text
    response = client.get(download)
    assert response.status_code == 200
    assert f'filename="{history.slug}-checkins-2026-06-30.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 9


def test_a_workbook_whose_worker_was_lost_is_built_by_another(
    history, lead, media, settings, django_capture_on_commit_callbacks
):
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    record = exports.export_record_create(user=lead, scope=scope, dataset="checkins", file_format="xlsx",
                                          status="queued")  # fmt: skip
    fresh = exports.export_record_create(user=lead, scope=scope, dataset="matches", file_format="xlsx",
                                         status="queued")  # fmt: skip
    # A worker took it, then died (killed, out of memory): the record says "running" for good.
    ExportRecord.objects.filter(pk=record.pk).update(status="running", progress=40, attempts=1)
    limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    now = dt.datetime.now(dt.UTC)
    ExportRecord.objects.filter(pk=record.pk).update(started_at=now - dt.timedelta(minutes=1))
    assert exports.exports_recover(now=now) == ([], [])  # still within the time limit: left alone

    ExportRecord.objects.filter(pk=record.pk).update(started_at=now - limit - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert exports.exports_recover(now=now) == ([record.pk], [])
    assert len(callbacks) == 1  # the task is sent again, after commit
    assert ExportRecord.objects.get(pk=fresh.pk).status == "queued"  # queued a moment ago: waits
    export_tasks.build_export(record.pk)
    export_tasks.build_export(record.pk)  # the second delivery does nothing
    record.refresh_from_db()
    assert (record.status, record.row_count, record.attempts) == ("done", 8, 2)
    assert exports.exports_recover(now=now) == ([], [])


def test_a_workbook_that_keeps_killing_its_worker_fails_after_three_tries(history, lead, media, settings):
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    record = exports.export_record_create(user=lead, scope=scope, dataset="checkins", file_format="xlsx",
                                          status="running")  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    ExportRecord.objects.filter(pk=record.pk).update(
        attempts=exports.MAX_ATTEMPTS, started_at=now - dt.timedelta(hours=1)
    )
    assert exports.exports_recover(now=now) == ([], [record.pk])
    record.refresh_from_db()
    assert record.status == "failed" and "stopped 3 times" in record.error
    assert exports.exports_recover(now=now) == ([], [])


def test_a_workbook_whose_task_never_reached_a_worker_is_sent_again(
    history, lead, media, django_capture_on_commit_callbacks
):
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    record = exports.export_record_create(user=lead, scope=scope, dataset="checkins", file_format="xlsx",
                                          status="queued")  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    ExportRecord.objects.filter(pk=record.pk).update(created_at=now - dt.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert exports.exports_recover(now=now) == ([record.pk], [])
    assert len(callbacks) == 1


def test_downloads_answer_only_the_requester_and_staff(client, history, lead, media, world):
    record = exports.export_record_create(
        user=lead,
        scope=exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D),
        dataset="matches",
        file_format="xlsx",
        status="queued",
    )
    exports.export_build(record_id=record.pk)
    url = reverse("evaluation:export_download", args=[record.pk])
    for user, status in [
        (world.people.mentee, 404),
        (world.people.coordinator, 404),
        (world.people.other_coordinator, 404),
        (lead, 200),
        (world.people.staff, 200),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(url).url.startswith("/accounts/login/")


def test_a_record_without_its_file_does_not_download(client, history, lead, media):
    record = ExportRecord.objects.create(requested_by=lead, dataset="checkins", file_format="xlsx",
                                         status="done", file="../../etc/passwd")  # fmt: skip
    client.force_login(lead)
    assert client.get(reverse("evaluation:export_download", args=[record.pk])).status_code == 404


def test_staff_export_all_programs(client, history, world):
    client.force_login(world.people.staff)
    response = client.post(
        reverse("evaluation:staff_export"), {**PERIOD, "dataset": "kpis", "file_format": "csv"}
    )
    rows = csv_rows(response)
    assert {row[rows[0].index("scope")] for row in rows[1:]} == {"All programs"}
    record = ExportRecord.objects.get()
    assert record.program is None and len(record.parameters["programs"]) == Program.objects.count()
    assert f'filename="all-programs-kpis-{D}.csv"' in response["Content-Disposition"]


def test_an_invalid_period_exports_nothing(client, history, lead):
    client.force_login(lead)
    response = export(client, history, "checkins", "csv", end="2026-07-01")
    assert response.status_code == 200 and not response.streaming
    assert "The period must end on or before the reporting date." in response.text
    assert not ExportRecord.objects.exists()


def test_the_export_page_documents_every_column(client, history, lead):
    client.force_login(lead)
    page = client.get(reverse("evaluation:program_export", args=[history.slug])).text
    for dataset in exports.DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
