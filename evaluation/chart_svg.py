"""The SVG pieces of the charts (evaluation/charts.py builds the charts from them): the opening with
its <title> and <desc>, text widths, and the line chart.

A line chart tells its series apart without colour: each has its own dash pattern and marker shape,
and its name printed at the end of its line (direct labels, no legend). Points carry their values
as text at intervals (and at the last point), never two labels on top of each other; the chart's
table has every point.
"""

from __future__ import annotations

from html import escape

INK = "#1b1f24"
MUTED = "#4a5563"
BRAND = "#1d5aa6"
LINE = "#c9d0d9"
FONT = 'font-family="system-ui, sans-serif"'
# A line's look: colour, dash pattern, marker shape (the first three read apart in grey too).
LINE_STYLES = (
    (BRAND, "", "circle"),
    ("#8a3b00", "8 4", "square"),
    (INK, "2 4", "triangle"),
    ("#2f6b3a", "12 4 3 4", "diamond"),
)


def defs(chart_id):
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{BRAND}" stroke-width="4"/></pattern></defs>'
    )


def open_svg(chart_id, title, description, width, height):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{defs(chart_id)}'
    )


def text_width(text, size):
    # A generous estimate for system sans-serif fonts: room enough, never clipped.
    return len(text) * size * 0.62


def nice_ticks(top, count=4):
    """(axis maximum, [tick values]) for values up to ``top``: round steps (1, 2, 5 times a power of
    ten), at least 1."""
    top = max(top or 0, 1)
    raw = top / count
    power = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, step)
    ticks = list(range(0, int(-(-top // step) * step) + 1, int(step)))
    return ticks[-1], ticks


def _marker(shape, x, y, colour):
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def spread_labels(wanted, gap):
    """Positions as near ``wanted`` as possible, at least ``gap`` apart (in the same order): the
    end labels of a line chart, in SVG here and in the funder report's PDF."""
    order = sorted(range(len(wanted)), key=lambda k: wanted[k])
    placed = {}
    last = None
    for k in order:
        y = wanted[k] if last is None else max(wanted[k], last + gap)
        placed[k] = last = y
    return [placed[k] for k in range(len(wanted))]


def line_svg(
    *, chart_id, title, description, x_labels, series, maximum, ticks, value_text, label_every=1,
    tick_text=str, x_title="", years=(),
):  # fmt: skip
    """The SVG of a line chart: ``series`` = [(name, [value or None per x label])], drawn against
    0..``maximum`` with gridlines at ``ticks``; ``value_text(value)`` prints a point's value (at
    every ``label_every``-th point and the last); ``years``: a second line under some x labels."""
    size, top, plot_h, left = 13, 18, 200, 44
    bottom = 30 + (18 if years else 0) + (18 if x_title else 0)
    ends = [name for name, _ in series]
    right = max([text_width(name, size) for name in ends] + [40]) + 20
    count = max(len(x_labels), 1)
    plot_w = max(300.0, min(560.0, 40.0 * count))
    width = round(left + plot_w + right)
    height = top + plot_h + bottom
    step = plot_w / max(count - 1, 1)
    axis = top + plot_h

    def px(k):
        return left + k * step

    def py(value):
        return axis - plot_h * min(value, maximum) / maximum

    parts = [open_svg(chart_id, title, description, width, height)]
    for tick in ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{size - 1}" fill="{MUTED}" '
            f"{FONT}>{escape(tick_text(tick))}</text>"
        )
    parts.append(f'<line x1="{left}" y1="{axis}" x2="{left + plot_w:.1f}" y2="{axis}" stroke="{MUTED}"/>')
    every = max(1, -(-count // 12))
    for k, label in enumerate(x_labels):
        if k % every:
            continue
        parts.append(
            f'<text x="{px(k):.1f}" y="{axis + 17}" text-anchor="middle" font-size="{size}" fill="{INK}" '
            f"{FONT}>{escape(label)}</text>"
        )
        if k < len(years) and years[k]:
            parts.append(
                f'<text x="{px(k):.1f}" y="{axis + 34}" text-anchor="middle" font-size="{size}" '
                f'font-weight="600" fill="{INK}" {FONT}>{escape(years[k])}</text>'
            )
    if x_title:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="{size}" '
            f'fill="{MUTED}" {FONT}>{escape(x_title)}</text>'
        )
    labels = {}  # x index -> [(y, text)] of the values printed there
    end_labels = []
    for s, (name, values) in enumerate(series):
        colour, dash, shape = LINE_STYLES[s % len(LINE_STYLES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run = []
        for k, value in enumerate(list(values) + [None]):
            if value is not None:
                run.append(f"{px(k):.1f},{py(value):.1f}")
                continue
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f"{dashed}/>"
                )
            run = []
        shown = [k for k, value in enumerate(values) if value is not None]
        for k in shown:
            parts.append(_marker(shape, px(k), py(values[k]), colour))
            if k % label_every == 0 or k == shown[-1]:
                labels.setdefault(k, []).append((py(values[k]) - 9, value_text(values[k])))
        if shown:
            end_labels.append((px(shown[-1]) + 10, py(values[shown[-1]]) + 4, name))
    for k, texts in labels.items():
        kept = []
        for y, text in sorted(texts):
            if all(abs(y - other) >= 14 for other in kept):
                kept.append(y)
                parts.append(
                    f'<text x="{px(k):.1f}" y="{max(y, 12):.1f}" text-anchor="middle" font-size="{size - 1}" '
                    f'font-weight="600" fill="{INK}" {FONT}>{escape(text)}</text>'
                )
    placed = spread_labels([y for _, y, _ in end_labels], 16)
    for (x, _, name), y in zip(end_labels, placed, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="600" fill="{INK}" {FONT}>'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
