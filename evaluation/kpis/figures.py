"""The figures of a KPI report and the arithmetic that makes them from the aggregate rows
(evaluation/kpis/queries.py): sums over the report's months, ratios, medians and means as
counted, and how each figure is shown. Imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from evaluation.kpis.definitions import (
    DEFINITIONS,
    DEFINITIONS_BY_KEY,
    EVENTS,
    GROUPS,
    PAIRS,
    RETENTION_MONTHS,
)

# --- Figures and reports ----------------------------------------------------------------------------

# Units of a figure (how it is shown and exported).
COUNT = "count"
SHARE = "share"  # 0..1, shown as a percentage
DAYS = "days"
RATE = "per match-month"
RATING = "mean rating (1-5)"
POINTS = "points"
HOURS = "hours"  # a mean of hours, shown as "2.5 h"

# How a figure with too small a base is shown (evaluation/kpis/definitions.py: each definition's
# minimum).
TOO_EARLY = "too early to tell"


@dataclass(frozen=True)
class Figure:
    """One number of a report: the definition it follows, what it is and what it rests on."""

    key: str
    label: str
    value: float | int | None
    unit: str
    segment: str = ""  # e.g. "mentee", "3 months"
    numerator: float | int | None = None
    denominator: float | int | None = None
    basis: int | None = None  # how many values a median or mean rests on (a rate: how many matches)
    match_days: int | None = None  # a rate per match-month: the days of matching it rests on

    @property
    def definition(self):
        return DEFINITIONS_BY_KEY[self.key]

    @property
    def base(self):
        """What the definition's minimum is counted against (None for counts)."""
        if self.unit == SHARE:
            return self.denominator
        if self.unit == RATE:
            return self.match_days
        if self.unit in (DAYS, RATING, POINTS, HOURS):
            return self.basis
        return None

    @property
    def too_small(self):
        """Resting on fewer than the definition's minimum: shown as "too early to tell" beside its
        base (the value itself is kept: exports carry it, marked)."""
        return self.value is not None and self.definition.too_small(self.base)

    @property
    def display(self):
        if self.too_small:
            return TOO_EARLY
        return format_value(self.value, self.unit)

    @property
    def detail(self):
        if self.unit == RATE:
            return describe_rate(self.numerator, self.basis, self.match_days)
        return describe_basis(self.unit, self.numerator, self.denominator, self.basis, self.definition)


@dataclass(frozen=True)
class Month:
    """One month of the period (clipped to it): active matches on its last day, match-days and
    meetings held within it."""

    start: dt.date
    end: dt.date
    active: int
    match_days: int
    held: int

    @property
    def meetings_rate(self):
        return per_match_month(self.held, self.match_days)

    @property
    def meetings_too_small(self):
        """The month's rate rests on fewer days of matching than the definition's minimum."""
        return DEFINITIONS_BY_KEY["meetings"].too_small(self.match_days)


@dataclass
class KpiReport:
    on: dt.date
    start: dt.date
    end: dt.date
    program_count: int
    figures: list = field(default_factory=list)
    months: list = field(default_factory=list)
    # The mentees' funnel, each month of the period: (first day, last day, applied, approved,
    # matched), by ``compute`` (evaluation/kpis/trends.py FUNNEL_SQL's numbers); empty otherwise.
    funnel: list = field(default_factory=list)

    def get(self, key, segment=""):
        for figure in self.figures:
            if figure.key == key and figure.segment == segment:
                return figure
        raise KeyError((key, segment))

    def value(self, key, segment=""):
        return self.get(key, segment).value

    def grouped(self, section=PAIRS):
        """(definition, [figures]) in the dictionary's order, for one section of the dashboard (the
        pairs' figures by default)."""
        return [(d, [f for f in self.figures if f.key == d.key]) for d in DEFINITIONS if d.section == section]

    @property
    def groups_grouped(self):
        """The figures of groups and peer circles, as ``grouped`` lists them."""
        return self.grouped(GROUPS)

    @property
    def has_groups(self):
        """Whether any figure of groups rests on something (a group running, a member, a session, a
        membership or a rating): the dashboards then show the section even for a one-to-one program."""
        return any(
            f.value or f.denominator or f.basis for f in self.figures if f.definition.section == GROUPS
        )

    @property
    def events_grouped(self):
        """The figures of events, as ``grouped`` lists them."""
        return self.grouped(EVENTS)


# --- Arithmetic -------------------------------------------------------------------------------------


def share(key, label, numerator, denominator, segment=""):
    return Figure(key, label, ratio(numerator, denominator), SHARE, segment, numerator, denominator)


