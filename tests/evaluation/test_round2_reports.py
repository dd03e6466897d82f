"""Round 2 of issue 12 (the walk's findings 8, 14 and 15): the reports say what a figure rests on
("1 rating", "from 1 match"), never "mean of 1", which reads as the value; satisfaction says what it
counts; the exports list and the staff-contacts page say each thing once, and only when true."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import kpis
from evaluation.models import ExportRecord, ExportStatus, SurveyKind
from evaluation.services import checkin_log, survey_answer
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def walked():
    """The walk's pair: the mentor logs one meeting rated 5; the mentee answers the pairing-fit
    survey it made due (4)."""
    world = pair_world()
    checkin_log(match=world.match, by=world.mentor, occurred_on=timezone.localdate(), rating=5)
    survey_answer(match=world.match, by=world.mentee, kind=SurveyKind.PAIRING_FIT, rating=4)
    return world


def _main(page):
    return page.split("<main", 1)[1]


def test_a_program_report_says_what_a_mean_rests_on_and_what_satisfaction_counts(client, walked):
    client.force_login(walked.coordinator)
    response = client.get(reverse("evaluation:program_dashboard", args=[walked.program.slug]))
    report = response.context["report"]
    mentor, mentee = report.get("satisfaction", "mentor"), report.get("satisfaction", "mentee")
    # The values are the definition's (verified elsewhere): the mentor's check-in rating counts for
    # mentors; the pairing-fit survey is not a satisfaction survey, so mentees have no rating yet.
    assert (mentor.value, mentor.basis, mentee.value, mentee.basis) == (5.0, 1, None, 0)
    assert (mentor.display, mentor.detail) == ("too early to tell", "1 rating")
    assert mentee.detail == "no ratings in the period"
    assert report.get("match_length").detail == "from 1 match"
    page = _main(response.text)
    assert "mean of" not in page and "median of" not in page and "no answers yet" not in page
    assert '1 rating<span class="meta">; shown from at least 5 ratings (for each role)</span>' in page
    # The reader is told what satisfaction counts, so the pairing-fit answer is not looked for.
    assert page.count("surveys they answered; other surveys (pairing fit, exit) do not count") == 1


def test_the_cross_program_table_and_charts_say_what_each_figure_rests_on(client, walked):
    client.force_login(walked.staff)
    response = client.get(reverse("evaluation:staff_dashboard"))
    comparison = response.context["comparison"]
    program_row = dict(comparison["rows"])[walked.program]
    details = {f.key: f.detail for f in program_row}
    assert details["time_to_match"] == "from 1 mentee matched"
    assert details["satisfaction"] == "no ratings in the period"
    page = _main(response.text)
    assert "from 1 mentee matched" in page and "no ratings in the period" in page
    assert "mean of" not in page and "median of" not in page
    assert "too early to tell (1 rating)" in page  # the satisfaction chart's mentor bar


def test_the_base_wording_comes_from_the_definitions():
    growth = kpis.Figure("growth", "x", 0.5, kpis.POINTS, basis=2)
    assert growth.detail == "from 2 mentees with both self-assessments"
    many = kpis.Figure("satisfaction", "x", 4.2, kpis.RATING, segment="mentee", basis=1200)
    assert (many.display, many.detail) == ("4.2 of 5", "1,200 ratings")
    # The minimum is stated in the same words.
    assert kpis.DEFINITIONS_BY_KEY["satisfaction"].minimum_text == "at least 5 ratings (for each role)"
    assert kpis.DEFINITIONS_BY_KEY["time_to_match"].minimum_text == "at least 5 mentees matched in the period"


def test_the_exports_list_says_a_streamed_file_is_not_kept_and_asks_to_check_only_while_building(
    client, walked
):
    client.force_login(walked.coordinator)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("evaluation:program_export", args=[walked.program.slug]),
        {"dataset": "kpis", "file_format": "csv", "on": today, "start": today, "end": today},
    )
    b"".join(response.streaming_content)  # the CSV is downloaded at once
    page = client.get(reverse("evaluation:exports")).text
    assert "Downloaded at once (not kept)" in page
    assert "downloaded when asked for" not in page
    assert "Check again" not in page  # nothing is being built

    ExportRecord.objects.create(
        requested_by=walked.coordinator, dataset="checkins", file_format="xlsx", status=ExportStatus.QUEUED
    )
    page = client.get(reverse("evaluation:exports")).text
    assert "not ready yet" in page and "Check again" in page


def test_the_staff_contacts_page_says_once_that_no_pair_needs_a_contact(client):
    world = pair_world()  # matched today: no contact due yet
    client.force_login(world.coordinator)
    page = client.get(reverse("evaluation:contacts_due", args=[world.program.slug])).text
    assert "0 pairs need a contact" not in page
    assert page.count("Every active pair has had its staff contacts.") == 1


def test_the_exports_list_leads_back_to_the_reports_the_exports_came_from(client, walked):
    # The walk's finding 21: "Your exports" had no way back.
    client.force_login(walked.coordinator)
    ExportRecord.objects.create(
        requested_by=walked.coordinator, program=walked.program, dataset="checkins", file_format="xlsx"
    )
    page = _main(client.get(reverse("evaluation:exports")).text)
    report = reverse("evaluation:program_dashboard", args=[walked.program.slug])
    assert f'href="{report}"' in page
    # A coordinator has no cross-program page to go back to.
    assert f'href="{reverse("evaluation:staff_dashboard")}"' not in page
