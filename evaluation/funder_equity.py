"""The equity summary (evaluation.equity.equity_summary) as the funder report's tables: the same
tables on the web page and in the PDF. Cells are shown as the equity summary gives them (already
suppressed there); nothing is computed here from people.
"""

from __future__ import annotations

from dataclasses import dataclass

NOTE = "“Withheld”: hidden so that a small group cannot be worked out from the other rows and the total."


@dataclass(frozen=True)
class EquityTable:
    title: str
    note: str
    headings: list
    rows: list  # [[cell text, ...], ...]
    widths: tuple


def equity_tables(summary):
    """The summary's tables, one per question ([] when there is none): a row per group, then the
    "Everyone" row. ``summary`` is equity_summary's list of dicts (its module docstring)."""
    tables = []
    for question in summary or []:
        columns = list(question["columns"])
        rows = [[row["group"], *row["cells"]] for row in question["rows"]]
        total = question.get("total")
        if total:
            rows.append([total["group"], *total["cells"]])
        tables.append(
            EquityTable(
                title=question["question"],
                note=NOTE,
                headings=["Group", *columns],
                rows=rows,
                widths=(3, *[2] * len(columns)),
            )
        )
    return tables
