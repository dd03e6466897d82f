"""Retention: people past the policy are anonymised, every KPI stays the same, and nobody under a
hold, with an open concern, or who took part as a minor and is not yet 25 is touched."""

import dataclasses
import datetime as dt
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from evaluation import kpis, retention, tasks
from evaluation.models import CheckIn, Goal, GoalNote, RetentionHold, SurveyResponse
from matching.models import Concern, ConcernStatus, Match
from mentorship.models import COORDINATORS_GROUP, AuditEntry, OutboundEmail, Profile, User
from programs import guardians
from programs import services as program_services
from programs.models import Enrollment, GuardianConsent, Program
from tests import scenarios
from tests.evaluation.kpi_history import END, START, D, at, build_history, report_for

pytestmark = pytest.mark.django_db

SECRET_NAMES = ["Marigold", "Quenby"]


def text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying')
            """
        )
        return cursor.fetchall()


def places_mentioning(needle):
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" ILIKE %s',  # noqa: S608 - catalogue names
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def all_kpis(program):
    """The KPI tests' report for the program, and for every program (the staff view)."""
    return {
        "program": dataclasses.asdict(report_for(program)),
        "all": dataclasses.asdict(kpis.compute(Program.objects.all(), on=D, start=START, end=END)),
    }


def history_with_a_leaver():
    """The KPI tests' history, where m2 (match B closed 2026-01-15) is Marigold Quenby, wrote free
    text everywhere, and withdrew her other application on 2026-07-10: her last enrollment closed
    then, so she is due on 2032-07-10."""
    program = build_history()
    user = User.objects.get(email="m2@kpi.test")
    User.objects.filter(pk=user.pk).update(first_name="Marigold", last_name="Quenby")
    Profile.objects.filter(user=user).update(
        display_name="Marigold Quenby", bio="Marigold likes chess", pronouns="she/her", phone="0123 456",
        area="12 Quenby Road", latitude=51.4, longitude=-2.6, date_of_birth=dt.date(1990, 3, 4),
    )  # fmt: skip
    Enrollment.objects.filter(user=user).update(
        motivation="Marigold wants to help", heard_about_detail="Quenby"
    )
    Enrollment.objects.filter(user=user, status="applied").update(
        status="withdrawn", status_changed_at=at(dt.date(2026, 7, 10))
    )
    match_b = Match.objects.get(mentee__user=user)
    CheckIn.objects.create(
        match=match_b, logged_by=user, occurred_on=dt.date(2025, 10, 1), rating=3, notes="Marigold: went well"
    )
    SurveyResponse.objects.filter(respondent=user, kind="exit").update(
        text="Thanks from Marigold", answers={"where_now": "Quenby College", "would_mentor": True}
    )
    GoalNote.objects.create(
        goal=Goal.objects.filter(match=match_b).first(), author=user, text="Quenby's note"
    )
    partner = match_b.mentor.user
    OutboundEmail.objects.create(
        to=partner.email, subject="Your mentee", body="Marigold Quenby said hi", kind="x"
    )
    OutboundEmail.objects.create(to=user.email, subject="Hello", body="Dear Marigold", kind="x")
    return program, user


def test_anonymising_keeps_every_kpi_and_leaves_no_trace_of_the_person():
    program, user = history_with_a_leaver()
    before = all_kpis(program)
    assert places_mentioning("m2@kpi.test") and places_mentioning("Marigold")

    assert retention.retention_due(on=dt.date(2032, 7, 9)) == []
    with time_machine.travel(dt.datetime(2032, 7, 10, 3, 15, tzinfo=dt.UTC), tick=False):
        done = retention.retention_apply()
    assert [(d.user_id, d.stage) for d in done] == [(user.pk, "person")]

    assert all_kpis(program) == before
    for needle in ["m2@kpi.test", *SECRET_NAMES]:
        assert places_mentioning(needle) == [], needle
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid"
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert user.profile.date_of_birth is None and user.profile.latitude is None
    exit_survey = SurveyResponse.objects.get(respondent=user, kind="exit")
    assert exit_survey.answers == {"would_mentor": True} and exit_survey.rating == 1
    assert AuditEntry.objects.filter(action="person.anonymised", target_id=user.pk).count() == 1


def test_running_twice_does_nothing_more():
    _, user = history_with_a_leaver()
    with time_machine.travel(dt.datetime(2033, 1, 1, tzinfo=dt.UTC), tick=False):
        tasks.apply_retention()
        tasks.apply_retention()
        assert retention.retention_apply() == []
        assert retention.person_anonymise(user=user) is None
    assert AuditEntry.objects.filter(action="person.anonymised").count() == 1


def test_dry_run_lists_ids_and_reasons_and_changes_nothing():
    _, user = history_with_a_leaver()
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--on", "2033-01-01", stdout=out)
    assert f"user #{user.pk}: person" in out.getvalue()
    assert "Marigold" not in out.getvalue() and "m2@kpi.test" not in out.getvalue()
    user.refresh_from_db()
    assert user.email == "m2@kpi.test" and user.is_active
    assert not AuditEntry.objects.filter(action="person.anonymised").exists()


