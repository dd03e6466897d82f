"""A small PDF writer with no dependencies: A4 pages of text (Helvetica, Helvetica-Bold), lines,
rectangles and polygons in RGB colours. Enough for a certificate and a report of vector charts.

PDF 1.4; content streams are left uncompressed, so that tests (and people) can read the text in
the file. The fonts are two of the 14 standard ones every reader has, so nothing is embedded; their
encoding is WinAnsi (Windows-1252): a character outside it is written as its plain-Latin letter
where it has one (ł -> l, č -> c) and as "?" otherwise. Coordinates are points (1/72 inch) from
the page's bottom-left corner, as in PDF itself.

    doc = Document(title="Certificate")
    page = doc.page()
    page.text(72, 770, "Hello", size=24, bold=True)
    page.rect(72, 700, 200, 20, fill=(0.9, 0.9, 1.0), stroke=None)
    data = doc.render()  # bytes
"""

import unicodedata

A4 = (595.28, 841.89)
BLACK = (0, 0, 0)
FONTS = {False: "F1", True: "F2"}  # bold? -> resource name

# The standard fonts' widths (of 1000 per point of size) of the printable ASCII characters, 32-126,
# from Adobe's font metrics; other characters are taken as 556 wide (most accented letters are
# as wide as their letter, and this only serves to place text: centring, right-aligning, wrapping).
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 "
    "556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 "
    "611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"
)
WIDTHS = {
    False: dict(zip(range(32, 127), map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(range(32, 127), map(int, _BOLD.split()), strict=True)),
}
# Letters with no decomposition to a plain letter (NFKD leaves them alone).
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ħ": "h", "ı": "i",
                        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "\u2212": "-"})  # fmt: skip


def encode(text):
    """``text`` as WinAnsi bytes: each character as itself where the encoding has it, else its
    plain letter, else "?"; control characters become spaces."""
    out = bytearray()
    for char in str(text):
        if char < " " or char == "\x7f":
            out += b" "
            continue
        try:
            out += char.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        plain = unicodedata.normalize("NFKD", char.translate(_PLAIN))
        plain = "".join(c for c in plain if not unicodedata.combining(c))
        out += plain.encode("cp1252", errors="replace") if plain else b"?"
    return bytes(out)


def escape(data):
    """WinAnsi bytes as the inside of a PDF literal string: ( ) and \\ escaped, bytes past ASCII
    as octal (the file stays 7-bit: easy to read and to search)."""
    out = bytearray()
    for byte in data:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte >= 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out)


def text_width(text, size, *, bold=False):
    """The width in points of ``text`` set at ``size``."""
    widths = WIDTHS[bold]
    return sum(widths.get(byte, 556) for byte in encode(text)) * size / 1000


def fitting_size(text, width, size, *, bold=False, smallest=6):
    """``size``, or smaller (down to ``smallest``) so that ``text`` fits on one line ``width``
    points wide."""
    natural = text_width(text, size, bold=bold)
    return size if natural <= width else max(smallest, size * width / natural)


