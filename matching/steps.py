"""The match step of a person's checklist (see mentorship.steps)."""

from django.urls import reverse

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
