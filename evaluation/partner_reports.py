"""A partner contact's page: aggregate figures for the people their organisation brought, in a
period, and nothing else. Never a name, an email, a story or any row about one person.

The figures are the data dictionary's (``kpis.compute(..., people=[the partner's enrollments]``),
each shown through small-cell suppression (evaluation/suppression.py): a count below MINIMUM is
"fewer than 5", and a share is shown only when neither its people counted nor the others of its
base are fewer than MINIMUM (else either could be worked out from it). A mean, a median or a rate
is shown only when it rests on at least MINIMUM values, and a figure about matches (their shares,
the ratings given in them) only when at least MINIMUM of the partner's people have had one: twelve
ratings from two people rest on two people.

Who may open it: the partner's contacts with an accepted, unrevoked login, and the program's
coordinators and staff (a preview). Anyone else: 404.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluation import kpis
from evaluation.kpis.figures import TOO_EARLY
from evaluation.suppression import MINIMUM, count_text
from matching.models import Match
from programs.access import can_manage
from programs.models import Partner, Program
from programs.partners import partner_people_ids, viewer_has_access, viewer_partners

SUPPRESSED = f"fewer than {MINIMUM}"
# The figures about matches (their shares rest on matches, hence on the people in them).
ABOUT_MATCHES = {"retention", "early_closure", "compliance", "goal_completion"}
# (key, segment) of the figures a partner sees, in this order.
SHOWN = [
    ("applicants", "mentee"),
    ("applicants", "mentor"),
    ("approved", "mentee"),
    ("approved", "mentor"),
    ("mentees_matched", ""),
    ("time_to_match", ""),
    ("active_matches", ""),
    ("retention", "3 months"),
    ("retention", "6 months"),
    ("retention", "12 months"),
    ("early_closure", ""),
    ("meetings", ""),
    ("satisfaction", "mentee"),
    ("satisfaction", "mentor"),
    ("growth", ""),
]


@dataclass(frozen=True)
class PartnerFigure:
    label: str
    text: str  # the value as shown (suppressed or not)
    base: str  # what it rests on, as shown ("" for counts)
    definition: str  # the dictionary's name of the figure (the definitions page explains it)
    suppressed: bool


def get_partner_report_for(user, pk):
    """(partner, preview): the partner's contact sees it; the program's coordinators and staff
    preview it; anyone else 404 (a revoked login too)."""
    partner = get_object_or_404(Partner.objects.select_related("program"), pk=pk)
    if viewer_has_access(user, partner):
        return partner, False
    if can_manage(user, partner.program):
        return partner, True
    raise Http404("No such page.")


def _small(n):
    return n is not None and n < MINIMUM


def _shown(figure, people):
    """(text, base, suppressed) of one figure under the rules of the module's docstring. ``people``:
    how many of the partner's people have had a match; a figure about matches (a share of them, a
    mean of their ratings) rests on no more people than that."""
    unit = figure.unit
    if unit == "count":
        value = figure.value or 0
        return count_text(value), "", _small(value)
    if unit == "share":
        n, d = figure.numerator or 0, figure.denominator or 0
        hidden = d < MINIMUM or 0 < n < MINIMUM or 0 < d - n < MINIMUM
        hidden = hidden or (figure.key in ABOUT_MATCHES and people < MINIMUM)
        base = count_text(d)
        return (SUPPRESSED if hidden else figure.display), base, hidden
    basis = figure.basis or 0
    base = count_text(basis)
    if min(basis, people) < MINIMUM:
        return SUPPRESSED, base, True
    return (TOO_EARLY if figure.too_small else figure.display), base, False


def partner_figures(partner, *, on, start, end):
    """The partner's figures for the period, every one through suppression (PartnerFigure)."""
    ids = partner_people_ids(partner)
    report = kpis.compute(
        Program.objects.filter(pk=partner.program_id), on=on, start=start, end=end, people=ids
    )
    matched = Match.objects.filter(program_id=partner.program_id, started_on__lte=on).filter(
        Q(mentee_id__in=ids) | Q(mentor_id__in=ids)
    )
    people = len({pk for pair in matched.values_list("mentee_id", "mentor_id") for pk in pair} & set(ids))
    figures = []
    for key, segment in SHOWN:
        figure = report.get(key, segment)
        text, base, suppressed = _shown(figure, people)
        figures.append(PartnerFigure(figure.label, text, base, figure.definition.name, suppressed))
    return figures


def my_partner_pages(request):
    """The dashboard panel of a partner contact: a link to each partner page they may see."""
    partners = list(viewer_partners(request.user))
    return {"template": "evaluation/_panel_partner_pages.html", "partners": partners, "hidden": not partners}


# --- Slicing a program's reports and exports by partner (?partner=<id>) --------------------------------


def partner_slice(program, value):
    """(partner, people): the program's partner that ``value`` (the ``partner`` query parameter)
    names and its people's enrollment ids; (None, None) when it names none of the program's."""
    if program is None or not str(value or "").isdigit():
        return None, None
    partner = Partner.objects.filter(program=program, pk=int(value)).first()
    if partner is None:
        return None, None
    return partner, partner_people_ids(partner)


def partner_choices(program):
    """The partners a program's reports can be sliced by (archived ones too: their people keep the
    tag)."""
    return list(Partner.objects.filter(program=program).order_by("name", "pk")) if program else []
