"""From the database to the engine's arrays for group matching (and the circles' arrays).

Group matching reuses the pair engine: each open group with free places is one engine "mentor" row
whose capacity is its free places (places - current members) and whose profile is its leaders'
combined profile (`matching.engine.groups.combine_leaders`): languages, skills and interests are
the union of the leaders';
availability the slots all leaders share (the first leader's when they share none); area,
coordinates, meeting mode, gender and age band the first leader's; the background check counts as
current only if every leader's is; a mentee excluded from any leader is excluded from the group.

The mentees are the pair pool's (`pool.pool_mentees`: matchable, open to a match, no open pair)
less anyone already a current member of a group. Leaders are read through `pool.build_pool` as
its "mentors", so they are encoded exactly like a pair run's; a group takes part only when it has
leaders and every one of them is ready to take new mentees (in the pool).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from matching import engine
from matching.engine.groups import combine_leaders
from matching.models import Group, GroupKind, GroupMember, MemberRole
from matching.pool import build_pool, pool_mentees


@dataclass
class GroupPool:
    program: object
    mentees: list  # pool.Person, index = engine mentee index
    groups: list  # Group, index = engine "mentor" index
    free_places: list
    problem: object
    left_out: list = field(default_factory=list)  # [(group, why)] open groups that cannot take part


def open_groups(program):
    """The program's open groups of kind *group*, with their current member and leader counts."""
    current = Q(memberships__left_on__isnull=True)
    return (
        Group.objects.open()
        .filter(program=program, kind=GroupKind.GROUP)
        .annotate(
            n_members=Count("memberships", filter=current & Q(memberships__role=MemberRole.MEMBER)),
            n_leaders=Count("memberships", filter=current & Q(memberships__role=MemberRole.LEADER)),
        )
        .select_related("program")
        .order_by("name", "pk")
    )


def placed_mentee_ids(program):
    return set(
        GroupMember.objects.current()
        .members()
        .filter(group__program=program)
        .values_list("enrollment_id", flat=True)
    )


def group_mentee_ids(program, on=None):
    """The mentees who take part: the pair pool less current group members."""
    on = on or timezone.localdate()
    placed = placed_mentee_ids(program)
    return [pk for pk in pool_mentees(program, on).values_list("pk", flat=True) if pk not in placed]


def build_group_pool(program, *, on=None, mentee_ids=None, groups=None, ignore_capacity=False):
    """The group-matching problem. ``mentee_ids``/``groups`` narrow it (a hand placement checks one
    mentee against one group: then current group members are not left out, the caller decides);
    ``ignore_capacity`` keeps full groups (capacity then at least 1)."""
    on = on or timezone.localdate()
    wanted = group_mentee_ids(program, on) if mentee_ids is None else list(mentee_ids)
    groups = list(open_groups(program) if groups is None else groups)
    leaders = {}
    for row in (
        GroupMember.objects.current()
        .leaders()
        .filter(group__in=[g.pk for g in groups])
        .order_by("joined_on", "pk")
        .values_list("group_id", "enrollment_id")
    ):
        leaders.setdefault(row[0], []).append(row[1])
    leader_ids = sorted({pk for ids in leaders.values() for pk in ids})
    pool = build_pool(program, on=on, mentee_ids=wanted, mentor_ids=leader_ids, ignore_capacity=True)
    position = {person.pk: j for j, person in enumerate(pool.mentors)}
    taking, members, free, left_out = [], [], [], []
    counts = _member_counts(groups)
    for group in groups:
        ids = leaders.get(group.pk, [])
        places = group.places - counts.get(group.pk, 0)
        if not ids:
            left_out.append((group, "it has no leader yet"))
        elif any(pk not in position for pk in ids):
            left_out.append(
                (group, "a leader is not ready to take new mentees (screening, break or settings)")
            )
        elif places <= 0 and not ignore_capacity:
            left_out.append((group, "it is full"))
        else:
            taking.append(group)
            members.append([position[pk] for pk in ids])
            free.append(max(places, 1 if ignore_capacity else 0))
    base = pool.problem
    if taking:
        mentors, exclusions = combine_leaders(base.mentors, members, free, base.exclusions)
    else:
        mentors, exclusions = engine.Mentors(languages=[], capacity=[]), []
    problem = engine.MatchingProblem(
        mentees=base.mentees,
        mentors=mentors,
        exclusions=exclusions,
        weights=base.weights,
        min_score=base.min_score,
        max_distance_km=base.max_distance_km,
    )
    return GroupPool(program, pool.mentees, taking, free, problem, left_out)


def _member_counts(groups):
    return dict(
        GroupMember.objects.current()
        .members()
        .filter(group__in=[g.pk for g in groups])
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )


def circle_arrays(program, *, on=None):
    """(mentee Persons, circles.Problem) for forming peer circles from the group pool's mentees, in
    the same encoding as pair matching (languages, goals, interests, availability, area)."""
    from matching.engine import circles

    on = on or timezone.localdate()
    pool = build_pool(
        program, on=on, mentee_ids=group_mentee_ids(program, on), mentor_ids=[], ignore_capacity=True
    )
    mentees = pool.problem.mentees
    problem = circles.Problem.build(
        languages=mentees.languages,
        goals=mentees.goals,
        interests=mentees.interests,
        availability=mentees.availability,
        area=mentees.area,
        k=program.circle_size,
    )
    return pool.mentees, problem
