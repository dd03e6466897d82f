"""Coordinators' group pages: the program's groups (create, start, close, leaders), group matching
and circle forming runs (propose, look, apply or discard), and placing, moving and removing mentees
by hand. Coordinators and staff only; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from matching import group_placement as placement
from matching.group_access import get_group_to_manage
from matching.group_matching_forms import GroupForm, LeaderForm, MoveForm, PlaceForm, RemoveForm
from matching.group_pool import open_groups
from matching.models import Group, GroupMember, GroupRun, GroupRunStatus
from mentorship.web import act, form_errors
from programs.access import get_program_for
from programs.models import Enrollment, Format


def _groups_url(program):
    return reverse("matching:groups", args=[program.slug])


def _groups(program):
    current = Q(memberships__left_on__isnull=True)
    leaders = GroupMember.objects.current().leaders().select_related("enrollment__user__profile")
    members = GroupMember.objects.current().members().select_related("enrollment__user__profile")
    return (
        Group.objects.filter(program=program)
        .annotate(n_members=Count("memberships", filter=current & Q(memberships__role="member")))
        .prefetch_related(
            Prefetch("memberships", queryset=leaders, to_attr="current_leaders"),
            Prefetch("memberships", queryset=members, to_attr="current_members"),
        )
        .select_related("program")
        .order_by("status", "name", "pk")
    )


def _groups_page(request, program, form=None, status=200):
    last_run = GroupRun.objects.filter(program=program).first()
    left_out = []
    if program.format == Format.GROUP:
        left_out = [g for g in open_groups(program) if not g.n_leaders]
    context = {
        "program": program,
        "groups": _groups(program),
        "form": form or GroupForm(program=program),
        "last_run": last_run,
        "leaderless": left_out,
    }
    return render(request, "matching/groups/matching_groups.html", context, status=status)


@login_required
def groups_view(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return _groups_page(request, program)


@login_required
def group_new(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    if request.method != "POST":
        return _groups_page(request, program)
    form = GroupForm(request.POST, program=program)
    if form.is_valid():
        try:
            group = placement.group_create(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"“{group.name}” is created.")
            return redirect(_groups_url(program))
    return _groups_page(request, program, form, status=400)


@login_required
@require_POST
def group_run_start(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    run = act(
        request,
        lambda: placement.group_run_propose(program=program, by=request.user),
        done="Here is the proposal: look it over, then apply or discard it.",
    )
    if run is None:
        return redirect(_groups_url(program))
    return redirect("matching:group_run", slug=program.slug, pk=run.pk)


def _run_for(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    return program, get_object_or_404(GroupRun, program=program, pk=pk)


@login_required
def group_run(request, slug, pk):
    program, run = _run_for(request, slug, pk)
    ids = [p["enrollment"] for p in run.placements] + [u["enrollment"] for u in run.unplaced]
    ids += [pk for circle in run.new_circles for pk in circle]
    people = {e.pk: e for e in Enrollment.objects.filter(pk__in=ids).select_related("user__profile")}
    groups = {g.pk: g for g in Group.objects.filter(pk__in={p["group"] for p in run.placements})}
    by_group = {}
    for row in run.placements:
        by_group.setdefault(row["group"], []).append({**row, "person": people.get(row["enrollment"])})
    context = {
        "program": program,
        "run": run,
        "placed": [(groups.get(pk), rows) for pk, rows in by_group.items()],
        "circles": [[people.get(pk) for pk in circle] for circle in run.new_circles],
        "unplaced": [{**row, "person": people.get(row["enrollment"])} for row in run.unplaced],
        "is_proposed": run.status == GroupRunStatus.PROPOSED,
    }
    return render(request, "matching/groups/run_detail.html", context)


@login_required
@require_POST
def group_run_apply(request, slug, pk):
    program, run = _run_for(request, slug, pk)
    try:
        created, skipped = placement.group_run_apply(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_groups_url(program))
    if created or skipped:
        messages.success(request, f"{created} placed.")
    else:
        messages.info(request, "Nothing to do: this proposal was already decided.")
    if skipped:
        messages.warning(request, "Skipped: " + "; ".join(skipped))
    return redirect(_groups_url(program))


@login_required
@require_POST
def group_run_discard(request, slug, pk):
    program, run = _run_for(request, slug, pk)
    act(
        request,
        lambda: placement.group_run_discard(run=run, by=request.user),
        done="The proposal is discarded.",
    )
    return redirect(_groups_url(program))


def _form_page(request, template, context, status=200):
    return render(request, f"matching/groups/{template}", context, status=status)


@login_required
def group_member_place(request, pk):
    group = get_group_to_manage(request.user, pk)
    form = PlaceForm(request.POST or None, program=group.program)
    if request.method == "POST" and form.is_valid():
        try:
            placement.member_place(group=group, enrollment=form.cleaned_data["mentee"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['mentee'].user.display_name} is placed in {group.name}."
            )
            return redirect(_groups_url(group.program))
    status = 400 if request.method == "POST" else 200
    context = {"group": group, "program": group.program, "form": form}
    return _form_page(request, "matching_place.html", context, status)


def _membership_to_manage(user, pk):
    membership = get_object_or_404(
        GroupMember.objects.select_related("group__program", "enrollment__user__profile"),
        pk=pk,
        left_on__isnull=True,
    )
    get_group_to_manage(user, membership.group_id)
    return membership


@login_required
def group_member_move(request, pk):
    membership = _membership_to_manage(request.user, pk)
    form = MoveForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            placement.member_move(
                membership=membership, to_group=form.cleaned_data["to_group"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            to = form.cleaned_data["to_group"].name
            messages.success(request, f"{membership.enrollment.user.display_name} is moved to {to}.")
            return redirect(_groups_url(membership.group.program))
    status = 400 if request.method == "POST" else 200
    context = {"membership": membership, "program": membership.group.program, "form": form}
    return _form_page(request, "matching_move.html", context, status)


@login_required
def group_member_remove(request, pk):
    membership = _membership_to_manage(request.user, pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act(
            request,
            lambda: placement.member_remove(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            ),
            done=f"{membership.enrollment.user.display_name} has left {membership.group.name}.",
        )
        return redirect(_groups_url(membership.group.program))
    status = 400 if request.method == "POST" else 200
    context = {"membership": membership, "program": membership.group.program, "form": form}
    return _form_page(request, "matching_remove.html", context, status)


@login_required
def group_leader_add(request, pk):
    group = get_group_to_manage(request.user, pk)
    form = LeaderForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            placement.group_leader_add(group=group, enrollment=form.cleaned_data["leader"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['leader'].user.display_name} now leads {group.name}."
            )
            return redirect(_groups_url(group.program))
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request, "matching_leader.html", {"group": group, "program": group.program, "form": form}, status
    )


@login_required
@require_POST
def group_start(request, pk):
    group = get_group_to_manage(request.user, pk)
    act(
        request, lambda: placement.group_start(group=group, by=request.user), done=f"{group.name} is running."
    )
    return redirect(_groups_url(group.program))


@login_required
def group_close(request, pk):
    group = get_group_to_manage(request.user, pk)
    if request.method == "POST":
        act(
            request,
            lambda: placement.group_close(group=group, by=request.user),
            done=f"{group.name} is closed.",
        )
        return redirect(_groups_url(group.program))
    return _form_page(request, "matching_close.html", {"group": group, "program": group.program})
