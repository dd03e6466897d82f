"""A group's life between placements: its sessions (planned, changed, cancelled), the attendance and
check-in of each session, the members' feedback on the sessions they came to, and shared goals.

The rules, in one place (views only translate the refusals):

- Those who run the group (matching.group_access.runs_group: the program's coordinators and staff,
  the group's current leaders) plan, change and cancel sessions, take attendance and set goals.
- New or changed times only while the group is not closed; a time is in the future, at most a year
  ahead, 15 minutes to 8 hours long; a session has a place, an online link (http/https) or both.
- Every change that reaches calendars raises ``sequence``: a plan emails each current member and
  leader an invitation (matching/group_calendar.py), an edit an update (same UID), a cancellation a
  METHOD:CANCEL. Emails name the group, never a person; in a program that may have minors they
  carry no agenda (free text), only when, how long and where.
- Attendance is taken from the session's start on, per current member (present or absent), with
  the session's check-in (``held``, ``notes``); taking it again updates it. A session that was not
  held has nobody present.
- A member who was present rates the session 1-5 (with words, if they like), once; again updates it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from matching import group_calendar
from matching.group_access import current_membership, runs_group
from matching.meetings import clean_time
from matching.models import (
    Group,
    GroupAttendance,
    GroupFeedback,
    GroupGoal,
    GroupGoalStatus,
    GroupMember,
    GroupSession,
    GroupStatus,
    SessionStatus,
)
from mentorship.services import audit_record, email_queue
from programs.limited import limited_first_name

PLACE_LIMIT, LINK_LIMIT, AGENDA_LIMIT, NOTES_LIMIT, FEEDBACK_LIMIT, GOAL_LIMIT = (
    300,
    500,
    3000,
    3000,
    2000,
    200,
)

# --- Checks -------------------------------------------------------------------------------------


def _check_runs(group, by):
    if not runs_group(by, group):
        raise PermissionDenied("Only the group's leaders and the program's coordinators do this.")


def _lock_group(group):
    """Lock the group row and refresh its status (a coordinator closing it waits, or is waited for)."""
    group.status = (
        Group.objects.select_for_update().filter(pk=group.pk).values_list("status", flat=True).get()
    )


def _check_open(group):
    if group.status == GroupStatus.CLOSED:
        raise ValidationError("This group is closed: its sessions and goals can no longer change.")


def _lock_session(session):
    fresh = GroupSession.objects.select_for_update().get(pk=session.pk)
    fresh.group = session.group
    return fresh


def _clean_text(value, *, field, limit, one_line=False):
    value = (value or "").strip()
    if one_line:
        value = " ".join(value.split())
    if len(value) > limit:
        raise ValidationError({field: f"Keep it to {limit} characters at most (it has {len(value)})."})
    return value


def _clean_where(place, link):
    place = _clean_text(place, field="place", limit=PLACE_LIMIT, one_line=True)
    link = _clean_text(link, field="link", limit=LINK_LIMIT, one_line=True)
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {"link": "An online link is a web address starting with https:// (or http://)."}
            ) from None
    if not (place or link):
        raise ValidationError({"place": "Say where the group meets: a place, an online link, or both."})
    return place, link


# --- Emails -------------------------------------------------------------------------------------


def _people(group):
    """The current leaders and members with an open account: (user, membership)."""
    rows = GroupMember.objects.current().filter(group=group, enrollment__user__is_active=True)
    return [(m.enrollment.user, m) for m in rows.select_related("enrollment__user__profile")]


def _tell(session, template, *, calendar=""):
    group = session.group
    private = group.program.may_have_minors
    for user, membership in _people(group):
        email_queue(
            to=user.email,
            template=template,
            context={
                "session": session,
                "group": group,
                "program": group.program,
                "name": limited_first_name(membership.enrollment),
                "is_leader": membership.is_leader,
                "agenda": "" if private else session.agenda,
                "session_url": group_calendar.session_url(session),
            },
            topic=f"group-session:{session.pk}:{session.sequence}",
            calendar=calendar,
        )


# --- Sessions -----------------------------------------------------------------------------------


@transaction.atomic
def session_plan(*, group, by, starts_at, duration_minutes=90, place="", link="", agenda=""):
    """A leader or coordinator plans a session: every member and leader gets the invitation."""
    _check_runs(group, by)
    _lock_group(group)
    _check_open(group)
    now = timezone.now()
    clean_time(starts_at, duration_minutes, now=now, what="session")
    place, link = _clean_where(place, link)
    session = GroupSession.objects.create(
        group=group,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        link=link,
        agenda=_clean_text(agenda, field="agenda", limit=AGENDA_LIMIT),
        created_by=by,
        created_at=now,
    )
    audit_record(actor=by, action="group_session.planned", target=session, summary=f"group {group.pk}")
    _tell(session, "group_session_planned", calendar=group_calendar.invitation(session, method="REQUEST"))
    return session


@transaction.atomic
def session_edit(*, session, by, starts_at, duration_minutes, place="", link="", agenda=""):
    """A planned session changes (time, place, link, agenda): everyone gets the update (same UID,
    higher SEQUENCE). A new time is reminded of again."""
    group = session.group
    _check_runs(group, by)
    _lock_group(group)
    _check_open(group)
    session = _lock_session(session)
    if session.is_cancelled:
        raise ValidationError("This session is cancelled: plan a new one instead.")
    now = timezone.now()
    if session.starts_at <= now:
        raise ValidationError("This session has begun: plan a new one instead.")
    clean_time(starts_at, duration_minutes, now=now, what="session")
    place, link = _clean_where(place, link)
    if starts_at != session.starts_at:
        session.reminded_at = None
    session.starts_at, session.duration_minutes = starts_at, duration_minutes
    session.place, session.link = place, link
    session.agenda = _clean_text(agenda, field="agenda", limit=AGENDA_LIMIT)
    session.sequence += 1
    session.save(
        update_fields=["starts_at", "duration_minutes", "place", "link", "agenda", "sequence", "reminded_at"]
    )
    audit_record(actor=by, action="group_session.changed", target=session, summary=f"group {group.pk}")
    _tell(session, "group_session_changed", calendar=group_calendar.invitation(session, method="REQUEST"))
    return session


@transaction.atomic
def session_cancel(*, session, by):
    """A session that has not begun is called off: calendars that hold it drop it."""
    group = session.group
    _check_runs(group, by)
    _lock_group(group)
    session = _lock_session(session)
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled.")
    if session.starts_at <= timezone.now():
        raise ValidationError(
            "This session has begun: take its attendance instead (it can say it was not held)."
        )
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence"])
    audit_record(actor=by, action="group_session.cancelled", target=session, summary=f"group {group.pk}")
    _tell(session, "group_session_cancelled", calendar=group_calendar.invitation(session, method="CANCEL"))
    return session


# --- Attendance and the session's check-in ------------------------------------------------------


def attendance_rows(session):
    """The current members of the session's group, each with ``present`` (True, False, or None when
    attendance was not taken for them), in one query plus one."""
    members = list(
        GroupMember.objects.current()
        .members()
        .filter(group_id=session.group_id)
        .select_related("enrollment__user__profile")
    )
    taken = dict(GroupAttendance.objects.filter(session=session).values_list("enrollment_id", "present"))
    for member in members:
        member.present = taken.get(member.enrollment_id)
    return members


@transaction.atomic
def attendance_take(*, session, by, present, held=True, notes=""):
    """Attendance (``present``: the enrollment ids of the members who came) and the check-in.
    From the session's start on; again, it updates. Someone no longer in the group keeps their row."""
    group = session.group
    _check_runs(group, by)
    _lock_group(group)
    session = _lock_session(session)
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: there is no attendance to take.")
    now = timezone.now()
    if session.starts_at > now:
        raise ValidationError("Attendance is taken from the session's start.")
    if held is None:
        raise ValidationError({"held": "Say whether the session was held."})
    present = {int(pk) for pk in present or ()}
    member_ids = list(
        GroupMember.objects.current().members().filter(group=group).values_list("enrollment_id", flat=True)
    )
    strangers = present - set(member_ids)
    if strangers:
        raise ValidationError("Only the group's current members can be marked present.")
    rows = [
        GroupAttendance(session=session, enrollment_id=pk, present=held and pk in present)
        for pk in member_ids
    ]
    GroupAttendance.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["session", "enrollment"], update_fields=["present"]
    )
    first = session.attendance_taken_at is None
    session.held = held
    session.notes = _clean_text(notes, field="notes", limit=NOTES_LIMIT)
    session.attendance_taken_at, session.attendance_taken_by = now, by
    session.save(update_fields=["held", "notes", "attendance_taken_at", "attendance_taken_by"])
    came = sum(1 for row in rows if row.present)
    audit_record(
        actor=by,
        action="group_session.attendance" if first else "group_session.attendance_changed",
        target=session,
        summary=f"{'held' if held else 'not held'}; {came} of {len(rows)} present",
    )
    return session


