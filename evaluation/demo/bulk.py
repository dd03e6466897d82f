"""Writing generated rows fast: PostgreSQL COPY from an iterator of text lines (for the city-scale
data, evaluation/demo/scale.py)."""

import numpy as np
from django.db import connection


class _Lines:
    """A file-like object over an iterator of text lines, for COPY ... FROM STDIN."""

    def __init__(self, lines):
        self._lines = iter(lines)

    def read(self, size=-1):
        parts, length = [], 0
        for text in self._lines:
            parts.append(text)
            length += len(text)
            if length >= 1 << 16:
                break
        return "".join(parts)

    readline = read


def copy_in(table, columns, lines):
    """COPY ``lines`` into ``table``; ``columns`` is a space-separated list of column names."""
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns.split())}) FROM STDIN", _Lines(lines))


def reserve_ids(model, count):
    """Take ``count`` primary keys from ``model``'s sequence, so that other rows can point to them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def reserve_id_range(model, count):
    """``count`` consecutive primary keys from ``model``'s sequence, with one setval rather than a
    row each (a million messages). Only for the builder, which runs alone: a concurrent insert
    between the two statements would take a key of the range."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count])
    return np.arange(first, first + count, dtype=np.int64)


def line(*values):
    """One row of COPY's text format (the values here hold no tab, newline or backslash)."""
    return "\t".join("\\N" if value is None else str(value) for value in values) + "\n"


class Counted:
    """An iterator that counts what went through it."""

    def __init__(self, iterable):
        self._it = iter(iterable)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        value = next(self._it)
        self.count += 1
        return value
