"""The only way matching views load objects: fetch and check access in one call (404 otherwise),
and what a person may do with what they loaded."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.messaging.rules import manages, reads
from matching.models import (
    Concern,
    ConcernStatus,
    Conversation,
    Match,
    MatchRequest,
    MatchRun,
    MatchStatus,
    MatchSuggestion,
    Meeting,
    MeetingStatus,
    Message,
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


def get_meeting_for(user, pk):
    """A meeting, for the people its match is for (get_match_for): the pair, the program's
    coordinators and staff; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404("No such meeting.")
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "match__program", "match__mentee__user__profile", "match__mentor__user__profile"
        ),
        pk=pk,
    )
    match = meeting.match
    if match.side_of(user) is None and not can_manage(user, match.program):
        raise Http404("No such meeting.")
    return meeting


@dataclass(frozen=True)
class MeetingActions:
    """What ``user`` may do with a meeting (the services enforce the same rules)."""

    answer: bool  # accept or decline: the partner of whoever proposed the current time
    move: bool
    cancel: bool


def meeting_actions(user, meeting):
    participant = meeting.match.side_of(user) is not None
    open_ = meeting.status in (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)
    active = meeting.match.status == MatchStatus.ACTIVE
    return MeetingActions(
        answer=active and meeting.awaits_answer_from(user),
        move=participant and open_ and active,
        cancel=participant and open_,
    )


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
            "message__sender__profile",
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


# --- Messages: the people a conversation is for, and the program's coordinators and staff -------

CONVERSATION_RELATED = (
    "program",
    "match__mentee__user__profile",
    "match__mentor__user__profile",
    "enrollment__user__profile",
)


def get_conversation_for(user, pk):
    """A conversation, for the people it is for (the pair, or the participant talking to the
    coordinators) and the program's coordinators and staff (matching.messaging.rules.reads);
    anyone else, another program's coordinators included, gets 404."""
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    conversation = get_object_or_404(Conversation.objects.select_related(*CONVERSATION_RELATED), pk=pk)
    if not reads(conversation, user):
        raise Http404("No such conversation.")
    return conversation


def get_message_for(user, pk, *, manage=False):
    """A message, for the readers of its conversation (``manage``: its coordinators and staff
    only); anyone else gets 404."""
    if not user.is_authenticated:
        raise Http404("No such message.")
    related = [f"conversation__{name}" for name in CONVERSATION_RELATED]
    message = get_object_or_404(Message.objects.select_related("sender__profile", *related), pk=pk)
    allowed = manages(message.conversation, user) if manage else reads(message.conversation, user)
    if not allowed:
        raise Http404("No such message.")
    return message


def get_enrollment_for_messages(user, pk):
    """An enrollment whose conversation with the coordinators ``user`` may open: their own, or one
    of a program they manage (a coordinator writing to a participant first)."""
    if not user.is_authenticated:
        raise Http404("No such application.")
    enrollment = get_object_or_404(Enrollment.objects.select_related("program", "user__profile"), pk=pk)
    if enrollment.user_id != user.pk and not can_manage(user, enrollment.program):
        raise Http404("No such application.")
    return enrollment