# --- Feedback -----------------------------------------------------------------------------------


def may_give_feedback(user, session):
    """The member's current membership, if they were marked present at ``session``; else None."""
    membership = current_membership(user, session.group)
    if membership is None or membership.is_leader:
        return None
    came = GroupAttendance.objects.filter(
        session=session, enrollment_id=membership.enrollment_id, present=True
    ).exists()
    return membership if came else None


@transaction.atomic
def feedback_give(*, session, by, rating, text=""):
    """A member who was present rates the session; a second time updates their rating."""
    membership = may_give_feedback(by, session)
    if membership is None:
        raise PermissionDenied("Only the members who came to this session rate it.")
    if rating not in range(1, 6):
        raise ValidationError({"rating": "Choose a rating from 1 to 5."})
    feedback, _ = GroupFeedback.objects.update_or_create(
        session=session,
        enrollment_id=membership.enrollment_id,
        defaults={
            "rating": rating,
            "text": _clean_text(text, field="text", limit=FEEDBACK_LIMIT),
            "submitted_at": timezone.now(),
        },
    )
    return feedback


# --- Shared goals -------------------------------------------------------------------------------


@transaction.atomic
def goal_add(*, group, by, title, target_date=None):
    _check_runs(group, by)
    _lock_group(group)
    _check_open(group)
    title = _clean_text(title, field="title", limit=GOAL_LIMIT, one_line=True)
    if not title:
        raise ValidationError({"title": "Name the goal."})
    goal = GroupGoal.objects.create(group=group, title=title, target_date=target_date, created_by=by)
    audit_record(actor=by, action="group_goal.added", target=goal, summary=f"group {group.pk}")
    return goal


@transaction.atomic
def goal_set_status(*, goal, by, status):
    group = goal.group
    _check_runs(group, by)
    _lock_group(group)
    _check_open(group)
    if status not in GroupGoalStatus.values:
        raise ValidationError("Choose what the goal's status becomes.")
    goal.status = status
    goal.completed_at = timezone.now() if status == GroupGoalStatus.DONE else None
    goal.save(update_fields=["status", "completed_at"])
    return goal
