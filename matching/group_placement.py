"""Every write about who is in which group: creating, starting and closing groups, their leaders,
group matching and circle forming runs (propose, apply, discard), and placing, moving and removing
mentees by hand.

Group matching is exactly optimal through the pair engine (matching/group_pool.py); circles come
from the heuristic in matching/engine/circles.py. A coordinator's hand placement or move is refused
when it breaks a hard rule, with the rule named (`placement_problems`).
"""

import re
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from matching import engine
from matching.engine import circles as circle_engine
from matching.group_pool import build_group_pool, circle_arrays, group_mentee_ids
from matching.models import (
    OPEN_MATCH_STATUSES,
    Group,
    GroupKind,
    GroupMember,
    GroupRun,
    GroupRunStatus,
    GroupStatus,
    MemberRole,
    MemberSource,
)
from matching.services import breakdown_of
from mentorship.services import audit_record
from programs.models import Enrollment, EnrollmentStatus, Format, Role
from programs.selectors import BLOCKED_BY

_MENTORS = re.compile(r"\bmentor(s?)\b")


def in_groups(reason):
    """The engine's reason for an unmatched mentee, said of groups (each group is one engine
    "mentor"): "no mentor shares a language" -> "no group shares a language"."""
    return _MENTORS.sub(lambda found: "group" + found.group(1), reason)


GROUP_CLOSED = "group closed"


# --- Groups ---------------------------------------------------------------------------------------


def _check_leader(group_or_program, enrollment):
    program = getattr(group_or_program, "program", group_or_program)
    if enrollment.program_id != program.pk or enrollment.role != Role.MENTOR:
        raise ValidationError("A leader must be one of the program's mentors.")
    if enrollment.status != EnrollmentStatus.APPROVED:
        raise ValidationError(f"{enrollment.user.display_name} is not approved in this program yet.")


@transaction.atomic
def group_create(
    *, program, by, name, kind=GroupKind.GROUP, focus="", capacity=None, usual_time="", leaders=()
):
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A group needs a name."})
    if Group.objects.filter(program=program, name__iexact=name).exists():
        raise ValidationError({"name": f"This program already has a group called “{name}”."})
    for leader in leaders:
        _check_leader(program, leader)
    group = Group.objects.create(
        program=program,
        kind=kind,
        name=name,
        focus=focus,
        capacity=capacity,
        usual_time=usual_time,
        created_by=by,
    )
    for leader in leaders:
        GroupMember.objects.create(group=group, enrollment=leader, role=MemberRole.LEADER, added_by=by)
    audit_record(actor=by, action="group.created", target=group, summary=f"{group.name} ({kind})")
    return group


@transaction.atomic
def group_leader_add(*, group, enrollment, by):
    if not group.is_open:
        raise ValidationError("The group is closed.")
    _check_leader(group, enrollment)
    if GroupMember.objects.current().filter(group=group, enrollment=enrollment).exists():
        raise ValidationError(f"{enrollment.user.display_name} is already in this group.")
    member = GroupMember.objects.create(
        group=group, enrollment=enrollment, role=MemberRole.LEADER, added_by=by
    )
    audit_record(actor=by, action="group.leader_added", target=group, summary=enrollment.user.display_name)
    return member


@transaction.atomic
def group_leader_remove(*, membership, by):
    if not membership.is_leader or not membership.is_current:
        raise ValidationError("This person is not a current leader of the group.")
    membership.left_on = timezone.localdate()
    membership.left_reason = "no longer a leader"
    membership.save(update_fields=["left_on", "left_reason"])
    audit_record(
        actor=by,
        action="group.leader_removed",
        target=membership.group,
        summary=str(membership.enrollment_id),
    )
    return membership


@transaction.atomic
def group_start(*, group, by):
    updated = Group.objects.filter(pk=group.pk, status=GroupStatus.FORMING).update(
        status=GroupStatus.RUNNING, started_on=timezone.localdate()
    )
    if not updated:
        raise ValidationError("Only a forming group can start.")
    group.refresh_from_db()
    audit_record(actor=by, action="group.started", target=group, summary=group.name)
    return group


