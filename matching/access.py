"""The only way matching views load objects: fetch and check access in one call (404 otherwise),
and what a person may do with what they loaded."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.models import (
    Concern,
    ConcernStatus,
    Match,
    MatchRequest,
    MatchRun,
    MatchStatus,
    MatchSuggestion,
)
from programs.access import can_manage
from programs.models import Enrollment, Program, Role


def get_match_for(user, pk, *, manage=False):
    """A match, for its two people (unless ``manage``) and the program's coordinators and staff."""
    if not user.is_authenticated:
        raise Http404("No such match.")
    match = get_object_or_404(
        Match.objects.select_related("program", "mentee__user__profile", "mentor__user__profile"), pk=pk
    )
    participant = match.side_of(user) is not None
    if (manage or not participant) and not can_manage(user, match.program):
        raise Http404("No such match.")
    return match


@dataclass(frozen=True)
class MatchActions:
    """What ``user`` may do on a match's page; the template asks this rather than re-code the rules."""

    confirm: bool  # one of the pair, match proposed, not yet confirmed by them
    pause: bool
    resume: bool
    close: bool
    pair_space: bool  # check-ins, goals and surveys: once the match has started
    manage: bool


def match_actions(user, match):
    manages = can_manage(user, match.program)
    return MatchActions(
        confirm=match.awaits_confirmation_from(user),
        pause=manages and match.can_become(MatchStatus.PAUSED),
        resume=manages and match.status == MatchStatus.PAUSED and match.can_become(MatchStatus.ACTIVE),
        close=manages and match.can_become(MatchStatus.CLOSED),
        pair_space=match.status != MatchStatus.PROPOSED,
        manage=manages,
    )


def get_suggestion_for(program, pk):
    return get_object_or_404(
        MatchSuggestion.objects.select_related("mentee__user", "mentor__user"), pk=pk, program=program
    )


def get_run_for(program, pk):
    return get_object_or_404(MatchRun, pk=pk, program=program)


def get_program_enrollment(program, pk, *, role=None):
    filters = {"pk": pk, "program": program}
    if role:
        filters["role"] = role
    return get_object_or_404(Enrollment.objects.select_related("user__profile"), **filters)


def get_own_mentee_enrollment(user, pk):
    if not user.is_authenticated:
        raise Http404("No such application.")
    return get_object_or_404(Enrollment.objects.select_related("program"), pk=pk, user=user, role=Role.MENTEE)


def get_own_mentor_enrollment(user, pk):
    if not user.is_authenticated:
        raise Http404("No such application.")
    return get_object_or_404(Enrollment.objects.select_related("program"), pk=pk, user=user, role=Role.MENTOR)


def get_request_for(user, pk):
    """A mentee's request, for the mentee who sent it or the mentor who received it."""
    if not user.is_authenticated:
        raise Http404("No such request.")
    return get_object_or_404(
        MatchRequest.objects.select_related("program", "mentee__user", "mentor__user"),
        Q(mentee__user=user) | Q(mentor__user=user),
        pk=pk,
    )


# --- Safeguarding concerns: the program's leads and staff, nobody else -----------------------------


def _sees_concerns(user, program):
    return user.is_authenticated and (user.is_staff or program.is_lead(user))


def get_program_for_lead(user, slug):
    """A program, for its safeguarding leads (Program.is_lead) and staff. Its other coordinators,
    when leads are named, get 404 like everyone else."""
    program = get_object_or_404(Program, slug=slug)
    if not _sees_concerns(user, program):
        raise Http404("No such program.")
    return program


def get_concern_for(user, pk):
    """A concern, for its program's safeguarding leads and staff. Not for the person who raised it,
    nor the people in the match, nor coordinators who are not leads: 404, so it does not leak."""
    concern = get_object_or_404(
        Concern.objects.select_related(
            "program",
            "raised_by__profile",
            "match__mentee__user__profile",
            "match__mentor__user__profile",
            "enrollment__user__profile",
        ),
        pk=pk,
    )
    if not _sees_concerns(user, concern.program):
        raise Http404("No such concern.")
    return concern


def concerns_nav_for(user, program):
    """For the program navigation: the number of new concerns if ``user`` sees the program's
    concerns, else None. One query, whatever the page.

    It restates Program.leads() in SQL (the named leads, or else every coordinator) so the
    navigation costs one query; tests/matching/test_concerns.py pins it to Program.is_lead."""
    if not user.is_authenticated:
        return None
    named = Program.safeguarding_leads.through.objects.filter(program_id=OuterRef("pk"))
    coordinates = Program.coordinators.through.objects.filter(program_id=OuterRef("pk"), user_id=user.pk)
    new = (
        Concern.objects.filter(program_id=OuterRef("pk"), status=ConcernStatus.NEW)
        .order_by()
        .values("program_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        Program.objects.filter(pk=program.pk)
        .annotate(
            named_lead=Exists(named.filter(user_id=user.pk)),
            any_named=Exists(named),
            coordinates=Exists(coordinates),
            new_count=Coalesce(Subquery(new), 0),
        )
        .values_list("named_lead", "any_named", "coordinates", "new_count")
        .first()
    )
    if row is None:
        return None
    named_lead, any_named, coordinates, new_count = row
    lead = named_lead or (not any_named and coordinates)
    return new_count if (user.is_staff or lead) else None
