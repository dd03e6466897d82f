"""Messages in templates.

- ``{{ text|message_html }}``: a message's text as HTML: everything escaped, line breaks kept, and
  only http(s) addresses made into links (opened in a new tab, no referrer, nofollow). Anything
  else that looks like a link (javascript:, data:, mailto:) stays plain text.
- ``{% match_messages match %}``: the links to the pair's conversation (with the reader's unread
  count) and to the coordinators, for the match page.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from matching.inbox import unread_in_match
from programs.access import can_manage

register = template.Library()

# An http(s) address, up to whitespace or a character that cannot be in one unescaped.
URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""  # punctuation that ends a sentence rather than the address


def _link(url):
    shown = url.rstrip(TRAILING)
    # A closing bracket that belongs to the address ("(see https://x.org/a_(b))") is kept.
    while url[len(shown) : len(shown) + 1] == ")" and shown.count("(") > shown.count(")"):
        shown += ")"
    rest = url[len(shown) :]
    link = format_html('<a href="{}" rel="nofollow noopener noreferrer" target="_blank">{}</a>', shown, shown)
    return link + escape(rest)


@register.filter(is_safe=True)
def message_html(text):
    text = str(text or "")
    parts, at = [], 0
    for found in URL.finditer(text):
        parts += [escape(text[at : found.start()]), _link(found.group())]
        at = found.end()
    parts.append(escape(text[at:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 (every piece above is escaped)


@register.inclusion_tag("matching/_messages_match_link.html", takes_context=True)
def match_messages(context, match):
    """For the match page: the pair's conversation with the reader's unread count; for each of the
    pair, their conversation with the coordinators; for those who run the program, each person's."""
    user = context["request"].user
    _, unread = unread_in_match(user, match)
    side = match.side_of(user)
    manages = side is None and can_manage(user, match.program)
    return {"match": match, "unread": unread, "own": side, "manages": manages}
