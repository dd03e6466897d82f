"""What a mentee's guardian reads first on their page (the programs app's guardian page shows
these, named in settings.GUARDIAN_PAGE_NEWS, since it must not import this app): the news of the
mentee's match, with the mentor's first name only, as the "has started" and "has ended" emails."""

from matching.models import Match, MatchStatus
from programs.limited import limited_first_name


def match_news(enrollment):
    """The mentee's latest started match, when it is active (the mentoring has started) or closed
    with nothing after it (it has ended); None otherwise. A paused match is not news here: why it
    is paused is for the coordinators to say."""
    match = (
        Match.objects.filter(mentee=enrollment, started_on__isnull=False)
        .select_related("program", "mentor__user__profile")
        .order_by("-started_on", "-pk")
        .first()
    )
    if match is None or match.status not in (MatchStatus.ACTIVE, MatchStatus.CLOSED):
        return None
    if (
        match.status == MatchStatus.CLOSED
        and Match.objects.filter(
            mentee=enrollment, status__in=[MatchStatus.PROPOSED, MatchStatus.ACTIVE, MatchStatus.PAUSED]
        ).exists()
    ):
        return None
    return {
        "template": "matching/_guardian_news.html",
        "match": match,
        "mentor_first_name": limited_first_name(match.mentor),
    }
