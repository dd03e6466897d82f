"""The funder report's charts drawn as PDF vectors (evaluation/funder_pdf.py): horizontal bars,
columns by month and lines, from the numbers each evaluation.charts.Chart keeps (``bars``, ``kind``,
``series``, ``maximum``), each with its labels and followed by its numbers as a small table."""

from __future__ import annotations

from evaluation.chart_svg import spread_labels
from evaluation.funder_layout import BOTTOM, BRAND, INK, LINE, MARGIN, MUTED, TOP
from mentorship import pdf


def _hatch(page, x, y, w, h):
    """Diagonal lines across a rectangle (a second series, told apart without colour)."""
    step = 5
    start = x - h
    while start < x + w:
        t0, t1 = max(0.0, x - start), min(h, x + w - start)
        if t1 > t0:
            page.line(start + t0, y + t0, start + t1, y + t1, colour=BRAND, width=1.2)
        start += step


def draw_bars(writer, chart):
    """Horizontal bars: the label on the left, the bar, its value printed after it."""
    size, bar, gap = 9, 14, 6
    bars = chart.bars
    label_width = min(170, max(pdf.text_width(b.label, size) for b in bars) + 8)
    text_room = min(150, max(pdf.text_width(b.text, size, bold=True) for b in bars) + 8)
    plot = writer.width - label_width - text_room
    top = chart.maximum or max([b.value or 0 for b in bars] + [1])
    height = len(bars) * (bar + gap)
    writer.need(height + 8)
    page, left = writer.page, MARGIN + label_width
    y = writer.y
    page.line(left, y + 4, left, y - height + gap, colour=MUTED, width=0.75)
    for b in bars:
        base = y - bar + 2
        length = 0 if not b.value else max(1.5, plot * min(b.value, top) / top)
        label = (
            b.label
            if pdf.text_width(b.label, size) <= label_width - 8
            else pdf.wrap(b.label, label_width - 8, size)[0]
        )
        page.text(left - 6, base + 4, label, size=size, colour=INK, align="right")
        if length:
            if b.hatched:
                page.rect(left, base, length, bar, fill=(1, 1, 1), stroke=BRAND)
                _hatch(page, left, base, length, bar)
                page.rect(left, base, length, bar, stroke=BRAND)
            else:
                page.rect(left, base, length, bar, fill=BRAND, stroke=BRAND)
        text_size = pdf.fitting_size(b.text, text_room - 6, size, bold=True)
        page.text(left + length + 5, base + 4, b.text, size=text_size, bold=True, colour=INK)
        y -= bar + gap
    writer.y = y - 4


