"""Uploads (programs/uploads.py): the type comes from the content, never the name; the size is
limited; what is kept is a safe name, the bytes, their sha256 and the detected type."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.uploads import check_upload, store_upload
from tests import scenarios

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"  # noqa: E501
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png_bytes():
    """A real 1x1 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx_bytes(*, macros=False):
    main = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else DOCX_TYPE + ".main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>Hello</w:p></w:body></w:document>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def upload(name, data, content_type="application/pdf"):
    # The browser's content type is whatever it says: never trusted.
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("guide.pdf", PDF, "application/pdf"),
        ("photo.png", png_bytes(), "image/png"),
        ("Plan.docx", docx_bytes(), DOCX_TYPE),
        ("notes.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_real_files_are_accepted_with_the_type_their_content_says(name, data, expected):
    content_type, got = check_upload(upload(name, data, content_type="text/plain"))
    assert content_type == expected
    assert got == data


def test_a_windows_program_renamed_guide_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100))
    assert error.value.messages == [
        "guide.pdf is not a PDF: its content is a Windows program. Allowed: PDF, images (PNG, JPEG, GIF, "
        "WebP) and office documents (.docx, .xlsx, .pptx, .odt, .ods, .odp)."
    ]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "a web page"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "an SVG image"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "a script"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old-style Office file"),
        ("tool", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "a program"),
    ],
)
def test_web_pages_svg_scripts_programs_and_old_office_files_are_refused(name, data, said):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, data, content_type="image/png"))
    assert said in error.value.messages[0]
    assert "Allowed: PDF, images" in error.value.messages[0]


def test_a_macro_enabled_office_document_is_refused_whatever_its_name():
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("report.docx", docx_bytes(macros=True)))


def test_a_name_that_disagrees_with_the_content_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("photo.pdf", png_bytes()))
    assert error.value.messages == [
        "photo.pdf is not a PDF: its content is a PNG image; rename it to end in .png."
    ]
    with pytest.raises(ValidationError, match=r"notes.txt is named as a .txt file but its content is a PDF"):
        check_upload(upload("notes.txt", PDF))


def test_an_oversized_file_gets_a_clear_message(settings):
    settings.RESOURCE_MAX_BYTES = 10 * 1024 * 1024
    big = PDF + b"\x00" * (int(14.2 * 1024 * 1024) - len(PDF))
    with pytest.raises(ValidationError) as error:
        check_upload(upload("big.pdf", big))
    assert error.value.messages == ["This file is 14.2 MB; the largest allowed is 10 MB."]


def test_the_limit_is_a_setting(settings):
    settings.RESOURCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match=r"This file is \d+ bytes; the largest allowed is 100 bytes\."):
        check_upload(upload("guide.pdf", PDF + b"\x00" * 100))


def test_images_only_refuses_a_pdf():
    with pytest.raises(ValidationError, match="Only images are allowed here"):
        check_upload(upload("guide.pdf", PDF), images_only=True)
    assert check_upload(upload("dot.png", png_bytes()), images_only=True)[0] == "image/png"


def test_a_zip_bomb_is_not_unpacked():
    # [Content_Types].xml claims to be 50 MB of one byte: too big to read, so the file is not
    # recognised as an office document (and nothing was unpacked).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<" * (50 * 1024 * 1024))
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="not allowed"):
        check_upload(upload("bomb.docx", buffer.getvalue()))


@pytest.mark.django_db
def test_a_stored_file_keeps_a_safe_name_its_hash_size_and_detected_type():
    by = scenarios.person(email="uploader@uploads.test")
    data = png_bytes()
    stored = store_upload(upload("../../etc/<my photo>.PNG", data, content_type="text/html"), by=by)
    stored.refresh_from_db()
    assert stored.name == "my photo.png"  # the basename, without what a header or a path could misread
    assert "/" not in stored.name and "<" not in stored.name
    assert stored.content_type == "image/png"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert bytes(stored.data) == data
    assert stored.uploaded_by == by
