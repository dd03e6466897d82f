"""Server-rendered SVG charts that read without colour and without JavaScript.

Every bar carries its label and its value as text next to it (direct labelling), a second series
is told apart by a hatch pattern as well as by its label, and each chart has a <title> and a
<desc> for screen readers plus the same numbers as a table (``Chart.rows``) that the template
shows beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

from evaluation import kpis

INK = "#1b1f24"
MUTED = "#4a5563"
BRAND = "#1d5aa6"
LINE = "#c9d0d9"
FONT = 'font-family="system-ui, sans-serif"'


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

    @property
    def svg_markup(self):
        return mark_safe(self.svg)  # noqa: S308 - built below from escaped text only


def _defs(chart_id):
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{BRAND}" stroke-width="4"/></pattern></defs>'
    )


def _open(chart_id, title, description, width, height):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{_defs(chart_id)}'
    )


def _text_width(text, size):
    # A generous estimate for system sans-serif fonts: room enough, never clipped.
    return len(text) * size * 0.62


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
