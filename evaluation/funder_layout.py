"""The funder report's PDF layout (mentorship/pdf.py): its colours and margins, and ``Writer``, which
flows text and tables down the page and onto the next, with a footer on every page."""

from __future__ import annotations

from mentorship import pdf

INK = (0.11, 0.12, 0.14)
MUTED = (0.29, 0.33, 0.39)
BRAND = (0.11, 0.35, 0.65)
LIGHT = (0.72, 0.81, 0.92)
LINE = (0.79, 0.82, 0.85)
PALE = (0.93, 0.95, 0.98)
MARGIN = 56
TOP = 790
BOTTOM = 70


def day(value):
    return f"{value:%-d %B %Y}"


class Writer:
    """Flowing layout: a cursor ``y`` down the page, a new page when something does not fit."""

    def __init__(self, doc, footer):
        self.doc = doc
        self.footer = footer
        self.page = None
        self.y = TOP
        self.width = doc.size[0] - 2 * MARGIN

    def new_page(self):
        self.page = self.doc.page()
        self.y = TOP
        return self.page

    def need(self, height):
        """Room for ``height`` points below the cursor, or a new page."""
        if self.page is None or self.y - height < BOTTOM:
            self.new_page()

    def gap(self, points):
        self.y -= points

    def heading(self, text, *, size=18):
        self.need(size * 4)
        self.y -= size * 0.4
        self.page.text(MARGIN, self.y, text, size=size, bold=True, colour=BRAND)
        self.y -= 6
        self.page.line(MARGIN, self.y, MARGIN + self.width, self.y, colour=LINE, width=0.75)
        self.y -= size * 1.1

    def lines(self, text, *, size=10, bold=False, colour=INK, indent=0, width=None):
        """``text`` wrapped, page by page as it flows."""
        width = (width or self.width) - indent
        leading = size * 1.35
        for line in pdf.wrap(text, width, size, bold=bold):
            self.need(leading)
            self.page.text(MARGIN + indent, self.y, line, size=size, bold=bold, colour=colour)
            self.y -= leading

    def table(self, headings, rows, *, widths, size=8.5):
        """A small table (the numbers behind a chart, the events, the equity summary): wrapped cells,
        its heading row repeated on each page it runs onto."""
        leading = size * 1.3
        total = sum(widths)
        columns = [w * self.width / total for w in widths]

        def wrapped(cells, bold):
            return [pdf.wrap(str(c), col - 6, size, bold=bold) for c, col in zip(cells, columns, strict=True)]

        def draw(cells, *, bold=False):
            lines = wrapped(cells, bold)
            height = max(len(cell) for cell in lines) * leading + 3
            if bold:
                self.page.rect(
                    MARGIN, self.y - height + leading - 1, self.width, height, fill=PALE, stroke=None
                )
            x = MARGIN
            for cell, col in zip(lines, columns, strict=True):
                for n, line in enumerate(cell):
                    self.page.text(x + 3, self.y - n * leading, line, size=size, bold=bold, colour=INK)
                x += col
            self.y -= height

        def height_of(cells, bold=False):
            return max(len(cell) for cell in wrapped(cells, bold)) * leading + 3

        head = height_of(headings, True)
        first = height_of(rows[0]) if rows else leading
        self.need(head + first)
        draw(headings, bold=True)
        for cells in rows:
            if self.y - height_of(cells) < BOTTOM:
                self.new_page()
                draw(headings, bold=True)
            draw(cells)
        if not rows:
            self.lines("Nothing to show.", size=size, colour=MUTED)
        self.gap(6)

    def finish(self):
        count = len(self.doc.pages)
        for number, page in enumerate(self.doc.pages, start=1):
            page.line(MARGIN, 48, page.width - MARGIN, 48, colour=LINE, width=0.5)
            text = self.footer
            size = pdf.fitting_size(text, self.width - 80, 8)
            page.text(MARGIN, 36, text, size=size, colour=MUTED)
            page.text(
                page.width - MARGIN, 36, f"Page {number} of {count}", size=8, colour=MUTED, align="right"
            )
