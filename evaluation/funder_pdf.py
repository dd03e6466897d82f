"""The funder report drawn as a PDF (mentorship/pdf.py): a title page, then the key figures with
their definitions, the charts drawn as vectors (evaluation/funder_charts.py), the equity summary as
suppressed, the events and the featured stories. Text wraps to the page and flows onto the next one
(evaluation/funder_layout.py); every page has a footer.
"""

from __future__ import annotations

from evaluation import kpis
from evaluation.funder_charts import draw_chart
from evaluation.funder_equity import equity_tables
from evaluation.funder_layout import BRAND, INK, LINE, MARGIN, MUTED, PALE, Writer, day
from mentorship import pdf

# --- The report ----------------------------------------------------------------------------------


HEADLINE = [("approved", "mentee"), ("mentees_matched", ""), ("active_matches", ""),
            ("retention", "6 months"), ("satisfaction", "mentee"), ("events_held", "")]  # fmt: skip


def title_page(writer, report):
    page = writer.new_page()
    width, name = page.width, report.program.name
    size = 28 if len(pdf.wrap(name, writer.width, 28, bold=True)) <= 2 else 20
    band = 180 + len(pdf.wrap(name, writer.width, size, bold=True)) * size * 1.35  # the pale band's height
    page.rect(0, page.height - band, width, band, fill=PALE, stroke=None)
    page.rect(0, page.height - band - 4, width, 4, fill=BRAND, stroke=None)
    page.text(MARGIN, page.height - 70, "Funder report", size=16, bold=True, colour=BRAND)
    y = page.paragraph(MARGIN, page.height - 110, name, width=writer.width, size=size, bold=True, colour=INK)
    page.text(MARGIN, y - 6, f"{day(report.start)} to {day(report.end)}", size=14, colour=INK)
    page.text(MARGIN, y - 26, f"Reporting date (D): {day(report.on)}", size=11, colour=MUTED)
    page.text(MARGIN, y - 46, f"Generated on {day(report.generated)}", size=10, colour=MUTED)
    y = page.height - band - 46
    page.text(MARGIN, y, "At a glance", size=14, bold=True, colour=BRAND)
    box_w, box_h = (writer.width - 20) / 3, 84
    y -= 16
    for k, (key, segment) in enumerate(HEADLINE):
        figure = report.kpis.get(key, segment)
        x = MARGIN + (k % 3) * (box_w + 10)
        top = y - (k // 3) * (box_h + 10)
        page.rect(x, top - box_h, box_w, box_h, fill=PALE, stroke=LINE, width=0.75)
        value = figure.display
        size = pdf.fitting_size(value, box_w - 16, 13 if figure.too_small else 20, bold=True)
        page.text(x + 8, top - 28, value, size=size, bold=True, colour=INK)
        page.paragraph(
            x + 8, top - 46, figure.label, width=box_w - 16, size=9, bold=True, colour=INK, leading=11
        )
        detail = pdf.wrap(figure.detail or "", box_w - 16, 7.5)[:2]
        for n, line in enumerate(detail):
            page.text(x + 8, top - 70 - 9 * n, line, size=7.5, colour=MUTED)
    y -= 2 * (box_h + 10) + 20
    page.text(MARGIN, y, "Inside", size=14, bold=True, colour=BRAND)
    y -= 20
    sections = [
        "Key figures and how each is counted",
        "Charts, each with its numbers",
        "Equity: who the program reaches, and their outcomes",
        "Events",
        "Stories from the program",
    ]
    for k, name in enumerate(sections, start=1):
        page.text(MARGIN + 8, y, f"{k}.  {name}", size=11, colour=INK)
        y -= 17
    y -= 10
    note = (
        "Every figure follows the program's data dictionary: the same definitions and the same counting as "
        f"the program's dashboard. A figure resting on too few people or days is shown as "
        f"“{kpis.TOO_EARLY}”; "
        "equity figures for fewer than 5 people are suppressed. No one is named but the authors of stories "
        "who agreed to share them with their name."
    )
    page.paragraph(MARGIN, y, note, width=writer.width, size=9, colour=MUTED)
    writer.page = None  # the sections start on a page of their own


def figures_section(writer, grouped):
    for definition, figures in grouped:
        for k, figure in enumerate(figures):
            writer.need(48)
            page, y = writer.page, writer.y
            value = figure.display
            value_size = pdf.fitting_size(value, 140, 11, bold=True)
            page.text(MARGIN + writer.width, y, value, size=value_size, bold=True, colour=INK, align="right")
            writer.lines(figure.label, size=10.5, bold=True, width=writer.width - 150)
            detail = figure.detail
            if figure.too_small:
                detail = f"{detail}; shown from {definition.minimum_text}"
            if detail:
                writer.lines(f"Based on: {detail}", size=8.5, colour=MUTED)
            if k == len(figures) - 1:
                writer.lines(f"{definition.name}: {definition.definition} Counted over {definition.window}.",
                             size=8.5, colour=INK)  # fmt: skip
                writer.lines(definition.precisely, size=8, colour=MUTED)
            writer.gap(3)
            if k == len(figures) - 1:
                writer.need(20)
                writer.page.line(
                    MARGIN, writer.y + 4, MARGIN + writer.width, writer.y + 4, colour=LINE, width=0.4
                )
                writer.gap(12)


def equity_section(writer, summary):
    writer.heading("Equity: who the program reaches")
    tables = equity_tables(summary)
    if not tables:
        writer.lines("No demographic questions have answers in this period yet.", size=10, colour=MUTED)
        return
    writer.lines(
        "From the optional, self-described answers of participants, in aggregate only. Any count based "
        "on fewer than 5 people is shown as “fewer than 5”, and cells that would let it be worked out are "
        "suppressed too.",
        size=8.5,
        colour=MUTED,
    )
    writer.gap(4)
    for table in tables:
        writer.need(50)
        writer.lines(table.title, size=11, bold=True)
        if table.note:
            writer.lines(table.note, size=8, colour=MUTED)
        writer.table(table.headings, table.rows, widths=table.widths)


def events_section(writer, report):
    writer.heading("Events")
    figures_section(writer, report.event_figures)
    writer.gap(4)
    writer.lines("Events held in the period", size=11, bold=True)
    rows = [(f"{e.starts_at:%-d %b %Y}", e.title, e.kind, e.came_text, e.rating_text) for e in report.events]
    writer.table(
        ["Date", "Event", "Kind", "Came (of those going)", "Feedback"], rows, widths=(2, 5, 2.5, 2.5, 3)
    )
    if report.events_more:
        writer.lines(f"And {report.events_more:,} more events.", size=8.5, colour=MUTED)


def stories_section(writer, stories):
    writer.heading("Stories from the program")
    if not stories:
        writer.lines("No featured stories to share yet.", size=10, colour=MUTED)
        return
    for story in stories:
        writer.need(60)
        if story.title:
            writer.lines(story.title, size=12, bold=True)
        writer.lines(f"“{story.shown_text.strip()}”", size=10, indent=10)
        writer.gap(2)
        writer.lines(f"— {story.byline}", size=9.5, bold=True, colour=MUTED, indent=10)
        writer.gap(14)


def report_pdf(report):
    """The report (funder_report.FunderReport) as PDF bytes, and its number of pages."""
    program = report.program.name
    period = f"{day(report.start)} to {day(report.end)}"
    doc = pdf.Document(title=f"Funder report: {program}, {period}", author=program)
    writer = Writer(doc, footer=f"{program} · Funder report · {period}")
    title_page(writer, report)
    writer.heading("Key figures")
    writer.lines(f"Reporting date (D): {day(report.on)}. Period: {period}.", size=9, colour=MUTED)
    writer.gap(6)
    figures_section(writer, report.key_figures)
    writer.page = None
    writer.heading("Charts")
    for chart in report.all_charts:
        draw_chart(writer, chart)
    writer.page = None
    equity_section(writer, report.equity)
    writer.gap(10)
    events_section(writer, report)
    writer.page = None
    stories_section(writer, report.stories)
    writer.finish()
    return doc.render(), len(doc.pages)