@transaction.atomic
def group_close(*, group, by):
    updated = (
        Group.objects.filter(pk=group.pk)
        .exclude(status=GroupStatus.CLOSED)
        .update(status=GroupStatus.CLOSED, closed_at=timezone.now(), closed_by=by)
    )
    if not updated:
        raise ValidationError("The group is already closed.")
    ended = (
        GroupMember.objects.current()
        .filter(group=group)
        .update(left_on=timezone.localdate(), left_reason=GROUP_CLOSED)
    )
    group.refresh_from_db()
    audit_record(
        actor=by, action="group.closed", target=group, summary=f"{group.name}: {ended} memberships ended"
    )
    return group


# --- Runs -------------------------------------------------------------------------------------------


def _circle_name(program, taken, start):
    n = start
    while f"Circle {n}".lower() in taken:
        n += 1
    return f"Circle {n}", n + 1


@transaction.atomic
def group_run_propose(*, program, by):
    """Group matching (group programs) or circle forming (peer-circle programs): a proposal to
    apply or discard. Earlier proposals still waiting are discarded."""
    if program.format == Format.ONE_TO_ONE:
        raise ValidationError(
            "This program mentors in pairs: group matching is for group and peer-circle programs."
        )
    GroupRun.objects.filter(program=program, status=GroupRunStatus.PROPOSED).update(
        status=GroupRunStatus.DISCARDED, decided_at=timezone.now()
    )
    started = time.perf_counter()
    if program.format == Format.PEER_CIRCLES:
        people, problem = circle_arrays(program)
        load = time.perf_counter() - started
        result = circle_engine.form_circles(problem)
        run = GroupRun.objects.create(
            program=program,
            kind=GroupKind.CIRCLE,
            started_by=by,
            new_circles=[[people[i].pk for i in circle] for circle in result.circles],
            unplaced=[
                {"enrollment": people[i].pk, "reason": circle_engine.UNPLACED_TEXT[code]}
                for i, code in result.unplaced
            ],
            total_score=round(100 * result.quality, 2),
            timings={
                "load": round(load, 4),
                "solve": round(result.seconds, 4),
                "violations": result.violations,
            },
        )
    else:
        pool = build_group_pool(program)
        load = time.perf_counter() - started
        result = engine.solve(pool.problem)
        run = GroupRun.objects.create(
            program=program,
            kind=GroupKind.GROUP,
            started_by=by,
            placements=[
                {
                    "enrollment": pool.mentees[pair.mentee].pk,
                    "group": pool.groups[pair.mentor].pk,
                    "score": round(float(pair.score), 2),
                    "breakdown": breakdown_of(pair.criteria),
                }
                for pair in result.pairs
            ],
            unplaced=[
                {"enrollment": pool.mentees[row.mentee].pk, "reason": in_groups(row.message)}
                for row in result.unmatched
            ],
            total_score=float(result.total_score),
            timings={
                "load": round(load, 4),
                "score": round(result.score_seconds, 4),
                "solve": round(result.solve_seconds, 4),
            },
        )
    audit_record(actor=by, action="group_run.proposed", target=run, summary=run.kind)
    return run


def _claim(run, status):
    claimed = GroupRun.objects.filter(pk=run.pk, status=GroupRunStatus.PROPOSED).update(
        status=status, decided_at=timezone.now()
    )
    run.refresh_from_db()
    return bool(claimed)


@transaction.atomic
def group_run_discard(*, run, by):
    if not _claim(run, GroupRunStatus.DISCARDED):
        raise ValidationError("This proposal was already applied or discarded.")
    audit_record(actor=by, action="group_run.discarded", target=run)
    return run


