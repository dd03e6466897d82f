"""Small numbers do not mislead: a figure resting on fewer than its definition's smallest base reads
"too early to tell" beside what it rests on (on the dashboards, the cross-program table and the
definitions page), and an export keeps the number but marks it."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import kpis
from evaluation.services import checkin_log
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def young():
    """Ada and Ben, matched today, and one meeting logged today: the issue's one-day-old match."""
    world = pair_world()
    checkin_log(match=world.match, by=world.mentee, occurred_on=timezone.localdate(), rating=5)
    return world


def test_one_meeting_in_a_one_day_old_match_is_too_early_to_tell(client, young):
    client.force_login(young.coordinator)
    response = client.get(reverse("evaluation:program_dashboard", args=[young.program.slug]))
    meetings = response.context["report"].get("meetings")
    assert meetings.value == 30.0  # the figure itself is unchanged...
    assert meetings.too_small and meetings.display == "too early to tell"  # ...but not shown as one
    assert meetings.detail == "1 meeting; 1 match, 1 day of matching"  # and its basis is true
    page = response.text
    assert "30.00" not in page
    assert "no active matches" not in page
    assert "1 meeting; 1 match, 1 day of matching" in page
    assert "shown from at least 90 days of matching" in page
    # The one rating is too few for a mean, too.
    assert response.context["report"].get("satisfaction", "mentee").display == "too early to tell"


def test_enough_data_shows_the_figure(client):
    rate = kpis.Figure("meetings", "x", 1.5, kpis.RATE, numerator=9, basis=2, match_days=180)
    assert (rate.too_small, rate.display) == (False, "1.50")
    assert rate.detail == "9 meetings; 2 matches, 180 days of matching (6.0 match-months)"
    few = kpis.Figure("compliance", "x", 0.75, kpis.SHARE, numerator=3, denominator=4)
    assert (few.display, few.detail) == ("too early to tell", "3 of 4")
    enough = kpis.Figure("compliance", "x", 0.6, kpis.SHARE, numerator=3, denominator=5)
    assert (enough.display, enough.detail) == ("60%", "3 of 5")
    nothing = kpis.Figure("compliance", "x", None, kpis.SHARE, numerator=0, denominator=0)
    assert (nothing.display, nothing.detail) == ("–", "none to count")
    count = kpis.Figure("active_matches", "x", 1, kpis.COUNT)
    assert (count.too_small, count.display) == (False, "1")


def test_every_ratio_median_and_mean_has_a_smallest_base_and_counts_have_none(young):
    report = kpis.compute(young.program.__class__.objects.all(), **_today())
    for figure in report.figures:
        minimum = figure.definition.minimum
        if figure.unit == kpis.COUNT:
            assert minimum == 0, figure.key
        else:
            assert minimum > 0 and figure.definition.base, figure.key


def test_the_definitions_page_states_the_smallest_bases(client):
    page = client.get(reverse("evaluation:definitions")).text
    assert "Shown when based on" in page
    assert 'id="minimums"' in page
    for definition in kpis.DEFINITIONS:
        assert definition.minimum_text[1:] in page
    assert "At least 5 approved mentees" in page and "At least 90 days of matching" in page


def test_the_export_keeps_the_number_and_marks_it(client, young):
    client.force_login(young.coordinator)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("evaluation:program_export", args=[young.program.slug]),
        {"on": today, "end": today, "dataset": "kpis", "file_format": "csv"},
    )
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    by = {(row[0], row[3]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    meetings = by[("meetings", "")]
    assert (meetings["value"], meetings["shown_as"], meetings["enough_data"]) == (
        "30.0",
        "too early to tell",
        "false",
    )
    assert by[("active_matches", "")]["enough_data"] == "true"


def test_the_cross_program_table_says_too_early_too(client, young):
    client.force_login(young.staff)
    response = client.get(reverse("evaluation:staff_dashboard"))
    rows = response.context["comparison"]["rows"]
    mine = next(figures for program, figures in rows if program == young.program)
    meetings = next(f for f in mine if f.key == "meetings")
    assert meetings.display == "too early to tell"
    assert "1 meeting; 1 match, 1 day of matching" in response.text
    assert "30.00" not in response.text


def _today():
    on = timezone.localdate()
    start, end = kpis.default_period(on)
    return {"on": on, "start": start, "end": end}
