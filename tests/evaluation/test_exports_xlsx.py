"""The XLSX exports (mentorship/xlsx.py) read back with tricky text: what XML cannot hold left out,
everything else as it was, text never a formula, typed columns typed; every dataset's sheet."""

import datetime as dt
import io

import openpyxl
import pytest

from evaluation import exports
from evaluation.models import CheckIn, SurveyResponse
from programs.models import Program
from tests import scenarios
from tests.evaluation.kpi_history import START, D, build_history, enrolled, pair

pytestmark = pytest.mark.django_db

NOTES = [
    "Tom & Jerry <3 \"quoted\" 'single' > end",
    "</t></is></c><c><v>1</v></c>",
    "control\x01\x07\x08\x0b\x0c\x1b\x1f characters",
    "tab\tline\nfeed, carriage\rreturn\r\n",
    "  spaces kept  ",
    "emoji 🎉 and non-BMP 𝄞, accents éàü, CJK 漢字",
    "x" * 5_000,
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturn",
    "\x01",  # nothing left once cleaned: an empty cell
    "",
]


@pytest.fixture
def tricky():
    lead = scenarios.coordinator(email="lead@tricky.test")
    program = scenarios.program(coordinator=lead, name="=Evil & <program>", status="running")
    mentee = enrolled(program, "mentee", "mentee@tricky.test", applied_on=dt.date(2026, 1, 1))
    mentor = enrolled(program, "mentor", "mentor@tricky.test", applied_on=dt.date(2026, 1, 1))
    match = pair(program, mentee, mentor, started_on=dt.date(2026, 1, 10))
    for k, note in enumerate(NOTES):
        CheckIn.objects.create(
            match=match,
            logged_by=mentee.user if k % 2 else None,
            occurred_on=dt.date(2026, 2, 1) + dt.timedelta(k),
            notes=note,
            rating=k % 5 + 1 if k % 3 else None,
            held=k % 4 != 0,
            duration_minutes=30 + k if k % 2 else None,
        )
    SurveyResponse.objects.create(
        match=match, respondent=mentee.user, role="mentee", kind="self_start", rating=4,
        answers={"confidence": 3.5, "note": "a & b <c>"}, text="Line one\nline two & more",
    )  # fmt: skip
    return program


def sheet_cells(dataset, scope):
    out = io.BytesIO()
    rows = exports.write_xlsx(dataset, scope, out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    cells = [
        [(cell.value, cell.data_type, cell.number_format, cell.font.b) for cell in row]
        for row in sheet.iter_rows()
    ]
    return rows, sheet.title, cells


def test_tricky_text_reads_back_cleaned_and_typed_columns_keep_their_types(tricky):
    scope = exports.Scope.for_programs(
        Program.objects.filter(pk=tricky.pk), program=tricky, on=D, start=dt.date(2026, 1, 1), end=D
    )
    rows, title, cells = sheet_cells(exports.CHECKINS, scope)
    assert rows == len(NOTES) and title == "Check-ins"
    header = [value for value, *_ in cells[0]]
    notes = [row[header.index("notes")][0] for row in cells[1:]]
    illegal = dict.fromkeys(map(ord, "\x01\x07\x08\x0b\x0c\x1b\x1f"))
    assert notes == [note.translate(illegal) or None for note in NOTES]
    first = cells[1]
    assert first[header.index("program")][:2] == ("=Evil & <program>", "s")
    assert all(cell[1] != "f" for row in cells for cell in row)  # never a formula
    assert cells[0][0][3] and not first[0][3]  # the header, only, in bold
    assert first[header.index("occurred_on")][0] == dt.datetime(2026, 2, 1)
    assert first[header.index("held")][0] is False
    logged = first[header.index("logged_at")]
    assert isinstance(logged[0], dt.datetime) and logged[2] == "yyyy-mm-dd h:mm:ss"


def test_every_dataset_reads_back_with_its_header_and_rows():
    history = build_history()
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D)
    for dataset in exports.DATASETS.values():
        rows, title, cells = sheet_cells(dataset, scope)
        assert title == dataset.name[:31]
        assert [value for value, *_ in cells[0]] == dataset.header
        assert len(cells) == rows + 1, dataset.key
        if dataset is not exports.KPIS:  # (its count is an upper bound, for progress)
            assert rows == exports.count_rows(dataset, scope), dataset.key
