"""Messages: a conversation's page (read, write), its polling fragment, the links that open the
pair's or a participant's conversation, releasing a held message, reporting one, and the
coordinators' inbox of a program.

Who may open what is matching.access (get_conversation_for, get_message_for: 404 otherwise); who
may write and when is matching.messaging.rules, enforced by the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching import inbox
from matching.access import get_conversation_for, get_enrollment_for_messages, get_match_for, get_message_for
from matching.messaging import rules, services
from matching.messaging.display import (
    HELD_FOR_SENDER,
    HELD_FOR_SENDER_IN_GROUP,
    Viewer,
    entries_for,
    entry_for,
    items_html,
)
from matching.messaging.forms import MessageForm, ReportForm
from matching.models import ConversationKind
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.services import audit_record
from mentorship.web import act, error_text
from programs.access import get_program_for
from programs.limited import limited_name

INBOX_PAGE = 25
REPORTED = "Thank you. The program's safeguarding leads have been told at once and will read the message."


def _conversation_url(conversation, message=None):
    url = reverse("matching:conversation", args=[conversation.pk])
    return f"{url}#m{message.pk}" if message is not None else url


def _number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _about(conversation, viewer):
    """The page's title, a line about who reads it, and the way back."""
    mine = rules.is_participant(conversation, viewer.user)
    program = conversation.program
    if conversation.kind == ConversationKind.PAIR:
        match = conversation.match
        if mine:
            title = f"Messages with {limited_name(match.partner_of(viewer.user))}"
        else:
            title = f"Messages between {match.mentor.user.display_name} and {match.mentee.user.display_name}"
        subtitle = f"Your match in {program.name}" if mine else "The pair's conversation"
        return {"title": title, "subtitle": subtitle, "back_url": match.get_absolute_url(),
                "back_label": "The match page"}  # fmt: skip
    if conversation.kind == ConversationKind.GROUP:
        group = conversation.group
        return {"title": f"Messages in {group.name}", "subtitle": f"The group's conversation, {program.name}",
                "back_url": group.get_absolute_url(), "back_label": "The group's page"}  # fmt: skip
    enrollment = conversation.enrollment
    if mine:
        return {"title": "Messages with your coordinators", "subtitle": program.name,
                "back_url": enrollment.get_absolute_url(), "back_label": "Your application"}  # fmt: skip
    return {
        "title": f"Messages with {enrollment.user.display_name}",
        "subtitle": f"{enrollment.get_role_display()} in {program.name}, with the program's coordinators",
        "back_url": reverse("programs:applicant", args=[program.slug, enrollment.pk]),
        "back_label": "Their application",
    }


def _with_coordinators(conversation):
    return conversation.kind == ConversationKind.COORDINATORS


def _viewer(request, conversation):
    return Viewer(
        request.user, manages=rules.manages(conversation, request.user), in_group=conversation.is_group
    )


def _about_a_minor(conversation):
    if conversation.kind == ConversationKind.PAIR:
        mentee = conversation.match.mentee
    elif conversation.kind == ConversationKind.GROUP:
        return conversation.program.may_have_minors
    else:
        mentee = conversation.enrollment if conversation.enrollment.role == "mentee" else None
    return mentee is not None and mentee.user.profile.is_minor()


def _thread_page(request, conversation, form, *, status=200):
    viewer = _viewer(request, conversation)
    before = _number(request.GET.get("before"))
    rows, has_older = inbox.thread(conversation, before=before)
    if rows:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to=rows[-1].pk)
    if (
        request.method == "GET"
        and not rules.is_participant(conversation, request.user)
        and _about_a_minor(conversation)
    ):
        # A minor's messages read by someone running the program: on the audit trail, each time.
        audit_record(actor=request.user, action="conversation.viewed", target=conversation, request=request)
    context = {
        "conversation": conversation,
        "viewer": viewer,
        "about": _about(conversation, viewer),
        "has_entries": bool(rows),
        "items_html": items_html(entries_for(rows, viewer), viewer, csrf_token=get_token(request)),
        "has_older": has_older,
        "first_id": rows[0].pk if rows else None,
        "last_id": rows[-1].pk if rows else 0,
        "before": before,
        "form": form,
        "write_problem": rules.write_problem(conversation),
        "holds": conversation.program.holds_contact_details and not _with_coordinators(conversation),
    }
    if viewer.manages:
        context["program"] = conversation.program  # the program's menu
    return render(request, "matching/conversation.html", context, status=status)


