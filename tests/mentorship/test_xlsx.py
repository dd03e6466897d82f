"""The XLSX writer (mentorship/xlsx.py): what openpyxl reads back from its files, and flat memory."""

import datetime as dt
import io
import tracemalloc
import zipfile
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from mentorship import xlsx
from mentorship.spreadsheet import DANGEROUS_FIRST

TRICKY_TEXT = [
    "Tom & Jerry <3 \"quoted\" 'single'",
    "</t></is></c><c><v>1</v></c>",
    "]]> &amp; &#13; <![CDATA[x]]>",
    "bell\x07 null\x00 escape\x1b vertical\x0b form\x0c end",
    "tab\tline\nfeed",
    "carriage\rreturn\r\n",
    "  spaces kept  ",
    "emoji 🎉 and non-BMP 𝄞, accents éàü, CJK 漢字, RTL שלום",
    "x" * 30_000,
    *(first + "1+1" for first in DANGEROUS_FIRST),
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(A1:A2)",
]


def read(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_text_reads_back_as_written_less_what_xml_cannot_hold():
    sheet = read(xlsx.workbook_bytes([[value] for value in TRICKY_TEXT], title="Notes", header=["note"]))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(TRICKY_TEXT)
    for cell, value in zip(cells, TRICKY_TEXT, strict=True):
        expected = value
        for illegal in "\x07\x00\x1b\x0b\x0c":
            expected = expected.replace(illegal, "")
        assert cell.value == expected, value
        assert cell.data_type == "s", value  # text, never a formula


def test_no_cell_is_ever_a_formula():
    data = xlsx.workbook_bytes([[value] for value in TRICKY_TEXT])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = read(data)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_typed_values_keep_their_types():
    moment = dt.datetime(2026, 3, 4, 5, 6, 7, 250_000)
    row = [7, -2.5, Decimal("12.50"), True, False, None, "", dt.date(2026, 1, 31), moment, 10**15, 0]
    sheet = read(xlsx.workbook_bytes([row], header=[f"c{k}" for k in range(len(row))]))
    cells = list(sheet.iter_rows(min_row=2))[0]
    values = [cell.value for cell in cells]
    assert values[:5] == [7, -2.5, 12.5, True, False]
    assert values[5] is None and values[6] is None  # no cell; an empty text is no cell either
    assert values[7] == dt.datetime(2026, 1, 31) and cells[7].is_date
    assert cells[7].number_format == "yyyy-mm-dd"
    assert values[8] == moment and cells[8].number_format == "yyyy-mm-dd h:mm:ss"
    assert values[9:] == [10**15, 0]
    assert isinstance(values[0], int) and isinstance(values[2], float)


def test_dates_are_the_serial_numbers_excel_counts():
    # Excel's day 1 is 1 January 1900, and it counts a 29 February 1900 that never was.
    assert xlsx.serial(dt.date(1900, 1, 1)) == 1
    assert xlsx.serial(dt.date(1900, 3, 1)) == 61
    assert xlsx.serial(dt.date(2026, 1, 1)) == 46023
    assert xlsx.serial(dt.datetime(2026, 1, 1, 18)) == 46023.75
    early = [dt.date(1900, 2, 1), dt.datetime(1900, 2, 28, 12)]
    assert [c.value for c in list(read(xlsx.workbook_bytes([early])).iter_rows())[0]] == [
        dt.datetime(1900, 2, 1),
        dt.datetime(1900, 2, 28, 12),
    ]


def test_many_datetimes_read_back_to_the_millisecond():
    base = dt.datetime(2025, 6, 1, 0, 0, 0)
    moments = [base + dt.timedelta(seconds=k * 7919.123) for k in range(2_000)]
    sheet = read(xlsx.workbook_bytes([[m] for m in moments]))
    for cell, moment in zip(sheet.iter_rows(), moments, strict=True):
        assert abs(cell[0].value - moment) <= dt.timedelta(milliseconds=1)


def test_a_datetime_with_a_time_zone_is_written_in_local_time():
    aware = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        sheet = read(xlsx.workbook_bytes([[aware]]))
    assert sheet["A1"].value == dt.datetime(2026, 7, 1, 12, 0)  # summer time: UTC+2


def test_numbers_a_spreadsheet_cannot_hold_are_left_empty_and_other_values_become_text():
    sheet = read(xlsx.workbook_bytes([[float("nan"), float("inf"), dt.timedelta(hours=1), 3]]))
    assert [sheet.cell(1, k).value for k in range(1, 5)] == [None, None, "1:00:00", 3]


def test_header_is_bold_rows_keep_their_columns_and_the_title_is_made_acceptable():
    rows = [[1, None, "c"], [None, "b"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
            20, 21, 22, 23, 24, 25, 26, 27, 28]]  # fmt: skip
    out = io.BytesIO()
    title = "Q1/Q2: results [draft] & more, a long title"
    with xlsx.SheetWriter(out, title=title, header=["a", "b"]) as sheet:
        assert sheet.write_rows(iter(rows)) == 3
        assert sheet.write_rows([]) == 0
    assert sheet.rows == 3
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    book = workbook.active
    assert book.title == "Q1 Q2  results  draft  & more,"
    assert [c.value for c in book[1]][:3] == ["a", "b", None] and book["A1"].font.b and not book["A2"].font.b
    assert [book.cell(2, k).value for k in (1, 2, 3)] == [1, None, "c"]
    assert [book.cell(3, k).value for k in (1, 2)] == [None, "b"]
    assert book.cell(4, 28).value == 28 and book.cell(4, 28).coordinate == "AB4"


def test_column_letters():
    assert [xlsx.column_letter(k) for k in (0, 25, 26, 27, 51, 52, 701, 702, 16383)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD",
    ]  # fmt: skip


def test_a_writer_stopped_by_an_error_closes_its_zip():
    out = io.BytesIO()
    with pytest.raises(RuntimeError), xlsx.SheetWriter(out, header=["a"]) as sheet:
        sheet.write_rows([[1]])
        raise RuntimeError("the rows failed")
    with zipfile.ZipFile(out) as archive:  # a complete zip, nothing left half-open
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


def _rows(count):
    for k in range(count):
        yield (k, k // 50, "City program", dt.date(2026, 1, 1) + dt.timedelta(k % 365), k % 3 != 0,
               60, "video", k % 5 + 1, "mentee", f"Note {k} & <more>", dt.datetime(2026, 1, 1, 9) +
               dt.timedelta(minutes=k))  # fmt: skip


def _peak(count, target):
    tracemalloc.start()
    try:
        with xlsx.SheetWriter(target, header=[f"c{k}" for k in range(11)]) as sheet:
            sheet.write_rows(_rows(count))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows(tmp_path, monkeypatch):
    # Written to files (a BytesIO would hold the whole workbook), in batches of 500 rows: 4 batches
    # against 20. A memory measure, not a timing (tracemalloc makes it slow: sizes kept small).
    monkeypatch.setattr(xlsx, "BATCH_ROWS", 500)
    small = _peak(2_000, tmp_path / "small.xlsx")
    big = _peak(10_000, tmp_path / "big.xlsx")
    assert big < small * 1.25 + 256 * 1024, (small, big)
    assert big < 16 * 2**20
    with zipfile.ZipFile(tmp_path / "big.xlsx") as archive, archive.open("xl/worksheets/sheet1.xml") as part:
        assert sum(chunk.count(b"</row>") for chunk in iter(lambda: part.read(2**20), b"")) == 10_001
