"""Recognition: hours mentored (check-ins and led group sessions), milestones from real data, the
certificate of service, the volunteer-hours statement and thank-you notes, through the services and
the client."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import recognition
from evaluation import services as evaluation_services
from evaluation.models import ExportRecord, ThankYou
from matching.models import Group, GroupAttendance, GroupMember, GroupSession
from mentorship.models import AuditEntry
from mentorship.pdf import strings_in
from programs.models import Event, Role, Rsvp
from tests import scenarios
from tests.evaluation.helpers import more_active_matches, pair_world

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
DAY = START.date()


@pytest.fixture
def pw():
    """Ada mentors Ben since 1 March 2027 (run by Lead Coordinator); the tests run on 1 October."""
    with time_machine.travel(START, tick=False):
        world = pair_world()
    with time_machine.travel(dt.datetime(2027, 10, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield world


def checkin(pw, day, minutes=None, *, by=None, held=True):
    return evaluation_services.checkin_log(
        match=pw.match, by=by or pw.mentor, occurred_on=day, duration_minutes=minutes, held=held
    )


def led_group(pw, sessions):
    """A group Ada leads (Eve a member), with ``sessions`` [(day, minutes, held, status)]; Eve came
    to the held ones."""
    group = Group.objects.create(program=pw.program, name="Thursday group", started_on=DAY, status="running")
    GroupMember.objects.create(group=group, enrollment=pw.match.mentor, role="leader", joined_on=DAY)
    eve = pw.world.mentees["eve"]
    GroupMember.objects.create(group=group, enrollment=eve, role="member", joined_on=DAY)
    for day, minutes, held, status in sessions:
        at = dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)
        session = GroupSession.objects.create(group=group, starts_at=at, duration_minutes=minutes, held=held,
                                              status=status)  # fmt: skip
        if held:
            GroupAttendance.objects.create(session=session, enrollment=eve, present=True)
    return group


def attended_events(user, count, first_day=dt.date(2027, 4, 1)):
    for i in range(count):
        at = dt.datetime.combine(first_day + dt.timedelta(days=7 * i), dt.time(18), tzinfo=dt.UTC)
        event = Event.objects.create(
            title=f"Meet-up {i}", description="Hello.", starts_at=at, status="published"
        )
        Rsvp.objects.create(event=event, user=user, attended=True)


def keys(found):
    return {m.key: m.reached_on for m in found["reached"]}


# --- Hours mentored: one rule -------------------------------------------------------------------------


def test_hours_count_held_check_ins_once_a_day_and_the_sessions_led(pw):
    checkin(pw, dt.date(2027, 3, 5), 60)
    checkin(pw, dt.date(2027, 3, 5), 45, by=pw.mentee)  # the same meeting, logged by Ben: counted once
    checkin(pw, dt.date(2027, 3, 12), 30)
    checkin(pw, dt.date(2027, 3, 19), held=False)  # missed: no hours
    checkin(pw, dt.date(2027, 3, 26))  # held, no length given: a meeting, no hours
    led_group(pw, [(dt.date(2027, 4, 1), 90, True, "planned"), (dt.date(2027, 4, 8), 90, False, "planned"),
                   (dt.date(2027, 4, 15), 90, True, "cancelled")])  # fmt: skip
    ada, ben = pw.match.mentor.pk, pw.match.mentee.pk
    hours = recognition.hours_mentored([ada, ben])
    assert hours[ada].minutes == 60 + 30 + 90
    assert hours[ada].hours == 3.0
    assert (hours[ada].first_meeting, hours[ada].last_meeting) == (dt.date(2027, 3, 5), dt.date(2027, 4, 1))
    assert hours[ben].minutes == 0  # a mentee's meetings are not hours mentored
    in_april = recognition.hours_mentored([ada], start=dt.date(2027, 4, 1), end=dt.date(2027, 4, 30))
    assert (in_april[ada].period_minutes, in_april[ada].minutes) == (90, 180)


def test_sessions_after_a_leader_left_are_not_theirs(pw):
    group = led_group(
        pw, [(dt.date(2027, 4, 1), 60, True, "planned"), (dt.date(2027, 5, 1), 60, True, "planned")]
    )
    GroupMember.objects.filter(group=group, role="leader").update(left_on=dt.date(2027, 4, 15))
    assert recognition.hours_mentored([pw.match.mentor.pk])[pw.match.mentor.pk].minutes == 60


# --- Milestones ---------------------------------------------------------------------------------------


def test_a_mentors_milestones_come_from_their_meetings_months_and_events(pw):
    for week in range(5):  # five two-hour meetings: 10 hours on the fifth
        checkin(pw, dt.date(2027, 3, 3) + dt.timedelta(weeks=week), 120)
    attended_events(pw.mentor, 5)
    found = recognition.milestones_for(pw.mentor)
    reached = keys(found)
    assert reached["first_meeting"] == dt.date(2027, 3, 3)
    assert reached["hours_10"] == dt.date(2027, 3, 31)
    assert (reached["months_3"], reached["months_6"]) == (dt.date(2027, 6, 1), dt.date(2027, 9, 1))
    assert "months_12" not in reached and "hours_25" not in reached
    assert (reached["events_1"], reached["events_5"]) == (dt.date(2027, 4, 1), dt.date(2027, 4, 29))
    assert "mentee_to_mentor" not in reached
    assert found["next"].key == "months_12" and "1 March 2028" in found["next"].to_go
    [enrollment] = found["mentor_enrollments"]
    assert (enrollment.hours, enrollment.has_met) == (10.0, True)


def test_months_count_only_while_the_relationship_lasts(pw):
    checkin(pw, dt.date(2027, 3, 3), 60)
    pw.match.__class__.objects.filter(pk=pw.match.pk).update(status="closed", ended_on=dt.date(2027, 5, 1))
    reached = keys(recognition.milestones_for(pw.mentee))
    assert "first_meeting" in reached and "months_3" not in reached
    assert "hours_10" not in reached  # mentees have no hours milestones


def test_a_group_members_first_meeting_is_the_first_session_they_came_to(pw):
    led_group(pw, [(dt.date(2027, 4, 1), 90, True, "planned")])
    eve = pw.world.mentees["eve"].user
    found = recognition.milestones_for(eve)
    assert keys(found)["first_meeting"] == dt.date(2027, 4, 1)
    assert keys(found)["months_6"] == dt.date(2027, 9, 1)
    assert found["mentor_enrollments"] == []


def test_a_former_mentee_who_becomes_a_mentor_reaches_that_milestone(pw):
    ben = pw.mentee
    assert "mentee_to_mentor" not in keys(recognition.milestones_for(ben))
    later = scenarios.program(coordinator=pw.coordinator, name="Mentors of Tomorrow")
    with time_machine.travel(dt.datetime(2027, 9, 15, 12, tzinfo=dt.UTC), tick=False):
        scenarios.enroll(program=later, user=ben, role=Role.MENTOR)
    assert keys(recognition.milestones_for(ben))["mentee_to_mentor"] == dt.date(2027, 9, 15)


def test_the_milestones_panel_is_on_the_dashboard_with_the_certificate_link(pw, client):
    checkin(pw, dt.date(2027, 3, 3), 90)
    client.force_login(pw.mentor)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your milestones" in page and "Your first meeting" in page and "6 months of mentoring" in page
    assert "Download your certificate of service" in page
    assert reverse("evaluation:certificate", args=[pw.match.mentor.pk]) in page
    client.force_login(pw.mentee)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your milestones" in page and "Download your certificate" not in page
    client.force_login(pw.outsider)
    assert "Your milestones" not in client.get(reverse("dashboard")).content.decode()


def test_milestones_take_the_same_queries_however_long_the_history(pw):
    checkin(pw, dt.date(2027, 3, 3), 60)
    with CaptureQueriesContext(connection) as few:
        recognition.milestones_for(pw.mentor)
    for week in range(1, 12):
        checkin(pw, dt.date(2027, 3, 3) + dt.timedelta(weeks=week), 120)
    led_group(pw, [(dt.date(2027, 4, 1) + dt.timedelta(weeks=k), 60, True, "planned") for k in range(6)])
    attended_events(pw.mentor, 6)
    with CaptureQueriesContext(connection) as many:
        found = recognition.milestones_for(pw.mentor)
    assert "hours_25" in keys(found)
    assert len(many) == len(few) <= 6


# --- Certificate of service ---------------------------------------------------------------------------


def test_the_certificate_names_the_mentor_the_program_and_the_hours(pw, client):
    checkin(pw, dt.date(2027, 3, 3), 90)
    led_group(pw, [(dt.date(2027, 4, 1), 60, True, "planned")])
    url = reverse("evaluation:certificate", args=[pw.match.mentor.pk])
    for who in (pw.mentor, pw.coordinator, pw.staff):
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = strings_in(response.content)
        assert "Certificate of service" in text and "Ada" in text and "Lead Coordinator" in text
        assert "Matching Test Program" in text and "2.5 hours mentored" in text
        assert "since 1 March 2027." in " ".join(text)


def test_before_the_first_meeting_the_certificate_page_says_when_it_comes(pw, client):
    client.force_login(pw.mentor)
    response = client.get(reverse("evaluation:certificate", args=[pw.match.mentor.pk]))
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert "becomes available after the first logged meeting" in response.content.decode()


@pytest.mark.parametrize("role", ["mentee", "outsider", "other_coordinator"])
def test_nobody_else_downloads_a_mentors_certificate(pw, client, role):
    checkin(pw, dt.date(2027, 3, 3), 90)
    client.force_login(pw.as_role(role))
    assert client.get(reverse("evaluation:certificate", args=[pw.match.mentor.pk])).status_code == 404


def test_a_mentee_has_no_certificate_of_service(pw, client):
    client.force_login(pw.mentee)
    assert client.get(reverse("evaluation:certificate", args=[pw.match.mentee.pk])).status_code == 404


# --- The volunteer-hours statement -----------------------------------------------------------------


PERIOD = {"start": "2027-03-01", "end": "2027-03-31"}


def test_staff_download_the_statement_as_csv_and_xlsx(pw, client):
    checkin(pw, dt.date(2027, 3, 3), 90)
    checkin(pw, dt.date(2027, 4, 3), 60)
    client.force_login(pw.staff)
    page = client.get(reverse("evaluation:volunteer_hours"), PERIOD)
    assert page.status_code == 200 and "ada@matching.test" in page.content.decode()
    response = client.get(reverse("evaluation:volunteer_hours"), {**PERIOD, "format": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Program"]
    assert rows[1] == ["Ada", "ada@matching.test", "Matching Test Program", "2027-03-01", "", "1.5", "2.5"]
    response = client.get(reverse("evaluation:volunteer_hours"), {**PERIOD, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:3] == ("Ada", "ada@matching.test", "Matching Test Program")
    assert values[1][5:] == (1.5, 2.5)
    assert ExportRecord.objects.filter(dataset="volunteer_hours", requested_by=pw.staff).count() == 2
    assert AuditEntry.objects.filter(action="export.requested", actor=pw.staff).count() == 2


def test_a_program_statement_answers_its_coordinators_and_staff_only(pw, client):
    checkin(pw, dt.date(2027, 3, 3), 90)
    url = reverse("evaluation:program_volunteer_hours", args=[pw.program.slug])
    client.force_login(pw.coordinator)
    rows = list(
        csv.reader(io.StringIO(client.get(url, {**PERIOD, "format": "csv"}).content.decode("utf-8-sig")))
    )
    assert [row[1] for row in rows[1:]] == ["ada@matching.test"]
    for who in (pw.mentor, pw.other_coordinator, pw.outsider):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.get(reverse("evaluation:volunteer_hours"), {"format": "csv"}).status_code == 404
    client.force_login(pw.coordinator)
    assert client.get(reverse("evaluation:volunteer_hours")).status_code == 404  # staff only


def test_a_bad_period_is_refused_with_the_page(pw, client):
    client.force_login(pw.staff)
    response = client.get(reverse("evaluation:volunteer_hours"), {"start": "2027-05-01", "end": "2027-04-01"})
    assert response.status_code == 400 and "must start before it ends" in response.content.decode()


def test_the_statement_takes_the_same_queries_for_more_mentors(pw, client):
    client.force_login(pw.staff)
    checkin(pw, dt.date(2027, 3, 3), 90)
    url = reverse("evaluation:volunteer_hours")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, PERIOD).status_code == 200
    for match in more_active_matches(program=pw.program, count=4):
        evaluation_services.checkin_log(match=match, by=match.mentor.user, occurred_on=dt.date(2027, 10, 1),
                                        duration_minutes=45)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"start": "2027-01-01", "end": "2027-10-01"})
    assert page.content.decode().count('data-label="Email"') == 5
    assert len(many) == len(few)


# --- Thank-you notes ------------------------------------------------------------------------------------


def test_a_thank_you_appears_on_the_mentors_dashboard_until_dismissed(pw, client):
    url = reverse("evaluation:thank_you_new", args=[pw.program.slug, pw.match.mentor.pk])
    client.force_login(pw.coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": ""}).status_code == 400
    response = client.post(url, {"text": "Thank you for every Thursday, Ada."})
    assert response.status_code == 302
    note = ThankYou.objects.get()
    assert (note.enrollment, note.sent_by, note.program) == (pw.match.mentor, pw.coordinator, pw.program)
    assert AuditEntry.objects.filter(action="thank_you.sent", target_id=note.pk).exists()
    client.force_login(pw.mentee)
    assert "every Thursday" not in client.get(reverse("dashboard")).content.decode()
    dismiss = reverse("evaluation:thank_you_dismiss", args=[note.pk])
    assert client.post(dismiss).status_code == 404  # not theirs
    client.force_login(pw.mentor)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Thank you for every Thursday, Ada." in page and "Lead Coordinator" in page
    assert client.post(dismiss).status_code == 302
    assert "every Thursday" not in client.get(reverse("dashboard")).content.decode()
    note.refresh_from_db()
    assert note.dismissed_at is not None
    assert client.post(dismiss).status_code == 302  # twice is once


def test_thank_yous_go_to_mentors_from_their_programs_coordinators(pw, client):
    client.force_login(pw.coordinator)
    mentee_url = reverse("evaluation:thank_you_new", args=[pw.program.slug, pw.match.mentee.pk])
    assert client.get(mentee_url).status_code == 404
    mentor_url = reverse("evaluation:thank_you_new", args=[pw.program.slug, pw.match.mentor.pk])
    for who in (pw.other_coordinator, pw.mentor):
        client.force_login(who)
        assert client.post(mentor_url, {"text": "Hi"}).status_code == 404
    assert not ThankYou.objects.exists()


def test_the_applicant_page_links_to_a_thank_you_for_mentors(pw, client):
    client.force_login(pw.coordinator)
    page = client.get(
        reverse("programs:applicant", args=[pw.program.slug, pw.match.mentor.pk])
    ).content.decode()
    assert reverse("evaluation:thank_you_new", args=[pw.program.slug, pw.match.mentor.pk]) in page
    page = client.get(
        reverse("programs:applicant", args=[pw.program.slug, pw.match.mentee.pk])
    ).content.decode()
    assert "Send a thank-you" not in page
