"""The little markup coordinators write training pages and resource pages in, rendered safely.

Everything is escaped first; then, line by line:

- a blank line separates paragraphs;
- ``## Heading`` and ``### Smaller heading``;
- ``- item`` (or ``* item``) makes a bulleted list, ``1. item`` a numbered one;
- ``**bold**``;
- ``[words](https://example.org)`` makes a link: http, https and mailto addresses, and the site's
  own paths (starting with one ``/``). Anything else stays as plain text. Links to other sites open
  with ``rel="noopener noreferrer nofollow"``.

No HTML written by a person ever reaches the page.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_HEADING = re.compile(r"^(#{2,3})\s+(.*)$")


def _safe_href(url):
    """The link's address if it is one we allow, else None (``url`` is already escaped)."""
    if re.match(r"^(https?://|mailto:)", url, re.I):
        return url
    if url.startswith("/") and not url.startswith("//"):
        return url
    return None


def _inline(text):
    """Bold and links inside one escaped line."""

    def link(match):
        words, url = match.group(1), match.group(2)
        href = _safe_href(url)
        if href is None:
            return match.group(0)
        external = "" if href.startswith("/") else ' rel="noopener noreferrer nofollow"'
        return f'<a href="{href}"{external}>{words}</a>'

    text = _LINK.sub(link, text)
    return _BOLD.sub(r"<strong>\1</strong>", text)


def render(text):
    """``text`` in the markup above, as safe HTML."""
    out = []
    paragraph = []
    items = []
    list_tag = None

    def flush_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
        list_tag = None

    for raw in escape(text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_list()
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            flush_paragraph()
            flush_list()
            level = len(heading.group(1))  # ## → h2, ### → h3
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append((bullet or numbered).group(1))
        else:
            flush_list()
            paragraph.append(line)
    flush_paragraph()
    flush_list()
    return mark_safe("\n".join(out))  # noqa: S308 - built only from escaped text


def plain(text, limit=None):
    """``text`` without its markup, for search snippets and emails."""
    text = _LINK.sub(r"\1", text or "")
    text = _BOLD.sub(r"\1", text)
    text = re.sub(r"^\s*(#{2,3}|[-*]|\d{1,3}[.)])\s+", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
