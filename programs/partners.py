"""Local partners: the records coordinators keep (services for writes, selectors for reads), the
tag on the people a partner brought, and the partner contact's read-only login.

A partner contact's login (PartnerViewer) is granted by an emailed single-use link. Following it
asks them to sign in or create an account, then binds that account. What they see (aggregate
figures only, never a name) is evaluation's (evaluation/partner_reports.py): this app only keeps
the records. Nothing here tells anyone whether an email has an account.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from mentorship.services import audit_record, email_queue
from programs.models import Enrollment, EnrollmentStatus, Partner, PartnerViewer, Role

VIEWER_VALID_DAYS = 14
FIELDS = ["name", "kind", "contact_name", "contact_email", "contact_phone", "notes"]

# --- Selectors -----------------------------------------------------------------------------------


def partners_of(program, *, archived=False):
    """The program's partners (current ones, or the archived), each with ``people_count``: one
    query however many."""
    return (
        Partner.objects.filter(program=program, archived_at__isnull=not archived)
        .annotate(people_count=Count("people"))
        .order_by("name", "pk")
    )


def partners_offered(program):
    """The partners "how did you hear" and the coordinators' forms offer: the current ones."""
    return Partner.objects.filter(program=program, archived_at__isnull=True).order_by("name", "pk")


def get_partner_for(user, program, pk):
    """A partner of ``program``, for someone who manages it (check with get_program_for)."""
    return get_object_or_404(Partner, pk=pk, program=program)


def partner_people_counts(partner):
    """How many people the partner brought, by role and status: {role label: [(status label, n)]}
    and the total. One query."""
    rows = (
        Enrollment.objects.filter(partner=partner)
        .values_list("role", "status")
        .annotate(n=Count("pk"))
        .order_by("role", "status")
    )
    statuses = dict(EnrollmentStatus.choices)
    table = {}
    total = 0
    for role, status, n in rows:
        table.setdefault(Role(role).label, []).append((statuses.get(status, status), n))
        total += n
    return table, total


def partner_people_ids(partner):
    """The enrollment ids of the people the partner brought (what the reports are sliced by)."""
    return list(Enrollment.objects.filter(partner=partner).values_list("pk", flat=True))


def viewers_of(partner):
    return PartnerViewer.objects.filter(partner=partner).select_related("user", "invited_by")


def viewer_state(viewer, now=None):
    """active, waiting, expired, revoked or used (accepted, then its account was bound elsewhere)."""
    now = now or timezone.now()
    if viewer.revoked_at is not None:
        return "revoked"
    if viewer.accepted_at is not None:
        return "active"
    if viewer.expires_at <= now:
        return "expired"
    return "waiting"


def viewer_partners(user):
    """The partners ``user`` may see as a partner contact (an accepted, unrevoked login)."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return (
        Partner.objects.filter(
            viewers__user=user, viewers__accepted_at__isnull=False, viewers__revoked_at__isnull=True
        )
        .select_related("program")
        .distinct()
        .order_by("name", "pk")
    )


def get_viewer_by_token(token):
    return get_object_or_404(PartnerViewer.objects.select_related("partner__program"), token=token)


# --- Partners ------------------------------------------------------------------------------------


def _clean_fields(fields):
    fields = {name: fields[name] for name in FIELDS if name in fields}
    if "name" in fields:
        fields["name"] = " ".join((fields["name"] or "").split())
        if not fields["name"]:
            raise ValidationError({"name": "Give the partner a name."})
    if fields.get("contact_email"):
        fields["contact_email"] = fields["contact_email"].strip().lower()
    return fields


def _name_taken(program, name, exclude=None):
    others = Partner.objects.filter(program=program, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


@transaction.atomic
def partner_create(*, program, by, **fields):
    fields = _clean_fields(fields)
    if _name_taken(program, fields["name"]):
        raise ValidationError({"name": "This program already has a partner with that name."})
    try:
        with transaction.atomic():
            partner = Partner.objects.create(program=program, **fields)
    except IntegrityError:
        raise ValidationError({"name": "This program already has a partner with that name."}) from None
    audit_record(actor=by, action="partner.created", target=partner, summary=partner.name)
    return partner


@transaction.atomic
def partner_update(*, partner, by, **fields):
    fields = _clean_fields(fields)
    if "name" in fields and _name_taken(partner.program, fields["name"], exclude=partner):
        raise ValidationError({"name": "This program already has a partner with that name."})
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.save(update_fields=list(fields))
    audit_record(actor=by, action="partner.updated", target=partner, summary=partner.name)
    return partner


@transaction.atomic
def partner_archive(*, partner, by):
    """No longer offered in "how did you hear" and the forms; its people keep the tag, and its
    contacts' logins stay (a coordinator revokes those)."""
    if partner.archived_at is not None:
        raise ValidationError(f"{partner.name} is already archived.")
    partner.archived_at = timezone.now()
    partner.save(update_fields=["archived_at"])
    audit_record(actor=by, action="partner.archived", target=partner, summary=partner.name)
    return partner


