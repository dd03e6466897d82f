"""Server-rendered SVG charts that read without colour and without JavaScript.

Every bar carries its label and its value as text next to it (direct labelling), a second series
is told apart by a hatch pattern as well as by its label, and each chart has a <title> and a
<desc> for screen readers plus the same numbers as a table (``Chart.rows``) that the template
shows beside it. The line charts (the funnel over time, the retention curve: ``funnel_chart`` and
``retention_curve_chart``, drawn by evaluation/chart_svg.py) tell their lines apart by dash and
marker as well as by the name printed at each line's end, and their tables have every point.

Each Chart also keeps its numbers, for the funder report's PDF (evaluation/funder_pdf.py), which
draws them as vectors: ``bars`` (Bar: label, value, text, hatched) with ``kind`` "bars" or
"columns", or ``series`` with kind "lines"; ``maximum`` is the top of the scale (None: the largest
value). ``columns`` heads the table alternative and each of ``rows`` has one cell per column.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

from evaluation import kpis
from evaluation.chart_svg import BRAND, FONT, INK, LINE, MUTED, line_svg, nice_ticks
from evaluation.chart_svg import defs as _defs
from evaluation.chart_svg import open_svg as _open
from evaluation.chart_svg import text_width as _text_width
from evaluation.kpis import trends

__all__ = ["BRAND", "FONT", "INK", "LINE", "MUTED", "_defs", "_open", "_text_width"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as printed on the chart and in the table
    hatched: bool = False
    chart_text: str = ""  # a shorter text for the chart, where ``text`` would not fit (columns)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    columns: tuple  # headings of the table alternative
    rows: list  # [(label, text), ...]
    svg: str
    # The numbers drawn, for other renderings (the funder report's PDF draws them as vectors):
    # the Bars, how ("bars": horizontal, "columns": vertical, by month) and the scale's top.
    bars: tuple = ()
    kind: str = "bars"
    maximum: float | None = None
    # A line chart's numbers (kind "lines"): ((name, ((x label, value or None), ...)), ...), the
    # values on 0..maximum (a share as a percentage, 0-100); None: no point (too early to tell).
    series: tuple = ()

    @property
    def svg_markup(self):
        return mark_safe(self.svg)  # noqa: S308 - built below from escaped text only


def bar_chart(*, chart_id, title, description, bars, maximum=None, heading="Value", label_heading=""):
    """Horizontal bars, one per row: label on the left, the bar, its value printed after it."""
    size, bar_height, gap, top, width = 14, 26, 10, 8, 600
    label_width = max(_text_width(b.label, size) for b in bars) + 14 if bars else 60
    text_room = max(_text_width(b.text, size) for b in bars) + 14 if bars else 60
    plot = max(120, width - label_width - text_room)
    width = label_width + plot + text_room
    top_value = maximum or max([b.value or 0 for b in bars] + [1])
    height = top + len(bars) * (bar_height + gap) + 4
    parts = [_open(chart_id, title, description, round(width), height)]
    parts.append(
        f'<line x1="{label_width:.1f}" y1="{top - 4}" x2="{label_width:.1f}" y2="{height - 4}" '
        f'stroke="{MUTED}"/>'
    )
    for k, bar in enumerate(bars):
        y = top + k * (bar_height + gap)
        baseline = y + bar_height * 0.68
        length = 0 if not bar.value else max(2.0, plot * min(bar.value, top_value) / top_value)
        fill = f"url(#{chart_id}-hatch)" if bar.hatched else BRAND
        parts.append(
            f'<text x="{label_width - 8:.1f}" y="{baseline:.1f}" text-anchor="end" font-size="{size}" '
            f'fill="{INK}" {FONT}>{escape(bar.label)}</text>'
        )
        if length:
            parts.append(
                f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{fill}" stroke="{BRAND}" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 8:.1f}" y="{baseline:.1f}" font-size="{size}" '
            f'font-weight="600" fill="{INK}" {FONT}>{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        columns=(label_heading, heading),
        rows=[(b.label, b.text) for b in bars],
        svg="".join(parts),
        bars=tuple(bars),
        maximum=maximum,
    )


def column_chart(*, chart_id, title, description, bars, heading="Value", years=()):
    """Vertical columns over time (months): the value printed above each column, the month below
    (and the year under the first month and each January: ``years`` holds those labels)."""
    count = max(len(bars), 1)
    many = count > 14  # then the values stand upright above the columns, so that they never collide
    size = 13 if count <= 14 else 11
    slot = max(40.0, 560 / count) if not many else 24.0
    width = round(24 + slot * count)
    top = 70 if many else 26
    bottom, plot = 46, 170
    height = top + plot + bottom
    column = slot * 0.7
    top_value = max([b.value or 0 for b in bars] + [0]) or 1
    axis = top + plot
    parts = [_open(chart_id, title, description, width, height)]
    parts.append(f'<line x1="12" y1="{axis}" x2="{width - 12}" y2="{axis}" stroke="{MUTED}"/>')
    for k, bar in enumerate(bars):
        x = 12 + k * slot + (slot - column) / 2
        centre = x + column / 2
        size_px = plot * (bar.value or 0) / top_value
        y = axis - size_px
        if size_px:
            fill = f"url(#{chart_id}-hatch)" if bar.hatched else BRAND
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{size_px:.1f}" fill="{fill}" '
                f'stroke="{BRAND}" stroke-width="1"/>'
            )
        printed = escape(bar.chart_text or bar.text)
        if many:
            parts.append(
                f'<text transform="translate({centre + 4:.1f} {y - 5:.1f}) rotate(-90)" font-size="{size}" '
                f'font-weight="600" fill="{INK}" {FONT}>{printed}</text>'
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="{size}" '
                f'font-weight="600" fill="{INK}" {FONT}>{printed}</text>'
            )
        short = bar.label.split(" ")[0]
        parts.append(
            f'<text x="{centre:.1f}" y="{axis + 17}" text-anchor="middle" font-size="{size}" fill="{INK}" '
            f"{FONT}>{escape(short)}</text>"
        )
        if k < len(years) and years[k]:
            parts.append(
                f'<text x="{centre:.1f}" y="{axis + 35}" text-anchor="middle" font-size="{size}" '
                f'font-weight="600" fill="{INK}" {FONT}>{escape(years[k])}</text>'
            )
    parts.append("</svg>")
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        columns=("Month", heading),
        rows=[(b.label, b.text) for b in bars],
        svg="".join(parts),
        bars=tuple(bars),
        kind="columns",
    )


def line_chart(
    *, chart_id, title, description, x_labels, series, columns, rows, maximum=None, ticks=None,
    value_text=str, tick_text=str, label_every=1, x_title="", years=(),
):  # fmt: skip
    """Lines over ``x_labels``: ``series`` = [(name, [value or None, ...])]; the table alternative
    is ``columns`` and ``rows`` (one cell per column). The scale runs from 0 to ``maximum`` (None:
    a round number above the largest value), with gridlines at ``ticks``."""
    if maximum is None:
        maximum, ticks = nice_ticks(max([v for _, values in series for v in values if v is not None] + [0]))
    svg = line_svg(
        chart_id=chart_id, title=title, description=description, x_labels=x_labels, series=series,
        maximum=maximum, ticks=ticks or (0, maximum), value_text=value_text, label_every=label_every,
        tick_text=tick_text, x_title=x_title, years=years,
    )  # fmt: skip
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        columns=tuple(columns),
        rows=list(rows),
        svg=svg,
        kind="lines",
        maximum=maximum,
        series=tuple((name, tuple(zip(x_labels, values, strict=True))) for name, values in series),
    )


def _program_ids(programs):
    if isinstance(programs, (list, tuple)):
        return list(programs)
    return list(programs.order_by().values_list("pk", flat=True))


def funnel_chart(programs, *, on, start, end, people=None):
    """The recruitment funnel over time for ``programs`` (a queryset or ids): mentees who applied,
    were approved and were matched for the first time, each month of [start, end]. One query for
    the numbers (evaluation/kpis/trends.py), and one for the ids of a queryset."""
    months = trends.funnel_months(_program_ids(programs), on=on, start=start, end=end, people=people)
    return funnel_chart_of(months, start=start, end=end)


FUNNEL_SERIES = (("Applied", "applicants"), ("Approved", "approved"), ("Matched", "matched"))


def funnel_chart_of(months, *, start, end):
    """The funnel chart of ``months`` ([trends.FunnelMonth])."""
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    series = [(name, [getattr(m, attr) for m in months]) for name, attr in FUNNEL_SERIES]
    rows = [(m.label, *(f"{getattr(m, attr):,}" for _, attr in FUNNEL_SERIES)) for m in months]
    rows.append(("Whole period", *(f"{sum(values):,}" for _, values in series)))
    return line_chart(
        chart_id="chart-funnel-months",
        title="Recruitment month by month",
        description=(
            f"Mentees who applied, were approved and were matched for the first time, each month from "
            f"{period}. "
            "Applied: solid line with circles; approved: dashed line with squares; matched: dotted line "
            "with triangles; each line is named at its end."
        ),
        x_labels=[m.end.strftime("%b") for m in months],
        years=[str(m.end.year) if k == 0 or m.end.month == 1 else "" for k, m in enumerate(months)],
        series=series,
        columns=("Month", "Applied", "Approved", "Matched for the first time"),
        rows=rows,
        value_text=lambda v: f"{v:,}",
        tick_text=lambda t: f"{t:,}",
        label_every=1 if len(months) <= 6 else 3,
    )


def retention_curve_chart(programs, *, on, start=None, end=None, people=None, months=trends.CURVE_MONTHS):
    """The retention curve for ``programs`` (a queryset or ids) on D = ``on``: the share of matches
    still active N months after their start, for N from 0 (every match started up to D counts, as
    for the retention figures, so ``start`` and ``end`` are not used). One query for the numbers."""
    curve = trends.retention_curve(_program_ids(programs), on=on, months=months, people=people)
    return retention_curve_chart_of(curve)


def _curve_row(point):
    definition = kpis.DEFINITIONS_BY_KEY["retention"]
    if not point.base:
        return (f"{point.month}", "–", "no matches old enough")
    based = f"{point.kept:,} of {definition.counted(point.base)}"
    return (f"{point.month}", kpis.TOO_EARLY if point.too_small else f"{point.share * 100:.0f}%", based)


def retention_curve_chart_of(curve):
    """The retention curve chart of a trends.RetentionCurve: one line, the points resting on fewer
    matches than the retention figure's smallest base left out (the table says too early to tell)."""
    points = curve.drawn or curve.points[:1]
    values = [None if p.share is None or p.too_small else round(p.share * 100, 1) for p in points]
    last = points[-1].month
    return line_chart(
        chart_id="chart-retention-curve",
        title="Retention curve",
        description=(
            f"Of the matches started at least N months before {curve.on:%-d %b %Y}, the share not closed "
            f"within N months, for each month N from 0 to {last}. Months resting on fewer than "
            f"{kpis.DEFINITIONS_BY_KEY['retention'].minimum} matches are left out (too early to tell); "
            "the table has every month."
        ),
        x_labels=[str(p.month) for p in points],
        series=[("Still active", values)],
        columns=("Months since the start", "Still active", "Based on"),
        rows=[_curve_row(p) for p in points],
        maximum=100,
        ticks=(0, 25, 50, 75, 100),
        value_text=lambda v: f"{v:.0f}%",
        tick_text=lambda t: f"{t}%" if t % 50 == 0 else "",  # gridlines at 25 and 75, unlabelled
        label_every=3,
        x_title="Months since the match started",
    )


