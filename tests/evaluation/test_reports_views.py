"""The report pages through the client: who sees what, what they show, and query counts that do not
grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import kpis
from evaluation.models import ExportRecord
from programs.models import Program
from tests.evaluation.kpi_history import D, build_history, checkin, enrolled, pair
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def program_urls(world):
    slug = world.program.slug
    return [
        reverse("evaluation:program_dashboard", args=[slug]),
        reverse("evaluation:program_export", args=[slug]),
    ]


STAFF_URLS = [reverse("evaluation:staff_dashboard"), reverse("evaluation:staff_export")]

PROGRAM_EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "outsider": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}
STAFF_EXPECTED = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "staff": 200}
SIGNED_IN_EXPECTED = dict.fromkeys(ROLES, 200) | {"anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_program_reports_answer_only_its_coordinators_and_staff(client, world, role, login_as):
    login_as(world, role)
    for url in program_urls(world):
        response = client.get(url)
        assert response.status_code == PROGRAM_EXPECTED[role], f"{role} at {url}"
        if role == "anonymous":
            assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_cross_program_reports_answer_only_staff(client, world, role, login_as):
    login_as(world, role)
    for url in STAFF_URLS:
        response = client.get(url)
        assert response.status_code == STAFF_EXPECTED[role], f"{role} at {url}"
        if role == "anonymous":
            assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_the_exports_list_is_for_anyone_signed_in(client, world, role, login_as):
    login_as(world, role)
    response = client.get(reverse("evaluation:exports"))
    assert response.status_code == SIGNED_IN_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_definitions_page_is_public(client, world, role, login_as):
    login_as(world, role)
    assert client.get(reverse("evaluation:definitions")).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_export_a_program(client, world, role, login_as):
    login_as(world, role)
    data = {"dataset": "checkins", "file_format": "csv"}
    response = client.post(reverse("evaluation:program_export", args=[world.program.slug]), data)
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "coordinator", "other_coordinator"])
def test_only_staff_export_across_programs(client, world, role, login_as):
    login_as(world, role)
    response = client.post(reverse("evaluation:staff_export"), {"dataset": "kpis", "file_format": "csv"})
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert not ExportRecord.objects.exists()


@pytest.fixture
def history():
    return build_history()


@pytest.fixture
def lead(history):
    return history.coordinators.get()


def dashboard(client, program, **query):
    return client.get(reverse("evaluation:program_dashboard", args=[program.slug]), query)


def test_the_dashboard_shows_the_figures_charts_and_navigation(client, history, lead):
    client.force_login(lead)
    response = dashboard(client, history, on=D.isoformat())
    assert response.status_code == 200
    page = response.text
    report = response.context["report"]
    assert (report.on, report.start, report.end) == (D, dt.date(2025, 7, 1), D)
    assert '<nav aria-label="Program" class="subnav">' in page  # the program's navigation
    for definition in kpis.DEFINITIONS:
        if definition.section != kpis.GROUPS:  # a one-to-one program with no groups: no groups' section
            assert f'#{definition.key}"' in page  # each figure links to its definition
    # Mentees matched: 3 of 4 is below the smallest base of a share, so no percentage.
    assert "too early to tell" in page and "3 of 4" in page and "75%" not in page
    # Seven charts, each an image with a title and a description, and a table of its numbers.
    assert page.count('role="img"') == 7
    for chart in response.context["charts"]:
        assert f'<title id="{chart.id}-title">{chart.title}</title>' in page
        assert f'<desc id="{chart.id}-desc">' in page
    assert page.count("<details>") == 7
    assert "Retention at 6 months" in page and "80% (4 of 5)" in page  # printed on the chart


def test_the_dashboard_defaults_to_today_and_the_last_twelve_months(client, history, lead):
    client.force_login(lead)
    report = dashboard(client, history).context["report"]
    today = dt.date.today()
    assert (report.on, report.end) == (today, today)
    assert report.start == kpis.default_period(today)[0]


def test_the_dashboard_lists_the_pairs_at_risk(client, history, lead):
    client.force_login(lead)
    response = dashboard(client, history)
    # The active pairs of the history have not met for months (today is long after D).
    risky = response.context["at_risk"]
    assert {r.match.started_on for r in risky} == {dt.date(2025, 8, 9), dt.date(2025, 8, 1), D}
    assert "Pairs at risk today" in response.text and "no meeting for" in response.text
    assert risky[0].match.get_absolute_url() in response.text


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"on": "2099-01-01"}, "The reporting date cannot be in the future."),
        ({"on": "2026-06-30", "end": "2026-07-01"}, "The period must end on or before the reporting date."),
        (
            {"start": "2026-06-30", "end": "2026-06-01", "on": "2026-06-30"},
            "The period must start before it ends.",
        ),
        ({"on": "not a date"}, "Enter a valid date."),
    ],
)
def test_a_bad_period_is_explained_and_reports_nothing(client, history, lead, query, error):
    client.force_login(lead)
    response = dashboard(client, history, **query)
    assert response.status_code == 200
    assert error in response.text
    assert response.context["report"] is None


def test_staff_see_every_program_together(client, history, world):
    client.force_login(world.people.staff)
    response = client.get(reverse("evaluation:staff_dashboard"), {"on": D.isoformat()})
    assert response.context["report"].program_count == Program.objects.count()
    assert response.context["report"].value("active_matches") == 3
    for program in Program.objects.all():
        assert reverse("evaluation:program_dashboard", args=[program.slug]) in response.text
    assert '<th scope="col">Program</th>' in response.text  # the at-risk list names the program


def test_the_definitions_page_shows_the_whole_dictionary(client):
    page = client.get(reverse("evaluation:definitions")).text
    for definition in kpis.DEFINITIONS:
        assert f'id="{definition.key}"' in page
        assert definition.name in page
    # Growth, ripple, the two trainings, and the ten figures of groups and events.
    assert page.count('<span class="badge">added</span>') == 14


def grow(program, count):
    """``count`` more pairs with a few check-ins each."""
    for k in range(count):
        mentee = enrolled(program, "mentee", f"more-mentee{k}@kpi.test", applied_on=dt.date(2025, 9, 1),
                          approved_on=dt.date(2025, 9, 10))  # fmt: skip
        mentor = enrolled(program, "mentor", f"more-mentor{k}@kpi.test", applied_on=dt.date(2025, 9, 1))
        match = pair(program, mentee, mentor, started_on=dt.date(2025, 10, 1))
        for day in (dt.date(2025, 10, 5), dt.date(2026, 1, 5), dt.date(2026, 5, 5)):
            checkin(match, day, by=mentee.user, rating=4)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboards_take_the_same_queries_however_big(
    client, history, lead, world, django_assert_max_num_queries
):
    program_url = reverse("evaluation:program_dashboard", args=[history.slug])
    client.force_login(lead)
    small = count_queries(client, program_url)
    client.force_login(world.people.staff)
    small_staff = count_queries(client, reverse("evaluation:staff_dashboard"))
    grow(history, 8)
    client.force_login(lead)
    with django_assert_max_num_queries(small):
        client.get(program_url)
    client.force_login(world.people.staff)
    with django_assert_max_num_queries(small_staff):
        client.get(reverse("evaluation:staff_dashboard"))
    # Session, user, program, coordinator check, KPIs (6), the charts over time (2: the funnel and the
    # retention curve), pairs at risk (1), the navigation's count of new safeguarding concerns (1),
    # the program's partners to slice by (1).
    assert small <= 16


def test_the_exports_page_and_list_take_the_same_queries_however_many(client, history, lead):
    client.force_login(lead)
    for dataset in ("kpis", "matches"):
        client.post(reverse("evaluation:program_export", args=[history.slug]),
                    {"on": D.isoformat(), "dataset": dataset, "file_format": "xlsx"})  # fmt: skip
    few = count_queries(client, reverse("evaluation:exports"))
    for _ in range(5):
        client.post(reverse("evaluation:program_export", args=[history.slug]),
                    {"on": D.isoformat(), "dataset": "kpis", "file_format": "xlsx"})  # fmt: skip
    assert count_queries(client, reverse("evaluation:exports")) == few
    assert ExportRecord.objects.filter(requested_by=lead).count() == 7


def test_people_see_only_their_own_exports(client, history, lead, world):
    client.force_login(lead)
    client.post(reverse("evaluation:program_export", args=[history.slug]),
                {"on": D.isoformat(), "dataset": "kpis", "file_format": "xlsx"})  # fmt: skip
    assert "KPI summary: History Program" in client.get(reverse("evaluation:exports")).text
    client.force_login(world.people.staff)
    assert "History Program" not in client.get(reverse("evaluation:exports")).text


def test_the_export_page_keeps_the_dashboards_period(client, history, lead):
    client.force_login(lead)
    response = client.get(reverse("evaluation:program_export", args=[history.slug]), {"on": D.isoformat()})
    assert f'value="{D.isoformat()}"' in response.text
