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
- An account that never applied (no enrollment) is anonymised RETENTION_UNUSED_ACCOUNT_YEARS after
  it was last used (its last log-in, or the day it was made if it never logged in).
- Messages (``messages_expire``): a pair's conversation is deleted RETENTION_ADULT_YEARS after its
  match closed, and any conversation of a person once they are anonymised; a message reported in a
  concern stays with the concern (a safeguarding record).
- Nobody with an open enrollment or match, an unresolved concern about them (raised about their
  match or their enrollment) or a staff RetentionHold is touched. Staff, superusers, coordinators
  (the group, or a program's) and safeguarding leads are never candidates: their accounts are the
  organisation's.

Anonymising keeps every row the KPIs count (enrollments and their status history, matches,
check-ins with their dates and ratings, surveys' numbers, goals): it blanks what identifies the
person and the free text they wrote, and removes their login. The steps are in
``evaluation.erasure``; staff erase a person on request from their page (``person_erase``, with
``erasure_preview`` showing first what would go and what stays).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluation import erasure, personal_data
from evaluation.erasure import ERASED_DOMAIN, erased_email
from evaluation.models import RetentionHold
from matching.models import (
    OPEN_MATCH_STATUSES,
    Concern,
    ConcernNote,
    ConcernStatus,
    Conversation,
    Match,
    MatchStatus,
    Message,
)
from mentorship.models import ADULT_AGE, COORDINATORS_GROUP, User
from mentorship.services import audit_record
from programs.models import Enrollment, EnrollmentStatus, GuardianConsent, ScreeningRecord

logger = logging.getLogger(__name__)

STAGE_PERSON = "person"
STAGE_UNUSED = "unused"
STAGE_SAFEGUARDING = "safeguarding"


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
    closed_on: dt.date  # when the clock started: the last enrollment closed, or the account was last used


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
            | Q(groups__name=COORDINATORS_GROUP)
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


def _unused_candidates(on):
    """Accounts that never applied, hold no role of the organisation, are not anonymised yet and
    were last used (a day) past RETENTION_UNUSED_ACCOUNT_YEARS before ``on``: a cheap first cut,
    ``due_for`` decides (the day after the cut-off is let through for 29 February)."""
    cutoff = add_years(on, -settings.RETENTION_UNUSED_ACCOUNT_YEARS) + dt.timedelta(days=1)
    return (
        User.objects.filter(enrollments__isnull=True)
        .exclude(pk__in=_organisation_user_ids())
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .alias(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__date__lte=cutoff)
        .select_related("profile")
        .order_by("pk")
    )


def _guardian_details_left(user):
    return (
        Enrollment.objects.filter(user=user).filter(~Q(guardian_name="") | ~Q(guardian_email="")).exists()
        or GuardianConsent.objects.filter(enrollment__user=user).exclude(guardian_email="").exists()
    )


def last_seen_on(user):
    """The day the account was last used: its last log-in, or the day it was made if never."""
    return timezone.localdate(user.last_login or user.date_joined)


def _unused_due(user, on):
    """An account that never applied is anonymised RETENTION_UNUSED_ACCOUNT_YEARS after it was
    last used; an account of the organisation never is."""
    if is_anonymised(user) or user.pk in _organisation_user_ids():
        return None
    seen = last_seen_on(user)
    years = settings.RETENTION_UNUSED_ACCOUNT_YEARS
    if on < add_years(seen, years):
        return None
    how = "last signed in" if user.last_login else "made, never signed in,"
    return Due(user.pk, STAGE_UNUSED, f"never applied; {how} {seen}, {years} years", seen)


def due_for(user, *, on, held=None):
    """What is due for ``user`` on ``on`` (a Due), or None."""
    held = _held_user_ids() if held is None else held
    if user.pk in held:
        return None
    if not Enrollment.objects.filter(user=user).exists():
        return _unused_due(user, on)
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
    people = sorted({*_candidates(), *_unused_candidates(on)}, key=lambda user: user.pk)
    due = (due_for(user, on=on, held=held) for user in people)
    return [d for d in due if d is not None]


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
        if due.stage == STAGE_UNUSED:
            erasure.erase_person(user)
            summary = "personal data (an account never used to apply)"
        elif due.stage == STAGE_PERSON:
            erasure.erase_person(user)
            if on >= add_years(due.closed_on, settings.RETENTION_SAFEGUARDING_YEARS):
                erasure.erase_guardians(user)
            summary = "personal data"
        else:
            erasure.erase_guardians(user)
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
    deleted = messages_expire(on=on)
    if deleted:
        logger.info("retention: %s messages deleted", deleted)
    return done


MESSAGES_PER_DELETE = 1000


def expired_conversations(*, on):
    """The conversations whose messages the policy removes on ``on``: a pair's, once its match was
    closed RETENTION_ADULT_YEARS ago; any, once a person in it is anonymised."""
    cutoff = add_years(on, -settings.RETENTION_ADULT_YEARS)
    erased = f"@{ERASED_DOMAIN}"
    return Conversation.objects.filter(
        Q(match__status=MatchStatus.CLOSED, match__ended_on__lte=cutoff)
        | Q(
            match__status=MatchStatus.CLOSED,
            match__ended_on__isnull=True,
            match__closed_at__date__lte=cutoff,
        )
        | Q(match__mentee__user__email__endswith=erased)
        | Q(match__mentor__user__email__endswith=erased)
        | Q(enrollment__user__email__endswith=erased)
    )


def messages_expire(*, on=None):
    """Delete the messages of ``expired_conversations`` but those reported in a concern, a batch at
    a time (a city's history is large); returns how many went. Running it again deletes nothing."""
    on = on or timezone.localdate()
    expired = expired_conversations(on=on).values("pk")
    doomed = (
        Message.objects.filter(conversation_id__in=Subquery(expired))
        .exclude(Exists(Concern.objects.filter(message=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = 0
    while ids := list(doomed[:MESSAGES_PER_DELETE]):
        with transaction.atomic():
            total += Message.objects.filter(pk__in=ids).delete()[0]
    if total:
        newest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-pk").values("created_at")[:1]
        Conversation.objects.filter(pk__in=Subquery(expired)).update(last_message_at=Subquery(newest))
    return total


def erase_refusal(user):
    """Why erasure on request is refused for ``user`` now, or None when it may go ahead."""
    if user.pk in _organisation_user_ids():
        return "Staff, coordinators and safeguarding leads are not erased this way."
    if user.pk in _held_user_ids():
        return "A retention hold or an open concern keeps this person's data."
    if Enrollment.objects.filter(user=user).exists() and last_closed_on(user) is None:
        return "This person still takes part: close their enrollments and matches first."
    return None


def person_erase(*, user, by):
    """Erasure on request: anonymise ``user`` now rather than when the policy says, as far as the
    policy allows. Refused (ValidationError, see ``erase_refusal``) while they take part (an open
    enrollment or match), are under a hold or an open concern, or hold a role of the organisation.
    Safeguarding records and the guardians' details stay for their own retention. Returns False if
    already erased."""
    with transaction.atomic():
        user = User.objects.select_for_update(of=("self",)).select_related("profile").get(pk=user.pk)
        if is_anonymised(user):
            return False
        refusal = erase_refusal(user)
        if refusal:
            raise ValidationError(refusal)
        erasure.erase_person(user)
        audit_record(actor=by, action="person.anonymised", target=user, summary="personal data, on request")
    return True


# --- The staff's erasure preview ----------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    what: str
    rows: int


@dataclass(frozen=True)
class ErasurePreview:
    """What ``person_erase`` would do to a person now, from the code that does it: ``erased``
    (erasure's own steps, with the person's counts), ``kept`` (the rest of the person's data, as
    the data download finds it: anonymised, it keeps the KPIs), ``safeguarding`` (records kept for
    their own retention, until ``safeguarding_until``, then ``guardian_later`` goes), and
    ``refusal`` (why it would be refused, or None)."""

    refusal: str | None
    erased: list
    kept: list
    safeguarding: list
    guardian_later: list
    safeguarding_until: dt.date | None


SAFEGUARDING_MODELS = (ScreeningRecord, GuardianConsent)


def _safeguarding_counts(user):
    about = Q(enrollment__user=user) | Q(match__mentee__user=user) | Q(match__mentor__user=user)
    concerns = Concern.objects.filter(about).distinct()
    counts = [
        Count("Screening records", ScreeningRecord.objects.filter(enrollment__user=user).count()),
        Count("Guardian consents", GuardianConsent.objects.filter(enrollment__user=user).count()),
        Count("Safeguarding concerns", concerns.count()),
        Count("Notes on those concerns", ConcernNote.objects.filter(concern__in=concerns).count()),
    ]
    return [c for c in counts if c.rows]


def erasure_preview(user):
    erased = erasure.plan(user)
    kept = [
        Count(part.label(), rows)
        for part, rows in personal_data.counts(user)
        if part.personal
        and part.model not in erasure.DELETED_MODELS
        and part.model not in SAFEGUARDING_MODELS
    ]
    closed_on = last_closed_on(user)
    until = add_years(closed_on, settings.RETENTION_SAFEGUARDING_YEARS) if closed_on else None
    return ErasurePreview(
        refusal=erase_refusal(user),
        erased=erased,
        kept=[c for c in kept if c.rows],
        safeguarding=_safeguarding_counts(user),
        guardian_later=erasure.plan(user, erasure.GUARDIAN_STEPS),
        safeguarding_until=until,
    )