def _month_label(month):
    return month.end.strftime("%b %Y")


def _month_meetings(month):
    """A month's column: none, marked "few", under the definition's smallest base (too early to
    tell; the table says so with the base)."""
    rate, label = month.meetings_rate, _month_label(month)
    if rate is None:
        return Bar(label, None, "–")
    if month.meetings_too_small:
        text = f"{kpis.TOO_EARLY} ({month.held:,} held in {month.match_days:,} days of matching)"
        return Bar(label, None, text, chart_text="few")
    return Bar(label, rate, f"{rate:.1f}")


def report_charts(report):
    """The dashboard's five charts for a KpiReport."""
    get = report.get
    funnel = [
        Bar("Mentee applicants", get("applicants", "mentee").value, f"{get('applicants', 'mentee').value:,}"),
        Bar("Mentees approved", get("approved", "mentee").value, f"{get('approved', 'mentee').value:,}"),
        Bar(
            "Approved mentees matched",
            get("mentees_matched").numerator,
            f"{get('mentees_matched').numerator:,}",
        ),
        Bar(
            "Mentor applicants",
            get("applicants", "mentor").value,
            f"{get('applicants', 'mentor').value:,}",
            hatched=True,
        ),
        Bar(
            "Mentors approved",
            get("approved", "mentor").value,
            f"{get('approved', 'mentor').value:,}",
            hatched=True,
        ),
    ]
    retention = [
        Bar(
            f"{figure.segment.capitalize()}",
            None if figure.value is None or figure.too_small else figure.value * 100,
            f"{figure.display} ({figure.detail})" if figure.value is not None else "no matches old enough",
        )
        for figure in report.figures
        if figure.key == "retention"
    ]
    satisfaction = [
        Bar(
            f"{role.capitalize()}s",
            None if get("satisfaction", role).too_small else get("satisfaction", role).value,
            f"{get('satisfaction', role).display} ({get('satisfaction', role).detail})",
            hatched=role == "mentor",
        )
        for role in ("mentee", "mentor")
    ]
    active = [Bar(_month_label(m), m.active, f"{m.active:,}") for m in report.months]
    years = [str(m.end.year) if k == 0 or m.end.month == 1 else "" for k, m in enumerate(report.months)]
    meetings = [_month_meetings(m) for m in report.months]
    period = f"{report.start:%-d %b %Y} to {report.end:%-d %b %Y}"
    return [
        bar_chart(
            chart_id="chart-funnel",
            title="Recruitment funnel",
            description=(
                f"Applicants, approvals and matched mentees in the period {period}. Mentee bars are solid, "
                "mentor bars hatched; each bar is labelled."
            ),
            bars=funnel,
            heading="People",
            label_heading="Stage",
        ),
        column_chart(
            chart_id="chart-active",
            title="Active matches, month by month",
            description=f"Matches active on the last day of each month, {period}.",
            bars=active,
            heading="Active matches",
            years=years,
        ),
        bar_chart(
            chart_id="chart-retention",
            title="Retention at 3, 6 and 12 months",
            description=(
                f"Share of matches still going N months after they started, of those started at least N "
                f"months before {report.on:%-d %b %Y}."
            ),
            bars=retention,
            maximum=100,
            heading="Retained",
            label_heading="After",
        ),
        column_chart(
            chart_id="chart-meetings",
            title="Meetings per match-month",
            description=(
                f"Meetings held per active match per 30 days, month by month, {period}. “Few”: fewer "
                f"than {kpis.MATCH_DAYS} days of matching in the month, too early to tell."
            ),
            bars=meetings,
            heading="Meetings per match-month",
            years=years,
        ),
        bar_chart(
            chart_id="chart-satisfaction",
            title="Satisfaction by role",
            description=f"Mean rating out of 5 given in the period {period}; mentor bar hatched.",
            bars=satisfaction,
            maximum=5,
            heading="Mean rating",
            label_heading="Role",
        ),
    ]


# --- Equity: outcomes by group (evaluation/equity.py) ---------------------------------------------


def outcomes_by_group_chart(table, heading, *, chart_id):
    """One outcome of the equity report (a column of ``table``, e.g. "Retention at 6 months") as a
    bar per group and one for everyone; a hidden group gets no bar, only its words ("fewer than 5",
    "withheld"), in the chart and in its table alike."""
    k = table.columns.index(heading)
    lines = [*table.rows, table.total]
    bars = [
        Bar(label=line.label, value=line.cells[k].value, text=line.cells[k].text, hatched=line is table.total)
        for line in lines
    ]
    return bar_chart(
        chart_id=chart_id,
        title=f"{heading} by group",
        description=(
            f"{heading} for each group and for everyone (hatched bar). Groups resting on fewer than 5 "
            "people show no bar, and some others are withheld so that they cannot be worked out."
        ),
        bars=bars,
        maximum=1 if all(b.value is None or b.value <= 1 for b in bars) else None,
        heading=heading,
        label_heading="Group",
    )