@transaction.atomic
def group_run_apply(*, run, by):
    """Create the memberships (and, for circles, the circles). Anyone no longer eligible, or a group
    now full or closed, is skipped and reported. Applying twice does nothing the second time.
    Returns (created memberships count, [what was skipped, in words])."""
    if not _claim(run, GroupRunStatus.APPLIED):
        return 0, []
    program = run.program
    eligible = set(group_mentee_ids(program))
    ids = [p["enrollment"] for p in run.placements] + [pk for c in run.new_circles for pk in c]
    people = Enrollment.objects.filter(pk__in=ids).select_related("user__profile")
    names = {e.pk: e.user.display_name for e in people}
    skipped, created = [], 0
    source = MemberSource.CIRCLES if run.kind == GroupKind.CIRCLE else MemberSource.MATCHING

    def place(group, pk, score=None, breakdown=None):
        nonlocal created
        if pk not in eligible:
            skipped.append(f"{names.get(pk, pk)}: no longer ready to be placed (or already placed)")
            return
        GroupMember.objects.create(
            group=group, enrollment_id=pk, source=source, score=score, breakdown=breakdown or {}, added_by=by
        )
        eligible.discard(pk)
        created += 1

    if run.kind == GroupKind.CIRCLE:
        taken = {n.lower() for n in Group.objects.filter(program=program).values_list("name", flat=True)}
        number = 1
        for circle in run.new_circles:
            name, number = _circle_name(program, taken, number)
            taken.add(name.lower())
            group = Group.objects.create(program=program, kind=GroupKind.CIRCLE, name=name, created_by=by)
            for pk in circle:
                place(group, pk)
    else:
        groups = {
            g.pk: g
            for g in Group.objects.select_for_update().filter(pk__in={p["group"] for p in run.placements})
        }
        counts = {pk: GroupMember.objects.current().members().filter(group_id=pk).count() for pk in groups}
        for row in run.placements:
            group = groups.get(row["group"])
            if group is None or not group.is_open:
                skipped.append(f"{names.get(row['enrollment'])}: the group is closed or gone")
                continue
            if counts[group.pk] >= group.places:
                skipped.append(f"{names.get(row['enrollment'])}: {group.name} is full now")
                continue
            before = created
            place(group, row["enrollment"], row["score"], row["breakdown"])
            counts[group.pk] += created - before
    audit_record(
        actor=by, action="group_run.applied", target=run, summary=f"{created} placed, {len(skipped)} skipped"
    )
    return created, skipped


# --- Placing by hand ----------------------------------------------------------------------------


def _not_ready(enrollment, on):
    qs = Enrollment.objects.filter(pk=enrollment.pk)
    for key, text in BLOCKED_BY.items():
        if qs.blocked_by(key, on).exists():
            return text
    if enrollment.matches_as_mentee.filter(status__in=OPEN_MATCH_STATUSES).exists():
        return "has an open one-to-one match"
    if not enrollment.accepting_new_matches:
        return "is not open to a new match"
    return "is not ready to be placed"


def placement_problems(*, group, enrollment, moving=None):
    """What a hand placement of ``enrollment`` in ``group`` breaks, in words (empty: allowed), and
    the engine's explanation of the fit (or None). ``moving``: their current membership, ignored."""
    name = enrollment.user.display_name
    on = timezone.localdate()
    if not group.is_open:
        return ["the group is closed"], None
    if enrollment.program_id != group.program_id or enrollment.role != Role.MENTEE:
        return ["only the program's mentees can be placed in its groups"], None
    current = (
        GroupMember.objects.current().filter(enrollment=enrollment).exclude(pk=getattr(moving, "pk", None))
    )
    elsewhere = current.select_related("group").first()
    if elsewhere is not None:
        where = "this group" if elsewhere.group_id == group.pk else elsewhere.group.name
        return [f"{name} is already in {where}"], None
    problems = []
    members = (
        GroupMember.objects.current().members().filter(group=group).exclude(pk=getattr(moving, "pk", None))
    )
    if members.count() >= group.places:
        problems.append(f"the group is full ({group.places} places)")
    pool = build_group_pool(
        group.program, on=on, mentee_ids=[enrollment.pk], groups=[group], ignore_capacity=True
    )
    if not pool.mentees:
        return problems + [f"{name} is not matchable: {_not_ready(enrollment, on)}"], None
    explanation = None
    if pool.groups:
        explanation = engine.explain(pool.problem, 0, 0)
        problems += [
            f"it breaks a hard rule: {engine.RULE_TEXT[rule]}"
            for rule in explanation.broken_rules
            if rule != engine.Rule.CAPACITY
        ]
    elif pool.left_out and "no leader" not in pool.left_out[0][1]:
        problems.append(pool.left_out[0][1])
    if group.is_circle:
        problems += _circle_language_problems(group, enrollment, moving)
    return problems, explanation