@transaction.atomic
def partner_restore(*, partner, by):
    if partner.archived_at is None:
        raise ValidationError(f"{partner.name} is not archived.")
    partner.archived_at = None
    partner.save(update_fields=["archived_at"])
    audit_record(actor=by, action="partner.restored", target=partner, summary=partner.name)
    return partner


def check_partner(program, partner):
    """A partner given for a person of ``program`` must be one of its own."""
    if partner is not None and partner.program_id != program.pk:
        raise ValidationError({"partner": "That partner belongs to another program."})


@transaction.atomic
def enrollment_partner_set(*, enrollment, partner, by):
    """A coordinator changes the partner that brought a person (None: no partner)."""
    check_partner(enrollment.program, partner)
    before = enrollment.partner
    enrollment.partner = partner
    enrollment.save(update_fields=["partner"])
    audit_record(
        actor=by,
        action="enrollment.partner",
        target=enrollment,
        summary=f"{before or 'no partner'} → {partner or 'no partner'}",
    )
    return enrollment


# --- The partner contact's read-only login ---------------------------------------------------------


def _viewer_email(viewer, by, *, resent):
    email_queue(
        to=viewer.email,
        template="partner_viewer",
        context={
            "partner": viewer.partner,
            "program": viewer.partner.program,
            "invited_by": by.display_name if by else "",
            "link": settings.SITE_URL + reverse("programs:partner_viewer_accept", args=[viewer.token]),
            "expires_at": viewer.expires_at,
            "resent": resent,
        },
    )


@transaction.atomic
def viewer_grant(*, partner, email, by, now=None):
    """Send ``email`` a single-use link to the partner's read-only page (valid VIEWER_VALID_DAYS).
    A link still waiting for the same address is sent again instead: a new token (the old link
    stops working) and a new expiry. Returns (viewer, resent)."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Give the contact's email address."})
    if partner.archived_at is not None:
        raise ValidationError("This partner is archived: restore it first.")
    waiting = (
        PartnerViewer.objects.select_for_update()
        .filter(partner=partner, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    expires_at = now + dt.timedelta(days=VIEWER_VALID_DAYS)
    if waiting is not None:
        waiting.token = uuid.uuid4()
        waiting.invited_at, waiting.expires_at, waiting.invited_by = now, expires_at, by
        waiting.save(update_fields=["token", "invited_at", "expires_at", "invited_by"])
        viewer, resent = waiting, True
    else:
        viewer = PartnerViewer.objects.create(
            partner=partner, email=email, invited_by=by, invited_at=now, expires_at=expires_at
        )
        resent = False
    _viewer_email(viewer, by, resent=resent)
    audit_record(
        actor=by,
        action="partner.viewer_resent" if resent else "partner.viewer_granted",
        target=partner,
        summary=f"read-only login sent to {email}",
    )
    return viewer, resent


@transaction.atomic
def viewer_resend(*, viewer, by):
    """A new link for a login not yet accepted (the old link stops working)."""
    if viewer.accepted_at is not None or viewer.revoked_at is not None:
        raise ValidationError("Only a link still waiting to be used can be sent again.")
    return viewer_grant(partner=viewer.partner, email=viewer.email, by=by)[0]


@transaction.atomic
def viewer_revoke(*, viewer, by):
    """End a contact's login (or a link not used yet): from now on their page answers 404."""
    revoked = PartnerViewer.objects.filter(pk=viewer.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        raise ValidationError("That login was already revoked.")
    audit_record(
        actor=by,
        action="partner.viewer_revoked",
        target=viewer.partner,
        summary=f"read-only login of {viewer.email}",
    )
    viewer.refresh_from_db()
    return viewer


def viewer_link_state(viewer, user, now=None):
    """What following the link offers: "used" (accepted already), "revoked", "expired",
    "log_in" (anonymous) or "open" (a signed-in account may take it)."""
    state = viewer_state(viewer, now)
    if state == "active":
        return "used"
    if state != "waiting":
        return state
    return "open" if user.is_authenticated else "log_in"


@transaction.atomic
def viewer_accept(*, token, user, now=None):
    """Bind the signed-in ``user`` to the login behind ``token``: once (a second use, an expired or
    revoked link is refused). An older login of the same account to the same partner gives way."""
    now = now or timezone.now()
    viewer = PartnerViewer.objects.select_for_update().select_related("partner").filter(token=token).first()
    if viewer is None or viewer_link_state(viewer, user, now) != "open":
        raise ValidationError("This link no longer works: ask the program's coordinators for a new one.")
    PartnerViewer.objects.filter(partner=viewer.partner, user=user).exclude(pk=viewer.pk).update(
        user=None, revoked_at=now
    )
    PartnerViewer.objects.filter(pk=viewer.pk).update(user=user, accepted_at=now)
    audit_record(
        actor=user,
        action="partner.viewer_accepted",
        target=viewer.partner,
        summary=f"read-only login of {viewer.email}",
    )
    viewer.refresh_from_db()
    return viewer


def viewer_has_access(user, partner):
    if not user.is_authenticated:
        return False
    return PartnerViewer.objects.filter(
        Q(partner=partner, user=user, accepted_at__isnull=False, revoked_at__isnull=True)
    ).exists()