def draw_columns(writer, chart):
    """Vertical columns by month: the value above each, the month (and the year) below. Over a long
    period the values stay in the table (no room above thin columns) and every few months are named."""
    bars = chart.bars
    plot, size = 120, 7.5
    slot = writer.width / max(len(bars), 1)
    every = max(1, -(-len(bars) // 24))  # months named: at most 24
    column = slot * 0.7
    top = max([b.value or 0 for b in bars] + [0]) or 1
    writer.need(plot + 44)
    page = writer.page
    axis = writer.y - plot - 12
    page.line(MARGIN, axis, MARGIN + writer.width, axis, colour=MUTED, width=0.75)
    for k, b in enumerate(bars):
        x = MARGIN + k * slot + (slot - column) / 2
        centre = x + column / 2
        height = plot * (b.value or 0) / top
        if height:
            page.rect(x, axis, column, height, fill=BRAND, stroke=BRAND, width=0.5)
        printed = b.chart_text or b.text
        text_size = pdf.fitting_size(printed, slot - 2, size, bold=True, smallest=4)
        if slot >= 12:
            page.text(
                centre, axis + height + 3, printed, size=text_size, bold=True, colour=INK, align="center"
            )
        month, _, year = b.label.partition(" ")
        if k % every:
            continue
        page.text(centre, axis - 10, month, size=min(size, slot * every / 2.2), colour=INK, align="center")
        if k == 0 or month == "Jan" or every > 1:
            page.text(centre, axis - 19, year, size=size, bold=True, colour=INK, align="center")
    writer.y = axis - 30


# Each line's colour, dash (None: solid) and marker: told apart without colour too.
STYLES = (
    (BRAND, None, "circle"),
    ((0.55, 0.2, 0.1), (5, 3), "square"),
    ((0.1, 0.45, 0.25), (1.5, 2), "triangle"),
    (MUTED, (6, 2), "circle"),
)


def _marker(page, shape, x, y, colour):
    if shape == "square":
        page.rect(x - 2.2, y - 2.2, 4.4, 4.4, fill=colour, stroke=None)
    elif shape == "triangle":
        page.polygon([(x - 2.8, y - 2.2), (x + 2.8, y - 2.2), (x, y + 2.8)], fill=colour, stroke=None)
    else:  # a small octagon reads as a dot
        r, k = 2.6, 1.08
        page.polygon([(x - r / k, y + r), (x + r / k, y + r), (x + r, y + r / k), (x + r, y - r / k),
                      (x + r / k, y - r), (x - r / k, y - r), (x - r, y - r / k), (x - r, y + r / k)],
                     fill=colour, stroke=None)  # fmt: skip


def draw_lines(writer, chart):
    """Lines (``chart.series``: [(name, [(x label, value or None), ...])], values 0 to
    ``chart.maximum``): each series told apart by its dash and marker as well as its colour, named
    with its last value at its end."""
    series = chart.series
    plot = 130
    writer.need(plot + 50)
    page = writer.page
    labels = max((points for _, points in series), key=len, default=())
    count = max(len(labels), 2)
    left, right = MARGIN + 30, MARGIN + writer.width - 120
    axis = writer.y - plot - 8
    values = [v for _, points in series for _, v in points if v is not None]
    top = chart.maximum or max(values + [1])
    whole = all(float(v).is_integer() for v in values)
    # Shares are drawn as percentages (0-100): their table says so.
    suffix = "%" if any("%" in str(cell) for row in chart.rows for cell in row[1:]) else ""
    page.line(left, axis, right, axis, colour=MUTED, width=0.75)
    page.line(left, axis, left, axis + plot, colour=MUTED, width=0.75)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        value = top * tick
        if whole and not float(value).is_integer():
            continue
        y = axis + plot * tick
        page.line(left, y, right, y, colour=LINE, width=0.4, dash=(2, 2))
        page.text(left - 4, y - 3, f"{_short(value)}{suffix}", size=7, colour=MUTED, align="right")
    step = (right - left) / (count - 1)
    every = max(1, -(-len(labels) // 13))
    for k, (label, _) in enumerate(labels):
        if k % every == 0:
            page.text(left + k * step, axis - 10, str(label), size=7, colour=INK, align="center")
    ends = []
    for n, (name, points) in enumerate(series):
        colour, dash, shape = STYLES[n % len(STYLES)]
        drawn = [
            (left + k * step, axis + plot * min(v, top) / top)
            for k, (_, v) in enumerate(points)
            if v is not None
        ]
        for (x1, y1), (x2, y2) in zip(drawn, drawn[1:], strict=False):
            page.line(x1, y1, x2, y2, colour=colour, width=1.6, dash=dash)
        for x, y in drawn:
            _marker(page, shape, x, y, colour)
        if drawn:
            last = [v for _, v in points if v is not None][-1]
            ends.append((drawn[-1], f"{name}: {_short(last)}{suffix}", colour))
    heights = spread_labels([y - 3 for (_, y), _, _ in ends], 9)
    for ((x, _), text, colour), y in zip(ends, heights, strict=True):
        page.text(x + 8, y, text, size=7.5, bold=True, colour=colour)
    writer.y = axis - 26


def _short(value):
    return f"{value:,.1f}".removesuffix(".0")


def _height(chart):
    """About how tall a chart and its table are (to start it on a new page rather than split it)."""
    if getattr(chart, "series", None):
        drawing = 180
    elif chart.kind == "columns":
        drawing = 164
    else:
        drawing = len(chart.bars) * 20 + 8
    return 60 + drawing + 30 + (len(chart.rows) + 1) * 11.5


def draw_chart(writer, chart):
    height = _height(chart)
    writer.need(height if height < TOP - BOTTOM else 60)
    writer.lines(chart.title, size=12, bold=True)
    writer.lines(chart.description, size=8.5, colour=MUTED)
    writer.gap(6)
    kind = getattr(chart, "kind", "bars")
    if getattr(chart, "series", None):
        draw_lines(writer, chart)
    elif getattr(chart, "bars", None):
        (draw_columns if kind == "columns" else draw_bars)(writer, chart)
    writer.gap(4)
    writer.need(50)
    writer.lines("The numbers:", size=8.5, bold=True)
    headings = [chart.columns[0] or "Item", *chart.columns[1:]]
    writer.table(headings, chart.rows, widths=(2, *[3 if len(headings) == 2 else 2] * (len(headings) - 1)))
    writer.gap(8)