def _circle_language_problems(group, enrollment, moving):
    from mentorship.models import Profile

    mine = set(
        Profile.languages.through.objects.filter(profile__user=enrollment.user_id).values_list(
            "language_id", flat=True
        )
    )
    others = (
        GroupMember.objects.current().members().filter(group=group).exclude(pk=getattr(moving, "pk", None))
    )
    spoken = {}
    profile = "enrollment__user__profile__"
    for user_id, name, lang in others.values_list(
        "enrollment__user_id", f"{profile}display_name", f"{profile}languages"
    ):
        spoken.setdefault((user_id, name), set()).add(lang)
    lonely = [name for (_, name), langs in spoken.items() if not mine & langs]
    if lonely:
        return [f"it breaks a hard rule: they share no language (with {', '.join(sorted(lonely))})"]
    return []


def _refuse(problems):
    if problems:
        raise ValidationError("Not placed: " + "; ".join(problems) + ".")


@transaction.atomic
def member_place(*, group, enrollment, by):
    group = Group.objects.select_for_update().select_related("program").get(pk=group.pk)
    problems, explanation = placement_problems(group=group, enrollment=enrollment)
    _refuse(problems)
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(
                group=group,
                enrollment=enrollment,
                source=MemberSource.COORDINATOR,
                score=float(explanation.score) if explanation else None,
                breakdown=breakdown_of(explanation.criteria) if explanation else {},
                added_by=by,
            )
    except IntegrityError:
        raise ValidationError(f"{enrollment.user.display_name} is already in a group.") from None
    audit_record(actor=by, action="group.member_placed", target=group, summary=enrollment.user.display_name)
    return member


@transaction.atomic
def member_move(*, membership, to_group, by):
    if not membership.is_current or membership.is_leader:
        raise ValidationError("Only a current member can be moved.")
    if to_group.pk == membership.group_id:
        raise ValidationError("They are already in this group.")
    to_group = Group.objects.select_for_update().select_related("program").get(pk=to_group.pk)
    if to_group.program_id != membership.group.program_id:
        raise ValidationError("Both groups must be in the same program.")
    problems, explanation = placement_problems(
        group=to_group, enrollment=membership.enrollment, moving=membership
    )
    _refuse(problems)
    membership.left_on = timezone.localdate()
    membership.left_reason = f"moved to {to_group.name}"[:200]
    membership.save(update_fields=["left_on", "left_reason"])
    member = GroupMember.objects.create(
        group=to_group,
        enrollment=membership.enrollment,
        source=MemberSource.COORDINATOR,
        score=float(explanation.score) if explanation else None,
        breakdown=breakdown_of(explanation.criteria) if explanation else {},
        added_by=by,
    )
    audit_record(
        actor=by,
        action="group.member_moved",
        target=to_group,
        summary=f"{membership.enrollment.user.display_name} from {membership.group.name}",
    )
    return member


@transaction.atomic
def member_remove(*, membership, by, reason=""):
    if not membership.is_current:
        raise ValidationError("They have already left this group.")
    membership.left_on = timezone.localdate()
    membership.left_reason = (reason or "removed by a coordinator")[:200]
    membership.save(update_fields=["left_on", "left_reason"])
    audit_record(
        actor=by,
        action="group.member_removed",
        target=membership.group,
        summary=membership.enrollment.user.display_name,
    )
    return membership
