"""The match step of a person's checklist (see mentorship.steps)."""

from django.urls import reverse
from django.utils import timezone

from matching.models import MatchStatus
from mentorship.steps import Step
from programs.models import Role


def current_match(enrollment, matches):
    """The enrollment's open match, else its latest closed one, else None. ``matches`` are the
    person's (``selectors.matches_of``), newest first."""
    own = [m for m in matches if enrollment.pk in (m.mentee_id, m.mentor_id)]
    return next((m for m in own if m.is_open), None) or next(iter(own), None)


def match_step(enrollment, match, *, user):
    """``match`` is ``current_match``'s answer."""
    partner = "mentee" if enrollment.role == Role.MENTOR else "mentor"
    label = f"A {partner}"
    closed = match is not None and match.status == MatchStatus.CLOSED
    if closed and not (
        enrollment.role == Role.MENTEE and match.rematch_eligible and enrollment.accepting_new_matches
    ):
        return Step(label=label, done=True)  # over, and no new match to wait for
    if match is None or closed:
        if enrollment.role == Role.MENTEE and enrollment.program.participants_choose:
            return Step(
                label=label,
                done=False,
                todo="Choose a mentor",
                url=reverse("matching:choose", args=[enrollment.pk]),
                note="We suggest mentors who fit you; you ask the one you like.",
            )
        if enrollment.role == Role.MENTOR and enrollment.program.participants_choose:
            return Step(
                label=label,
                done=False,
                waiting=True,
                todo="Mentees choose their mentor here: we email you when one asks you",
            )
        again = " new" if match is not None else ""
        return Step(
            label=label,
            done=False,
            waiting=True,
            todo=f"The coordinators will suggest a{again} {partner} when there is a good fit",
            note="We email you when they do.",
        )
    if match.awaits_confirmation_from(user):
        return Step(
            label=label,
            done=False,
            todo="Confirm your match agreement",
            url=match.get_absolute_url(),
            note="Read who you are matched with and what you agree to.",
        )
    if match.is_proposed:
        return Step(
            label=label,
            done=False,
            waiting=True,
            todo=f"Waiting for your {partner} to confirm the match agreement",
            url=match.get_absolute_url(),
            see="See your match",
        )
    return Step(label=label, done=True)


def current_memberships(user):
    """{enrollment id: the current GroupMember} of the person's open groups (one query)."""
    from matching.models import GroupMember

    rows = (
        GroupMember.objects.current()
        .filter(enrollment__user=user, group__status__in=["forming", "running"])
        .select_related("group")
        .order_by("joined_on", "pk")
    )
    return {row.enrollment_id: row for row in rows}


def group_step(enrollment, membership):
    """A group or peer-circle program's step in place of the match: being placed in a group (or
    given one to lead)."""
    circles = enrollment.program.format == "peer_circles"
    label = "A peer circle" if circles else "A group"
    if membership is not None:
        return Step(label=label, done=True)
    if enrollment.role == Role.MENTOR:
        todo = (
            "The coordinators will ask you to facilitate a circle"
            if circles
            else ("The coordinators will give you a group to lead")
        )
    else:
        todo = f"The coordinators will place you in a {'circle' if circles else 'group'}"
    return Step(label=label, done=False, waiting=True, todo=todo, note="We email you when they do.")


def first_session_step(membership, *, met, next_session=None):
    """The group's first session: ``met`` whether the person came to (or led) a session held;
    ``next_session`` the group's next planned session, if any."""
    label = "Your first session"
    if met:
        return Step(label=label, done=True)
    if membership is None:
        return Step(label=label, done=False)
    group = membership.group
    if next_session is not None:
        when = timezone.localtime(next_session.starts_at)
        return Step(
            label=label,
            done=False,
            todo="See your group's next session",
            url=reverse("matching:group_session", args=[next_session.pk]),
            note=f"On {when:%a} {when.day} {when:%b}, {when:%H:%M}.",
        )
    if membership.is_leader:
        return Step(
            label=label,
            done=False,
            todo="Plan your group's first session",
            url=reverse("matching:group_session_new", args=[group.pk]),
            note="A date, a place or a link, and what you will do: everyone is emailed.",
        )
    return Step(
        label=label,
        done=False,
        waiting=True,
        todo="Your group's leader will plan the first session",
        url=group.get_absolute_url(),
        see="See your group",
    )
