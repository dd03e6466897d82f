"""Applications: applying, every allowed and refused status change, history, emails, withdrawal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs import services
from programs.models import ENROLLMENT_TRANSITIONS, Enrollment, EnrollmentStatus, ProgramStatus, Role, Source
from tests import scenarios

pytestmark = pytest.mark.django_db


def test_applying_records_the_answers_the_source_and_the_first_history_entry(people):
    program = scenarios.program(coordinator=people.coordinator, questions=["What do you hope to learn?"])
    question = program.questions.get()
    enrollment = services.enrollment_apply(
        program=program,
        user=people.mentee,
        role=Role.MENTEE,
        heard_about="school",
        motivation="I want to study nursing.",
        answers={question.pk: "How to apply to college."},
    )
    assert enrollment.status == EnrollmentStatus.APPLIED and enrollment.source == Source.APPLIED
    assert enrollment.answers.get().text == "How to apply to college."
    change = enrollment.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "applied", people.mentee)


def test_a_person_applies_to_a_program_once(people):
    program = scenarios.program(coordinator=people.coordinator)
    scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE)
    with pytest.raises(ValidationError, match="already applied"):
        services.enrollment_apply(program=program, user=people.mentee, role=Role.MENTOR, heard_about="friend")


@pytest.mark.parametrize("status", [ProgramStatus.DRAFT, ProgramStatus.CLOSED])
def test_nobody_applies_to_a_program_that_is_not_taking_applications(people, status):
    program = scenarios.program(coordinator=people.coordinator, status=status)
    with pytest.raises(ValidationError):
        services.enrollment_apply(program=program, user=people.mentee, role=Role.MENTEE, heard_about="friend")


ALL_PAIRS = [(a, b) for a in EnrollmentStatus for b in EnrollmentStatus if a != b]


@pytest.mark.parametrize(("start", "target"), ALL_PAIRS)
def test_enrollment_status_moves_only_along_allowed_transitions(people, start, target):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE, status=start)
    history = enrollment.status_changes.count()
    if target in ENROLLMENT_TRANSITIONS[start]:
        services.enrollment_transition(
            enrollment=enrollment, to_status=target, by=people.coordinator, note="ok"
        )
        assert Enrollment.objects.get(pk=enrollment.pk).status == target
        last = enrollment.status_changes.last()
        assert (last.from_status, last.to_status, last.changed_by, last.note) == (
            start,
            target,
            people.coordinator,
            "ok",
        )
    else:
        with pytest.raises(ValidationError):
            services.enrollment_transition(enrollment=enrollment, to_status=target, by=people.coordinator)
        assert Enrollment.objects.get(pk=enrollment.pk).status == start
        assert enrollment.status_changes.count() == history


@pytest.mark.parametrize(
    ("target", "subject"),
    [
        (EnrollmentStatus.IN_SCREENING, "is being reviewed"),
        (EnrollmentStatus.DECLINED, "Your application to"),
        (EnrollmentStatus.WAITLISTED, "waiting list"),
    ],
)
def test_applicants_are_emailed_about_decisions(people, mailoutbox, send_queued_emails, target, subject):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE)
    services.enrollment_transition(
        enrollment=enrollment, to_status=target, by=people.coordinator, note="See you"
    )
    send_queued_emails()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [people.mentee.email]
    assert subject in mailoutbox[0].subject
    assert "See you" in mailoutbox[0].body
    assert f"/applications/{enrollment.pk}/" in mailoutbox[0].body or target == EnrollmentStatus.DECLINED


def test_approval_is_emailed(people, mailoutbox, send_queued_emails):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(
        program=program, user=people.mentor, role=Role.MENTOR, status="in_screening"
    )
    services.enrollment_transition(enrollment=enrollment, to_status="approved", by=people.coordinator)
    assert send_queued_emails() == 1
    assert "approved" in mailoutbox[0].subject


def test_queued_emails_go_out_once_even_when_the_sweep_runs_twice(people, mailoutbox, send_queued_emails):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE)
    services.enrollment_transition(enrollment=enrollment, to_status="waitlisted", by=people.coordinator)
    assert send_queued_emails() == 1
    assert send_queued_emails() == 0
    assert len(mailoutbox) == 1


def test_only_the_applicant_can_withdraw(people):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE, status="approved")
    with pytest.raises(PermissionDenied):
        services.enrollment_withdraw(enrollment=enrollment, by=people.coordinator)
    services.enrollment_withdraw(enrollment=enrollment, by=people.mentee, note="Moving away")
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.WITHDRAWN


def test_a_stale_decision_is_refused(people):
    program = scenarios.program(coordinator=people.coordinator)
    enrollment = scenarios.enroll(program=program, user=people.mentee, role=Role.MENTEE)
    stale = Enrollment.objects.get(pk=enrollment.pk)
    services.enrollment_transition(enrollment=enrollment, to_status="in_screening", by=people.coordinator)
    with pytest.raises(ValidationError, match="changed meanwhile"):
        services.enrollment_transition(enrollment=stale, to_status="declined", by=people.other_coordinator)
