"""Every write about messages: conversations made (lazily, once), messages sent (with the limits,
the contact-detail hold and the email to the other readers), read, released and reported.

Emails: at most one per conversation per reader per ``MESSAGE_EMAIL_MINUTES``, claimed with a
conditional update of ``ConversationReader.emailed_at`` so that two messages sent at once email
once. In a program that may have minors the email never holds the message: "You have a new
message" and a link (email leaves the site, is forwarded and kept). In an adult program it may
hold the text, as the reader would see it on the site (contact details held back).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matching import concerns
from matching.messaging import rules
from matching.messaging.contact import redact
from matching.models import Conversation, ConversationKind, ConversationReader, Message
from matching.models.conversations import MESSAGE_MAX_LENGTH
from mentorship.services import audit_record, email_queue, user_seen

EMAIL_EXCERPT = 600  # characters of the message an adult program's email may quote


def conversation_for_match(*, match):
    """The pair's conversation, made on first use. Two requests at once make one: the match is
    unique on the conversation (get_or_create retries the read after the losing insert)."""
    conversation, created = Conversation.objects.get_or_create(
        match=match, defaults={"program_id": match.program_id, "kind": ConversationKind.PAIR}
    )
    if created:
        _readers(conversation, [match.mentee.user_id, match.mentor.user_id])
    conversation.match = match
    return conversation


def conversation_for_enrollment(*, enrollment):
    """The participant's conversation with the program's coordinators, made on first use."""
    conversation, created = Conversation.objects.get_or_create(
        enrollment=enrollment,
        defaults={"program_id": enrollment.program_id, "kind": ConversationKind.COORDINATORS},
    )
    if created:
        _readers(conversation, [enrollment.user_id])
    conversation.enrollment = enrollment
    return conversation


def conversation_for_group(*, group):
    """The group's conversation, made on first use (the group is unique on it, as a match is)."""
    conversation, _ = Conversation.objects.get_or_create(
        group=group, defaults={"program_id": group.program_id, "kind": ConversationKind.GROUP}
    )
    conversation.group = group
    return conversation


def _readers(conversation, user_ids):
    """Each of ``user_ids``'s reader row in the conversation (made if missing), by user id."""
    ConversationReader.objects.bulk_create(
        [ConversationReader(conversation=conversation, user_id=pk) for pk in user_ids], ignore_conflicts=True
    )
    rows = ConversationReader.objects.filter(conversation=conversation, user_id__in=user_ids)
    return {reader.user_id: reader for reader in rows}


def conversation_mark_read(*, conversation, user, up_to):
    """``user`` has read the conversation up to message ``up_to``: their read position moves
    forward (never back: an older page read later does not mark newer messages unread)."""
    if not up_to:
        return
    moved = ConversationReader.objects.filter(
        conversation=conversation, user=user, last_read_id__lt=up_to
    ).update(last_read_id=up_to)
    if not moved:  # already there, or no row yet
        reader = ConversationReader(conversation=conversation, user=user, last_read_id=up_to)
        ConversationReader.objects.bulk_create([reader], ignore_conflicts=True)


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message first.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            f"A message can be {MESSAGE_MAX_LENGTH} characters at most; this one has {len(body)}. "
            "Shorten it, or send it in two parts."
        )
    return body


def _check_rate(user, now):
    limit, minutes = settings.MESSAGE_RATE_LIMIT, settings.MESSAGE_RATE_MINUTES
    since = now - dt.timedelta(minutes=minutes)
    if Message.objects.filter(sender=user, created_at__gte=since).count() >= limit:
        raise ValidationError(
            f"You have sent {limit} messages in the last {minutes} minutes, the most the site allows. "
            "Please wait a few minutes and send this one again: your text is still in the box."
        )


