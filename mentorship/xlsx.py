"""A small XLSX writer with no dependencies: one sheet of rows, written as they come, with flat memory.

An XLSX file is a zip of XML parts. The sheet's part is compressed straight into the zip (a stream
opened with ``zipfile``), a batch of rows at a time, so that a workbook of any length is written in
the memory of one batch. The other parts (content types, relationships, workbook, styles) are a
few hundred bytes each, written once.

What a value becomes (as openpyxl writes them, so that files read back the same):

- text: an inline string, never a formula. A text that starts like a formula (mentorship/spreadsheet
  ``DANGEROUS_FIRST``) is thus written as the plain text it is: this writer has no formulas at all.
  Characters XML cannot hold (control characters other than tab, line feed and carriage return) are
  left out; a carriage return is kept (as ``&#13;``, which XML parsers do not turn into a newline);
  an empty text is an empty cell;
- int, float, Decimal: a number (NaN and infinities, which a spreadsheet has no number for: empty);
- bool: a yes/no cell (TRUE/FALSE);
- date, datetime: a serial number (days since 1899-12-30, as Excel counts them) shown as
  ``yyyy-mm-dd`` or ``yyyy-mm-dd h:mm:ss``. A datetime with a time zone is written in the current
  time zone's local time (Django's ``localtime``), as the exports present times;
- None: no cell; anything else: its text.

The header row, if any, is bold.

    with xlsx.SheetWriter(path_or_binary_file, title="Check-ins", header=["id", "notes"]) as sheet:
        sheet.write_rows(rows)  # any iterable of sequences, as often as needed
    data = xlsx.workbook_bytes(rows, title="Hours", header=HEADER)  # small sheets: bytes
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from decimal import Decimal
from math import isfinite

from django.utils import timezone

BATCH_ROWS = 2_000  # rows turned into XML, then compressed, at a time
# Speed over size: level 1 compresses sheet XML about 2.5 times faster than the default 6, for a
# file about 15% bigger.
COMPRESS_LEVEL = 1
MAX_TITLE = 31
_EPOCH = dt.date(1899, 12, 30).toordinal()  # Excel's day 0 (it takes 1900 for a leap year)
_FIRST_MARCH_1900 = 61  # serials 1-60 are the days Excel's phantom 29 February shifts
_DATE, _DATETIME, _DAY = dt.date, dt.datetime, dt.timedelta(days=1)
_MARCH_1900, _MARCH_1900_AT = dt.date(1900, 3, 1), dt.datetime(1900, 3, 1)
_EPOCH_AT = dt.datetime(1899, 12, 30)
# Characters an XML 1.0 document cannot hold, and those escaped; \r is kept as a character reference.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
TEXT_OPEN, TEXT_CLOSE = '<is><t xml:space="preserve">', "</t></is>"  # an inline string, spaces kept
# The cell styles of styles.xml's cellXfs, by position.
BOLD, DATE, DATETIME = 1, 2, 3


def _replace(match):
    return _ESCAPES.get(match.group(), "")


def text(value):
    """``value`` as the text of an XML element: escaped, without the characters XML cannot hold."""
    return _SPECIAL.sub(_replace, value) if _SPECIAL.search(value) else value


def column_letter(index):
    """The column's letters, from 0: A, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(value):
    """A date or a naive datetime as Excel's serial number (what openpyxl's ``to_excel`` gives)."""
    days = value.toordinal() - _EPOCH
    if 0 < days < _FIRST_MARCH_1900:
        days -= 1
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6
        return days + seconds / 86400
    return days


