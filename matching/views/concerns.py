"""Safeguarding concerns: raising one (from a match page, or a guardian from the link in their
emails), and the pages of the program's safeguarding leads (the list, a concern, triage).

Whoever raised a concern sees only that it was received; the concern itself is for the leads and
staff (matching.access.get_concern_for).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching import concerns as services
from matching.access import get_concern_for, get_match_for, get_program_for_lead
from matching.forms import ConcernFilter, ConcernForm, ConcernMoveForm, ConcernNoteForm
from matching.models import Concern, ConcernStatus, MatchStatus
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.services import audit_record
from mentorship.web import error_text
from programs.access import can_manage, get_current_consent_by_manage_token

PAGE_SIZE = 25


ALREADY_SENT = "That form was already sent: it is saved once."


def _received(concern):
    when = date_format(timezone.localtime(concern.created_at), "j F Y, H:i")
    return (
        f"Thank you. Your concern was received on {when}, and the program's safeguarding leads "
        "have been told at once."
    )


def _bound(request):
    return request.POST if request.method == "POST" else None


# --- Raising a concern ------------------------------------------------------------------------------


@login_required
def match_concern(request, pk):
    """The mentee, the mentor, or a coordinator of the match's program raises a concern."""
    match = get_match_for(request.user, pk)
    form = ConcernForm(_bound(request))
    if form.is_valid():
        try:
            concern = submit_once(
                form,
                request.user,
                lambda: services.concern_raise(match=match, by=request.user, **form.cleaned_data),
            )
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
            return redirect(match)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _received(concern))
            return redirect(match)
    return render(
        request,
        "matching/concern_raise.html",
        {"form": form, "match": match, "program": match.program},
        status=400 if form.errors else 200,
    )


@never_cache
def guardian_concern(request, manage_token):
    """A guardian raises a concern from the link in their emails: no account, the link is the key."""
    consent = get_current_consent_by_manage_token(manage_token)
    form = ConcernForm(_bound(request))
    if form.is_valid():
        try:
            concern = submit_once(
                form, request.user, lambda: services.concern_raise(consent=consent, **form.cleaned_data)
            )
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
            return redirect("matching:guardian_concern_received", manage_token=manage_token)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _received(concern))
            return redirect("matching:guardian_concern_received", manage_token=manage_token)
    return render(
        request,
        "matching/concern_raise.html",
        {
            "form": form,
            "consent": consent,
            "enrollment": consent.enrollment,
            "program": consent.enrollment.program,
        },
        status=400 if form.errors else 200,
    )


@never_cache
def guardian_concern_received(request, manage_token):
    consent = get_current_consent_by_manage_token(manage_token)
    return render(
        request,
        "matching/concern_received.html",
        {"consent": consent, "enrollment": consent.enrollment, "program": consent.enrollment.program},
    )


# --- The leads' pages -------------------------------------------------------------------------------


@login_required
def program_concerns(request, slug):
    program = get_program_for_lead(request.user, slug)
    queryset = (
        Concern.objects.filter(program=program)
        .select_related(
            "match__mentee__user__profile", "match__mentor__user__profile", "enrollment__user__profile"
        )
        .order_by("-created_at", "-pk")
    )
    concern_filter = ConcernFilter(request.GET or None, queryset=queryset)
    page = Paginator(concern_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matching/concern_list.html",
        {
            "program": program,
            "filter": concern_filter,
            "page": page,
            "query": query.urlencode(),
            # The program's navigation is for those who run it (a named lead may not).
            "manages": can_manage(request.user, program),
        },
    )


def _detail(request, concern, *, status=200, **forms):
    context = {
        "concern": concern,
        "program": concern.program,
        "notes": concern.notes.select_related("author__profile"),
        "move_form": forms.get("move_form") or ConcernMoveForm(concern=concern),
        "note_form": forms.get("note_form") or ConcernNoteForm(),
        # The program's navigation and the links to the match and the applicant are for those who
        # can open them (a named lead may not run the program).
        "manages": can_manage(request.user, concern.program),
        "can_pause": concern.match is not None and concern.match.status == MatchStatus.ACTIVE,
    }
    return render(request, "matching/concern_detail.html", context, status=status)


@login_required
def concern_detail(request, pk):
    concern = get_concern_for(request.user, pk)
    subject = concern.match.mentee if concern.match is not None else concern.enrollment
    if subject is not None and subject.user.profile.is_minor() and subject.user_id != request.user.pk:
        # In autocommit: if the row cannot be written, the concern is not shown.
        audit_record(actor=request.user, action="concern.viewed", target=concern, request=request)
    return _detail(request, concern)


@login_required
@require_POST
def concern_move(request, pk):
    concern = get_concern_for(request.user, pk)
    form = ConcernMoveForm(request.POST, concern=concern)
    if form.is_valid():
        try:
            services.concern_move(
                concern=concern,
                by=request.user,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The concern is {ConcernStatus(concern.status).label.lower()}.")
            return redirect(concern)
    return _detail(request, concern, status=400, move_form=form)


@login_required
@require_POST
def concern_note(request, pk):
    concern = get_concern_for(request.user, pk)
    form = ConcernNoteForm(request.POST)
    if form.is_valid():
        try:
            submit_once(
                form,
                request.user,
                lambda: services.concern_note_add(
                    concern=concern, by=request.user, text=form.cleaned_data["text"]
                ),
            )
        except AlreadySubmitted:
            messages.info(request, ALREADY_SENT)
            return redirect(concern)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your note is added.")
            return redirect(concern)
    return _detail(request, concern, status=400, note_form=form)


@login_required
def concern_pause_contact(request, pk):
    """Pause contact: a confirmation page that says what will happen, then the pause."""
    concern = get_concern_for(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.concern_pause_contact(concern=concern, by=request.user)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, "Contact is paused: the match is paused and both people see why.")
            return redirect(concern)
    can_pause = concern.match is not None and concern.match.status == MatchStatus.ACTIVE
    return render(
        request,
        "matching/concern_pause_contact.html",
        {
            "concern": concern,
            "program": concern.program,
            "can_pause": can_pause,
            "pause_reason": services.PAUSE_CONTACT_REASON,
            "error": error,
        },
        status=400 if error else 200,
    )
