"""The PDF writer (mentorship/pdf.py): a well-formed file (header, objects where the cross-reference
table says, trailer), the text readable in it, and text escaped and encoded safely."""

import re

from mentorship import pdf


def _document(*texts, pages=1):
    doc = pdf.Document(title="Test (one)")
    for n in range(pages):
        page = doc.page()
        for i, text in enumerate(texts):
            page.text(72, 760 - 20 * i, text, size=12, bold=i % 2 == 1)
        page.line(72, 100, 500, 100, colour=(0.2, 0.4, 0.6), dash=(3, 2))
        page.rect(72, 120, 100, 40, fill=(1, 0.5, 0), stroke=None)
        page.polygon([(200, 120), (260, 160), (320, 120)], fill=(0, 0.6, 0.2), stroke=(0, 0, 0))
        page.text(300, 60, f"Page {n + 1}", align="center")
    return doc.render()


def test_the_file_starts_with_the_header_and_ends_with_the_trailer():
    data = _document("Hello")
    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    assert b"/Root 1 0 R" in data.split(b"trailer")[1]


def test_the_cross_reference_table_points_at_each_object():
    data = _document("Hello", "World", pages=3)
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF", data).group(1))
    assert data[startxref:].startswith(b"xref\n")
    header = re.match(rb"xref\n0 (\d+)\n", data[startxref:])
    size = int(header.group(1))
    entries = data[startxref + header.end() :].split(b"trailer")[0]
    lines = entries.split(b"\n")[:size]
    assert lines[0] == b"0000000000 65535 f "
    for number, line in enumerate(lines[1:], start=1):
        assert len(line) == 19 and line.endswith(b" 00000 n ")  # 20 bytes with the line feed
        offset = int(line[:10])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert int(re.search(rb"/Size (\d+)", data).group(1)) == size
    # Catalog, page tree, two fonts, info, and a page and its content per page.
    assert size == 1 + 5 + 2 * 3
    assert b"/Count 3" in data


def test_each_content_stream_has_its_length():
    data = _document("Hello")
    for match in re.finditer(rb"<< /Length (\d+) >>\nstream\n", data):
        length = int(match.group(1))
        assert data[match.end() + length :].startswith(b"\nendstream")


def test_the_text_is_in_the_file_uncompressed():
    data = _document("Certificate of service", "Ada Lovelace")
    assert b"(Certificate of service) Tj" in data
    assert b"/F2 12 Tf" in data  # the second line is bold
    assert b"/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding" in data
    assert pdf.strings_in(data)[:2] == ["Certificate of service", "Ada Lovelace"]


def test_parentheses_and_backslashes_are_escaped():
    data = _document("a (b) \\ c)")
    assert b"(a \\(b\\) \\\\ c\\)) Tj" in data
    assert pdf.strings_in(data)[0] == "a (b) \\ c)"
    assert b"/Title (Test \\(one\\))" in data


def test_characters_outside_latin_1_are_replaced_safely():
    data = _document("Zoë Łukasiewicz — 日本", "tab\there")
    # é and the dash are in WinAnsi (octal escapes keep the file 7-bit); Ł becomes L; others "?".
    assert b"(Zo\\353 Lukasiewicz \\227 ??) Tj" in data
    assert pdf.strings_in(data)[:2] == ["Zoë Lukasiewicz — ??", "tab here"]
    body = data.split(b"\n", 2)[2]  # after the header's binary comment
    assert all(byte < 0x80 for byte in body)


def test_centred_text_starts_half_its_width_to_the_left():
    doc = pdf.Document()
    page = doc.page()
    width = pdf.text_width("Hello", 20, bold=True)
    page.text(300, 500, "Hello", size=20, bold=True, align="center")
    assert width == (722 + 556 + 278 + 278 + 611) * 20 / 1000
    left = 300 - width / 2
    assert f"{left:.2f}".rstrip("0").encode() + b" 500 Td" in doc.render()


def test_wrap_keeps_lines_within_the_width():
    text = "Mentoring is listening, asking good questions and being there week after week."
    lines = pdf.wrap(text, 150, 12)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(pdf.text_width(line, 12) <= 150 for line in lines)


def test_shapes_are_drawn_with_their_colours():
    data = _document()
    assert b"q 1 0.5 0 rg 72 120 100 40 re f Q" in data
    assert b"[3 2] 0 d 1 w 0.2 0.4 0.6 RG 72 100 m 500 100 l S Q" in data
    assert b"200 120 m 260 160 l 320 120 l h B Q" in data


def test_an_empty_document_still_has_a_page():
    data = pdf.Document().render()
    assert b"/Count 1" in data and b"/Type /Page " in data


def test_a_long_line_is_set_smaller_to_fit():
    text = "The Northside and Riverside Youth Mentoring and Careers Network, 2027 cohort"
    size = pdf.fitting_size(text, 400, 16)
    assert size < 16 and abs(pdf.text_width(text, size) - 400) < 0.01
    assert pdf.fitting_size("Short", 400, 16) == 16
