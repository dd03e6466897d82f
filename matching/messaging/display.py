"""What one reader sees of each message: the text (with contact details held back from the partner
until a coordinator releases them), who wrote it, and what they may do with it. The thread page and
the polling fragment both render these entries, so a held message reads the same in both."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
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


def _sender_label(message, viewer, mine):
    if mine:
        return "You"
    sender = message.sender
    if sender is None or not sender.is_active:
        return "A former account"
    name = limited_name(sender) or "Someone"
    if message.sender_role in rules.ORGANISATION_ROLES:
        return f"{name} ({message.sender_role})"
    return f"{name} ({message.sender_role})" if viewer.manages else name


def entry_for(message, viewer):
    mine = message.sender_id == viewer.user.pk
    held = message.is_held
    sees_all = mine or viewer.manages
    if held and mine:
        notice = HELD_FOR_SENDER
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


def _item(entry, viewer, csrf_input, report_url, release_url):
    message = entry.message
    classes = (
        "msg"
        + (" msg-mine" if entry.mine else "")
        + (" msg-coordinator" if message.sender_role in ORGANISATION else "")
    )
    at = timezone.localtime(message.created_at)
    parts = [
        format_html(
            '<li class="{}" id="m{}" data-id="{}">\n  <p class="msg-head"><strong>{}</strong> '
            '<time datetime="{}">{}</time></p>\n  <div class="msg-body">{}</div>\n',
            classes,
            entry.pk,
            entry.pk,
            entry.sender_label,
            at.isoformat(),
            date_format(at, "j M Y, H:i"),
            message_html(entry.text),
        )  # fmt: skip
    ]
    if entry.held_notice:
        parts.append(format_html('  <p class="msg-held">{}</p>\n', entry.held_notice))
    if viewer.manages and message.released_at:
        released = date_format(timezone.localtime(message.released_at), "j M Y, H:i")
        parts.append(format_html('  <p class="meta">Contact details released {}.</p>\n', released))
    if entry.can_release or entry.can_report:
        actions = []
        if entry.can_release:
            actions.append(
                format_html(
                    '<form method="post" action="{}">{}<button type="submit" class="button-small" '
                    'data-confirm="{}">Release contact details</button></form>',
                    release_url(entry.pk),
                    csrf_input,
                    RELEASE_ASK,
                )  # fmt: skip
            )
        if entry.can_report:
            actions.append(format_html('<a href="{}">Report this message</a>', report_url(entry.pk)))
        parts.append(format_html('  <div class="msg-actions">{}</div>\n', mark_safe("\n".join(actions))))  # noqa: S308
    parts.append(mark_safe("</li>\n"))  # noqa: S308
    return mark_safe("".join(parts))  # noqa: S308 (every piece is built with format_html)


def items_html(entries, viewer, *, csrf_token):
    """The list items of ``entries`` (``entries_for``), for the thread's <ol>."""
    csrf_input = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    report_url = _url_maker("matching:message_report")
    release_url = _url_maker("matching:message_release")
    return format_html_join(
        "", "{}", ((_item(e, viewer, csrf_input, report_url, release_url),) for e in entries)
    )
