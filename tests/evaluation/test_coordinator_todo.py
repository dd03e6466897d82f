"""Coordinators are told what needs them: a "To do" panel on their dashboard and a daily email with
the same list (one selector, evaluation/todo.py), each item a count with a link to where they act.
The email goes once a day, only when there is something on it, and carries no minor's details."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import digests, panels, tasks, todo
from evaluation.models import CoordinatorDigest
from evaluation.selectors import surveys_due
from matching.models import Match
from programs.models import EnrollmentStatus, Role, ScreeningRecord
from tests import scenarios
from tests.evaluation.kpi_history import pair

pytestmark = pytest.mark.django_db


def teenager(email, name):
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - dt.timedelta(days=30)
    return scenarios.person(email=email, display_name=name, profile={"date_of_birth": born})


def busy_program(lead, name, domain):
    """Two new applications (one a teenager with no guardian's answer yet), a mentor whose
    background check runs out in ten days, a pair that has not met for 40 days (fortnightly
    check-ins), a pair started today (the mentee's start survey is due)."""
    program = scenarios.program(coordinator=lead, name=name, checkin_cadence_days=14)
    today = timezone.localdate()
    scenarios.enroll(program=program, user=teenager(f"tia@{domain}", "Tia"), role=Role.MENTEE)
    scenarios.enroll(program=program, user=scenarios.person(email=f"ned@{domain}"), role=Role.MENTOR)
    # Approved, consent given: nothing to do.
    scenarios.ready_mentee(program=program, email=f"ok-minor@{domain}", minor=True)
    expiring = scenarios.ready_mentor(program=program, email=f"exp@{domain}")
    ScreeningRecord.objects.filter(enrollment=expiring).update(expires_on=today + dt.timedelta(days=10))
    later = scenarios.ready_mentor(program=program, email=f"later@{domain}")
    ScreeningRecord.objects.filter(enrollment=later).update(expires_on=today + dt.timedelta(days=60))
    quiet = pair(
        program,
        scenarios.ready_mentee(program=program, email=f"quiet-mentee@{domain}", display_name="Quinn"),
        scenarios.ready_mentor(program=program, email=f"quiet-mentor@{domain}", display_name="Robin"),
        started_on=today - dt.timedelta(days=40),
    )
    fresh = pair(
        program,
        scenarios.ready_mentee(program=program, email=f"fresh-mentee@{domain}"),
        scenarios.ready_mentor(program=program, email=f"fresh-mentor@{domain}"),
        started_on=today,
    )
    return program, quiet, fresh


@pytest.fixture
def lead():
    return scenarios.coordinator(email="lead@todo.test", display_name="Lee Lead")


@pytest.fixture
def busy(lead):
    program, quiet, fresh = busy_program(lead, "Busy Program", "busy.test")
    other = scenarios.coordinator(email="other@todo.test", display_name="Other Lead")
    busy_program(other, "Somebody Else's Program", "else.test")  # not the lead's business
    return program


def test_the_list_counts_what_waits_with_a_link_to_act(lead, busy):
    [section] = todo.coordinator_todo(lead, on=timezone.localdate())
    assert section.program == busy
    counts = {item.key: item.count for item in section.items}
    due = len(surveys_due(Match.objects.filter(program=busy), on=timezone.localdate()))
    assert due >= 1  # the start survey of the pair that started today
    # Quinn and Robin have not been seen since their match started 40 days ago (evaluation/activity.py).
    assert counts.pop("inactive") == 2
    assert counts == {"applications": 2, "consents": 1, "checks": 1, "not_met": 1, "surveys": due}
    applicants = reverse("programs:applicants", args=[busy.slug])
    urls = {item.key: item.url for item in section.items}
    assert urls["applications"] == f"{applicants}?status={EnrollmentStatus.APPLIED}"
    assert urls["checks"].startswith(applicants)
    assert urls["not_met"].startswith(reverse("evaluation:program_dashboard", args=[busy.slug]))
    texts = [item.text for item in section.items]
    assert "2 new applications awaiting a decision" in texts
    assert "1 mentee without a guardian's consent" in texts
    assert urls["consents"] == f"{applicants}?blocked_by=consent"
    assert "1 pair not met for two check-in periods" in texts


def test_the_links_lead_to_pages_the_coordinator_can_use(client, lead, busy):
    client.force_login(lead)
    [section] = todo.coordinator_todo(lead, on=timezone.localdate())
    for item in section.items:
        assert client.get(item.url).status_code == 200, item.url
    urls = {item.key: item.url for item in section.items}
    assert "Tia" in client.get(urls["applications"]).text
    assert "Tia" in client.get(urls["consents"]).text  # the list the count is about
    assert "Quinn" not in client.get(urls["consents"]).text  # an adult, matched


def test_the_dashboard_panel_shows_the_list(client, lead, busy):
    client.force_login(lead)
    page = client.get(reverse("dashboard")).text
    assert '<h2 id="todo-heading">To do</h2>' in page
    assert "Busy Program" in page and "Somebody Else" not in page
    assert "2 new applications awaiting a decision" in page
    assert f'href="{reverse("programs:applicants", args=[busy.slug])}?status=applied"' in page


def test_nothing_to_do_says_so_and_others_see_no_panel(client, lead, busy):
    quiet_lead = scenarios.coordinator(email="quiet@todo.test", display_name="Quiet")
    scenarios.program(coordinator=quiet_lead, name="Quiet Program")
    client.force_login(quiet_lead)
    assert "Nothing needs you today" in client.get(reverse("dashboard")).text
    client.force_login(Match.objects.filter(program=busy).first().mentee.user)
    assert "todo-heading" not in client.get(reverse("dashboard")).text


def test_the_list_takes_the_same_queries_however_many_programs_and_people(lead, busy):
    on = timezone.localdate()
    with CaptureQueriesContext(connection) as first:
        todo.coordinator_todo(lead, on=on)
    busy_program(lead, "Second Program", "second.test")
    busy_program(lead, "Third Program", "third.test")
    with CaptureQueriesContext(connection) as more:
        sections = todo.coordinator_todo(lead, on=on)
    assert len(sections) == 3
    assert len(more) == len(first) <= 11


def test_the_daily_email_has_the_same_list_once_a_day(lead, busy, mailoutbox, send_queued_emails):
    mailoutbox.clear()
    first = digests.coordinator_digests_send()
    tasks.send_coordinator_digests()  # the beat's task, the same day: nothing more
    again = digests.coordinator_digests_send()
    send_queued_emails()
    assert (again.sent, CoordinatorDigest.objects.filter(coordinator=lead).count()) == (0, 1)
    assert first.sent == 2  # the lead and the other program's coordinator
    [email] = [m for m in mailoutbox if m.to == [lead.email]]
    assert len([m for m in mailoutbox if m.to == [lead.email]]) == 1
    [section] = todo.coordinator_todo(lead, on=timezone.localdate())
    for item in section.items:  # the panel's list, word for word, with its links
        assert item.text in email.body
        assert item.url in email.body
    assert email.subject.startswith("2 new applications, 1 consent missing, 1 check expiring, 1 pair at risk")
    assert "Robin (mentor) and Quinn (mentee): no meeting for 40 days" in email.body
    # Nothing about the teenager beyond what the pages show: no name, email, age or guardian.
    assert "Tia" not in email.body and "tia@" not in email.body
    assert "guardian." not in email.body and "Pat Parent" not in email.body


def test_no_email_when_nothing_needs_them(mailoutbox, send_queued_emails):
    quiet_lead = scenarios.coordinator(email="quiet@todo.test", display_name="Quiet")
    scenarios.program(coordinator=quiet_lead, name="Quiet Program")
    mailoutbox.clear()
    report = digests.coordinator_digests_send()
    send_queued_emails()
    assert (report.sent, report.nothing_to_say) == (0, 1)
    assert [m for m in mailoutbox if m.to == [quiet_lead.email]] == []


def test_the_dashboard_takes_the_same_queries_however_many_pairs_and_people(client, lead, busy, monkeypatch):
    """The panel counts in the database and loads only the people it names (panels.INACTIVE_SHOWN
    of each program, the longest unseen; the others counted)."""
    monkeypatch.setattr(panels, "INACTIVE_SHOWN", 3)
    client.force_login(lead)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as first:
        assert "2 people inactive" in client.get(reverse("dashboard")).text
    today = timezone.localdate()
    for n in range(3):
        mentee = scenarios.ready_mentee(program=busy, email=f"more{n}-mentee@busy.test")
        mentor = scenarios.ready_mentor(program=busy, email=f"more{n}-mentor@busy.test")
        pair(busy, mentee, mentor, started_on=today - dt.timedelta(days=40 + n))
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("dashboard")).text
    assert "8 people inactive" in page and "4 pairs not met" in page
    assert "And 5 more: the longest unseen are listed first." in page
    assert page.count("Send a nudge</button>") == 3
    assert len(more) == len(first)
