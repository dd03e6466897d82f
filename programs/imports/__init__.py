"""The CSV import of applicants into a program.

The import is two steps that share one parser. ``import_parse`` reads the file and says, row by
row, what would happen (and writes nothing); ``import_confirm`` parses the same text again inside
its transaction and does exactly what that says. Preview and confirm can therefore never disagree
about a row, and a re-import adds nobody twice.

Nothing a coordinator sees tells them whether an email has an account (DESIGN.md, the trust
model): the preview reads only the file and this program's own enrollments. Only the confirm
looks accounts up, and a row naming one becomes an invitation (programs.invitations) that person
accepts or ignores; their profile is never touched.
"""

from programs.imports.confirm import ImportChanged, ImportRefused, import_confirm
from programs.imports.preview import (
    COLUMNS,
    ERROR,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    OK,
    SKIP,
    ImportPreview,
    ImportRow,
    import_decode,
    import_digest,
    import_parse,
)

__all__ = [
    "ImportChanged",
    "ImportRefused",
    "import_confirm",
    "COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "OK",
    "SKIP",
    "ERROR",
    "ImportPreview",
    "ImportRow",
    "import_decode",
    "import_digest",
    "import_parse",
]
