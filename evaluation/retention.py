"""Retention: who is past the policy, and anonymising them without changing any KPI.

The policy (settings RETENTION_*; documented in .env.example):

- A person's enrollment *closes* on the day it was withdrawn or declined (``status_changed_at``), or,
  if approved, on the day its last match ended (``ended_on``, else the day it was closed) once every
  match of it is closed. Any other enrollment (applied, in screening, wait-listed, approved without
  a match or with an open one) is open, and so is the person.
- Personal data is kept RETENTION_ADULT_YEARS after the person's last enrollment closed; for
  someone who was under 18 when an enrollment of theirs was created, until they turn 25 if that is
  later.
- Safeguarding records (screening records, guardian consents, concerns and their notes) are never
  anonymised by that rule; the guardian's name and email (on the consents and on the enrollment)
  go RETENTION_SAFEGUARDING_YEARS after the last enrollment closed.
- Nobody with an open enrollment or match, an unresolved concern about them (raised about their
  match or their enrollment) or a staff RetentionHold is touched. Staff, superusers, coordinators
  and safeguarding leads are never candidates: their accounts are the organisation's.

Anonymising keeps every row the KPIs count (enrollments and their status history, matches,
check-ins with their dates and ratings, surveys' numbers, goals): it blanks what identifies the
person and the free text they wrote, and removes their login.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from evaluation.models import CalendarFeed, CheckIn, GoalNote, RetentionHold, SurveyResponse
from matching.models import OPEN_MATCH_STATUSES, Concern, ConcernStatus, Match, MatchRequest
from mentorship.models import ADULT_AGE, OutboundEmail, Profile, User
from mentorship.services import audit_record
from programs.models import Answer, Enrollment, EnrollmentStatus, GuardianConsent, Invitation

logger = logging.getLogger(__name__)

ERASED_DOMAIN = "invalid"
STAGE_PERSON = "person"
STAGE_SAFEGUARDING = "safeguarding"


def erased_email(user_id):
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Due:
    """One person past the policy: what is due (``stage``) and why (``reason``, no names)."""

    user_id: int
    stage: str
    reason: str
    closed_on: dt.date


def _enrollment_closed_on(enrollment, matches):
    """The day ``enrollment`` closed, or None while it is open (see the module's docstring)."""
    if enrollment.status in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DECLINED):
        return timezone.localdate(enrollment.status_changed_at)
    if enrollment.status != EnrollmentStatus.APPROVED or not matches:
        return None
    if any(m.status in OPEN_MATCH_STATUSES for m in matches):
        return None
    return max(m.ended_on or timezone.localdate(m.closed_at) for m in matches)


def last_closed_on(user):
    """The day the person's last enrollment closed; None if one is open or they never enrolled."""
    enrollments = list(Enrollment.objects.filter(user=user))
    if not enrollments:
        return None
    ids = [e.pk for e in enrollments]
    matches = list(Match.objects.filter(Q(mentee_id__in=ids) | Q(mentor_id__in=ids)))
    if any(m.status in OPEN_MATCH_STATUSES for m in matches):
        return None
    days = []
    for enrollment in enrollments:
        own = [m for m in matches if enrollment.pk in (m.mentee_id, m.mentor_id)]
        closed_on = _enrollment_closed_on(enrollment, own)
        if closed_on is None:
            return None
        days.append(closed_on)
    return max(days)


def _took_part_as_minor(user, date_of_birth):
    if date_of_birth is None:
        return False
    turned_18 = add_years(date_of_birth, ADULT_AGE)
    return Enrollment.objects.filter(user=user, created_at__date__lt=turned_18).exists()


def keep_until(user, closed_on):
    """The first day the person's personal data may be anonymised, and why."""
    adult = add_years(closed_on, settings.RETENTION_ADULT_YEARS)
    dob = user.profile.date_of_birth
    if _took_part_as_minor(user, dob):
        turns_25 = add_years(dob, settings.RETENTION_MINOR_UNTIL_AGE)
        if turns_25 > adult:
            return turns_25, f"took part as a minor, {settings.RETENTION_MINOR_UNTIL_AGE} on {turns_25}"
    return adult, f"last enrollment closed {closed_on}, {settings.RETENTION_ADULT_YEARS} years"