@transaction.atomic
def message_send(*, conversation, by, body):
    """``by`` writes ``body`` in ``conversation``. Refused (ValidationError, with what to do) when
    the conversation is read-only, the text is empty or too long, or ``by`` wrote too many
    messages lately; PermissionDenied for someone who may not write here (the view 404s first)."""
    role = rules.sender_role(conversation, by)
    if role is None:
        raise PermissionDenied("You cannot write in this conversation.")
    problem = rules.write_problem(conversation)
    if problem:
        raise ValidationError(problem)
    body = _clean_body(body)
    now = timezone.now()
    _check_rate(by, now)
    message = Message.objects.create(
        conversation=conversation,
        sender=by,
        sender_role=role,
        body=body,
        held=rules.holds(conversation, role, body),
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    conversation.last_message_at = now
    conversation_mark_read(conversation=conversation, user=by, up_to=message.pk)
    user_seen(user=by, at=now)
    _notify(conversation, message)
    return message


def conversation_url(conversation):
    return settings.SITE_URL + reverse("matching:conversation", args=[conversation.pk])


def _from_label(conversation, message, recipient_id):
    """Who wrote, as the email says it: a role, never a name."""
    participant = recipient_id in rules.participant_ids(conversation)
    if message.sender_role in rules.ORGANISATION_ROLES:
        return "your program's coordinators" if participant else "a colleague"
    if conversation.kind == ConversationKind.GROUP:
        where = "your group" if participant else "a group"
        return f"a {message.sender_role} in {where}"
    if participant:
        return f"your {message.sender_role}"
    return f"a {message.sender_role} in the program"


def _notify(conversation, message):
    """Email each other reader who should hear of it (``rules.recipients``), unless they were
    emailed about this conversation in the last MESSAGE_EMAIL_MINUTES. The claim is one conditional
    update per reader: of two messages sent at once, only one finds the reader unclaimed."""
    people = rules.recipients(conversation, sender=message.sender)
    if not people:
        return
    readers = _readers(conversation, [p.pk for p in people])
    now = message.created_at
    quiet_since = now - dt.timedelta(minutes=settings.MESSAGE_EMAIL_MINUTES)
    program = conversation.program
    for person in people:
        claimed = (
            ConversationReader.objects.filter(pk=readers[person.pk].pk, last_read_id__lt=message.pk)
            .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lte=quiet_since))
            .update(emailed_at=now)
        )
        if not claimed:
            continue
        text = ""
        if not program.may_have_minors:
            # A held message is one of the pair's, and its only recipient is the partner.
            text = redact(message.body) if message.is_held else message.body
            if len(text) > EMAIL_EXCERPT:
                text = text[:EMAIL_EXCERPT].rstrip() + "…"
        email_queue(
            to=person.email,
            template="message_new",
            context={
                "name": person.display_name,
                "program_name": program.name,
                "from_label": _from_label(conversation, message, person.pk),
                "body": text,
                "minutes": settings.MESSAGE_EMAIL_MINUTES,
                "conversation_url": conversation_url(conversation),
            },
        )


@transaction.atomic
def message_release(*, message, by):
    """A coordinator lets the partner read a held message in full. Conditional on it being held
    still, so two coordinators clicking at once release it once (the second is told)."""
    if not message.held:
        raise ValidationError("This message holds nothing back.")
    now = timezone.now()
    released = Message.objects.filter(pk=message.pk, held=True, released_at__isnull=True).update(
        released_by=by, released_at=now
    )
    if not released:
        raise ValidationError("This message was already released.")
    message.released_by, message.released_at = by, now
    audit_record(actor=by, action="message.released", target=message, summary="contact details released")
    return message


def message_report(*, message, by, what_worries, urgency):
    """A reader (not its sender) reports a message: it becomes a safeguarding concern with the
    message attached, and the program's safeguarding leads are told at once (concern_raise)."""
    if message.sender_id == by.pk:
        raise ValidationError("You cannot report your own message.")
    return concerns.concern_raise(message=message, by=by, what_happened=what_worries, urgency=urgency)
