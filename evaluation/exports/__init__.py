"""Exports: the KPI summary and row-level data (matches, check-ins, survey answers, groups, events) as
CSV or XLSX.

- Every export is an ExportRecord (who, what, when, how many rows), whichever way it is built.
- CSV always streams, with flat memory: row-level datasets are written by PostgreSQL's own
  ``COPY (query) TO STDOUT WITH (FORMAT csv)`` (``Dataset.copy_select``), handed on a chunk at a
  time (evaluation/streaming.py). Lines end with a line feed. (A server-side cursor never runs
  in parallel and builds a Python object per row: it took 1.5 times as long as COPY at city scale.)
- XLSX is written by mentorship/xlsx.py (no openpyxl: 500,000 check-ins in about 11 s rather than
  a minute or more, flat memory) from a server-side cursor, a chunk at a time. Up to
  ``XLSX_IN_REQUEST_ROWS`` rows it is built in the request; bigger ones by a worker
  (``export_tasks.build_export``) into MEDIA_ROOT/exports/, with progress on the record.
- Formula injection: a text cell that begins with = + - @, a tab or a carriage return is written as
  plain text: in CSV with a leading single quote, in XLSX as a string cell (mentorship/xlsx.py
  writes no formulas at all).
  Numbers, dates, yes/no values and codes from a fixed list come from typed columns and are
  written as what they are.

Modules: datasets (columns, SQL, scope: the column lists are the documentation the export page
renders), rows (counting, chunks, CSV lines, XLSX), services (records, streaming, worker
builds, recovery).
"""

from evaluation.exports.datasets import (
    CHECKINS,
    CHUNK_ROWS,
    CSV_NEWLINE,
    DATASETS,
    EVENTS,
    EXPORTS_DIR,
    FORMATS,
    GROUPS,
    KPIS,
    MATCHES,
    SURVEYS,
    XLSX_IN_REQUEST_ROWS,
    Column,
    Dataset,
    Scope,
)
from evaluation.exports.rows import (
    count_rows,
    csv_chunks,
    filename,
    iter_chunks,
    kpi_rows,
    write_xlsx,
)
from evaluation.exports.services import (
    MAX_ATTEMPTS,
    csv_stream,
    download_name,
    export_build,
    export_file_path,
    export_record_create,
    exports_recover,
    stale_after,
    xlsx_in_request,
)

__all__ = [
    "CHECKINS",
    "CHUNK_ROWS",
    "CSV_NEWLINE",
    "Column",
    "DATASETS",
    "Dataset",
    "EVENTS",
    "EXPORTS_DIR",
    "FORMATS",
    "GROUPS",
    "KPIS",
    "MATCHES",
    "SURVEYS",
    "Scope",
    "XLSX_IN_REQUEST_ROWS",
    "count_rows",
    "csv_chunks",
    "filename",
    "iter_chunks",
    "kpi_rows",
    "write_xlsx",
    "MAX_ATTEMPTS",
    "csv_stream",
    "download_name",
    "export_build",
    "export_file_path",
    "export_record_create",
    "exports_recover",
    "stale_after",
    "xlsx_in_request",
]
