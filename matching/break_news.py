"""Who hears of a break (programs.breaks, started by ``services.enrollment_break_start``): the
partner in each of the person's active matches, since their pair's check-in reminders stop while
either of them is away (evaluation.reminders skips the pair, and does not send the missed ones
later); and, when a coordinator set the break, the person themself."""

from django.db.models import Q

from matching.models import Match, MatchStatus
from mentorship.services import email_queue
from programs.limited import limited_first_name


def _first_name(user):
    profile = getattr(user, "profile", None)
    name = (profile.display_name if profile else "").strip() or user.get_full_name().strip()
    return name.split()[0] if name else ""


def break_news_queue(*, enrollment, until, by):
    """Queue the emails (in the caller's transaction) and return how many."""
    sent = 0
    matches = Match.objects.filter(
        Q(mentor=enrollment) | Q(mentee=enrollment), status=MatchStatus.ACTIVE
    ).select_related("program", "mentee__user__profile", "mentor__user__profile")
    for match in matches:
        partner = match.mentee if match.mentor_id == enrollment.pk else match.mentor
        email_queue(
            to=partner.user.email,
            template="break_partner",
            context={
                "match": match,
                "program": match.program,
                # A partner is called only what the limited profile shows of them.
                "name": limited_first_name(partner),
                "away": limited_first_name(match.mentor if partner is match.mentee else match.mentee),
                "until": until,
            },
        )
        sent += 1
    if by is not None and by.pk != enrollment.user_id:
        email_queue(
            to=enrollment.user.email,
            template="break_set_for_you",
            context={
                "enrollment": enrollment,
                "program": enrollment.program,
                "name": _first_name(enrollment.user) or "there",
                "coordinator": _first_name(by) or "A coordinator",
                "until": until,
            },
        )
        sent += 1
    return sent