def assemble(*, enrollments, matches, months, compliance, outcomes):
    """The figures, from the rows of the aggregate queries (queries.py; plain tuples)."""
    empty = (0, 0, 0, None, 0)
    mentee, mentor = enrollments.get("mentee", empty), enrollments.get("mentor", empty)
    figures = [
        Figure(key, f"{label} ({role}s)", row[k], COUNT, segment=role)
        for k, (key, label) in enumerate([("applicants", "Applicants"), ("approved", "Approved")])
        for role, row in (("mentee", mentee), ("mentor", mentor))
    ]
    figures.append(share("mentees_matched", "Mentees matched", mentee[2], mentee[1]))
    figures.append(Figure("time_to_match", "Time to match", _float(mentee[3]), DAYS, basis=mentee[4]))

    figures.append(Figure("active_matches", "Active matches on D", matches[0], COUNT))
    figures.append(Figure("match_length", "Match length", _float(matches[1]), DAYS, basis=matches[2]))
    for k, n in enumerate(RETENTION_MONTHS):
        base, kept = matches[3 + 2 * k], matches[4 + 2 * k]
        figures.append(share("retention", f"Retention at {n} months", kept, base, segment=f"{n} months"))
    closed, early = matches[3 + 2 * len(RETENTION_MONTHS)], matches[4 + 2 * len(RETENTION_MONTHS)]
    figures.append(share("early_closure", "Early closure rate", early, closed))

    held = sum(row[4] for row in months)
    match_days = sum(int(row[3]) for row in months)
    match_months = round(match_days / 30, 1) if match_days else 0
    rate = per_match_month(held, match_days)
    figures.append(
        Figure(
            "meetings",
            "Meetings per match-month",
            rate,
            RATE,
            numerator=held,
            denominator=match_months,
            basis=matches[2],  # the matches active at some time in the period
            match_days=match_days,
        )
    )
    periods, kept = compliance
    figures.append(share("compliance", "Check-in compliance", kept, periods))

    # Ratings: (count, sum) from check-ins (summed over the months) and from satisfaction surveys.
    ratings = {
        "mentee": (sum(row[5] for row in months) + outcomes[0], sum(row[6] for row in months) + outcomes[1]),
        "mentor": (sum(row[7] for row in months) + outcomes[2], sum(row[8] for row in months) + outcomes[3]),
    }
    for role, (count, total) in ratings.items():
        figures.append(
            Figure(
                "satisfaction",
                f"Satisfaction ({role}s)",
                mean(total, count),
                RATING,
                segment=role,
                basis=count,
            )
        )
    growth_mean, growth_n, goals_set, goals_done, former, mentoring = outcomes[4:10]
    figures.append(share("goal_completion", "Goal completion", goals_done, goals_set))
    figures.append(Figure("growth", "Self-assessed growth", _float(growth_mean), POINTS, basis=growth_n))
    started, trained, hours, mentors = outcomes[10:14]
    figures.append(share("trained_before_match", "Mentors trained before their match", trained, started))
    hours = _float(hours) or 0.0
    figures.append(
        Figure(
            "training_hours",
            "Training hours per mentor",
            mean(hours, mentors),
            HOURS,
            numerator=hours,
            denominator=mentors,
            basis=mentors,
        )
    )
    figures.append(
        Figure(
            "ripple", "Former mentees now mentors", mentoring, COUNT, numerator=mentoring, denominator=former
        )
    )
    return figures


def ratio(numerator, denominator):
    """numerator / denominator, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / denominator


def mean(total, count):
    if not count:
        return None
    return total / count


def per_match_month(count, match_days):
    """Events per match per 30 days of activity."""
    if not match_days:
        return None
    return count * 30 / match_days


def add_months(day, months):
    """``day`` moved by whole months (negative: back), the day of the month clamped to the
    month's length (31 March - 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def default_period(on):
    """The last 12 months up to and including ``on``."""
    return add_months(on, -12) + dt.timedelta(days=1), on


def _float(value):
    return None if value is None else float(value)


def format_value(value, unit):
    if value is None:
        return "–"
    if unit == SHARE:
        return f"{value * 100:.0f}%"
    if unit == DAYS:
        return f"{value:,.0f} days" if value != 1 else "1 day"
    if unit == RATE:
        return f"{value:.2f}"
    if unit == RATING:
        return f"{value:.1f} of 5"
    if unit == POINTS:
        return f"{value:+.2f} points"
    if unit == HOURS:
        return f"{value:,.1f} h"
    return f"{value:,}"


def _plural(count, word, plural=None):
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def describe_rate(held, matches, match_days):
    """What a rate per match-month rests on: "1 meeting; 1 match, 1 day of matching"."""
    if not match_days:
        return "no matches active in the period"
    days = _plural(match_days, "day") + " of matching"
    if match_days >= 30:
        days += f" ({match_days / 30:,.1f} match-months)"
    over = days if matches is None else f"{_plural(matches, 'match', 'matches')}, {days}"
    return f"{_plural(held or 0, 'meeting')}; {over}"


def describe_basis(unit, numerator, denominator, basis, definition=None):
    """What a figure rests on, in the definition's words (definitions.py: ``counts``): "3 of 5",
    "from 1 match", "1 rating"; never "mean of 1", which reads as the figure's value."""
    if unit == SHARE and denominator is not None:
        if denominator:
            return f"{numerator:,} of {denominator:,}"
        return (definition.none_text if definition else "") or "none to count"
    if unit == RATE:
        return describe_rate(numerator, None, None if denominator is None else round(denominator * 30))
    if unit == HOURS and basis:
        over = definition.counted(basis) if definition else _plural(basis, "mentor")
        return f"{format_value(numerator or 0, HOURS)} over {over}"
    if unit in (DAYS, RATING, POINTS, HOURS) and basis is not None:
        if not basis:
            return definition.none_counted if definition else "nothing to count"
        counted = definition.counted(basis) if definition else None
        counted = counted or _plural(basis, "value")
        return counted if unit == RATING else f"from {counted}"
    if unit == COUNT and denominator is not None:
        return f"of {denominator:,} former mentees"
    return ""
