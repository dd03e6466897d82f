"""The audit trail: who viewed a minor's record, exported personal data or changed a status or a
screening record, with their address; the staff page that lists and exports it; and that a view
whose audit row cannot be written fails rather than show the record unrecorded."""

import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import exports
from evaluation.models import ExportStatus
from matching import concerns
from mentorship.models import AuditEntry, User
from mentorship.services import audit_record
from programs import services as program_services
from programs.models import GuardianConsent, Program, ProgramStatus, Role
from tests import scenarios

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CLIENT_IP = "203.0.113.7"


@pytest.fixture
def lead():
    return scenarios.coordinator(email="lead@audit.test", display_name="Lead Coordinator")


@pytest.fixture
def program(lead):
    return scenarios.program(coordinator=lead, name="Audit Youth Mentoring", status=ProgramStatus.RUNNING)


@pytest.fixture
def minor(program):
    return scenarios.ready_mentee(program=program, email="kid@audit.test", display_name="Kid", minor=True)


@pytest.fixture
def adult(program):
    return scenarios.ready_mentee(program=program, email="grown@audit.test", display_name="Grown")


@pytest.fixture
def staff():
    return scenarios.person(email="staff@audit.test", display_name="Sid Staff", is_staff=True)


def views_of(target):
    return AuditEntry.objects.filter(
        action__endswith=".viewed", target_type=target._meta.label_lower, target_id=target.pk
    )


def applicant_url(enrollment):
    return reverse("programs:applicant", args=[enrollment.program.slug, enrollment.pk])


# --- What is recorded ----------------------------------------------------------------------------


def test_a_coordinator_opening_a_minors_record_writes_one_view_row_with_their_address(client, lead, minor):
    client.force_login(lead)
    assert client.get(applicant_url(minor), REMOTE_ADDR=CLIENT_IP).status_code == 200
    entry = views_of(minor).get()
    assert (entry.actor, entry.action, entry.ip) == (lead, "enrollment.viewed", CLIENT_IP)


def test_views_stay_off_the_applicant_pages_safeguarding_record(client, lead, minor):
    client.force_login(lead)
    client.get(applicant_url(minor))
    page = client.get(applicant_url(minor)).content.decode()
    assert views_of(minor).count() == 2
    assert "Consent given" in page and "Record of a minor viewed" not in page


def test_an_adults_record_writes_no_view_row(client, lead, adult):
    client.force_login(lead)
    assert client.get(applicant_url(adult)).status_code == 200
    assert not views_of(adult).exists()


def test_a_lead_opening_a_concern_about_a_minor_writes_a_view_row(client, lead, minor, adult):
    consent = GuardianConsent.objects.filter(enrollment=minor).latest("pk")
    about_minor = concerns.concern_raise(consent=consent, what_happened="Worried.", urgency="soon")
    client.force_login(lead)
    page = client.get(reverse("matching:concern", args=[about_minor.pk]), REMOTE_ADDR=CLIENT_IP)
    assert page.status_code == 200
    entry = views_of(about_minor).get()
    assert (entry.actor, entry.action, entry.ip) == (lead, "concern.viewed", CLIENT_IP)


def test_a_status_change_is_recorded(lead, program):
    user = scenarios.person(email="new@audit.test")
    enrollment = scenarios.enroll(program=program, user=user, role=Role.MENTEE)
    program_services.enrollment_transition(enrollment=enrollment, to_status="in_screening", by=lead)
    entry = AuditEntry.objects.get(action="enrollment.status", target_id=enrollment.pk)
    assert entry.actor == lead and "in_screening" in entry.summary


def test_a_screening_record_is_recorded(lead, program):
    mentor = scenarios.ready_mentor(program=program, email="mentor@audit.test", by=lead)
    items = list(program.checklist_items.all())
    assert items  # ready_mentor recorded every item, each once
    recorded = AuditEntry.objects.filter(action="screening.recorded", target_id=mentor.pk)
    assert sorted(recorded.values_list("summary", flat=True)) == sorted(item.name for item in items)
    assert {entry.actor for entry in recorded} == {lead}


def test_an_export_of_personal_data_is_recorded_with_the_address(client, lead, program, minor):
    client.force_login(lead)
    response = client.post(
        reverse("evaluation:program_export", args=[program.slug]),
        {"dataset": "matches", "file_format": "csv"},
        REMOTE_ADDR=CLIENT_IP,
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action="export.requested")
    assert (entry.actor, entry.target_type, entry.ip) == (lead, "evaluation.exportrecord", CLIENT_IP)