@pytest.fixture
def program():
    lead = scenarios.coordinator(email="lead@retention.test", display_name="Lead")
    return scenarios.program(coordinator=lead, name="Retention Program")


def leaver(program, email, *, left_on, date_of_birth=dt.date(1990, 1, 1), guardian=False):
    """Someone who applied to ``program`` as a mentee and withdrew on ``left_on``."""
    with time_machine.travel(dt.datetime.combine(left_on, dt.time(12), tzinfo=dt.UTC), tick=False):
        user = scenarios.person(email=email, display_name="Leaver", profile={"date_of_birth": date_of_birth})
        enrollment = scenarios.enroll(program=program, user=user, role="mentee")
        if guardian:
            consent = guardians.guardian_request_consent(
                enrollment=enrollment,
                name="Pat Parent",
                email="pat@parent.test",
                by=program.coordinators.first(),
            )
            guardians.guardian_answer(
                consent=consent, given=True, signed_name="Pat Parent", relationship="Mother"
            )
        program_services.enrollment_transition(
            enrollment=enrollment, to_status="withdrawn", by=user, notify=False
        )
    return user


def due_ids(on):
    return [d.user_id for d in retention.retention_due(on=on)]


def test_an_adult_is_due_six_years_after_leaving_and_not_before(program):
    user = leaver(program, "adult@retention.test", left_on=dt.date(2020, 1, 1))
    assert due_ids(dt.date(2025, 12, 31)) == []
    assert due_ids(dt.date(2026, 1, 1)) == [user.pk]


def test_an_open_concern_about_the_person_keeps_them_until_resolved(program):
    user = leaver(program, "concern@retention.test", left_on=dt.date(2020, 1, 1))
    concern = Concern.objects.create(
        program=program, enrollment=user.enrollments.get(), raised_as="coordinator", what_happened="x",
        urgency="low", status=ConcernStatus.ESCALATED,
    )  # fmt: skip
    assert due_ids(dt.date(2030, 1, 1)) == []
    assert retention.person_anonymise(user=user, on=dt.date(2030, 1, 1)) is None
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.RESOLVED)
    assert due_ids(dt.date(2030, 1, 1)) == [user.pk]


def test_a_staff_hold_keeps_the_person_until_lifted(program):
    user = leaver(program, "hold@retention.test", left_on=dt.date(2020, 1, 1))
    hold = RetentionHold.objects.create(user=user, reason="complaint open")
    assert due_ids(dt.date(2030, 1, 1)) == []
    hold.delete()
    assert due_ids(dt.date(2030, 1, 1)) == [user.pk]


def test_someone_who_took_part_as_a_minor_is_kept_until_25_and_guardians_for_25_years(program):
    user = leaver(
        program, "minor@retention.test", left_on=dt.date(2020, 6, 1), date_of_birth=dt.date(2005, 3, 1),
        guardian=True,
    )  # fmt: skip
    # Six years after leaving (2026) they are 21: kept until their 25th birthday.
    assert due_ids(dt.date(2029, 2, 28)) == []
    assert retention.retention_apply(on=dt.date(2030, 3, 1))[0].user_id == user.pk
    user.refresh_from_db()
    assert user.email.startswith("erased-")
    # The consent is a safeguarding record: the guardian's details stay for 25 years.
    assert user.enrollments.get().guardian_email == "pat@parent.test"
    assert GuardianConsent.objects.get(enrollment__user=user).guardian_name == "Pat Parent"
    assert retention.retention_apply(on=dt.date(2045, 5, 31)) == []

    done = retention.retention_apply(on=dt.date(2045, 6, 1))
    assert [(d.user_id, d.stage) for d in done] == [(user.pk, "safeguarding")]
    assert user.enrollments.get().guardian_email == ""
    assert GuardianConsent.objects.get(enrollment__user=user).guardian_email == ""
    assert retention.retention_apply(on=dt.date(2046, 1, 1)) == []


def test_people_with_an_open_enrollment_and_coordinators_are_never_due(program):
    with time_machine.travel(dt.datetime(2015, 1, 1, tzinfo=dt.UTC), tick=False):
        applicant = scenarios.person(email="open@retention.test")
        scenarios.enroll(program=program, user=applicant, role="mentee")
    # A coordinator who once took part elsewhere keeps their account: it is the organisation's.
    former = leaver(program, "now-coordinates@retention.test", left_on=dt.date(2015, 1, 1))
    program.coordinators.add(former)
    assert due_ids(dt.date(2040, 1, 1)) == []


