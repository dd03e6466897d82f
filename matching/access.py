"""The only way matching views load objects: fetch and check access in one call (404 otherwise)."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.models import Match, MatchRequest, MatchRun, MatchSuggestion
from programs.access import can_manage
from programs.models import Enrollment, Role


def get_match_for(user, pk, *, manage=False):
    """A match, for its two people (unless ``manage``) and the program's coordinators and staff."""
    if not user.is_authenticated:
        raise Http404("No such match.")
    match = get_object_or_404(
        Match.objects.select_related("program", "mentee__user__profile", "mentor__user__profile"), pk=pk
    )
    participant = user.pk in (match.mentee.user_id, match.mentor.user_id)
    if (manage or not participant) and not can_manage(user, match.program):
        raise Http404("No such match.")
    return match


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
