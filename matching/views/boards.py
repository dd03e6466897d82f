"""Discussion boards: a program's board and a group's (topics, pinned first), a new topic, a topic's
page (its posts and the reply box), moderation (pin, lock, remove a topic or a post, release held
contact details) and reporting a post.

Who may open what is matching.boards.rules (get_board_for, get_group_board_for, get_topic_for,
get_post_for: 404 otherwise); the services check again and say why a write is refused.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from matching.boards import rules, services
from matching.boards.display import (
    HELD_FOR_AUTHOR,
    Viewer,
    board_topics,
    post_entry,
    topic_posts,
    topic_title,
)
from matching.boards.forms import PostReportForm, ReplyForm, TopicForm
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import act, error_text

TOPICS_PAGE = 20
POSTS_PAGE = 25
REPORTED = "Thank you. The program's safeguarding leads have been told at once and will read the post."


def _viewer(request, program):
    return Viewer(request.user, moderates=rules.moderates(request.user, program))


def _group_url(group):
    """The group's own page, once the groups' pages exist."""
    try:
        return group.get_absolute_url()
    except NoReverseMatch:
        return ""


def _board_url(topic_or_program, group=None):
    if hasattr(topic_or_program, "title"):
        group, program = topic_or_program.group, topic_or_program.program
    else:
        program = topic_or_program
    if group is not None:
        return reverse("matching:group_board", args=[group.pk])
    return reverse("matching:board", args=[program.slug])


def _topic_url(topic, post=None, *, last=False):
    url = reverse("matching:topic", args=[topic.pk])
    if last:
        url += "?page=last"
    return f"{url}#p{post.pk}" if post is not None else url


def _board_page(request, program, group):
    viewer = _viewer(request, program)
    page = Paginator(board_topics(program, group, viewer), TOPICS_PAGE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "group": group,
        "group_url": _group_url(group) if group is not None else "",
        "viewer": viewer,
        "page": page,
        "board_name": rules.board_name(program, group),
        "new_url": reverse("matching:group_topic_new", args=[group.pk])
        if group is not None
        else reverse("matching:topic_new", args=[program.slug]),
        "write_problem": rules.write_problem(program, group),
    }
    return render(request, "matching/boards/board.html", context)


@login_required
def board(request, slug):
    program = rules.get_board_for(request.user, slug)
    return _board_page(request, program, None)


@login_required
def group_board(request, pk):
    group = rules.get_group_board_for(request.user, pk)
    return _board_page(request, group.program, group)


def _topic_new(request, program, group):
    problem = rules.write_problem(program, group)
    form = TopicForm(request.POST if request.method == "POST" else None)
    if not problem and form.is_valid():
        data, me = form.cleaned_data, request.user
        try:
            topic = submit_once(
                form, me, lambda: services.topic_create(program=program, group=group, by=me, **data)
            )
        except AlreadySubmitted:
            return redirect(_board_url(program, group))
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            if topic.first_post.held:
                messages.info(request, HELD_FOR_AUTHOR)
            return redirect(_topic_url(topic))
    context = {
        "program": program,
        "group": group,
        "form": form,
        "board_url": _board_url(program, group),
        "board_name": rules.board_name(program, group),
        "write_problem": problem,
        "holds": program.holds_contact_details,
        "viewer": _viewer(request, program),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "matching/boards/topic_new.html", context, status=status)


@login_required
def topic_new(request, slug):
    program = rules.get_board_for(request.user, slug)
    return _topic_new(request, program, None)


@login_required
def group_topic_new(request, pk):
    group = rules.get_group_board_for(request.user, pk)
    return _topic_new(request, group.program, group)


def _topic_page(request, topic, form, *, status=200, last=False):
    viewer = _viewer(request, topic.program)
    removed = topic.is_hidden and not viewer.moderates
    number = "last" if last else request.GET.get("page")
    paginator = Paginator(topic_posts(topic) if not removed else [], POSTS_PAGE)
    page = paginator.get_page(paginator.num_pages if number == "last" else number)
    context = {
        "program": topic.program,
        "topic": topic,
        "title": topic_title(topic, viewer),
        "removed": removed,
        "viewer": viewer,
        "page": page,
        "entries": [post_entry(post, viewer) for post in page.object_list],
        "board_url": _board_url(topic),
        "board_name": rules.board_name(topic.program, topic.group),
        "form": form,
        "write_problem": rules.write_problem(topic.program, topic.group, topic),
        "holds": topic.program.holds_contact_details,
    }
    return render(request, "matching/boards/topic.html", context, status=status)


@login_required
def topic(request, pk):
    """A topic's posts, oldest first (25 a page), and the reply box."""
    topic = rules.get_topic_for(request.user, pk)
    return _topic_page(request, topic, ReplyForm())


