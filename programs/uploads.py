"""Uploaded files: checked, then kept (``StoredFile``, in the database; never a public URL).

The type of a file is decided by its content (its first bytes, and for office documents the parts
inside the zip), never by its name or by what the browser says it is. Allowed: PDF, PNG, JPEG,
GIF, WebP, Word/Excel/PowerPoint documents (.docx, .xlsx, .pptx) and OpenDocument ones (.odt,
.ods, .odp). Everything else is refused with a message that says what is allowed: programs and
scripts, web pages, SVG images (they can carry script), old-style Office files (they can carry
macros), macro-enabled Office files. A name whose extension says another type than the content is
refused too ("guide.pdf is not a PDF"); the name kept is a safe basename with the extension of the
type found.

Zip files are read without extracting anything: only the small parts that say what the document
is are read, and only when they are small (no zip bomb gets unpacked).
"""

import hashlib
import io
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # "a PDF"
    extensions: tuple  # the first is the one a stored name gets

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


PDF = FileType("application/pdf", "a PDF", ("pdf",))
PNG = FileType("image/png", "a PNG image", ("png",))
JPEG = FileType("image/jpeg", "a JPEG image", ("jpg", "jpeg", "jpe", "jfif"))
GIF = FileType("image/gif", "a GIF image", ("gif",))
WEBP = FileType("image/webp", "a WebP image", ("webp",))
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = FileType(_OOXML + "wordprocessingml.document", "a Word document", ("docx",))
XLSX = FileType(_OOXML + "spreadsheetml.sheet", "an Excel spreadsheet", ("xlsx",))
PPTX = FileType(_OOXML + "presentationml.presentation", "a PowerPoint presentation", ("pptx",))
_ODF = "application/vnd.oasis.opendocument."
ODT = FileType(_ODF + "text", "an OpenDocument text", ("odt",))
ODS = FileType(_ODF + "spreadsheet", "an OpenDocument spreadsheet", ("ods",))
ODP = FileType(_ODF + "presentation", "an OpenDocument presentation", ("odp",))

IMAGE_TYPES = (PNG, JPEG, GIF, WEBP)
ALL_TYPES = (PDF, *IMAGE_TYPES, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_CONTENT_TYPE = {t.content_type: t for t in ALL_TYPES}
_BY_EXTENSION = {ext: t for t in ALL_TYPES for ext in t.extensions}

ALLOWED_TEXT = (
    "PDF, images (PNG, JPEG, GIF, WebP) and office documents (.docx, .xlsx, .pptx, .odt, .ods, .odp)"
)
IMAGES_TEXT = "PNG, JPEG, GIF or WebP images"

# Extensions that name a type we refuse: a name ending so is refused even if the content is fine.
_REFUSED_EXTENSIONS = {
    "exe": "a Windows program", "dll": "a Windows program", "msi": "a Windows installer",
    "bat": "a script", "cmd": "a script", "sh": "a script", "ps1": "a script", "js": "a script",
    "vbs": "a script", "py": "a script", "html": "a web page", "htm": "a web page",
    "svg": "an SVG image", "doc": "an old-style Word document", "xls": "an old-style Excel file",
    "ppt": "an old-style PowerPoint file", "docm": "a macro-enabled Word document",
    "xlsm": "a macro-enabled Excel file", "pptm": "a macro-enabled PowerPoint file",
}  # fmt: skip

_ZIP_PART_LIMIT = 512 * 1024  # the largest zip part read to tell what the document is
_ZIP_MAX_ENTRIES = 20_000
_ZIP_MAX_RATIO = 200  # a part that unpacks to more than 200 times its packed size is not read


def _size_text(n, *, up=False):
    """ "14.2 MB", "10 MB", "3 KB", "512 bytes". ``up``: rounded up (a file just over the limit
    never reads as the limit itself)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            value = (math.ceil if up else round)(n * 10 / scale) / 10
            return f"{value:g} {unit}"
    return f"{n} bytes"


_MACH_O = (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe")


def _refused_kind(head):
    """What a refused file looks like it is, from its first bytes (for the message)."""
    if head.startswith(b"MZ"):
        return "a Windows program"
    if head.startswith(b"\x7fELF") or head[:4] in _MACH_O:
        return "a program"
    if head.startswith(b"#!"):
        return "a script"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old-style Office file (.doc, .xls or .ppt), which can carry macros"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:1024]:
        return "an SVG image, which can carry script"
    if text.startswith((b"<!doctype", b"<html", b"<?xml", b"<script", b"<head", b"<body")):
        return "a web page"
    return None


def _read_part(archive, info):
    """A small zip part's bytes, or None when it is too big (or packs suspiciously well)."""
    if info.file_size > _ZIP_PART_LIMIT or info.file_size > max(info.compress_size, 1) * _ZIP_MAX_RATIO:
        return None
    with archive.open(info) as part:
        data = part.read(_ZIP_PART_LIMIT + 1)  # the declared size could lie
    return data if len(data) <= _ZIP_PART_LIMIT else None


_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": (DOCX, "word/"),
    b"spreadsheetml.sheet.main+xml": (XLSX, "xl/"),
    b"presentationml.presentation.main+xml": (PPTX, "ppt/"),
}
_ODF_MIMETYPES = {t.content_type.encode(): t for t in (ODT, ODS, ODP)}


