"""What the evaluation app adds to a match's page for its coordinators (settings.MATCH_PAGE_FACTS):
the pair's last meeting and where its staff contacts stand. The matching app shows these facts
without importing this app (it sits below it)."""

import datetime as dt

from django.utils import timezone

from evaluation.models import CheckIn, StaffContact
from evaluation.selectors import staff_contacts_expected
from matching.models import MatchStatus


def next_staff_contact_due(started_on, contacts):
    """The first day on which ``contacts`` staff contacts fall short of the standard
    (``staff_contacts_expected``, the one definition); None before the match starts."""
    if started_on is None:
        return None
    # The standard asks for one more contact at most every 30 days: the day is within reach.
    for days in range(0, 30 * (contacts + 2) + 1):
        if staff_contacts_expected(started_on, started_on + dt.timedelta(days=days)) > contacts:
            return started_on + dt.timedelta(days=days)
    return None


def _ago(day, today):
    days = (today - day).days
    if days <= 0:
        return "today" if days == 0 else "ahead"
    return "yesterday" if days == 1 else f"{days} days ago"


def match_facts(match, *, on=None):
    """[(label, text)] about ``match`` for its coordinators, in three queries at most."""
    today = on or timezone.localdate()
    meetings = CheckIn.objects.filter(match=match, held=True).order_by("-occurred_on")
    last_meeting = meetings.values_list("occurred_on", flat=True).first()
    contacts = StaffContact.objects.filter(match=match).order_by("-contacted_on", "-pk")
    last_contact = contacts.first()
    facts = []
    if match.started_on:
        meeting = f"{last_meeting:%-d %b %Y} ({_ago(last_meeting, today)})" if last_meeting else ""
        facts.append(("Last meeting", meeting or "none logged yet"))
        facts.append(
            (
                "Last staff contact",
                f"{last_contact.contacted_on:%-d %b %Y} ({last_contact.get_method_display().lower()}, "
                f"{_ago(last_contact.contacted_on, today)})"
                if last_contact
                else "none logged yet",
            )
        )
    if match.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
        due = next_staff_contact_due(match.started_on, contacts.count())
        if due is not None:
            if due < today:
                text = f"overdue since {due:%-d %b %Y}"
            else:
                text = "today" if due == today else f"by {due:%-d %b %Y}"
            facts.append(("Next staff contact due", text))
    return facts
