"""Every write about programs, applications and screening. One function per use case."""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from mentorship.models import COORDINATORS_GROUP, User
from mentorship.services import audit_record, email_queue
from programs import areas as area_services
from programs.guardians import guardian_request_consent
from programs.models import (
    DEFAULT_CHECKLIST,
    Answer,
    ChecklistItem,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    Program,
    ProgramStatus,
    Question,
    Role,
    ScreeningRecord,
    Source,
    StatusChange,
)
from programs.rules import age_problem

# Decisions the applicant hears about by email.
DECISION_EMAILS = {
    EnrollmentStatus.IN_SCREENING: "enrollment_in_screening",
    EnrollmentStatus.APPROVED: "enrollment_approved",
    EnrollmentStatus.DECLINED: "enrollment_declined",
    EnrollmentStatus.WAITLISTED: "enrollment_waitlisted",
}


def user_can_create_programs(user):
    return user.is_authenticated and user.may_coordinate()


def coordinator_grant(*, user):
    """Put a person in the coordinators group (staff do this in the admin or here)."""
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)


# --- Programs -----------------------------------------------------------------------------------


def _unique_slug(name):
    base = slugify(name)[:70] or "program"
    slug, n = base, 2
    while Program.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _checklist_key(name):
    """The item's key: a default item's own (the background check's is what the minors rule reads),
    else one made from the name."""
    defaults = {label.casefold(): key for key, label, _ in DEFAULT_CHECKLIST}
    return defaults.get(" ".join(name.split()).casefold()) or slugify(name)[:40] or "item"


@transaction.atomic
def program_create(*, by, name, questions=(), checklist=None, areas=(), **fields):
    """A new program in draft, its creator its first coordinator.

    ``checklist`` is a list of (name, valid days or None), the default checklist when None;
    ``questions`` a list of texts or (text, required); ``areas`` a list of names or
    (name, latitude, longitude).
    """
    if not user_can_create_programs(by):
        raise PermissionDenied("Only coordinators can create programs.")
    fields.setdefault("slug", _unique_slug(name))
    program = Program(name=name, created_by=by, **fields)
    program.full_clean()
    program.save()
    program.coordinators.add(by)
    if checklist is None:
        checklist = [(label, days) for _, label, days in DEFAULT_CHECKLIST]
    keys = {}
    for item_name, days in checklist:
        keys.setdefault(_checklist_key(item_name), (item_name, days))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(program=program, key=key, name=item_name, valid_days=days, order=i)
        for i, (key, (item_name, days)) in enumerate(keys.items())
    )
    questions = [(q, False) if isinstance(q, str) else tuple(q) for q in questions]
    Question.objects.bulk_create(
        Question(program=program, text=text, required=required, order=i)
        for i, (text, required) in enumerate(questions)
    )
    for area in areas:
        area_name, lat, lon = (area, None, None) if isinstance(area, str) else area
        area_services.area_add(program=program, name=area_name, latitude=lat, longitude=lon, by=None)
    return program


@transaction.atomic
def program_update(*, program, by, **fields):
    changed = sorted(name for name, value in fields.items() if getattr(program, name) != value)
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    if changed:
        audit_record(actor=by, action="program.updated", target=program, summary=", ".join(changed))
    return program


