"""The programs compared (staff): a row per program with every figure of the data dictionary, each
beside its trend against the previous period of equal length; sorted by any column; exported as
CSV or XLSX.

The previous period is the period moved back by its own length, reporting date included (the 12
months up to 30 June 2026 are compared with the 12 months up to 30 June 2025, D then being 30 June
2025), so that figures on D and over all history up to D compare like with like.

Counted by ``kpis.compute_by_program`` for each period and ``kpis.compute`` for the all-programs
total of each (for a single program, its own row: the same SQL scoped to it, not run twice): a
constant number of queries whatever the number of programs. The change of a share
is in percentage points; whether up is better depends on the figure (``LOWER_IS_BETTER``). A figure
too early to tell, or with nothing to count, in either period has no trend.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from evaluation import exports, kpis
from evaluation.models import ExportRecord, ExportStatus
from mentorship import xlsx
from mentorship.spreadsheet import csv_safe

LOWER_IS_BETTER = {"early_closure", "time_to_match"}
DATASET = "programs_compared"  # ExportRecord.dataset of the table's exports
DATASET_NAME = "Programs compared"
NAME = "program"  # the sort key of the programs' names


def previous_period(*, on, start, end):
    """The period of equal length just before [start, end], with the reporting date moved back as
    much."""
    shift = dt.timedelta(days=(end - start).days + 1)
    return {"on": on - shift, "start": start - shift, "end": end - shift}


@dataclass(frozen=True)
class Column:
    key: str
    segment: str
    label: str
    unit: str

    @property
    def slug(self):
        """The column's sort key: "retention-6-months", "applicants-mentee"."""
        return "-".join([self.key, *self.segment.split()]) if self.segment else self.key

    @property
    def definition(self):
        return kpis.DEFINITIONS_BY_KEY[self.key]


def columns_of(report):
    """A column per figure of ``report`` (every figure of the data dictionary, segments included),
    in the dictionary's order."""
    order = {d.key: k for k, d in enumerate(kpis.DEFINITIONS)}
    ordered = sorted(
        enumerate(report.figures), key=lambda item: (order.get(item[1].key, len(order)), item[0])
    )
    return [Column(f.key, f.segment, f.label, f.unit) for _, f in ordered]


# How a change is printed, by unit: (decimals, short suffix, spoken unit).
_CHANGE = {
    kpis.SHARE: (0, " pts", "percentage points"),
    kpis.COUNT: (0, "", ""),
    kpis.DAYS: (0, " days", "days"),
    kpis.RATE: (2, "", "meetings per match-month"),
    kpis.RATING: (1, "", "rating points"),
    kpis.POINTS: (2, " pts", "points"),
    kpis.HOURS: (1, " h", "hours"),
}


