"""A group's sessions: plan one, its page (agenda, where, attendance, the members' feedback), change
or cancel it, take attendance (a page built for a phone) and rate it.

Every page loads through matching.group_access (404 for strangers and former members; running a
session, for a member, is 404 too: they do not see those pages). The rules are
matching/group_sessions.py.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from matching import group_sessions as services
from matching.group_access import get_group_for, get_session_for
from matching.group_session_forms import (
    HELD_CHOICES,
    AttendanceForm,
    FeedbackForm,
    SessionForm,
    session_initial,
)
from matching.models import GroupAttendance, GroupFeedback
from matching.views.groups import Viewer
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import act, error_text, form_errors

ALREADY_SENT = "That form was already sent: it is saved once."


def _program(viewer, group):
    return group.program if viewer.manages else None


def _session_form_page(request, group, form, *, session=None, status=200):
    viewer = Viewer(request.user, group)
    context = {"group": group, "session": session, "form": form, "program": _program(viewer, group)}
    return render(request, "matching/groups/session_form.html", context, status=status)


def _save_session(request, group, form, write, done, *, session=None):
    if form.is_valid():
        try:
            result = submit_once(form, request.user, partial(write, **form.session_fields()))
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
            return redirect(group.get_absolute_url())
        except (ValidationError, PermissionDenied) as error:
            form_errors(form, error) if isinstance(error, ValidationError) else form.add_error(
                None, error_text(error)
            )
        else:
            messages.success(request, done)
            return redirect("matching:group_session", pk=result.pk)
    return _session_form_page(request, group, form, session=session, status=400)


@login_required
def group_session_new(request, pk):
    group = get_group_for(request.user, pk, run=True)
    private = group.program.may_have_minors
    if request.method != "POST":
        return _session_form_page(request, group, SessionForm(private=private))
    form = SessionForm(request.POST, private=private)
    write = partial(services.session_plan, group=group, by=request.user)
    return _save_session(
        request,
        group,
        form,
        write,
        "The session is planned: everyone in the group gets an invitation by email.",
    )


@login_required
def group_session_edit(request, pk):
    session = get_session_for(request.user, pk, run=True)
    group = session.group
    private = group.program.may_have_minors
    if request.method != "POST":
        form = SessionForm(initial=session_initial(session), private=private)
        return _session_form_page(request, group, form, session=session)
    form = SessionForm(request.POST, private=private)
    write = partial(services.session_edit, session=session, by=request.user)
    return _save_session(
        request, group, form, write, "Saved: everyone in the group gets the update by email.", session=session
    )


@login_required
def group_session_cancel(request, pk):
    """A confirm page; its POST cancels."""
    session = get_session_for(request.user, pk, run=True)
    if request.method == "POST":
        done = act(
            request,
            lambda: services.session_cancel(session=session, by=request.user),
            done="The session is cancelled: everyone in the group is told by email.",
        )
        return redirect("matching:group_session", pk=session.pk) if done is None else redirect(session.group)
    viewer = Viewer(request.user, session.group)
    context = {"session": session, "group": session.group, "program": _program(viewer, session.group)}
    return render(request, "matching/groups/session_cancel.html", context)


def _feedback_summary(session):
    return GroupFeedback.objects.filter(session=session).aggregate(average=Avg("rating"), count=Count("pk"))


@login_required
def group_session(request, pk):
    session = get_session_for(request.user, pk)
    group = session.group
    viewer = Viewer(request.user, group)
    context = {
        "session": session,
        "group": group,
        "viewer": viewer,
        "program": _program(viewer, group),
        "started": session.starts_at <= timezone.now(),
    }
    if session.attendance_taken_at:
        rows = GroupAttendance.objects.filter(session=session).select_related("enrollment__user__profile")
        rows = list(rows.order_by("pk"))
        context["present_count"], context["marked_count"] = sum(row.present for row in rows), len(rows)
        if viewer.runs:
            context["attendance"] = rows
    if viewer.runs:
        context["feedback_summary"] = _feedback_summary(session)
        context["feedback"] = list(GroupFeedback.objects.filter(session=session).order_by("-submitted_at"))
    elif viewer.is_member and services.may_give_feedback(request.user, session):
        mine = GroupFeedback.objects.filter(
            session=session, enrollment_id=viewer.membership.enrollment_id
        ).first()
        initial = {"rating": mine.rating, "text": mine.text} if mine else None
        context["feedback_form"] = FeedbackForm(initial=initial)
        context["my_feedback"] = mine
    return render(request, "matching/groups/session_page.html", context)


@login_required
def group_attendance(request, pk):
    """One big checkbox row per current member, held yes/no, notes, Save: built for a phone."""
    session = get_session_for(request.user, pk, run=True)
    group = session.group
    members = services.attendance_rows(session)
    initial = {"held": "no" if session.held is False else "yes", "notes": session.notes}
    form = AttendanceForm(request.POST or None, members=members, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.attendance_take(
                    session=session,
                    by=request.user,
                    present=form.present_ids(),
                    held=form.cleaned_data["held"] == "yes",
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "Attendance saved.")
                return redirect("matching:group_session", pk=session.pk)
    viewer = Viewer(request.user, group)
    context = {
        "session": session,
        "group": group,
        "form": form,
        "held_choices": HELD_CHOICES,
        "started": session.starts_at <= timezone.now(),
        "program": _program(viewer, group),
    }
    return render(request, "matching/groups/session_attendance.html", context, status=status)


@login_required
@require_POST
def group_feedback(request, pk):
    session = get_session_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a rating from 1 to 5.")
        return redirect("matching:group_session", pk=session.pk)
    act(
        request,
        lambda: services.feedback_give(session=session, by=request.user, **form.cleaned_data),
        done="Thank you: your leaders read the group's ratings to make the sessions better.",
    )
    return redirect("matching:group_session", pk=session.pk)