@transaction.atomic
def program_set_status(*, program, status, by):
    if not program.can_become(status):
        raise ValidationError(
            f"A program that is {program.get_status_display().lower()} cannot become "
            f"{ProgramStatus(status).label.lower()}."
        )
    # Conditional update: two coordinators clicking at once cannot both move it.
    updated = Program.objects.filter(pk=program.pk, status=program.status).update(
        status=status, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError("The program's status changed meanwhile; reload and try again.")
    audit_record(actor=by, action="program.status", target=program, summary=f"{program.status} → {status}")
    program.status = status
    return program


def _coordinators_to_tell(program, *, besides):
    return [user for user in program.coordinators.all() if user.pk != besides.pk]


@transaction.atomic
def program_add_coordinator(*, program, email, by):
    """Make an existing coordinator a co-coordinator of ``program``. Coordinator authority is
    granted, never taken: staff grant the coordinators role (in the admin); a program's coordinators
    choose among people who hold it, never among the program's own mentors and mentees. The
    person is told by email and the change recorded."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email, is_active=True).first()
    # One answer whether or not the address has an account: it reveals nothing about strangers.
    if user is None or not user.may_coordinate():
        raise ValidationError(
            "That address does not belong to a coordinator. Only people whom staff have made "
            "coordinators can co-coordinate a program: ask staff first."
        )
    enrolled = Enrollment.objects.filter(program=program, user=user).first()
    if enrolled is not None:
        raise ValidationError(
            f"{user.display_name} is a {enrolled.get_role_display().lower()} in this program, so they "
            "cannot coordinate it."
        )
    if program.coordinators.filter(pk=user.pk).exists():
        raise ValidationError(f"{user.display_name} already coordinates this program.")
    program.coordinators.add(user)
    audit_record(actor=by, action="coordinator.added", target=program, summary=f"added {user.email}")
    email_queue(
        to=user.email,
        template="coordinator_added",
        context={"program": program, "user": user, "by": by, "added": True},
    )
    return user


@transaction.atomic
def program_remove_coordinator(*, program, user, by):
    # Lock the program: two coordinators removing each other at once cannot leave it with none.
    Program.objects.select_for_update().get(pk=program.pk)
    if program.coordinators.count() <= 1:
        raise ValidationError("A program needs at least one coordinator.")
    program.coordinators.remove(user)
    program.safeguarding_leads.remove(user)
    audit_record(actor=by, action="coordinator.removed", target=program, summary=f"removed {user.email}")
    email_queue(
        to=user.email,
        template="coordinator_added",
        context={"program": program, "user": user, "by": by, "added": False},
    )


@transaction.atomic
def program_set_leads(*, program, leads, by):
    """Name the program's safeguarding leads, from its coordinators (none: every coordinator)."""
    coordinator_ids = set(program.coordinators.values_list("pk", flat=True))
    if any(lead.pk not in coordinator_ids for lead in leads):
        raise ValidationError("Safeguarding leads are chosen from the program's coordinators.")
    program.safeguarding_leads.set(leads)
    names = ", ".join(lead.email for lead in leads) or "every coordinator"
    audit_record(actor=by, action="leads.set", target=program, summary=f"leads: {names}")
    return program


@transaction.atomic
def checklist_item_add(*, program, name, valid_days=None):
    key = _checklist_key(name)
    if program.checklist_items.current().filter(key=key).exists():
        raise ValidationError(f"The checklist already has “{name}”.")
    order = program.checklist_items.count()
    return ChecklistItem.objects.create(
        program=program, key=key, name=name, valid_days=valid_days, order=order
    )


@transaction.atomic
def checklist_item_remove(*, item, by):
    """Take an item off the checklist. It is archived, not deleted: the checks recorded against it
    are safeguarding records and stay on each person's page."""
    updated = ChecklistItem.objects.filter(pk=item.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    if updated:
        audit_record(actor=by, action="checklist.archived", target=item.program, summary=item.name)


@transaction.atomic
def question_add(*, program, text, required=False):
    return Question.objects.create(
        program=program, text=text, required=required, order=program.questions.count()
    )


@transaction.atomic
def question_remove(*, question):
    question.delete()


# --- Applications --------------------------------------------------------------------------------


@transaction.atomic
def enrollment_apply(
    *,
    program,
    user,
    role,
    heard_about,
    motivation="",
    heard_about_detail="",
    answers=None,
    source=Source.APPLIED,
    capacity=None,
    guardian_name="",
    guardian_email="",
    area_name="",
    by=None,
    batch=None,
    partner=None,
):
    """Apply to a program. ``partner``: the program's local partner that brought the person.
    ``answers`` maps Question ids to text; ``by`` is who entered the
    application when it is not the applicant (an import); ``batch`` gathers its email (see
    ``mentorship.services.email_batch``).

    People apply only while the program takes applications; coordinators (invitations accepted,
    imports) can add people at any time before it closes.
    """
    if source == Source.APPLIED and not program.accepts_applications:
        raise ValidationError("This program is not taking applications.")
    if program.status == ProgramStatus.CLOSED:
        raise ValidationError("This program is closed.")
    if role not in Role.values:
        raise ValidationError("Unknown role.")
    area_services.check_area(program, area_name)
    if partner is not None and partner.program_id != program.pk:
        raise ValidationError("That partner belongs to another program.")
    problem = age_problem(role=role, date_of_birth=user.profile.date_of_birth)
    if problem:
        raise ValidationError(problem)
    if program.coordinators.filter(pk=user.pk).exists():
        raise ValidationError("You coordinate this program, so you cannot be a mentor or mentee in it.")
    enrollment = Enrollment(
        program=program,
        user=user,
        role=role,
        heard_about=heard_about,
        heard_about_detail=heard_about_detail,
        motivation=motivation,
        source=source,
        capacity=capacity if role == Role.MENTOR else None,
        area_name=area_name,
        partner=partner,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise ValidationError("You have already applied to this program.") from None
    area_services.profile_show_area(user, area_name)
    StatusChange.objects.create(enrollment=enrollment, to_status=enrollment.status, changed_by=by or user)
    questions = {q.pk: q for q in program.questions.all()}
    Answer.objects.bulk_create(
        Answer(enrollment=enrollment, question=questions[qid], text=text)
        for qid, text in (answers or {}).items()
        if qid in questions and text
    )
    if guardian_email:
        guardian_request_consent(
            enrollment=enrollment, name=guardian_name, email=guardian_email, by=by or user, batch=batch
        )
    return enrollment


@transaction.atomic
def enrollment_transition(*, enrollment, to_status, by, note="", notify=True):
    """Move an enrollment along its allowed transitions, recording who, when and why."""
    to_status = EnrollmentStatus(to_status)
    if not enrollment.can_become(to_status):
        raise ValidationError(
            f"An application that is {enrollment.get_status_display().lower()} cannot become "
            f"{to_status.label.lower()}."
        )
    now = timezone.now()
    fields = {"status": to_status, "status_changed_at": now}
    if to_status == EnrollmentStatus.APPROVED:
        # Approving looks at the person as they are now, date of birth included.
        fields["dob_reviewed_at"] = enrollment.dob_reviewed_at = now
    updated = Enrollment.objects.filter(pk=enrollment.pk, status=enrollment.status).update(**fields)
    if not updated:
        raise ValidationError("This application changed meanwhile; reload and try again.")
    StatusChange.objects.create(
        enrollment=enrollment,
        from_status=enrollment.status,
        to_status=to_status,
        changed_by=by,
        changed_at=now,
        note=note,
    )
    audit_record(
        actor=by, action="enrollment.status", target=enrollment, summary=f"{enrollment.status} → {to_status}"
    )
    enrollment.status, enrollment.status_changed_at = to_status, now
    if notify and to_status in DECISION_EMAILS:
        email_queue(
            to=enrollment.user.email,
            template=DECISION_EMAILS[to_status],
            context={"enrollment": enrollment, "program": enrollment.program, "note": note},
        )
    return enrollment


def enrollment_withdraw(*, enrollment, by, note=""):
    if by != enrollment.user:
        raise PermissionDenied("Only the applicant can withdraw an application.")
    return enrollment_transition(
        enrollment=enrollment, to_status=EnrollmentStatus.WITHDRAWN, by=by, note=note
    )


@transaction.atomic
def enrollment_set_capacity(*, enrollment, capacity, by):
    if enrollment.role != Role.MENTOR:
        raise ValidationError("Only mentors have a capacity.")
    enrollment.capacity = capacity
    enrollment.save(update_fields=["capacity"])
    audit_record(actor=by, action="enrollment.capacity", target=enrollment, summary=f"capacity {capacity}")
    return enrollment


@transaction.atomic
def enrollment_set_area(*, enrollment, area_name):
    """The person's own choice of the program's areas ("" for none): what a partner sees of where
    they are."""
    area_services.check_area(enrollment.program, area_name)
    Enrollment.objects.filter(pk=enrollment.pk).update(area_name=area_name)
    area_services.profile_show_area(enrollment.user, area_name, old_name=enrollment.area_name)
    enrollment.area_name = area_name
    return enrollment


@transaction.atomic
def invitation_mark_accepted(*, invitation, enrollment):
    """An invited person applied: the invitation is used up (once, even if two tabs submit)."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), enrollment=enrollment
    )
    if invitation.partner_id:
        # The partner the coordinators tagged the invitation with, unless the person named one.
        Enrollment.objects.filter(pk=enrollment.pk, partner__isnull=True).update(
            partner=invitation.partner_id
        )


# --- Screening -----------------------------------------------------------------------------------


@transaction.atomic
def screening_record(*, enrollment, item, completed_on, by, expires_on=None, note=""):
    """Record (or renew) a checklist item for a mentor. Expiry defaults from the item's validity."""
    if item.program_id != enrollment.program_id:
        raise ValidationError("That checklist item belongs to another program.")
    if enrollment.role != Role.MENTOR:
        raise ValidationError("The screening checklist is for mentors.")
    if completed_on > timezone.localdate():
        raise ValidationError("The date it was completed cannot be in the future.")
    if expires_on is None and item.valid_days:
        expires_on = completed_on + dt.timedelta(days=item.valid_days)
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError("The expiry date must come after the completion date.")
    record, _ = ScreeningRecord.objects.update_or_create(
        enrollment=enrollment,
        item=item,
        defaults={
            "completed_on": completed_on,
            "expires_on": expires_on,
            "recorded_by": by,
            "recorded_at": timezone.now(),
            "note": note,
        },
    )
    audit_record(actor=by, action="screening.recorded", target=enrollment, summary=item.name)
    return record


@transaction.atomic
def enrollment_dob_checked(*, enrollment, by):
    """A coordinator has looked at a date of birth changed after approval: the flag clears and the
    person is matchable again if the rules allow."""
    enrollment.dob_reviewed_at = timezone.now()
    enrollment.save(update_fields=["dob_reviewed_at"])
    audit_record(actor=by, action="enrollment.dob_checked", target=enrollment)
    return enrollment
