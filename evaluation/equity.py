"""The equity report: for one demographic question of a program, each group's representation
(applicants, approved, matched, by role, mentees first) and outcomes (time to match, retention at 3,
6 and 12 months, early closure, satisfaction, self-assessed growth).

The groups: each option of the question, "Self-described" (answers in the person's own words),
"Prefer not to say" and "Not answered" (everyone else of the program), so that they add up to the
program. Every figure is the data dictionary's (evaluation/kpis), computed by ``kpis.compute(...,
people=<the group's enrollment ids>)``: a fixed number of queries per group, whatever their size.

Small cells (evaluation/suppression.py): a count under 5, or a figure resting on fewer than 5 (its
base: the denominator of a share, the values of a median or mean), shows "fewer than 5"; then more
cells of the same column are "withheld" so that no hidden group can be worked out from the others and
the program's total (the "Everyone" row, which the dashboard shows too). Answers are read only here,
only in aggregate; nobody's answer is ever shown.

``equity_summary(program, *, on, start, end)`` (for the funder report) returns, for each question of
the program, a dict::

    {"question": "How do you describe your gender?", "topic": "gender",
     "columns": ["Mentees applied", "Mentees approved", "Mentees matched", "Retention at 6 months",
                 "Early closure rate", "Satisfaction (mentees)"],
     "rows": [{"group": "Woman", "cells": ["12", "fewer than 5", "withheld", "83%", ...]}, ...],
     "total": {"group": "Everyone", "cells": [...]}}

every cell already a text, suppressed as above (never a count under 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Min
from django.db.models.functions import TruncDate

from evaluation import kpis
from evaluation.suppression import FEWER, MINIMUM, SHOWN, WITHHELD, count_text, state_text, suppress_table
from matching.models import Match
from programs import demographics
from programs.models import Enrollment, EnrollmentStatus, Program, StatusChange
from programs.models.demographics import DemographicAnswer

ROLES = ("mentee", "mentor")
# Representation: (heading, figure key, segment) per role; "matched" is counted below.
REPRESENTATION = (("Applied", "applicants"), ("Approved", "approved"), ("Matched", "matched"))
# Outcomes: (key, segment or None for the role, heading). Time to match is the mentees'.
OUTCOMES = (
    ("time_to_match", "", "Time to match"),
    ("retention", "3 months", "Retention at 3 months"),
    ("retention", "6 months", "Retention at 6 months"),
    ("retention", "12 months", "Retention at 12 months"),
    ("early_closure", "", "Early closure rate"),
    ("satisfaction", None, "Satisfaction"),
    ("growth", "", "Self-assessed growth"),
)


@dataclass
class Cell:
    text: str
    state: str = SHOWN
    value: float | None = None  # for the chart (None when hidden)
    base: int | None = None


@dataclass
class Line:
    label: str
    cells: list = field(default_factory=list)
    people: int = 0


@dataclass
class Table:
    columns: list  # headings
    keys: list  # definition keys (the definitions page's anchors)
    rows: list  # [Line]
    total: Line


@dataclass
class Group:
    label: str
    ids: dict  # role -> [enrollment ids]

    @property
    def everyone(self):
        return [pk for role in ROLES for pk in self.ids[role]]


def groups_of(question):
    """The question's groups, each with its people's enrollment ids by role: two queries."""
    program = question.program
    by_group = {label: {role: [] for role in ROLES} for label in question.options}
    extra = {
        demographics.SELF_DESCRIBED: {r: [] for r in ROLES},
        demographics.PREFER_NOT_TO_SAY: {r: [] for r in ROLES},
    }
    answered = {}
    for enrollment_id, option, prefer, own in DemographicAnswer.objects.filter(question=question).values_list(
        "enrollment_id", "option", "prefer_not_to_say", "self_described"
    ):
        if prefer:
            answered[enrollment_id] = demographics.PREFER_NOT_TO_SAY
        elif own:
            answered[enrollment_id] = demographics.SELF_DESCRIBED
        elif option:
            answered[enrollment_id] = option
    not_answered = {r: [] for r in ROLES}
    for pk, role in Enrollment.objects.filter(program=program).values_list("pk", "role"):
        label = answered.get(pk)
        if label is None:
            target = not_answered
        elif label in extra:
            target = extra[label]
        else:
            target = by_group.setdefault(label, {r: [] for r in ROLES})  # an option since removed
        target.setdefault(role, []).append(pk)
    groups = [Group(label, ids) for label, ids in by_group.items()]
    groups += [Group(label, ids) for label, ids in extra.items()]
    groups.append(Group(demographics.NOT_ANSWERED, not_answered))
    return groups


def _matched_mentors(program, *, on, start, end):
    """Mentors approved in the period whose first match had started by D (as "Mentees matched"
    counts mentees): two queries."""
    approved = set(
        StatusChange.objects.filter(
            enrollment__program=program, enrollment__role="mentor", to_status=EnrollmentStatus.APPROVED
        )
        .values("enrollment_id")
        .annotate(first=_min_date())
        .filter(first__range=(start, end))
        .values_list("enrollment_id", flat=True)
    )
    matched = set(
        Match.objects.filter(program=program, started_on__lte=on, mentor_id__in=approved).values_list(
            "mentor_id", flat=True
        )
    )
    return matched


def _min_date():
    return Min(TruncDate("changed_at"))


def _programs(program):
    return Program.objects.filter(pk=program.pk)


def representation(program, groups, *, on, start, end, overall=None):
    """Applicants, approved and matched, by role (mentees first), per group and for everyone."""
    period = {"on": on, "start": start, "end": end}
    overall = overall or kpis.compute(_programs(program), **period)
    mentors = _matched_mentors(program, **period)
    columns = [f"{heading} ({role}s)" for role in ROLES for heading, _ in REPRESENTATION]
    keys = [key if key != "matched" else "equity_matched" for _ in ROLES for _, key in REPRESENTATION]

    def counts(report, mentor_ids):
        row = []
        for role in ROLES:
            row.append(report.value("applicants", role))
            row.append(report.value("approved", role))
            if role == "mentee":
                row.append(report.get("mentees_matched").numerator or 0)
            else:
                row.append(len(mentor_ids))
        return row

    reports = [kpis.compute(_programs(program), **period, people=g.everyone) for g in groups]
    rows = [counts(r, mentors.intersection(g.ids["mentor"])) for r, g in zip(reports, groups, strict=True)]
    total = counts(overall, mentors)
    states = suppress_table(rows, row_totals=False, column_totals=True)
    unsafe_columns = {j for _, j in states.unsafe}
    lines = [
        Line(
            g.label,
            [Cell(state_text(s, f"{n:,}"), s, None if s else n) for n, s in zip(row, st, strict=True)],
        )
        for g, row, st in zip(groups, rows, states, strict=True)
    ]
    total_line = Line(
        "Everyone",
        [Cell(WITHHELD if j in unsafe_columns else count_text(n), WITHHELD if j in unsafe_columns else SHOWN)
         for j, n in enumerate(total)],
    )  # fmt: skip
    return Table(columns, keys, lines, total_line)


def outcomes(program, groups, *, on, start, end, role="mentee", overall=None):
    """The outcomes of the matches of the group's mentees (or mentors), per group and for everyone.
    A figure resting on fewer than 5 (its base, and at most the group's people who have had a match)
    shows "fewer than 5"; more are withheld as for counts."""
    period = {"on": on, "start": start, "end": end}
    overall = overall or kpis.compute(_programs(program), **period)
    wanted = [
        (k, s if s is not None else role, h)
        for k, s, h in OUTCOMES
        if not (k == "time_to_match" and role != "mentee")
    ]
    reports = [kpis.compute(_programs(program), **period, people=g.ids[role]) for g in groups]

    def figures(report):
        return [report.get(key, segment) for key, segment, _ in wanted]

    per_group = [figures(r) for r in reports]
    # A figure rests on no more people than the group's mentees (or mentors) who have had a match:
    # a mean of 12 ratings given by 2 people rests on 2 people (one query for every group).
    matched = set(
        Match.objects.filter(program=program, started_on__lte=on).values_list(f"{role}_id", flat=True)
    )
    people = [len(matched.intersection(g.ids[role])) for g in groups]
    bases = [[min(f.base or 0, n) for f in row] for row, n in zip(per_group, people, strict=True)]
    states = suppress_table(bases, row_totals=False, column_totals=True)
    unsafe_columns = {j for _, j in states.unsafe}

    def cell(figure, state):
        if state:
            return Cell(state_text(state, ""), state, base=None)
        if figure.value is None:
            return Cell("–", SHOWN, None, figure.base)
        return Cell(
            f"{kpis.format_value(figure.value, figure.unit)} (of {figure.base:,})",
            SHOWN,
            figure.value,
            figure.base,
        )

    lines = [
        Line(g.label, [cell(f, s) for f, s in zip(row, st, strict=True)])
        for g, row, st in zip(groups, per_group, states, strict=True)
    ]
    total_figures = figures(overall)

    def total_state(j, figure):
        if j in unsafe_columns:
            return WITHHELD
        return FEWER if min(figure.base or 0, len(matched)) < MINIMUM else SHOWN

    total_line = Line("Everyone", [cell(f, total_state(j, f)) for j, f in enumerate(total_figures)])
    headings = [h if k != "satisfaction" else f"{h} ({role}s)" for k, _, h in wanted]
    return Table(headings, [k for k, _, _ in wanted], lines, total_line)


def equity_report(program, question, *, on, start, end, role="mentee"):
    """The page's two tables for ``question``."""
    groups = groups_of(question)
    overall = kpis.compute(_programs(program), on=on, start=start, end=end)
    period = {"on": on, "start": start, "end": end, "overall": overall}
    return {
        "groups": groups,
        "representation": representation(program, groups, **period),
        "outcomes": outcomes(program, groups, role=role, **period),
    }


SUMMARY_COLUMNS = (0, 1, 2)  # mentees applied, approved, matched
SUMMARY_HEADINGS = ("Mentees applied", "Mentees approved", "Mentees matched")
SUMMARY_OUTCOMES = ("Retention at 6 months", "Early closure rate", "Satisfaction (mentees)")


def equity_summary(program, *, on, start, end, overall=None):
    """Per question of the program (asked now or retired), a small suppressed table for the funder
    report: see the module's docstring for its shape. ``overall``: the program's report for the same
    dates, when the caller has it (not counted again)."""
    summary = []
    overall = overall or kpis.compute(_programs(program), on=on, start=start, end=end)
    for question in demographics.questions_of(program, include_retired=True):
        groups = groups_of(question)
        period = {"on": on, "start": start, "end": end, "overall": overall}
        rep = representation(program, groups, **period)
        out = outcomes(program, groups, **period)
        picked = [out.columns.index(h) for h in SUMMARY_OUTCOMES]

        def cells(rep_line, out_line, picked=picked):
            return [rep_line.cells[k].text for k in SUMMARY_COLUMNS] + [
                out_line.cells[k].text for k in picked
            ]

        summary.append(
            {
                "question": question.label,
                "topic": question.topic,
                "columns": [*SUMMARY_HEADINGS, *SUMMARY_OUTCOMES],
                "rows": [
                    {"group": r.label, "cells": cells(r, o)} for r, o in zip(rep.rows, out.rows, strict=True)
                ],
                "total": {"group": "Everyone", "cells": cells(rep.total, out.total)},
            }
        )
    return summary
