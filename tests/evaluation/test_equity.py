"""The equity report on a built history: each group's representation and outcomes, small cells
hidden (and others withheld so they cannot be worked out), who reaches it, its queries, and the
summary for the funder report."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import equity
from programs import demographics
from tests import scenarios
from tests.evaluation.kpi_history import enrolled, pair

D = dt.date(2026, 6, 30)
PERIOD = {"on": D, "start": dt.date(2025, 7, 1), "end": D}
OWN_WORDS = "Zyxwvu-own-words"


def add_group(program, question, label, count, matched, *, prefix, early=0):
    """``count`` mentees answering ``label`` (None: not answered), approved in the period; the first
    ``matched`` matched on 1 September 2025 (the first ``early`` of those closed two months later)."""
    for k in range(count):
        mentee = enrolled(program, "mentee", f"{prefix}{k}@eq.test", applied_on=dt.date(2025, 8, 1),
                          approved_on=dt.date(2025, 8, 10))  # fmt: skip
        if label == demographics.OWN_WORDS:
            demographics.answers_save(enrollment=mentee, answers={question.pk: (label, OWN_WORDS)})
        elif label:
            demographics.answers_save(enrollment=mentee, answers={question.pk: (label, "")})
        if k < matched:
            mentor = enrolled(program, "mentor", f"{prefix}-t{k}@eq.test", applied_on=dt.date(2025, 7, 20),
                              approved_on=dt.date(2025, 8, 1))  # fmt: skip
            ended = dt.date(2025, 11, 1) if k < early else None
            pair(program, mentee, mentor, started_on=dt.date(2025, 9, 1), ended_on=ended,
                 reason="moved" if ended else "")  # fmt: skip


@pytest.fixture
def world(db):
    lead = scenarios.coordinator(email="lead@eq.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Equity Program", status="running")
    question = demographics.question_add(
        program=program, by=lead, topic="gender", options=["Woman", "Man", "Non-binary"]
    )
    add_group(program, question, "Woman", 8, 6, prefix="w", early=1)
    add_group(program, question, "Man", 7, 5, prefix="m")
    add_group(program, question, "Non-binary", 5, 2, prefix="n")
    add_group(program, question, demographics.OWN_WORDS, 1, 0, prefix="s")
    add_group(program, question, demographics.PREFER_NOT_TO_SAY, 6, 0, prefix="p")
    add_group(program, question, None, 6, 0, prefix="x")
    return SimpleNamespace(program=program, lead=lead, question=question)


def cells(table):
    return {line.label: [c.text for c in line.cells] for line in [*table.rows, table.total]}


def test_representation_by_group_with_small_cells_hidden(world):
    report = equity.equity_report(world.program, world.question, **PERIOD)
    rep = report["representation"]
    assert rep.columns[:3] == ["Applied (mentees)", "Approved (mentees)", "Matched (mentees)"]
    got = cells(rep)
    assert list(got) == [
        "Woman",
        "Man",
        "Non-binary",
        "Self-described",
        "Prefer not to say",
        "Not answered",
        "Everyone",
    ]
    assert got["Woman"][:3] == ["8", "8", "6"]
    assert got["Man"][:3] == ["7", "7", "5"]
    assert got["Everyone"][:3] == ["33", "33", "13"]
    # One self-described mentee: "fewer than 5"; alone, it could be worked out from the total, so the
    # next smallest group is withheld too.
    assert got["Self-described"][0] == "fewer than 5"
    assert got["Non-binary"][0] == "withheld"
    # Matched: Non-binary 2, the others 0: all under 5, and together they cannot be told apart.
    assert got["Non-binary"][2] == got["Not answered"][2] == "fewer than 5"
    # Mentors: all in "Not answered"; the groups of 0 would give it away, so it is withheld.
    assert got["Not answered"][3] == "withheld" and got["Woman"][3] == "fewer than 5"
    assert got["Everyone"][3] == "13"


def test_outcomes_by_group_follow_the_data_dictionary(world):
    out = equity.equity_report(world.program, world.question, **PERIOD)["outcomes"]
    got = cells(out)
    k = out.columns.index("Retention at 3 months")
    assert got["Woman"][k] == "83% (of 6)" and got["Man"][k] == "100% (of 5)"
    assert got["Non-binary"][k] == "fewer than 5" and got["Everyone"][k] == "92% (of 13)"
    early = out.columns.index("Early closure rate")
    assert {row[early] for row in got.values()} == {"fewer than 5"}  # one closure in all
    # The mentors' view: no time to match (it is the mentees').
    mentors = equity.equity_report(world.program, world.question, role="mentor", **PERIOD)["outcomes"]
    assert "Time to match" not in mentors.columns and "Satisfaction (mentors)" in mentors.columns


def test_the_page_shows_the_tables_and_the_chart_to_coordinators_and_staff(client, world):
    client.force_login(world.lead)
    url = reverse("evaluation:equity", args=[world.program.slug])
    response = client.get(url, {"on": D.isoformat(), "start": "2025-07-01", "end": D.isoformat()})
    assert response.status_code == 200
    page = response.text
    for text in ("Representation", "fewer than 5", "withheld", "83% (of 6)", "Retention at 6 months by group",
                 'role="img"', "Show the numbers", world.question.label):  # fmt: skip
        assert text in page, text
    assert OWN_WORDS not in page  # the words themselves: never
    # Each figure links its definition, and the definitions page has them.
    definitions = client.get(reverse("evaluation:definitions")).text
    for definition in equity.kpis.definitions.EQUITY_DEFINITIONS:
        assert f'id="{definition.key}"' in definitions
    assert "#equity" in page
    # A bad period is explained, not a 500.
    response = client.get(url, {"on": "2099-01-01"})
    assert response.status_code == 200 and "cannot be in the future" in response.text
    staff = scenarios.person(email="staff@eq.test", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_nobody_else_reaches_it(client, world):
    url = reverse("evaluation:equity", args=[world.program.slug])
    other = scenarios.coordinator(email="other@eq.test")
    scenarios.program(coordinator=other, name="Elsewhere")
    mentee = world.program.enrollments.filter(role="mentee").first().user
    for user in (other, mentee):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def count(program, question):
    with CaptureQueriesContext(connection) as queries:
        equity.equity_report(program, question, **PERIOD)
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_people(world):
    before = count(world.program, world.question)
    add_group(world.program, world.question, "Woman", 12, 8, prefix="more")
    add_group(world.program, world.question, None, 9, 3, prefix="more-x")
    assert count(world.program, world.question) == before


def test_the_summary_for_the_funder_report_is_suppressed(world):
    summary = equity.equity_summary(world.program, **PERIOD)
    assert len(summary) == 1
    entry = summary[0]
    assert entry["question"] == world.question.label and entry["topic"] == "gender"
    assert entry["columns"][:3] == ["Mentees applied", "Mentees approved", "Mentees matched"]
    rows = {row["group"]: row["cells"] for row in entry["rows"]}
    assert rows["Woman"][:3] == ["8", "8", "6"] and rows["Self-described"][0] == "fewer than 5"
    for row in [*entry["rows"], entry["total"]]:
        assert len(row["cells"]) == len(entry["columns"])
        for text in row["cells"]:
            number = re.fullmatch(r"[\d,]+", text)
            assert not number or int(text.replace(",", "")) >= 5, text


def test_a_mean_of_many_ratings_from_few_people_is_hidden(world):
    """Non-binary: two mentees with matches rate twelve check-ins between them. Twelve ratings, but
    two people: the satisfaction cell rests on fewer than 5 people and is hidden."""
    from evaluation.models import CheckIn
    from matching.models import Match

    for match in Match.objects.filter(program=world.program, mentee__user__email__startswith="n"):
        for day in range(6):
            day_of = dt.date(2025, 10, 1 + day)
            CheckIn.objects.create(match=match, logged_by=match.mentee.user, occurred_on=day_of, rating=4)
    out = equity.equity_report(world.program, world.question, **PERIOD)["outcomes"]
    k = out.columns.index("Satisfaction (mentees)")
    nonbinary = next(line for line in out.rows if line.label == "Non-binary")
    assert nonbinary.cells[k].text == "fewer than 5"