def _other(value, ref):
    """The cell of a value that is not one of the common types of ``rows_xml`` ("" if it has none)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float | Decimal | int):
        return f'<c r="{ref}"><v>{float(value):.16g}</v></c>' if isfinite(value) else ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial(value):.16g}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{serial(value)}</v></c>'
    return _string(str(value), ref)


def _string(value, ref, style=""):
    value = text(value)
    return f'<c r="{ref}"{style} t="inlineStr">{TEXT_OPEN}{value}{TEXT_CLOSE}</c>' if value else ""


def rows_xml(rows, first, letters):
    """The ``<row>`` elements of ``rows``, numbered from ``first``; ``letters``: the column letters,
    at least as many as the longest row has cells."""
    out = []
    append = out.append
    for number, row in enumerate(rows, first):
        append(f'<row r="{number}">')
        for letter, value in zip(letters, row):  # noqa: B905 - letters may be longer than the row
            kind = type(value)
            # The common types first, inline: this loop runs for every cell of big exports.
            if kind is str:
                if _SPECIAL.search(value):
                    value = _SPECIAL.sub(_replace, value)
                if value:
                    append(f'<c r="{letter}{number}" t="inlineStr">{TEXT_OPEN}{value}{TEXT_CLOSE}</c>')
            elif kind is int:
                append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            elif value is None:
                pass
            elif kind is bool:
                append(f'<c r="{letter}{number}" t="b"><v>{1 if value else 0}</v></c>')
            elif kind is _DATE and value >= _MARCH_1900:
                append(f'<c r="{letter}{number}" s="{DATE}"><v>{value.toordinal() - _EPOCH}</v></c>')
            elif kind is _DATETIME and value.tzinfo is None and value >= _MARCH_1900_AT:
                # The same number as serial(value), from one subtraction.
                days = (value - _EPOCH_AT) / _DAY
                append(f'<c r="{letter}{number}" s="{DATETIME}"><v>{days:.16g}</v></c>')
            else:
                append(_other(value, f"{letter}{number}"))
        append("</row>")
    return "".join(out)


class SheetWriter:
    """A workbook of one sheet, written to ``target`` (a path or a binary file) as rows come."""

    def __init__(self, target, *, title="Sheet1", header=None, compresslevel=COMPRESS_LEVEL):
        self.rows = 0  # data rows written (the header not counted)
        self._next = 1
        self._letters = []
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        try:
            for name, content in _parts(_title(title)).items():
                self._zip.writestr(name, content)
            self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
            self._sheet.write(_SHEET_START.encode())
        except BaseException:
            self._zip.close()
            raise
        if header is not None:
            self._widen(len(header))
            cells = "".join(_string(str(name), f"{letter}1", f' s="{BOLD}"') for letter, name in
                            zip(self._letters, header, strict=False))  # fmt: skip
            self._sheet.write(f'<row r="1">{cells}</row>'.encode())
            self._next = 2

    def _widen(self, width):
        while len(self._letters) < width:
            self._letters.append(column_letter(len(self._letters)))

    def write_rows(self, rows):
        """Append ``rows`` (sequences of values), ``BATCH_ROWS`` at a time; returns how many."""
        written = 0
        rows = iter(rows)
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            self._widen(max(map(len, batch)))
            self._sheet.write(rows_xml(batch, self._next, self._letters).encode())
            self._next += len(batch)
            written += len(batch)
        self.rows += written
        return written

    def close(self):
        if self._zip.fp is None:
            return
        try:
            self._sheet.write(_SHEET_END.encode())
            self._sheet.close()
        finally:
            self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.close()
        else:  # leave no half-written file open
            self._sheet.close()
            self._zip.close()


def workbook_bytes(rows, *, title="Sheet1", header=None):
    """A small workbook as bytes."""
    out = io.BytesIO()
    with SheetWriter(out, title=title, header=header) as sheet:
        sheet.write_rows(rows)
    return out.getvalue()


def _title(title):
    """A sheet name Excel accepts: none of []:*?/\\, at most 31 characters, not empty."""
    return text(_NOT_IN_TITLES.sub(" ", str(title))[:MAX_TITLE].strip() or "Sheet1").replace('"', "&quot;")


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SHEET_START = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _parts(title):
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
            f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_DOC_RELS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
            '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
    }
