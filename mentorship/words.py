"""Values in the words people use: "every 2 years", not "730 days"; "in person or online", not
"either". One place for each phrase, used by templates (the ``words`` template filters) and code."""

from django.utils import timezone

from mentorship.models import MeetingMode

_DAYS_PER_YEAR = 365
_DAYS_PER_MONTH = 30.44


def _count(n, unit):
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _unit(days):
    """(n, unit) for a number of days: whole years, months or weeks when it is one (give or take
    a day a month, for leap years and 30/31-day months), else days."""
    years = round(days / _DAYS_PER_YEAR)
    if years >= 1 and abs(days - years * _DAYS_PER_YEAR) <= years:
        return years, "year"
    months = round(days / _DAYS_PER_MONTH)
    if days >= 28 and months >= 1 and abs(days - months * _DAYS_PER_MONTH) <= months:
        return months, "month"
    if days >= 7 and days % 7 == 0:
        return days // 7, "week"
    return days, "day"


def duration(days):
    """730 -> "2 years", 90 -> "3 months", 14 -> "2 weeks", 1 -> "1 day", 45 -> "45 days"."""
    if days in (None, ""):
        return ""
    return _count(*_unit(int(days)))


def every(days):
    """How often, for a period in days: 730 -> "every 2 years", 365 -> "every year", 7 -> "every
    week", 14 -> "every 2 weeks", 1 -> "every day"."""
    if days in (None, ""):
        return ""
    n, unit = _unit(int(days))
    return f"every {unit}" if n == 1 else f"every {_count(n, unit)}"


_MEETS = {
    MeetingMode.IN_PERSON: "in person",
    MeetingMode.ONLINE: "online",
    MeetingMode.EITHER: "in person or online",
}
_MEETS_BY_LABEL = {str(mode.label).lower(): words for mode, words in _MEETS.items()}


def meets(mode):
    """How someone meets, as a sentence goes on: "in person", "online", "in person or online".
    Takes a MeetingMode value or its label (the limited profile holds the label)."""
    if mode in _MEETS:
        return _MEETS[mode]
    return _MEETS_BY_LABEL.get(str(mode).lower(), str(mode).lower())


def ago(when, today=None):
    """How long ago a moment was, in days as people say it (``User.last_active``): "today",
    "yesterday", "3 days ago", "2 weeks ago", "1 month ago"; "never" for None."""
    if when in (None, ""):
        return "never"
    today = today or timezone.localdate()
    days = (today - timezone.localdate(when)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{duration(days)} ago"