def test_erasure_on_request_is_refused_while_the_person_takes_part_or_is_held(program):
    staff = scenarios.person(email="staff@retention.test", is_staff=True)
    applicant = scenarios.person(email="applying@retention.test")
    scenarios.enroll(program=program, user=applicant, role="mentee")
    with pytest.raises(ValidationError):
        retention.person_erase(user=applicant, by=staff)
    held = leaver(program, "held@retention.test", left_on=dt.date(2026, 1, 1))
    RetentionHold.objects.create(user=held, reason="legal claim", set_by=staff)
    with pytest.raises(ValidationError):
        retention.person_erase(user=held, by=staff)
    assert User.objects.filter(email__startswith="erased-").count() == 0


def test_erasure_on_request_anonymises_a_leaver_at_once_and_once(program):
    staff = scenarios.person(email="staff@retention.test", is_staff=True)
    user = leaver(program, "gone@retention.test", left_on=dt.date(2026, 1, 1))
    assert retention.person_erase(user=user, by=staff) is True
    assert retention.person_erase(user=user, by=staff) is False
    assert places_mentioning("gone@retention.test") == []
    entry = AuditEntry.objects.get(action="person.anonymised", target_id=user.pk)
    assert entry.actor == staff


def test_staff_set_a_hold_in_the_admin_and_it_names_who_set_it(client, program):
    staff = scenarios.person(email="admin@retention.test", is_staff=True, is_superuser=True)
    user = leaver(program, "kept@retention.test", left_on=dt.date(2020, 1, 1))
    client.force_login(staff)
    response = client.post(
        reverse("admin:evaluation_retentionhold_add"), {"user": user.pk, "reason": "complaint"}
    )
    assert response.status_code == 302, response.content
    hold = RetentionHold.objects.get()
    assert (hold.user, hold.set_by) == (user, staff)
    assert due_ids(dt.date(2030, 1, 1)) == []


# --- Accounts that never applied ----------------------------------------------------------------


def signed_up(email, *, joined, last_login=None, **extra):
    """An account made on ``joined`` that never applied to a program."""
    with time_machine.travel(dt.datetime.combine(joined, dt.time(12), tzinfo=dt.UTC), tick=False):
        user = scenarios.person(email=email, display_name="Unused Person", **extra)
    if last_login:
        User.objects.filter(pk=user.pk).update(
            last_login=dt.datetime.combine(last_login, dt.time(9), tzinfo=dt.UTC)
        )
    return user


def test_an_account_that_never_applied_is_due_two_years_after_it_was_last_used():
    never = signed_up("never@unused.test", joined=dt.date(2024, 5, 1))
    seen = signed_up("seen@unused.test", joined=dt.date(2020, 1, 1), last_login=dt.date(2025, 3, 1))
    assert due_ids(dt.date(2026, 4, 30)) == []
    assert due_ids(dt.date(2026, 5, 1)) == [never.pk]
    assert due_ids(dt.date(2027, 3, 1)) == [never.pk, seen.pk]
    [due] = retention.retention_due(on=dt.date(2026, 5, 1))
    assert (due.stage, due.reason) == ("unused", "never applied; made, never signed in, 2024-05-01, 2 years")


def test_the_setting_says_how_many_years(settings):
    settings.RETENTION_UNUSED_ACCOUNT_YEARS = 5
    user = signed_up("five@unused.test", joined=dt.date(2020, 1, 1))
    assert due_ids(dt.date(2024, 12, 31)) == []
    assert due_ids(dt.date(2025, 1, 1)) == [user.pk]


def test_the_organisations_accounts_held_ones_and_applicants_are_never_due_as_unused(program):
    old = dt.date(2015, 1, 1)
    signed_up("staff@unused.test", joined=old, is_staff=True)
    coordinator = signed_up("coordinator@unused.test", joined=old)
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    held = signed_up("held@unused.test", joined=old)
    RetentionHold.objects.create(user=held, reason="complaint")
    applicant = signed_up("applicant@unused.test", joined=old)
    scenarios.enroll(program=program, user=applicant, role="mentee")
    assert due_ids(dt.date(2030, 1, 1)) == []


def test_the_nightly_job_anonymises_an_unused_account_once_and_the_dry_run_lists_it():
    user = signed_up("gone@unused.test", joined=dt.date(2020, 1, 1))
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--on", "2026-01-01", stdout=out)
    assert f"user #{user.pk}: unused (never applied" in out.getvalue()
    assert "gone@unused.test" not in out.getvalue()
    assert User.objects.get(pk=user.pk).email == "gone@unused.test"

    with time_machine.travel(dt.datetime(2026, 1, 1, 3, 15, tzinfo=dt.UTC), tick=False):
        tasks.apply_retention()
        tasks.apply_retention()
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@invalid" and not user.is_active
    assert places_mentioning("gone@unused.test") == [] and places_mentioning("Unused Person") == []
    entry = AuditEntry.objects.get(action="person.anonymised", target_id=user.pk)
    assert entry.summary == "personal data (an account never used to apply)"
