"""What one reader sees of each message: the text (with contact details held back from the partner
until a coordinator releases them), who wrote it, and what they may do with it. The thread page and
the polling fragment both render these entries, so a held message reads the same in both."""

from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from matching.messaging import rules
from matching.messaging.contact import redact
from matching.models import Message
from matching.templatetags.messaging import message_html
from programs.limited import limited_name

HELD_FOR_SENDER = (
    "Phone numbers, email addresses and social media names are held back until your coordinator "
    "checks them: this keeps everyone safe. Your partner sees the rest of this message now."
)
HELD_FOR_SENDER_IN_GROUP = (
    "Phone numbers, email addresses and social media names are held back until your coordinator "
    "checks them: this keeps everyone safe. The others in your group see the rest of this message now."
)
HELD_FOR_COORDINATOR = "Contact details held back from the partner until a coordinator releases them."


@dataclass(frozen=True)
class Entry:
    message: Message
    text: str  # what this reader reads
    sender_label: str
    mine: bool
    held_notice: str  # why part of it is held, for the sender and the coordinators; "" otherwise
    can_release: bool
    can_report: bool

    @property
    def pk(self):
        return self.message.pk


@dataclass(frozen=True)
class Viewer:
    """The reader, and what they are here: one of the people the conversation is for, and/or
    someone who runs the program (``manages``)."""

    user: object
    manages: bool
    in_group: bool = False  # a group's conversation: everyone reads who writes as what


def _sender_label(message, viewer, mine):
    if mine:
        return "You"
    sender = message.sender
    if sender is None or not sender.is_active:
        return "A former account"
    name = limited_name(sender) or "Someone"
    if message.sender_role in rules.ORGANISATION_ROLES:
        return f"{name} ({message.sender_role})"
    return f"{name} ({message.sender_role})" if (viewer.manages or viewer.in_group) else name


def entry_for(message, viewer):
    mine = message.sender_id == viewer.user.pk
    held = message.is_held
    sees_all = mine or viewer.manages
    if held and mine:
        notice = HELD_FOR_SENDER_IN_GROUP if viewer.in_group else HELD_FOR_SENDER
    elif held and viewer.manages:
        notice = HELD_FOR_COORDINATOR
    else:
        notice = ""
    return Entry(
        message=message,
        text=message.body if (sees_all or not held) else redact(message.body),
        sender_label=_sender_label(message, viewer, mine),
        mine=mine,
        held_notice=notice,
        can_release=held and viewer.manages,
        can_report=not mine,
    )


def entries_for(messages, viewer):
    return [entry_for(message, viewer) for message in messages]


# --- The thread's list items -----------------------------------------------------------------------
# Built here rather than in a template: a thread page has up to a hundred of them, and the template
# engine spent most of the page's time on them (bench/messages.py). The page and the polling answer
# both call ``items_html``, so a message reads the same in both.

RELEASE_ASK = "Let the partner read the contact details in this message?"
ORGANISATION = {"coordinator", "staff"}


def _url_maker(name):
    """``reverse(name, args=[pk])`` for many pks at the cost of one reverse."""
    pattern = reverse(name, args=[987654321])
    return lambda pk: pattern.replace("987654321", str(pk))


def _when(at):
    """ "26 Nov 2026, 14:05" in the site's time zone (the date filter's "j M Y, H:i", faster)."""
    at = timezone.localtime(at)
    return f"{at.day} {at:%b %Y, %H:%M}"


def _item(entry, viewer, csrf_input, report_url, release_url):
    """One message's <li>. Plain f-strings over escaped values (html.escape): format_html per piece
    cost more than the rest of the page."""
    message = entry.message
    classes = "msg" + (" msg-mine" if entry.mine else "")
    if message.sender_role in ORGANISATION:
        classes += " msg-coordinator"
    parts = [
        f'<li class="{classes}" id="m{entry.pk}" data-id="{entry.pk}">\n'
        f'  <p class="msg-head"><strong>{escape(entry.sender_label)}</strong> '
        f'<time datetime="{message.created_at.isoformat()}">{_when(message.created_at)}</time></p>\n'
        f'  <div class="msg-body">{message_html(entry.text)}</div>\n'
    ]
    if entry.held_notice:
        parts.append(f'  <p class="msg-held">{escape(entry.held_notice)}</p>\n')
    if viewer.manages and message.released_at:
        parts.append(f'  <p class="meta">Contact details released {_when(message.released_at)}.</p>\n')
    if entry.can_release or entry.can_report:
        actions = []
        if entry.can_release:
            actions.append(
                f'<form method="post" action="{release_url(entry.pk)}">{csrf_input}<button type="submit" '
                f'class="button-small" data-confirm="{escape(RELEASE_ASK)}">Release contact details</button>'
                "</form>"
            )
        if entry.can_report:
            actions.append(f'<a href="{report_url(entry.pk)}">Report this message</a>')
        parts.append(f'  <div class="msg-actions">{"".join(actions)}</div>\n')
    parts.append("</li>\n")
    return "".join(parts)


def items_html(entries, viewer, *, csrf_token):
    """The list items of ``entries`` (``entries_for``), for the thread's <ol>."""
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    report_url = _url_maker("matching:message_report")
    release_url = _url_maker("matching:message_release")
    html = "".join(_item(e, viewer, csrf_input, report_url, release_url) for e in entries)
    return mark_safe(html)  # noqa: S308 (every value in it is escaped: html.escape or message_html)
