"""Every write about safeguarding concerns: raising one, triage by the program's leads, notes, and
pausing contact.

A concern reaches every lead at once by email; the email names the program, the urgency and who
raised it (the role, never a name) and links to the concern page, never the text: email leaves
the site and is forwarded, printed and kept. For the same reason no audit summary carries the text.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.models import (
    CONCERN_TRANSITIONS,
    OPEN_MATCH_STATUSES,
    Concern,
    ConcernNote,
    ConcernStatus,
    ConcernUrgency,
    Match,
    MatchStatus,
)
from matching.services import match_pause
from mentorship.services import audit_record, email_queue

PAUSE_CONTACT_REASON = "Contact paused by a safeguarding lead"
MAX_TEXT = 5000


def _clean_text(text, *, what):
    text = (text or "").strip()
    if not text:
        raise ValidationError(f"Write {what}.")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"Keep {what} to {MAX_TEXT} characters or fewer.")
    return text


def raiser_role(*, match, user):
    """Which side of the match ``user`` raises a concern from, in words: the mentee, the mentor, or
    someone running the program (a coordinator, or staff who are not one)."""
    role = match.role_of(user)
    if role is not None:
        return role
    if match.program.coordinators.filter(pk=user.pk).exists():
        return "coordinator"
    return "staff"


def _message_raiser_role(*, conversation, user):
    """Who reports a message, in words: the mentee or mentor (in the pair's conversation, or the
    participant in theirs with the coordinators), or someone running the program."""
    if conversation.match_id is not None:
        return raiser_role(match=conversation.match, user=user)
    if conversation.group_id is not None:  # a group's conversation: their role in it, or the program's
        from matching.messaging.rules import sender_role

        return sender_role(conversation, user) or "staff"
    if conversation.enrollment.user_id == user.pk:
        return conversation.enrollment.role
    return "coordinator" if conversation.program.coordinators.filter(pk=user.pk).exists() else "staff"


@transaction.atomic
def concern_raise(*, what_happened, urgency, match=None, by=None, consent=None, message=None, post=None):
    """Record a concern and tell each safeguarding lead at once, one email each.

    Either about a ``match``, raised by ``by`` (its mentee, its mentor, a coordinator or staff; the
    view has checked they see the match), or by a guardian on the link of their ``consent``: about
    the consent's enrollment, and the mentee's open match if there is one. Or a reported
    ``message``, by ``by`` (a reader of it, not its sender: matching.messaging.services.
    message_report): kept with the concern, about the conversation's match or, in a conversation
    with the coordinators, its participant's enrollment. Or a reported discussion-board ``post``,
    by ``by`` (a reader of it, not its author: matching.boards.services.post_report): kept with the
    concern, about its board's program (and group).
    """
    what_happened = _clean_text(what_happened, what="what happened")
    if urgency not in ConcernUrgency.values:
        raise ValidationError("Choose how urgent it is.")
    if consent is not None:
        if not consent.is_current:
            raise ValidationError("This link can no longer be used.")
        enrollment = consent.enrollment
        program = enrollment.program
        match = Match.objects.filter(mentee=enrollment, status__in=OPEN_MATCH_STATUSES).first()
        role, raised_as, by = "guardian", f"guardian ({consent.guardian_name})", None
    elif message is not None and by is not None:
        conversation = message.conversation
        match, enrollment, program = conversation.match, conversation.enrollment, conversation.program
        role = raised_as = _message_raiser_role(conversation=conversation, user=by)
    elif post is not None and by is not None:
        from matching.boards.rules import author_role  # boards import this module

        topic = post.topic
        match, enrollment, program = None, None, topic.program
        role = raised_as = author_role(by, program, topic.group) or "staff"
    elif match is not None and by is not None:
        enrollment, program = None, match.program
        role = raised_as = raiser_role(match=match, user=by)
    else:
        raise ValueError("A concern is raised about a match by someone, or on a guardian's link.")

    concern = Concern.objects.create(
        program=program,
        match=match,
        enrollment=enrollment,
        raised_by=by,
        raised_as=raised_as,
        what_happened=what_happened,
        urgency=urgency,
        message=message,
        post=post,
        group=post.topic.group if post is not None else (message.conversation.group if message else None),
    )
    audit_record(
        actor=by,
        actor_label="" if by else raised_as,
        action="concern.raised",
        target=concern,
        summary=f"{concern.get_urgency_display()}; raised by the {role}"
        + (f"; reports message #{message.pk}" if message is not None else "")
        + (f"; reports post #{post.pk}" if post is not None else ""),
    )
    # Only what a lead needs to act: never the text, never the raiser's name.
    context = {
        "program_name": program.name,
        "urgency": concern.urgency,
        "urgency_label": concern.get_urgency_display(),
        "raised_by_role": role,
        "raised_at": concern.created_at,
        "concern_url": settings.SITE_URL + concern.get_absolute_url(),
    }
    for lead in program.leads():
        # One email per lead, each queued on its own (not in a digest or a batch): it goes now.
        email_queue(
            to=lead.email, template="concern_raised", context={**context, "lead_name": lead.display_name}
        )
    return concern


def _touch(concern):
    now = timezone.now()
    Concern.objects.filter(pk=concern.pk).update(updated_at=now)
    concern.updated_at = now


@transaction.atomic
def concern_move(*, concern, by, to_status, note=""):
    """A triage step (new → acknowledged → resolved or escalated), recorded as a note with the step.

    The update is conditional on the status the lead saw, so two leads clicking at once cannot both
    move it: the second is told it changed meanwhile."""
    if to_status not in ConcernStatus.values:
        raise ValidationError("Choose what the concern becomes.")
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ValidationError(f"Keep the note to {MAX_TEXT} characters or fewer.")
    from_status = ConcernStatus(concern.status)
    if to_status not in CONCERN_TRANSITIONS[from_status]:
        current, target = from_status.label.lower(), ConcernStatus(to_status).label.lower()
        allowed = " or ".join(sorted(s.label.lower() for s in CONCERN_TRANSITIONS[from_status]))
        hint = f"From {current} it can only become {allowed}." if allowed else f"Nothing follows {current}."
        raise ValidationError(f"This concern is {current}, so it cannot become {target}. {hint}")
    now = timezone.now()
    moved = Concern.objects.filter(pk=concern.pk, status=from_status).update(status=to_status, updated_at=now)
    if not moved:
        raise ValidationError("This concern changed meanwhile; reload the page and try again.")
    concern.status, concern.updated_at = to_status, now
    ConcernNote.objects.create(
        concern=concern, author=by, text=note, from_status=from_status, to_status=to_status, created_at=now
    )
    audit_record(
        actor=by,
        action=f"concern.{to_status}",
        target=concern,
        summary=f"{from_status.label} → {ConcernStatus(to_status).label}" + ("; with a note" if note else ""),
    )
    return concern


@transaction.atomic
def concern_note_add(*, concern, by, text):
    """A lead's plain note (a call made, advice taken): kept with the concern, never edited."""
    text = _clean_text(text, what="the note")
    note = ConcernNote.objects.create(concern=concern, author=by, text=text)
    _touch(concern)
    audit_record(actor=by, action="concern.note", target=concern, summary="note added")
    return note


@transaction.atomic
def concern_pause_contact(*, concern, by):
    """Pause the match the concern is about, at once: reminders stop and the pair sees on the match
    page that a safeguarding lead paused contact. Recorded as a note on the concern."""
    match = concern.match
    if match is None:
        raise ValidationError("This concern is not about a match, so there is no contact to pause.")
    if match.status != MatchStatus.ACTIVE:
        raise ValidationError(
            f"Only an active match can be paused; this one is {match.get_status_display().lower()}."
        )
    match_pause(match=match, by=by, reason=PAUSE_CONTACT_REASON)
    note = ConcernNote.objects.create(
        concern=concern, author=by, text="Contact paused: the match is paused until a coordinator resumes it."
    )
    _touch(concern)
    audit_record(
        actor=by, action="concern.pause_contact", target=concern, summary=f"paused match #{match.pk}"
    )
    return note
