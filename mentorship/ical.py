"""iCalendar text (RFC 5545), written by hand: the one place that knows its rules.

The personal calendar feed (evaluation/views/feeds.py) and the meeting invitations emailed to a
pair (matching/meeting_calendar.py) both build their documents from these helpers:

- TEXT values are escaped (backslash, semicolon, comma, newline: 3.3.11);
- every content line ends with CRLF and is folded at 75 octets, each continuation starting with a
  space, without splitting a UTF-8 character (3.1);
- times are written in UTC ("...Z"), so no VTIMEZONE block is needed (3.3.5, form 2).

Pure: no Django, so it is tested on plain strings.
"""

import datetime as dt
import re

LINE_LIMIT = 75  # octets, the CRLF aside


def escape(text):
    """Escape a TEXT value (RFC 5545, 3.3.11)."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line, limit=LINE_LIMIT):
    """Fold a content line so that no line is longer than ``limit`` octets (RFC 5545, 3.1): each
    continuation starts with a space, which counts, and a UTF-8 character is never split."""
    if len(line.encode()) <= limit:
        return line
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [], 1  # the leading space of the continuation line
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def date_value(day):
    """A DATE value: 20270301."""
    return day.strftime("%Y%m%d")


def utc_stamp(moment):
    """A DATE-TIME value in UTC: 20270301T090000Z (``moment`` must be aware)."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def document(lines):
    """The calendar's text from its content lines: each folded and ended with CRLF."""
    return "".join(fold(line) + "\r\n" for line in lines)


_METHOD = re.compile(r"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


def method_of(text):
    """The METHOD of a calendar document (REQUEST, CANCEL...), or "" when it has none: what an
    email's text/calendar part must repeat in its Content-Type (RFC 6047, 2.4)."""
    found = _METHOD.search(text or "")
    return found.group(1).upper() if found else ""
