"""The one rule that finds contact details in a message: phone numbers, email addresses, social
media handles and links, and "my snap is ..." phrases. In a program that holds them
(``Program.holds_contact_details``) a message with any is saved held: its partner reads it with
each found span replaced by ``HELD_TEXT`` until a coordinator releases it.

It errs on the side of holding: a false alarm costs a coordinator one click, a miss may put a
child's phone number in a stranger's hands. Pure Python, no Django: tested on plain strings.
"""

import re
from dataclasses import dataclass

HELD_TEXT = "[contact details held for your coordinator]"

PLATFORMS = (
    r"snap(?:chat)?|insta(?:gram)?|ig|tik ?tok|discord|telegram|whats ?app|kik|facebook|fb|"
    r"twitter|signal|messenger|skype|wechat|line"
)

# Social networks' addresses, with or without the scheme: instagram.com/kit, wa.me/4477...
SOCIAL_URL = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.|m\.)?"
    r"(?:instagram\.com|instagr\.am|snapchat\.com|tiktok\.com|facebook\.com|fb\.com|fb\.me|"
    r"m\.me|wa\.me|whatsapp\.com|chat\.whatsapp\.com|t\.me|telegram\.me|discord\.gg|discord\.com|"
    r"discordapp\.com|x\.com|twitter\.com|kik\.me)(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# An @name that is not inside an email address (nothing word-like right before the @).
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?")
# A run of digits with the separators people type in phone numbers; kept if it has 7 digits or more.
PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().\-/]{5,}\d(?![\w])")
PHONE_MIN_DIGITS = 7
# Runs that are dates or times, not numbers to call: 2027-05-14, 14.05.2027, 14/05/2027.
DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# "my snap is kit_99", "my insta: kit.b", "add me on snapchat kit_99", "my whatsapp number is ...".
PHRASE = re.compile(
    rf"\b(?:my\s+(?:{PLATFORMS})(?:\s+(?:name|handle|username|user|id|number|account))?\s*(?:is|:|=|-)"
    rf"|(?:add|follow|find|message|dm|text|call|reach)\s+me\s+on\s+(?:{PLATFORMS})\s*(?:at|as|:|-)?)"
    r"\s*@?[\w.+-]{2,40}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "phone", "email", "handle", "social", "phrase"


def _phones(text):
    for found in PHONE.finditer(text):
        run = found.group()
        if sum(ch.isdigit() for ch in run) < PHONE_MIN_DIGITS:
            continue
        if DATE_LIKE.fullmatch(run.strip()):
            continue
        yield Span(found.start(), found.end(), "phone")


def contact_details(text):
    """The spans of ``text`` that are contact details, sorted and merged where they overlap (the
    kind of a merged span is its first part's)."""
    text = text or ""
    spans = [
        *(Span(m.start(), m.end(), "email") for m in EMAIL.finditer(text)),
        *(Span(m.start(), m.end(), "social") for m in SOCIAL_URL.finditer(text)),
        *(Span(m.start(), m.end(), "handle") for m in HANDLE.finditer(text)),
        *(Span(m.start(), m.end(), "phrase") for m in PHRASE.finditer(text)),
        *_phones(text),
    ]
    merged = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def has_contact_details(text):
    return bool(contact_details(text))


def redact(text, spans=None):
    """``text`` with each contact-detail span replaced by HELD_TEXT."""
    spans = contact_details(text) if spans is None else spans
    parts, at = [], 0
    for span in spans:
        parts += [text[at : span.start], HELD_TEXT]
        at = span.end
    parts.append(text[at:])
    return "".join(parts)
