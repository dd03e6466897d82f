"""The demo program's resource library (`manage.py seed_demo`): eleven pages written for City Youth
Mentoring, two links to public sites, a one-page PDF of the safety rules to print, and one page
staff published to every program. The texts are in evaluation/demo/resource_text.py; everything
goes through programs.resources.resource_create, the PDF through the upload check like any file.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.demo import resource_text as text
from programs import resources
from programs.models import ResourceKind

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4, in points


def _pdf_string(line):
    """A line as a PDF string literal (Helvetica with WinAnsiEncoding: Latin-1 text)."""
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})".encode("latin-1", "replace")


def one_page_pdf(lines, *, title="", created=None):
    """A small, valid PDF 1.4 file: one A4 page of ``lines`` in Helvetica (the first in bold, larger;
    lines in capitals as bold headings). No dependencies: the objects, the cross-reference table
    with each object's byte offset, and the trailer are written out as the format says."""
    content = [b"BT", b"/F2 18 Tf", b"56 780 Td", _pdf_string(lines[0]) + b" Tj", b"0 -16 TD"]
    for line in lines[1:]:
        if not line:
            content.append(b"0 -6 TD")  # a little space between sections
            continue
        heading = line.isupper()
        content += [b"/F2 11 Tf" if heading else b"/F1 10.5 Tf", b"0 -15 TD", _pdf_string(line) + b" Tj"]
    content.append(b"ET")
    stream = b"\n".join(content)
    created = created or dt.date.today()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (PAGE_WIDTH, PAGE_HEIGHT)
        + b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + _pdf_string(title) + b" /Producer (City Youth Mentoring demo) "
        b"/CreationDate (D:" + created.strftime("%Y%m%d").encode() + b"000000Z) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF" % xref
    return bytes(out)


def safety_rules_pdf():
    return one_page_pdf(text.PDF_LINES, title=text.PDF_TITLE)


def demo_resources(*, program, coordinator, staff):
    """The library of ``program`` (written by ``coordinator``), and staff's page for every program."""
    made = []
    for title, summary, topic, audience, body in text.PAGES:
        made.append(resources.resource_create(program=program, by=coordinator, title=title, summary=summary,
                                              topic=topic, audience=audience, kind=ResourceKind.PAGE,
                                              body=body))  # fmt: skip
    for title, summary, topic, audience, url in text.LINKS:
        made.append(resources.resource_create(program=program, by=coordinator, title=title, summary=summary,
                                              topic=topic, audience=audience, kind=ResourceKind.LINK,
                                              url=url))  # fmt: skip
    upload = SimpleUploadedFile("safety-rules.pdf", safety_rules_pdf(), content_type="application/pdf")
    made.append(
        resources.resource_create(
            program=program, by=coordinator, title=text.PDF_TITLE.replace(" - ", " — "), topic="safety",
            audience="program", kind=ResourceKind.FILE, upload=upload,
            summary="The safety rules on one A4 page, to print and keep, or to put up at a meeting place.",
        )
    )  # fmt: skip
    title, summary, topic, audience, body = text.STAFF_PAGE
    made.append(resources.resource_create(program=program, by=staff, every_program=True, title=title,
                                          summary=summary, topic=topic, audience=audience,
                                          kind=ResourceKind.PAGE, body=body))  # fmt: skip
    return made