def test_downloading_a_worker_built_export_is_recorded(client, settings, tmp_path, lead, program, staff):
    settings.MEDIA_ROOT = tmp_path / "media"
    scope = exports.Scope.for_programs(
        Program.objects.filter(pk=program.pk),
        on=dt.date.today(),
        start=dt.date(2026, 1, 1),
        end=dt.date.today(),
    )
    record = exports.export_record_create(
        user=lead, scope=scope, dataset="checkins", file_format="xlsx", status=ExportStatus.QUEUED
    )
    exports.export_build(record_id=record.pk)
    client.force_login(staff)
    response = client.get(reverse("evaluation:export_download", args=[record.pk]), REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")  # a workbook
    entry = AuditEntry.objects.get(action="export.downloaded")
    assert (entry.actor, entry.target_id, entry.ip) == (staff, record.pk, CLIENT_IP)


def test_the_kpi_summary_is_figures_only_and_not_recorded(client, lead, program):
    client.force_login(lead)
    response = client.post(
        reverse("evaluation:program_export", args=[program.slug]), {"dataset": "kpis", "file_format": "csv"}
    )
    b"".join(response.streaming_content)
    assert not AuditEntry.objects.filter(action="export.requested").exists()


def test_if_the_audit_row_cannot_be_written_the_record_is_not_shown(client, lead, minor):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit table unwritable'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_audit_refuse BEFORE INSERT ON mentorship_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION test_audit_refuse()"
        )  # gone with the test's transaction
    client.force_login(lead)
    with pytest.raises(DatabaseError, match="audit table unwritable"):
        client.get(applicant_url(minor))


# --- The staff page -----------------------------------------------------------------------------


AUDIT_URL = "/staff/audit/"


def test_the_page_is_at_its_address():
    assert reverse("audit_list") == AUDIT_URL


@pytest.mark.parametrize("url", [AUDIT_URL, AUDIT_URL + "export.csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator"])
@pytest.mark.parametrize("url", [AUDIT_URL, AUDIT_URL + "export.csv"])
def test_anyone_but_staff_gets_404(client, who, url):
    people = scenarios.role_people()
    client.force_login(getattr(people, who))
    assert client.get(url).status_code == 404


@pytest.fixture
def trail(lead, staff, minor, adult):
    """A view of the minor's record by the lead (in March) and a status change by staff (in May)."""
    AuditEntry.objects.all().delete()
    view = audit_record(actor=lead, action="enrollment.viewed", target=minor, summary="=cmd|' /C calc'!A0")
    AuditEntry.objects.filter(pk=view.pk).update(at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    change = audit_record(actor=staff, action="enrollment.status", target=adult, summary="applied → declined")
    AuditEntry.objects.filter(pk=change.pk).update(at=dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC))
    return view, change


def shown(client, **query):
    page = client.get(AUDIT_URL, query)
    assert page.status_code == 200
    return set(page.context["page"].object_list)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"view", "change"}),
        ({"person": "lead@audit"}, {"view"}),
        ({"action": "enrollment.status"}, {"change"}),
        ({"target_type": "programs.enrollment"}, {"view", "change"}),
        ({"target_type": "matching.concern"}, set()),
        ({"date_from": "2026-04-01"}, {"change"}),
        ({"date_to": "2026-03-10"}, {"view"}),
    ],
)
def test_staff_filter_the_trail(client, staff, trail, query, expected):
    rows = dict(zip(["view", "change"], trail, strict=True))
    client.force_login(staff)
    assert shown(client, **query) == {rows[name] for name in expected}


def test_staff_filter_by_record_number(client, staff, trail, minor):
    client.force_login(staff)
    assert shown(client, target_type="programs.enrollment", target_id=minor.pk) == {trail[0]}


def test_the_csv_export_has_the_filtered_rows_with_formulas_neutralised(client, staff, trail, lead):
    client.force_login(staff)
    response = client.get(AUDIT_URL + "export.csv", {"person": "lead@audit"}, REMOTE_ADDR=CLIENT_IP)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["actor_email"] == lead.email and row["action"] == "enrollment.viewed"
    assert row["summary"] == "'=cmd|' /C calc'!A0"
    # The export is itself on the trail.
    exported = AuditEntry.objects.get(action="audit.exported")
    assert (exported.actor, exported.ip) == (staff, CLIENT_IP)


def test_the_page_costs_the_same_queries_for_5_or_50_rows(client, staff, minor):
    actors = [User.objects.create_user(email=f"viewer{k}@audit.test", password=None) for k in range(50)]
    client.force_login(staff)

    def queries_for(count):
        AuditEntry.objects.all().delete()
        for actor in actors[:count]:
            audit_record(actor=actor, action="enrollment.viewed", target=minor)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(AUDIT_URL)
        assert len(page.context["page"].object_list) == count
        assert "viewer0@audit.test" in page.content.decode()
        return len(queries)

    assert queries_for(5) == queries_for(50)