def wrap(text, width, size, *, bold=False):
    """``text`` broken into lines no wider than ``width`` points (a word longer than that gets a
    line of its own). Line breaks in ``text`` are kept."""
    lines = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold=bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _number(value):
    """A number as PDF writes it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _colour(rgb, operator):
    return " ".join(_number(max(0.0, min(1.0, float(c)))) for c in rgb) + f" {operator}"


class Page:
    """One page: drawing calls add operators to its content stream."""

    def __init__(self, width, height):
        self.width = width
        self.height = height
        self._ops = []

    def text(self, x, y, text, *, size=12, bold=False, colour=BLACK, align="left"):
        """``text`` on one line with its baseline at ``y``; ``align`` says whether ``x`` is its left
        end, its centre ("center") or its right end ("right")."""
        if align != "left":
            shift = text_width(text, size, bold=bold)
            x -= shift / 2 if align == "center" else shift
        self._ops.append(
            b"BT /%s %s Tf %s %s %s Td (%s) Tj ET"
            % (FONTS[bold].encode(), _n(size), _colour(colour, "rg").encode(), _n(x), _n(y),
               escape(encode(text)))
        )  # fmt: skip

    def paragraph(self, x, y, text, *, width, size=12, bold=False, colour=BLACK, leading=None, align="left"):
        """``text`` wrapped to ``width`` points, the first baseline at ``y``; returns the baseline
        below the last line (where the next text goes)."""
        leading = leading or size * 1.35
        for line in wrap(text, width, size, bold=bold):
            left = {"left": x, "center": x + width / 2, "right": x + width}[align]
            self.text(left, y, line, size=size, bold=bold, colour=colour, align=align)
            y -= leading
        return y

    def line(self, x1, y1, x2, y2, *, width=1, colour=BLACK, dash=None):
        """A straight line; ``dash``: (on, off) lengths for a dashed one."""
        pattern = b"[%s %s] 0 d " % (_n(dash[0]), _n(dash[1])) if dash else b""
        self._ops.append(
            b"q %s%s w %s %s %s m %s %s l S Q"
            % (pattern, _n(width), _colour(colour, "RG").encode(), _n(x1), _n(y1), _n(x2), _n(y2))
        )

    def rect(self, x, y, w, h, *, fill=None, stroke=BLACK, width=1):
        """A rectangle from its bottom-left corner: filled with ``fill``, outlined with ``stroke``
        (either may be None)."""
        self._shape(b"%s %s %s %s re" % (_n(x), _n(y), _n(w), _n(h)), fill=fill, stroke=stroke, width=width)

    def polygon(self, points, *, fill=None, stroke=BLACK, width=1, closed=True):
        """A path through ``points`` [(x, y), ...]: closed (a polygon, may be filled) or open (a
        polyline, e.g. a chart's line)."""
        if len(points) < 2:
            return
        (x0, y0), *rest = points
        path = b"%s %s m " % (_n(x0), _n(y0)) + b" ".join(b"%s %s l" % (_n(x), _n(y)) for x, y in rest)
        if closed:
            path += b" h"
        self._shape(path, fill=fill if closed else None, stroke=stroke, width=width)

    def _shape(self, path, *, fill, stroke, width):
        if fill is None and stroke is None:
            return
        paint = b"B" if fill is not None and stroke is not None else (b"f" if fill is not None else b"S")
        parts = [b"q"]
        if fill is not None:
            parts.append(_colour(fill, "rg").encode())
        if stroke is not None:
            parts.append(b"%s w %s" % (_n(width), _colour(stroke, "RG").encode()))
        parts += [path, paint, b"Q"]
        self._ops.append(b" ".join(parts))

    def content(self):
        return b"\n".join(self._ops) + b"\n"


def _n(value):
    return _number(value).encode()


class Document:
    """A PDF of pages; ``render`` writes it (objects, cross-reference table, trailer)."""

    def __init__(self, *, title="", author="", size=A4):
        self.title = title
        self.author = author
        self.size = size
        self.pages = []

    def page(self):
        page = Page(*self.size)
        self.pages.append(page)
        return page

    def render(self):
        if not self.pages:
            self.page()
        # Objects: 1 catalog, 2 page tree, 3-4 fonts, 5 info, then each page and its content.
        count = len(self.pages)
        kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(count))
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            b"<< /Title (%s) /Author (%s) /Producer (mentorship.pdf) >>"
            % (escape(encode(self.title)), escape(encode(self.author))),
        ]
        for i, page in enumerate(self.pages):
            stream = page.content()
            objects.append(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "
                b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
                % (_n(page.width), _n(page.height), 7 + 2 * i)
            )
            objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            xref,
        )
        return bytes(out)


def strings_in(data):
    """The text shown by a PDF written here (each ``(...) Tj`` string, unescaped and decoded),
    in drawing order: what a reader would find on its pages."""
    found = []
    i = 0
    while (start := data.find(b"(", i)) != -1:
        j, chunk = start + 1, bytearray()
        while data[j : j + 1] != b")":
            if data[j : j + 1] == b"\\":
                following = data[j + 1 : j + 4]
                if following[:1].isdigit():
                    chunk.append(int(following, 8))
                    j += 4
                    continue
                chunk += data[j + 1 : j + 2]
                j += 2
                continue
            chunk += data[j : j + 1]
            j += 1
        if data[j + 1 : j + 4] == b" Tj":
            found.append(chunk.decode("cp1252", errors="replace"))
        i = j + 1
    return found
