"""Invitations by email: a coordinator invites someone to apply, as a role, with a link.

Nothing a coordinator sees tells them whether an email has an account (DESIGN.md, the trust
model): an invitation reads the same either way, and the person accepts it while logged in.
"""

import datetime as dt
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone

from mentorship.services import email_queue
from programs.models import Enrollment, Invitation, ProgramStatus, Role, Source

# --- Invitations ---------------------------------------------------------------------------------


class InvitationState:
    do_not_call_in_templates = True  # templates compare against its constants

    # Where an invitation stands (the coordinator's list)...
    WAITING = "waiting"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    # ...and what its page can offer the visitor.
    OPEN = "open"
    CLOSED = "closed"
    NOT_OPEN = "not_open"
    ENROLLED = "enrolled"
    LOG_IN = "log_in"
    NOT_FOR_YOU = "not_for_you"


def invitation_status(*, invitation, now=None):
    """Waiting, expired or accepted: the one reading of an invitation's dates."""
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.is_expired(now):
        return InvitationState.EXPIRED
    return InvitationState.WAITING


INVITATIONS_PAGE_SIZE = 50


def invitation_page(*, program, number=None, now=None):
    """One page (newest first) of the program's invitations, each with its ``status``: a count and
    one page's rows however many were sent."""
    now = now or timezone.now()
    listed = Invitation.objects.filter(program=program).order_by("-created_at", "-pk")
    page = Paginator(listed, INVITATIONS_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    for invitation in page.object_list:
        invitation.status = invitation_status(invitation=invitation, now=now)
    return page


def _normalise_email(email):
    # The same spelling as User.save, so an invitation and the account it leads to compare equal.
    return (email or "").strip().lower()


def mask_email(email):
    """a•••@example.org: enough for the invitee to recognise their address, not to learn someone's."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _invitation_check(program):
    if program.invitation_problem:
        raise ValidationError(program.invitation_problem)


def invitation_issue(*, program, email, role, by, source, note="", batch=None, partner=None):
    """Create the invitation of ``email``, or refresh it (a resend), and queue its email.
    ``partner``: the local partner that brought the person (kept on a refresh that gives none).

    A refresh gives it a new token (the link sent before stops working), new dates, and the latest
    role, sender and source. Returns (invitation, resent). The caller has checked the program and
    that the invitation is not accepted yet.
    """
    now = timezone.now()
    fields = {
        "role": role,
        "invited_by": by,
        "source": source,
        "sent_at": now,
        "expires_at": now + dt.timedelta(days=program.invitation_valid_days),
    }
    if partner is not None:
        fields["partner"] = partner
    # get_or_create copes with two coordinators inviting the same address at the same moment.
    invitation, created = Invitation.objects.select_for_update().get_or_create(
        program=program, email=email, defaults=fields
    )
    if not created:
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.token = uuid.uuid4()
        invitation.save(update_fields=[*fields, "token"])
    email_queue(
        to=email,
        template="invitation",
        context={
            "program": program,
            "invitation": invitation,
            "email": email,
            "role": invitation.get_role_display().lower(),
            "note": note.strip(),
            "invited_by": by.display_name if by else "",
            "link": settings.SITE_URL + invitation.get_absolute_url(),
        },
        batch=batch,
    )
    return invitation, not created


@transaction.atomic
def invitation_send(*, program, email, role, by, note="", partner=None):
    """Invite ``email`` to ``program`` as ``role`` and queue the email. Returns (invitation, resent).

    Inviting the same address again is a resend (a new link, the role updated to the latest
    choice) instead of a failure; an invitation already accepted is reported.
    """
    email = _normalise_email(email)
    _invitation_check(program)
    if role not in Role.values:
        raise ValidationError("Unknown role.")
    if partner is not None and partner.program_id != program.pk:
        raise ValidationError("That partner belongs to another program.")
    accepted = Invitation.objects.filter(program=program, email=email, accepted_at__isnull=False).first()
    if accepted is not None:
        raise ValidationError(
            f"{email} already accepted an invitation to this program on {accepted.accepted_at:%d %B %Y}."
        )
    # The login email only: the coordinator sees who is enrolled anyway, and a check of other
    # addresses would tell them which account holds this one.
    enrolled = Enrollment.objects.filter(program=program, user__email=email).first()
    if enrolled is not None:
        raise ValidationError(
            f"{email} is already enrolled in this program as a {enrolled.get_role_display().lower()}."
        )
    return invitation_issue(
        program=program, email=email, role=role, by=by, source=Source.INVITED, note=note, partner=partner
    )


@transaction.atomic
def invitation_resend(*, invitation, by):
    """Send ``invitation`` again with a new link (the old one stops working) and a new expiry."""
    invitation = Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    _invitation_check(invitation.program)
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} already accepted this invitation.")
    invitation, _ = invitation_issue(
        program=invitation.program,
        email=invitation.email,
        role=invitation.role,
        by=by,
        source=invitation.source,
    )
    return invitation


def invitation_state(*, invitation, user, now=None):
    """What the invitation page can offer ``user``: go on to apply, or why not.

    Only the person it was sent to can use it (their login, or another address they verified):
    whoever else holds the link (a forwarded email, a shared computer) is told so.
    """
    status = invitation_status(invitation=invitation, now=now)
    if status != InvitationState.WAITING:
        return status
    if invitation.program.status == ProgramStatus.CLOSED:
        return InvitationState.CLOSED
    if invitation.program.status == ProgramStatus.DRAFT:
        return InvitationState.NOT_OPEN
    if not user.is_authenticated:
        return InvitationState.LOG_IN
    if not invitation.is_for(user):
        return InvitationState.NOT_FOR_YOU
    if Enrollment.objects.filter(program=invitation.program, user=user).exists():
        return InvitationState.ENROLLED
    return InvitationState.OPEN


def invitation_usable(*, token, program, role, user):
    """The invitation behind ``token`` if ``user`` may apply through it now, else None: the current
    link, unexpired, unaccepted, for this program and role, and sent to this user."""
    if not token or not user.is_authenticated:
        return None
    invitation = (
        Invitation.objects.select_related("program")
        .filter(token=token, program=program, role=role, accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.is_expired() or not invitation.is_for(user):
        return None
    return invitation


def invitations_waiting_for(user, *, now=None):
    """The invitations ``user`` can still accept: sent to their login or another address they
    verified, unexpired, unaccepted, in a program that takes people, and not one they are already
    in. What keeps an invitation in sight after signing up, whatever the session forgot (an email
    confirmed in another browser, a sign-up that took a while)."""
    now = now or timezone.now()
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    emails = {_normalise_email(user.email), *(_normalise_email(email) for email in verified)}
    return (
        Invitation.objects.filter(email__in=emails, accepted_at__isnull=True)
        .exclude(expires_at__lte=now)
        .exclude(program__status__in=[ProgramStatus.DRAFT, ProgramStatus.CLOSED])
        .exclude(program__enrollments__user=user)
        .select_related("program")
        .order_by("-sent_at", "-pk")
    )