@login_required
@require_POST
def post_reply(request, pk):
    """The reply box of a topic's page: a reply, or the page again with what is wrong (400)."""
    topic = rules.get_topic_for(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        body, me = form.cleaned_data["body"], request.user
        try:
            post = submit_once(form, me, lambda: services.post_reply(topic=topic, by=me, body=body))
        except AlreadySubmitted:
            return redirect(_topic_url(topic, last=True))
        except (ValidationError, PermissionDenied) as error:
            form.add_error("body", error_text(error))
        else:
            if post.held:
                messages.info(request, HELD_FOR_AUTHOR)
            return redirect(_topic_url(topic, post, last=True))
    return _topic_page(request, topic, form, status=400, last=True)


# --- Moderation ------------------------------------------------------------------------------------


def _toggle(request, topic, *, on, off, field, done_on, done_off):
    undo = request.POST.get(field) == "0"
    act(
        request,
        lambda: (off if undo else on)(topic=topic, by=request.user),
        done=done_off if undo else done_on,
    )
    return redirect(_topic_url(topic))


@login_required
@require_POST
def topic_pin(request, pk):
    """Pin a topic to the top of its board (``pinned=0``: unpin it)."""
    topic = rules.get_topic_for(request.user, pk, moderate=True)
    return _toggle(request, topic, on=services.topic_pin, off=services.topic_unpin, field="pinned",
                   done_on="Pinned to the top of the board.", done_off="No longer pinned.")  # fmt: skip


@login_required
@require_POST
def topic_lock(request, pk):
    """Lock a topic: no more replies (``locked=0``: unlock it)."""
    topic = rules.get_topic_for(request.user, pk, moderate=True)
    return _toggle(request, topic, on=services.topic_lock, off=services.topic_unlock, field="locked",
                   done_on="Locked: it takes no new replies.",
                   done_off="Unlocked: it takes replies again.")  # fmt: skip


@login_required
@require_POST
def topic_hide(request, pk):
    """Remove a topic from its board (``hidden=0``: put it back)."""
    topic = rules.get_topic_for(request.user, pk, moderate=True)
    return _toggle(request, topic, on=services.topic_hide, off=services.topic_unhide, field="hidden",
                   done_on="Removed: its readers see “Removed by a coordinator”.",
                   done_off="Put back on the board.")  # fmt: skip


@login_required
@require_POST
def post_hide(request, pk):
    post = rules.get_post_for(request.user, pk, moderate=True)
    act(request, lambda: services.post_hide(post=post, by=request.user),
        done="Removed: its readers see “Removed by a coordinator”.")  # fmt: skip
    return redirect(_topic_url(post.topic, post))


@login_required
@require_POST
def post_release(request, pk):
    post = rules.get_post_for(request.user, pk, moderate=True)
    act(request, lambda: services.post_release(post=post, by=request.user),
        done="Released: everyone on the board now reads the whole post.")  # fmt: skip
    return redirect(_topic_url(post.topic, post))


@login_required
def post_report(request, pk):
    """Any reader but its author reports a post: it becomes a safeguarding concern."""
    post = rules.get_post_for(request.user, pk)
    viewer = _viewer(request, post.topic.program)
    if post.author_id == request.user.pk or (post.is_hidden and not viewer.moderates):
        raise Http404("No such post.")
    form = PostReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submit_once(form, request.user, lambda: services.post_report(post=post, by=request.user, **data))
        except AlreadySubmitted:
            pass
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        if not form.errors:
            messages.success(request, REPORTED)
            return redirect(_topic_url(post.topic))
    context = {"form": form, "entry": post_entry(post, viewer), "topic": post.topic, "viewer": viewer}
    return render(request, "matching/boards/post_report.html", context, status=400 if form.errors else 200)