@dataclass(frozen=True)
class Trend:
    """A figure now and in the previous period: the change (a share's in percentage points,
    rounded as printed), its direction and whether that is better."""

    current: kpis.Figure
    previous: kpis.Figure

    @property
    def comparable(self):
        return not any(f.value is None or f.too_small for f in (self.current, self.previous))

    @property
    def change(self):
        if not self.comparable:
            return None
        decimals = _CHANGE[self.current.unit][0]
        scale = 100 if self.current.unit == kpis.SHARE else 1
        change = round((self.current.value - self.previous.value) * scale, decimals)
        return int(change) if decimals == 0 else change

    @property
    def direction(self):
        """ "up", "down", "same", or "" (no trend)."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def better(self):
        """True, False, or None (no change or no trend)."""
        if self.direction in ("", "same"):
            return None
        return (self.direction == "down") == (self.current.key in LOWER_IS_BETTER)

    def _amount(self, spoken):
        """The size of the change with its unit: "4 pts" (``spoken``: "4 percentage points")."""
        decimals, short, words = _CHANGE[self.current.unit]
        size = abs(self.change)
        unit = words if spoken else short.strip()
        if self.current.unit == kpis.DAYS and size == 1:
            unit = "day"
        return f"{size:,.{decimals}f} {unit}".strip()

    @property
    def text(self):
        """As shown: "▲ 4 pts", "▼ 2 days", "= no change", "" (no trend)."""
        if self.direction == "same":
            return "= no change"
        if not self.direction:
            return ""
        return f"{'▲' if self.direction == 'up' else '▼'} {self._amount(False)}"

    @property
    def quality(self):
        return {True: "better", False: "worse"}.get(self.better, "")

    @property
    def spoken(self):
        """For screen readers: "up 4 percentage points on the previous period (31%): better"."""
        if not self.direction:
            return "no trend: nothing to compare with the previous period, or too early to tell"
        before = f"on the previous period ({self.previous.display})"
        if self.direction == "same":
            return f"no change {before}"
        return f"{self.direction} {self._amount(True)} {before}: {self.quality}"


@dataclass(frozen=True)
class Row:
    program: object  # a Program, or None for all programs
    trends: list  # a Trend per column

    def sort_value(self, column_index):
        figure = self.trends[column_index].current
        return None if figure.value is None or figure.too_small else figure.value


@dataclass
class Comparison:
    columns: list
    rows: list
    total: Row
    period: dict
    previous: dict
    sort: str
    descending: bool

    @property
    def query(self):
        """The period as a query string, for links to the same figures elsewhere."""
        return urlencode({key: value.isoformat() for key, value in self.period.items()})


def _by_name(row):
    return row.program.name.lower()


def compare(programs, *, on, start, end, sort=NAME, descending=False):
    """The table for ``programs`` (a queryset), sorted by ``sort`` (NAME or a column's slug; an
    unknown one sorts by name). Queries: four reports' worth, whatever the number of programs (two
    for a single program, whose total is its own row)."""
    listed = list(programs.order_by("name"))
    period = {"on": on, "start": start, "end": end}
    previous = previous_period(**period)
    by_now = kpis.compute_by_program(programs, **period)
    by_before = kpis.compute_by_program(programs, **previous)
    if len(listed) == 1:  # the total of one program is its row: the same queries, not run twice
        now, before = by_now[listed[0].pk], by_before[listed[0].pk]
    else:
        now, before = kpis.compute(programs, **period), kpis.compute(programs, **previous)
    columns = columns_of(now)

    def trends(current, earlier):
        return [Trend(current.get(c.key, c.segment), earlier.get(c.key, c.segment)) for c in columns]

    rows = sorted((Row(p, trends(by_now[p.pk], by_before[p.pk])) for p in listed), key=_by_name)
    slugs = [c.slug for c in columns]
    if sort in slugs:
        index = slugs.index(sort)
        numbered = [r for r in rows if r.sort_value(index) is not None]
        empty = [r for r in rows if r.sort_value(index) is None]  # nothing to sort by: last, by name
        numbered.sort(key=lambda r: r.sort_value(index), reverse=descending)  # stable: ties by name
        rows = numbered + empty
    else:
        sort = NAME
        rows.sort(key=_by_name, reverse=descending)
    return Comparison(columns, rows, Row(None, trends(now, before)), period, previous, sort, descending)


# --- Exports ---------------------------------------------------------------------------------------

_UNIT_HEADINGS = {kpis.SHARE: "%", kpis.DAYS: "days", kpis.RATE: "per match-month", kpis.RATING: "of 5",
                  kpis.POINTS: "points", kpis.HOURS: "hours"}  # fmt: skip


def _number(figure):
    """A figure as a spreadsheet cell: the number (a share as a percentage), the words "too early
    to tell", or empty."""
    if figure.value is None:
        return None
    if figure.too_small:
        return kpis.TOO_EARLY
    if figure.unit == kpis.SHARE:
        return round(figure.value * 100, 1)
    return figure.value if figure.unit == kpis.COUNT else round(figure.value, 2)


def table_rows(comparison):
    """The header, then a row per program in the table's order, then the all-programs row."""
    header = ["Program", "Status"]
    for column in comparison.columns:
        unit = _UNIT_HEADINGS.get(column.unit)
        named = f"{column.label} ({unit})" if unit else column.label
        change = " (percentage points)" if column.unit == kpis.SHARE else ""
        header += [named, f"{column.label}: previous period", f"{column.label}: change{change}"]
    header += ["Reporting date", "Period from", "Period to", "Previous period from", "Previous period to"]
    dates = [comparison.period[k] for k in ("on", "start", "end")]
    dates += [comparison.previous[k] for k in ("start", "end")]
    lines = [header]
    for row in [*comparison.rows, comparison.total]:
        program = row.program
        cells = [program.name, program.get_status_display()] if program else ["All programs", ""]
        for trend in row.trends:
            cells += [_number(trend.current), _number(trend.previous), trend.change]
        lines.append(cells + dates)
    return lines


def as_csv(lines):
    """CSV bytes (a byte-order mark first, as the other exports); text cells made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=exports.CSV_NEWLINE)
    for line in lines:
        writer.writerow([csv_safe(v) if isinstance(v, str) else "" if v is None else v for v in line])
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(lines):
    """XLSX bytes: the header in bold; a text cell that starts like a formula stays text."""
    header, *rest = lines
    return xlsx.workbook_bytes(rest, title=DATASET_NAME, header=header)


@transaction.atomic
def export_recorded(*, user, programs, comparison, file_format, rows):
    """The export's record (who, what, when, how many rows), like every export: done at once."""
    scope = exports.Scope.for_programs(programs, **comparison.period)
    record = exports.export_record_create(
        user=user, scope=scope, dataset=DATASET, file_format=file_format, status=ExportStatus.DONE
    )
    ExportRecord.objects.filter(pk=record.pk).update(
        progress=100, row_count=rows, finished_at=timezone.now(),
        parameters={**record.parameters, "sort": comparison.sort, "descending": comparison.descending},
    )  # fmt: skip
    return record


def filename(comparison, file_format):
    return f"programs-compared-{comparison.period['on']:%Y-%m-%d}.{file_format}"