def is_anonymised(user):
    return user.email == erased_email(user.pk)


def _held_user_ids():
    held = set(RetentionHold.objects.values_list("user_id", flat=True))
    open_concerns = Concern.objects.exclude(status=ConcernStatus.RESOLVED)
    for field in ("enrollment__user_id", "match__mentee__user_id", "match__mentor__user_id"):
        held.update(open_concerns.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True))
    return held


def _organisation_user_ids():
    return set(
        User.objects.filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(coordinated_programs__isnull=False)
            | Q(safeguarding_programs__isnull=False)
        ).values_list("pk", flat=True)
    )


def _candidates():
    """People who took part (an enrollment) and hold no role of the organisation. Those still
    applying or in an open match are left out here already (a cheap first cut: last_closed_on
    decides)."""
    still_open = Enrollment.objects.filter(user=OuterRef("pk")).filter(
        Q(status__in=[EnrollmentStatus.APPLIED, EnrollmentStatus.IN_SCREENING, EnrollmentStatus.WAITLISTED])
        | Q(matches_as_mentee__status__in=OPEN_MATCH_STATUSES)
        | Q(matches_as_mentor__status__in=OPEN_MATCH_STATUSES)
    )
    return (
        User.objects.filter(enrollments__isnull=False)
        .exclude(pk__in=_organisation_user_ids())
        .exclude(Exists(still_open))
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def _guardian_details_left(user):
    return (
        Enrollment.objects.filter(user=user).filter(~Q(guardian_name="") | ~Q(guardian_email="")).exists()
        or GuardianConsent.objects.filter(enrollment__user=user).exclude(guardian_email="").exists()
    )


def due_for(user, *, on, held=None):
    """What is due for ``user`` on ``on`` (a Due), or None."""
    held = _held_user_ids() if held is None else held
    if user.pk in held:
        return None
    closed_on = last_closed_on(user)
    if closed_on is None:
        return None
    if not is_anonymised(user):
        until, reason = keep_until(user, closed_on)
        return Due(user.pk, STAGE_PERSON, reason, closed_on) if on >= until else None
    safeguarding_until = add_years(closed_on, settings.RETENTION_SAFEGUARDING_YEARS)
    if on >= safeguarding_until and _guardian_details_left(user):
        reason = f"last enrollment closed {closed_on}, {settings.RETENTION_SAFEGUARDING_YEARS} years"
        return Due(user.pk, STAGE_SAFEGUARDING, reason, closed_on)
    return None


def retention_due(*, on=None):
    """Everyone past the policy on ``on`` (default today), as Due rows, by user id."""
    on = on or timezone.localdate()
    held = _held_user_ids()
    due = (due_for(user, on=on, held=held) for user in _candidates())
    return [d for d in due if d is not None]


def _scrub_answers(value):
    """Survey answers without free text: the numbers and yes/no answers the reports read stay."""
    if isinstance(value, dict):
        return {k: _scrub_answers(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list):
        return [_scrub_answers(v) for v in value if not isinstance(v, str)]
    return value


def _redact_outbox(*, email, names):
    """Emails to the person go; others that name them (a partner's match email) lose the name."""
    OutboundEmail.objects.filter(to__iexact=email).delete()
    patterns = [re.escape(email)] + [r"\m" + re.escape(name) + r"\M" for name in names if name]
    for pattern in patterns:
        for row in OutboundEmail.objects.filter(Q(body__iregex=pattern) | Q(subject__iregex=pattern)):
            row.subject = re.sub(_py(pattern), "[erased]", row.subject, flags=re.IGNORECASE)
            row.body = re.sub(_py(pattern), "[erased]", row.body, flags=re.IGNORECASE)
            row.save(update_fields=["subject", "body"])


def _py(pattern):
    # PostgreSQL's word boundaries (\m, \M) in Python's spelling.
    return pattern.replace(r"\m", r"\b").replace(r"\M", r"\b")


def _erase_guardians(user):
    Enrollment.objects.filter(user=user).update(guardian_name="", guardian_email="")
    GuardianConsent.objects.filter(enrollment__user=user).update(
        guardian_name="", guardian_email="", signed_name="", relationship=""
    )


def _erase_person(user):
    profile = Profile.objects.get(user=user)
    names = {profile.display_name.strip(), user.first_name.strip(), user.last_name.strip()}
    names.add(user.get_full_name().strip())
    old_email = user.email

    Profile.objects.filter(pk=profile.pk).update(
        display_name="", pronouns="", bio="", date_of_birth=None, date_of_birth_changed_at=None,
        gender="", area="", latitude=None, longitude=None, phone="", partner_gender="",
        partner_age_band="", availability=0, email_reminders=False,
    )  # fmt: skip
    for tags in (profile.languages, profile.interests, profile.skills, profile.goals):
        tags.clear()

    enrollments = Enrollment.objects.filter(user=user)
    enrollments.update(motivation="", heard_about_detail="", area_name="")
    Answer.objects.filter(enrollment__user=user).update(text="")
    Invitation.objects.filter(Q(enrollment__user=user) | Q(email__iexact=old_email)).update(
        email=erased_email(user.pk)
    )
    MatchRequest.objects.filter(mentee__user=user).update(message="")
    Match.objects.filter(closed_by=user).update(closure_notes="")
    CheckIn.objects.filter(logged_by=user).exclude(notes="").update(notes="")
    GoalNote.objects.filter(author=user).update(text="")
    for response in SurveyResponse.objects.filter(respondent=user):
        response.text = ""
        response.answers = _scrub_answers(response.answers)
        response.save(update_fields=["text", "answers"])

    CalendarFeed.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _redact_outbox(email=old_email, names=sorted(n for n in names if n))
    # The admin's history names the objects it changed ("ann@example.org", "Ann's profile").
    for obj in (user, profile):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).update(object_repr=erased_email(user.pk))

    # The unusable password also changes the session hash: every open session of theirs ends.
    user.set_unusable_password()
    User.objects.filter(pk=user.pk).update(
        email=erased_email(user.pk), first_name="", last_name="", is_active=False, password=user.password
    )


def person_anonymise(*, user, by=None, on=None):
    """Apply what is due for ``user`` on ``on``: their personal data (and, once safeguarding
    retention is past too, their guardians' details). Returns the Due applied, or None when nothing
    was due; so a second run, or a run overlapping this one, does nothing."""
    on = on or timezone.localdate()
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("profile").get(pk=user.pk)
        due = due_for(user, on=on)
        if due is None:
            return None
        if due.stage == STAGE_PERSON:
            _erase_person(user)
            if on >= add_years(due.closed_on, settings.RETENTION_SAFEGUARDING_YEARS):
                _erase_guardians(user)
            summary = "personal data"
        else:
            _erase_guardians(user)
            summary = "guardian details (safeguarding retention past)"
        audit_record(actor=by, action="person.anonymised", target=user, summary=summary)
    return due


def retention_apply(*, on=None, by=None):
    """The nightly sweep: each due person anonymised on their own (one failure stops no other)."""
    on = on or timezone.localdate()
    done = []
    for due in retention_due(on=on):
        try:
            applied = person_anonymise(user=User(pk=due.user_id), by=by, on=on)
        except Exception:
            logger.exception("retention: user #%s could not be anonymised", due.user_id)
            continue
        if applied is not None:
            done.append(applied)
    return done


def person_erase(*, user, by):
    """Erasure on request: anonymise ``user`` now rather than when the policy says, as far as the
    policy allows. Refused (ValidationError) while they take part (an open enrollment or match),
    are under a hold or an open concern, or hold a role of the organisation. Safeguarding records
    and the guardians' details stay for their own retention. Returns False if already erased."""
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("profile").get(pk=user.pk)
        if is_anonymised(user):
            return False
        if user.pk in _organisation_user_ids():
            raise ValidationError("Staff, coordinators and safeguarding leads are not erased this way.")
        if user.pk in _held_user_ids():
            raise ValidationError("A retention hold or an open concern keeps this person's data.")
        if Enrollment.objects.filter(user=user).exists() and last_closed_on(user) is None:
            raise ValidationError("This person still takes part: close their enrollments and matches first.")
        _erase_person(user)
        audit_record(actor=by, action="person.anonymised", target=user, summary="personal data, on request")
    return True