@login_required
def conversation(request, pk):
    """The thread (newest 100, older behind a link) and the message box; a POST sends."""
    conversation = get_conversation_for(request.user, pk)
    if request.method != "POST":
        return _thread_page(request, conversation, MessageForm())
    form = MessageForm(request.POST)
    if form.is_valid():
        body, me = form.cleaned_data["body"], request.user
        try:
            message = submit_once(
                form, me, lambda: services.message_send(conversation=conversation, by=me, body=body)
            )
        except AlreadySubmitted:
            return redirect(_conversation_url(conversation))
        except (ValidationError, PermissionDenied) as error:
            form.add_error("body", error_text(error))
        else:
            if message.held:
                messages.info(request, HELD_FOR_SENDER_IN_GROUP if conversation.is_group else HELD_FOR_SENDER)
            return redirect(_conversation_url(conversation, message))
    return _thread_page(request, conversation, form, status=400)


@login_required
@never_cache
def conversation_new(request, pk):
    """For the page's script: the messages after ``?after=<id>``, as JSON: ``html`` (their list
    items, rendered as on the page; "" when there are none) and ``last_id``. What it answers is
    read, as on the page. JSON rather than a bare fragment, so that nobody opens half a page."""
    conversation = get_conversation_for(request.user, pk)
    after = _number(request.GET.get("after")) or 0
    rows = inbox.new_messages(conversation, after=after)
    viewer = _viewer(request, conversation)
    if rows:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to=rows[-1].pk)
    html = items_html(entries_for(rows, viewer), viewer, csrf_token=get_token(request))
    return JsonResponse({"html": html.strip(), "last_id": rows[-1].pk if rows else after})


@login_required
def match_messages(request, pk):
    """The pair's conversation of a match (made on first use), for the pair and its coordinators."""
    match = get_match_for(request.user, pk)
    return redirect(_conversation_url(services.conversation_for_match(match=match)))


@login_required
def enrollment_messages(request, pk):
    """A participant's conversation with the coordinators (made on first use): their own, or, for a
    coordinator, one of their program's participants."""
    enrollment = get_enrollment_for_messages(request.user, pk)
    return redirect(_conversation_url(services.conversation_for_enrollment(enrollment=enrollment)))


@login_required
@require_POST
def message_release(request, pk):
    message = get_message_for(request.user, pk, manage=True)
    act(
        request,
        lambda: services.message_release(message=message, by=request.user),
        done="Released: the partner now reads the whole message.",
    )
    return redirect(_conversation_url(message.conversation, message))


@login_required
def message_report(request, pk):
    """Any reader but its sender reports a message: it becomes a safeguarding concern."""
    message = get_message_for(request.user, pk)
    if message.sender_id == request.user.pk:
        raise Http404("No such message.")
    conversation = message.conversation
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(
                form,
                request.user,
                lambda: services.message_report(message=message, by=request.user, **data),
            )
        except AlreadySubmitted:
            pass
        except ValidationError as error:
            form.add_error(None, error)
        if not form.errors:
            messages.success(request, REPORTED)
            return redirect(_conversation_url(conversation))
    viewer = _viewer(request, conversation)
    return render(
        request,
        "matching/conversation_report.html",
        {"form": form, "entry": entry_for(message, viewer), "conversation": conversation, "viewer": viewer},
        status=400 if form.errors else 200,
    )


@login_required
def program_inbox(request, slug):
    """Every conversation of the program, newest first, with this coordinator's unread counts."""
    program = get_program_for(request.user, slug, manage=True)
    kind = request.GET.get("kind", "")
    filters = inbox.InboxFilter(
        kind=kind if kind in ConversationKind.values else "", unread_only=bool(request.GET.get("unread"))
    )
    rows = inbox.program_inbox(program, request.user, filters)
    page = Paginator(rows, INBOX_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"program": program, "page": page, "filters": filters, "kinds": ConversationKind.choices}
    return render(request, "matching/conversation_inbox.html", {**context, "query": query.urlencode()})