def _zip_type(data):
    """(the office type, None) or (None, why refused) for a zip file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _ZIP_MAX_ENTRIES:
                return None, "a zip file with too many parts"
            by_name = {info.filename: info for info in infos}
            names = set(by_name)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None, "an Office document with macros"
            if "mimetype" in by_name:
                mimetype = _read_part(archive, by_name["mimetype"]) or b""
                found = _ODF_MIMETYPES.get(mimetype.strip())
                if found and "content.xml" in names:
                    return found, None
                return None, "an OpenDocument file of a kind not allowed"
            if "[Content_Types].xml" in by_name:
                types = _read_part(archive, by_name["[Content_Types].xml"]) or b""
                if b"macroEnabled" in types:
                    return None, "an Office document with macros"
                for marker, (found, folder) in _OOXML_MAIN.items():
                    if _OOXML.encode() + marker in types and any(n.startswith(folder) for n in names):
                        return found, None
                return None, "an Office file of a kind not allowed"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        return None, "a damaged or encrypted zip file"
    except ValueError:
        return None, "a damaged zip file"
    return None, "a zip file"


def detect(data):
    """(FileType, None) for an allowed file, or (None, what it seems to be) for any other."""
    if data.startswith(b"%PDF-"):
        return PDF, None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG, None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG, None
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF, None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP, None
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None, _refused_kind(data[:2048])


def type_label(content_type):
    """ "PDF", "Word document"...: what a stored file is, in words."""
    found = BY_CONTENT_TYPE.get(content_type)
    if found is None:
        return "File"
    words = found.label.split(" ", 1)[1]
    return words[0].upper() + words[1:]


def _extension(name):
    base = os.path.basename((name or "").replace("\\", "/"))
    stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot and stem else ""


def safe_name(name, file_type):
    """A basename safe to keep and to send in a header, ending in the detected type's extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    ext = _extension(base)
    stem = base[: -(len(ext) + 1)] if ext else base
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[^\w\- ()]+", "_", stem).strip(" ._-")[:120] or "file"
    ext = ext if ext in file_type.extensions else file_type.extensions[0]
    return f"{stem}.{ext}"


def _too_big(size, limit):
    return ValidationError(
        f"This file is {_size_text(size, up=True)}; the largest allowed is {_size_text(limit)}.", code="size"
    )


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    data: bytes
    name: str


def inspect_upload(uploaded_file, *, images_only=False):
    """The checked upload (type, bytes, safe name); ValidationError with a clear message if not."""
    limit = settings.RESOURCE_MAX_BYTES
    name = os.path.basename((getattr(uploaded_file, "name", "") or "").replace("\\", "/")) or "The file"
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_big(size, limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(max(size or 0, len(data)), limit)
    if not data:
        raise ValidationError("This file is empty.", code="empty")

    allowed = IMAGES_TEXT if images_only else ALLOWED_TEXT
    found, seems = detect(data)
    ext = _extension(name)
    named = _BY_EXTENSION.get(ext)
    if named is not None and named is not found:
        if found is not None:
            why = f"its content is {found.label}; rename it to end in .{found.extensions[0]}"
        else:
            why = f"its content is {seems or 'of a type not allowed'}. Allowed: {allowed}"
        raise ValidationError(f"{name} is not {named.label}: {why}.", code="mismatch")
    if found is None:
        what = f"This file is {seems}" if seems else "This type of file is not allowed"
        raise ValidationError(f"{what}. Allowed: {allowed}.", code="type")
    if images_only and not found.is_image:
        raise ValidationError(
            f"Only images are allowed here ({IMAGES_TEXT}); this is {found.label}.", code="type"
        )
    if ext and named is None:
        said = _REFUSED_EXTENSIONS.get(ext, f"a .{ext} file")
        raise ValidationError(
            f"{name} is named as {said} but its content is {found.label}; "
            f"rename it to end in .{found.extensions[0]}.",
            code="mismatch",
        )
    return CheckedUpload(found, data, safe_name(name, found))


def check_upload(uploaded_file, *, images_only=False):
    """(content type, bytes) of an allowed upload; ValidationError with a clear message if not."""
    checked = inspect_upload(uploaded_file, images_only=images_only)
    return checked.file_type.content_type, checked.data


def store_upload(uploaded_file, *, by, images_only=False):
    """Check the upload and keep it: a new ``StoredFile`` (its sha256, size and detected type)."""
    from programs.models import StoredFile

    checked = inspect_upload(uploaded_file, images_only=images_only)
    return StoredFile.objects.create(
        name=checked.name,
        content_type=checked.file_type.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        data=checked.data,
        uploaded_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
    )
