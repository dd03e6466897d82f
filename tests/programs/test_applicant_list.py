"""The coordinator's applicant list: what blocks each person from being matched (from the rules that
decide it, in a constant number of queries), a "blocked by" filter that agrees with them, moves
and emails for the people ticked (through the single move's service, refusals reported per
person), and the CSV for a background-check provider."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import AuditEntry, OutboundEmail
from programs import services
from programs.models import (
    Audience,
    Enrollment,
    EnrollmentStatus,
    Role,
    StatusChange,
    Training,
    TrainingRecord,
)
from programs.selectors import BLOCKED_BY, blockers_for
from tests import scenarios

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
TEEN = TODAY.replace(year=TODAY.year - 15) - dt.timedelta(days=20)


@pytest.fixture
def lot(db):
    """A youth program with one applicant in each situation, by name."""
    lead = scenarios.coordinator(email="lead@list.test", display_name="Lee Lead")
    program = scenarios.program(coordinator=lead, name="Riverside Youth Mentoring")

    def someone(name, **profile):
        return scenarios.person(email=f"{name.lower()}@list.test", display_name=name, profile=profile)

    people = {
        "Ava": scenarios.enroll(
            program=program,
            user=someone("Ava", date_of_birth=TEEN),
            role=Role.MENTEE,
            status="approved",
            by=lead,
        ),  # fmt: skip
        "Bo": scenarios.enroll(
            program=program,
            user=someone("Bo", date_of_birth=dt.date(1980, 1, 1)),
            role=Role.MENTOR,
            status="in_screening",
            by=lead,
        ),  # fmt: skip
        "Cal": scenarios.enroll(
            program=program, user=someone("Cal", date_of_birth=dt.date(1999, 1, 1)), role=Role.MENTEE, by=lead
        ),  # fmt: skip
        "Dee": scenarios.ready_mentor(program=program, email="dee@list.test", display_name="Dee"),
        "Eli": scenarios.enroll(
            program=program,
            user=someone("Eli", date_of_birth=dt.date(1985, 1, 1)),
            role=Role.MENTOR,
            status="declined",
            by=lead,
        ),  # fmt: skip
    }
    for item in program.checklist_items.all()[:2]:  # Bo: two of five done
        services.screening_record(enrollment=people["Bo"], item=item, completed_on=TODAY, by=lead)
    return lead, program, people


def row(html, name):
    """The table row of ``name``."""
    match = re.search(rf"<tr>(?:(?!</tr>).)*?>{name}</a>.*?</tr>", html, re.S)
    assert match, name
    return match.group(0)


def blocks_cell(html, name):
    cells = re.findall(r"<td>(.*?)</td>", row(html, name), re.S)
    return re.sub(r"<[^>]+>", " ", cells[3]).split()  # tick, role, status, blocks matching


def test_each_applicant_shows_what_blocks_their_matching(client, lot):
    lead, program, people = lot
    client.force_login(lead)
    html = client.get(reverse("programs:applicants", args=[program.slug])).text
    assert "Blocks matching" in html
    assert " ".join(blocks_cell(html, "Ava")) == "guardian consent missing"
    assert " ".join(blocks_cell(html, "Bo")) == "not approved yet checklist 2/5"
    assert " ".join(blocks_cell(html, "Cal")) == "not approved yet"
    assert " ".join(blocks_cell(html, "Dee")) == "ready to match"
    assert " ".join(blocks_cell(html, "Eli")) == "–"  # declined: not going to be matched


@pytest.mark.parametrize("reason", [*BLOCKED_BY, "nothing"])
def test_the_blocked_by_filter_agrees_with_the_rules_that_decide_matching(client, lot, reason):
    lead, program, people = lot
    # One more in each remaining situation: a changed date of birth, a mentor who is a minor.
    services.enrollment_transition(enrollment=people["Cal"], to_status="in_screening", by=lead)
    people["Cal"] = services.enrollment_transition(enrollment=people["Cal"], to_status="approved", by=lead)
    from mentorship.services import profile_set_date_of_birth

    profile_set_date_of_birth(profile=people["Cal"].user.profile, date_of_birth=dt.date(1998, 2, 2))
    dee = people["Dee"].user.profile
    dee.date_of_birth = TEEN  # bypassing the form's rule: the list must still flag it
    dee.save()
    gus = scenarios.ready_mentee(program=program, email="gus@list.test", display_name="Gus")
    hal = scenarios.ready_mentee(program=program, email="hal@list.test", display_name="Hal")
    Enrollment.objects.filter(pk=hal.pk).update(on_break_until=TODAY + dt.timedelta(days=10))  # a break
    scenarios.ready_mentee(program=program, email="ivy@list.test", display_name="Ivy")  # ready
    # A required orientation for mentees that every mentee but Gus has done.
    orientation = Training.objects.create(
        program=program, title="Orientation", audience="mentee", required=True, published_at=timezone.now()
    )
    for mentee in Enrollment.objects.filter(program=program, role="mentee").exclude(pk=gus.pk):
        TrainingRecord.objects.create(training=orientation, enrollment=mentee, completed_on=TODAY)
    client.force_login(lead)
    response = client.get(reverse("programs:applicants", args=[program.slug]), {"blocked_by": reason})
    shown = {e.user.display_name for e in response.context["page"]}
    by_the_rules = set()
    for enrollment in Enrollment.objects.filter(program=program).select_related("user__profile", "program"):
        kinds = {b.kind for b in blockers_for(enrollment)}
        if not enrollment.is_open:
            continue
        if reason == "nothing" and not kinds and enrollment.is_approved or reason in kinds:
            by_the_rules.add(enrollment.user.display_name)
    assert shown == by_the_rules
    assert shown, "every reason has someone in this world"


def test_the_list_costs_the_same_queries_for_a_few_or_many_applicants(client, lot):
    lead, program, people = lot

    def queries():
        client.force_login(lead)
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("programs:applicants", args=[program.slug])).status_code == 200
        return len(context)

    few = queries()
    for i in range(12):
        born = TEEN if i % 4 == 0 else (None if i % 3 == 0 else dt.date(1990, 1, 1))  # mentees only teens
        user = scenarios.person(email=f"more{i}@list.test", profile={"date_of_birth": born})
        enrollment = scenarios.enroll(program=program, user=user, role=Role.MENTOR if i % 2 else Role.MENTEE,
                                      status="approved" if i % 2 else "applied", by=lead)  # fmt: skip
        if i % 2:
            services.screening_record(
                enrollment=enrollment, item=program.checklist_items.first(), completed_on=TODAY, by=lead
            )
    assert queries() == few


def bulk(client, program, action, people, **data):
    form = {"bulk-action": action, "bulk-selected": [e.pk for e in people], **data}
    return client.post(reverse("programs:applicants_bulk", args=[program.slug]), form)


def page_once_token(client, program):
    html = client.get(reverse("programs:applicants", args=[program.slug])).text
    return re.search(r'name="bulk-once" value="([^"]+)"', html).group(1)


def test_bulk_approve_moves_who_may_be_approved_and_reports_each_who_may_not(client, lot, mailoutbox):
    lead, program, people = lot
    fern_user = scenarios.person(email="fern@list.test", display_name="Fern")
    fern = scenarios.enroll(program=program, user=fern_user, role=Role.MENTEE, status="waitlisted", by=lead)
    client.force_login(lead)
    response = bulk(client, program, "approved", [people["Bo"], people["Cal"], fern],
                    **{"bulk-once": page_once_token(client, program)})  # fmt: skip
    assert response.status_code == 302
    statuses = dict(
        Enrollment.objects.filter(program=program).values_list("user__profile__display_name", "status")
    )
    assert statuses["Bo"] == statuses["Fern"] == EnrollmentStatus.APPROVED
    assert statuses["Cal"] == EnrollmentStatus.APPLIED  # applied: screening comes first
    # As for a single change: the history, the audit trail and the email.
    for name, enrollment in (("Bo", people["Bo"]), ("Fern", fern)):
        assert StatusChange.objects.filter(
            enrollment=enrollment, to_status="approved", changed_by=lead
        ).exists()
        assert AuditEntry.objects.filter(action="enrollment.status", target_id=enrollment.pk).exists()
        assert OutboundEmail.objects.filter(
            to=f"{name.lower()}@list.test", kind="enrollment_approved"
        ).exists()
    assert not OutboundEmail.objects.filter(to="cal@list.test", kind="enrollment_approved").exists()
    page = client.get(response.url).text
    assert "Approve: done for 2 people (Fern, Bo)" in page or "Approve: done for 2 people (Bo, Fern)" in page
    assert "Not changed: Cal. An application that is applied cannot become approved." in page


def test_bulk_move_to_screening_keeps_the_filter(client, lot):
    lead, program, people = lot
    client.force_login(lead)
    url = reverse("programs:applicants_bulk", args=[program.slug]) + "?role=mentee"
    response = client.post(url, {"bulk-action": "in_screening", "bulk-selected": [people["Cal"].pk],
                                 "bulk-once": page_once_token(client, program)})  # fmt: skip
    assert response.status_code == 302 and response.url.endswith("?role=mentee")
    people["Cal"].refresh_from_db()
    assert people["Cal"].status == EnrollmentStatus.IN_SCREENING


def test_bulk_actions_refuse_nothing_ticked_someone_elses_applicant_and_a_move_not_offered(client, lot):
    lead, program, people = lot
    other_lead = scenarios.coordinator(email="other@list.test")
    other = scenarios.program(coordinator=other_lead, name="Elsewhere")
    stranger = scenarios.enroll(program=other, user=scenarios.person(email="zed@list.test"), role=Role.MENTEE)
    client.force_login(lead)
    token = page_once_token(client, program)
    nothing = bulk(client, program, "approved", [], **{"bulk-once": token})
    assert nothing.status_code == 400 and "Tick at least one person first." in nothing.text
    elsewhere = bulk(client, program, "in_screening", [stranger], **{"bulk-once": token})
    assert elsewhere.status_code == 400
    declined = bulk(client, program, "declined", [people["Cal"]], **{"bulk-once": token})
    assert declined.status_code == 400
    stranger.refresh_from_db()
    people["Cal"].refresh_from_db()
    assert stranger.status == people["Cal"].status == EnrollmentStatus.APPLIED


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_coordinator"])
def test_people_who_do_not_run_the_program_cannot_act_on_or_export_its_applicants(
    client, world, login_as, role
):
    login_as(world, role)
    slug = world.program.slug
    assert client.get(reverse("programs:applicants_export", args=[slug])).status_code == 404
    response = client.post(
        reverse("programs:applicants_bulk", args=[slug]),
        {"bulk-action": "in_screening", "bulk-selected": [world.mentee_enrollment.pk]},
    )
    assert response.status_code == 404
    world.mentee_enrollment.refresh_from_db()
    assert world.mentee_enrollment.status == EnrollmentStatus.APPLIED
    assert not AuditEntry.objects.filter(action="applicants.exported").exists()


def test_bulk_email_goes_once_to_each_persons_own_address_after_commit(
    client, lot, django_capture_on_commit_callbacks, mailoutbox, send_queued_emails
):
    lead, program, people = lot
    client.force_login(lead)
    token = page_once_token(client, program)
    data = {
        "bulk-once": token,
        "bulk-subject": "Induction evening",
        "bulk-body": "Join us on Thursday at 6pm.",
    }
    chosen = [people["Ava"], people["Bo"]]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = bulk(client, program, "email", chosen, **data)
    assert callbacks  # the worker hears of them once the transaction commits
    assert response.status_code == 302
    again = bulk(client, program, "email", chosen, **data)  # a double click
    assert again.status_code == 302
    emails = OutboundEmail.objects.filter(kind="applicant_message")
    # Ava is 15: the message goes to her own address, as her decisions do (never to anyone else).
    assert sorted(emails.values_list("to", flat=True)) == ["ava@list.test", "bo@list.test"]
    send_queued_emails()
    ava = next(m for m in mailoutbox if m.to == ["ava@list.test"])
    assert ava.subject == "Induction evening"
    assert "Hello Ava," in ava.body and "Join us on Thursday at 6pm." in ava.body and "Lee Lead" in ava.body
    assert AuditEntry.objects.filter(action="applicants.emailed", summary__startswith="2 people").count() == 1


def test_bulk_email_without_a_subject_is_shown_again_with_the_people_still_ticked(client, lot):
    lead, program, people = lot
    client.force_login(lead)
    response = bulk(client, program, "email", [people["Cal"]],
                    **{"bulk-once": page_once_token(client, program), "bulk-body": "Hello"})  # fmt: skip
    assert response.status_code == 400
    assert "Write a subject for the email." in response.text
    assert re.search(rf'value="{people["Cal"].pk}" id="tick-{people["Cal"].pk}" checked', response.text)
    assert not OutboundEmail.objects.filter(kind="applicant_message").exists()


def test_the_bulk_buttons_ask_first_and_say_how_many_people(client, lot):
    lead, program, people = lot
    client.force_login(lead)
    html = client.get(reverse("programs:applicants", args=[program.slug])).text
    for value in ("approved", "in_screening", "email"):
        button = re.search(rf'<button type="submit" name="bulk-action" value="{value}"[^>]*>', html).group(0)
        assert 'data-confirm="' in button
        assert "{n}" in re.search(r'data-confirm-template="([^"]*)"', button).group(1)  # the count, by JS
    assert 'src="/static/js/applicants.js"' in html or "js/applicants" in html


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_of_the_people_ticked_is_for_a_background_check_and_is_audited(client, lot):
    lead, program, people = lot
    people["Bo"].user.profile.display_name = '=HYPERLINK("http://evil.test")'
    people["Bo"].user.profile.save()
    client.force_login(lead)
    response = bulk(client, program, "export", [people["Bo"], people["Ava"]],
                    **{"bulk-once": page_once_token(client, program)})  # fmt: skip
    rows = read_csv(response)
    assert list(rows[0]) == ["name", "email", "date_of_birth", "role", "status"]
    by_email = {r["email"]: r for r in rows}
    assert set(by_email) == {"bo@list.test", "ava@list.test"}
    assert by_email["bo@list.test"]["name"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert by_email["bo@list.test"]["date_of_birth"] == "1980-01-01"
    assert (
        by_email["bo@list.test"]["role"] == "Mentor" and by_email["bo@list.test"]["status"] == "In screening"
    )
    assert by_email["ava@list.test"]["date_of_birth"] == TEEN.isoformat()  # a youth program asks a mentee's
    entry = AuditEntry.objects.get(action="applicants.exported")
    assert entry.actor == lead and entry.summary.startswith("2 people")


def test_the_export_of_the_filtered_list_leaves_out_a_date_of_birth_the_program_does_not_ask(client):
    lead = scenarios.coordinator(email="lead@adult.test")
    program = scenarios.program(coordinator=lead, name="Careers Network", audience=Audience.ADULT)
    for name, role in (("Gil", Role.MENTEE), ("Hana", Role.MENTOR)):
        user = scenarios.person(email=f"{name.lower()}@adult.test", display_name=name,
                                profile={"date_of_birth": dt.date(1990, 3, 3)})  # fmt: skip
        scenarios.enroll(program=program, user=user, role=role)
    client.force_login(lead)
    rows = read_csv(
        client.get(reverse("programs:applicants_export", args=[program.slug]), {"role": "mentee"})
    )
    assert [(r["name"], r["date_of_birth"]) for r in rows] == [("Gil", "")]  # adults' mentees: not asked
    rows = read_csv(client.get(reverse("programs:applicants_export", args=[program.slug])))
    assert {r["name"]: r["date_of_birth"] for r in rows} == {"Gil": "", "Hana": "1990-03-03"}
    assert AuditEntry.objects.filter(action="applicants.exported", actor=lead).count() == 2
