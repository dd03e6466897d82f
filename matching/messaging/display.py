"""What one reader sees of each message: the text (with contact details held back from the partner
until a coordinator releases them), who wrote it, and what they may do with it. The thread page and
the polling fragment both render these entries, so a held message reads the same in both."""

from dataclasses import dataclass

from matching.messaging import rules
from matching.messaging.contact import redact
from matching.models import Message
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
