"""A row-level dataset's XLSX rows written by PostgreSQL: each row as the ``<row>`` element that
mentorship/xlsx.py would write for it, streamed by ``COPY`` (evaluation/streaming.py), so that
Python only compresses. At city scale it is several times as fast as formatting the rows in Python
(500,000 check-ins: see bench/evaluation.py, section 3).

The same rules as mentorship/xlsx.py, by column kind (tests/evaluation/test_exports_xlsx.py checks
that both write the same sheet): text and codes as inline strings (never formulas), without the
characters XML cannot hold, with & < > escaped and line breaks as character references; an empty
text or NULL as no cell; numbers as numbers; yes/no as TRUE/FALSE; dates and the local times of the
datasets (``AT TIME ZONE``: timestamps without a zone) as Excel's serial numbers, styled.

COPY writes CSV with a quote and a delimiter that cannot occur (control characters, removed from
text), and no value holds a line break, so each output line is one row's XML, as it is.
"""

from __future__ import annotations

from evaluation.exports.datasets import BOOL, DATE, DATETIME, INT, NUMBER
from mentorship import xlsx

# Characters XML cannot hold (PostgreSQL text has no NUL), removed; and with them those escaped. Most
# text has none: one regular-expression test per cell spares it the rest (translate() and a chain of
# replace() on every cell took three times as long).
_ILLEGAL = "\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\uFFFE\\uFFFF"
_ILLEGAL_RE, _SPECIAL_RE = f"E'[{_ILLEGAL}]'", f"E'[&<>\\r\\n{_ILLEGAL}]'"
_ESCAPES = (("'&'", "&amp;"), ("'<'", "&lt;"), ("'>'", "&gt;"), ("E'\\r'", "&#13;"), ("E'\\n'", "&#10;"))
# Excel's day 0; and the days before 1 March 1900 it shifts by its phantom 29 February.
_EPOCH = "'1899-12-30'"


def _text(value):
    for character, entity in _ESCAPES:
        value = f"replace({value}, {character}, '{entity}')"
    return value


def cell_sql(kind, value, letter):
    """The SQL of one cell's XML ('' for none) of column ``letter``, whose value is ``value``."""
    ref = f"'<c r=\"{letter}' || rn || '\""
    if kind in (INT, NUMBER):
        inside = f"{ref}><v>' || ({value})::text || '</v></c>'"
    elif kind == BOOL:
        inside = f"{ref} t=\"b\"><v>' || ({value})::int::text || '</v></c>'"
    elif kind == DATE:
        serial = f"({value} - DATE {_EPOCH} - ({value} >= '1899-12-31' AND {value} < '1900-03-01')::int)"
        inside = f"{ref} s=\"{xlsx.DATE}\"><v>' || {serial}::text || '</v></c>'"
    elif kind == DATETIME:
        days = f"date_part('epoch', {value} - TIMESTAMP {_EPOCH}) / 86400"  # float8 (EXTRACT: numeric)
        serial = f"(({days}) - ({value} >= '1899-12-31' AND {value} < '1900-03-01')::int)"
        inside = f"{ref} s=\"{xlsx.DATETIME}\"><v>' || {serial}::text || '</v></c>'"
    else:  # TEXT, CODE
        cleaned = _text(f"NULLIF(regexp_replace({value}, {_ILLEGAL_RE}, '', 'g'), '')")
        text = f"CASE WHEN {value} ~ {_SPECIAL_RE} THEN {cleaned} ELSE NULLIF({value}, '') END"
        inside = f"{ref} t=\"inlineStr\">{xlsx.TEXT_OPEN}' || {text} || '{xlsx.TEXT_CLOSE}</c>'"
    return f"COALESCE({inside}, '')"


def copy_statement(dataset):
    """``COPY`` of the dataset's rows as sheet XML, one row a line, numbered from 2 (the header
    is row 1), in the dataset's order (row_number over the ordered rows)."""
    values = ", ".join(f"{column.sql} AS x{k}" for k, column in enumerate(dataset.columns))
    cells = " || ".join(
        cell_sql(column.kind, f"x{k}", xlsx.column_letter(k)) for k, column in enumerate(dataset.columns)
    )
    return (
        f"COPY (SELECT '<row r=\"' || rn || '\">' || {cells} || '</row>' FROM ("  # noqa: S608
        "SELECT (row_number() OVER () + 1)::text AS rn, t.* FROM ("
        f"SELECT {values} {dataset.source} {dataset.order}) t) u) "
        "TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')"
    )
