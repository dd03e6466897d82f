"""The training KPIs (mentors trained before their match, training hours per mentor) on a hand-built
world whose answers are worked out below, their place on the reports, the definitions page and the
KPI export, and the person's trainings in their data download and their erasure.

The world is built with the services (applications, matches confirmed by both people, completions
through ``training_complete``); the services only ever start a match or approve someone today, so
those dates are then moved back, as tests/evaluation/kpi_history.py does.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import erasure, kpis
from matching.models import Match
from mentorship.models import User
from programs import services as program_services
from programs.models import (
    CompletedBy,
    Program,
    QuizAttempt,
    QuizQuestion,
    Resource,
    SessionSignup,
    StatusChange,
    StoredFile,
    Training,
    TrainingRecord,
    TrainingSession,
)
from programs.training_records import training_complete
from tests import scenarios

pytestmark = pytest.mark.django_db

T = timezone.localdate()
START, END = T - dt.timedelta(days=180), T  # the period; D is today


def ago(days):
    return T - dt.timedelta(days=days)


def moment(days):
    """``days`` before now, as a time (what ``published_at`` and ``changed_at`` hold)."""
    return timezone.now() - dt.timedelta(days=days)


def report(*programs):
    ids = [p.pk for p in programs]
    return kpis.compute(Program.objects.filter(pk__in=ids), on=T, start=START, end=END)


@dataclass
class TrainingWorld:
    lead: User
    program: Program  # requires mentor training
    plain: Program  # requires none
    required: Training
    later: Training  # required too, published 10 days ago
    optional: Training
    mentors: dict
    matches: dict


def _training(program, title, **fields):
    fields.setdefault("audience", "mentor")
    return Training.objects.create(program=program, title=title, **fields)


def _match(program, lead, mentor, name):
    mentee = scenarios.ready_mentee(program=program, email=f"{name}-mentee@train.test")
    return scenarios.active_match(program=program, mentee=mentee, mentor=mentor, by=lead)


def _complete(training, enrollment, days_ago, **fields):
    return training_complete(
        training=training, enrollment=enrollment, how=fields.pop("how", CompletedBy.ONLINE),
        completed_on=ago(days_ago), **fields,
    )  # fmt: skip


def _started(match, days_ago):
    Match.objects.filter(pk=match.pk).update(started_on=ago(days_ago))


@pytest.fixture
def tw():
    """Program "Trained": "Safeguarding" (required of mentors, valid 60 days, 2 h, published a year
    ago), "Online safety" (required, 1.5 h, published 10 days ago), "Extra" (optional, 1 h) and a
    mentees' training (4 h). Matches, by mentor (day: days ago):

    mentor  Safeguarding done  match started  trained?
    m1      50 (expires -10)   40             yes
    m2      20                 30             no: after the start
    m3      150 (expires 90)   60             no: expired before the start
    m4      70 (expires 10)    70             yes: on the start day counts
    m5      100 (expires 40)   40             no: expiring on the start day
    m6      30 (+ Extra, 3.5 h elsewhere)  5  no: "Online safety" was required by then
    m7      250                200            not counted: started before the period

    Hours in the period (180 days up to today) over the mentors approved at some time in it: m1-m7
    (approved today) and m9 (approved 400 days ago, still approved): 8. m8 withdrew before the
    period; m10 only applied. m1 to m6: 6 x 2 h, m6 3.5 h more, m9 "Online safety" 1.5 h (5 days
    ago) and "Extra" 2 h (180 days ago, the period's first day); m2's "Extra" 181 days ago, m7's
    "Safeguarding" and m10's "Extra" do not count; nor the mentee's 4 h. 19 h / 8 = 2.375 h.

    Program "Plain" asks no mentor training: one match started 20 days ago, one mentor with 1 h.
    """
    lead = scenarios.coordinator(email="lead@train.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Trained Program", status="running")
    plain = scenarios.program(coordinator=lead, name="Plain Program", status="running")
    # Drafts while the matches are made (the services start them today), published afterwards.
    required = _training(program, "Safeguarding", required=True, valid_days=60, hours=Decimal("2"))
    later = _training(program, "Online safety", required=True, hours=Decimal("1.5"))
    optional = _training(program, "Extra", hours=Decimal("1"))
    mentees_training = _training(program, "Welcome", audience="mentee", hours=Decimal("4"))
    plain_optional = _training(plain, "Plain extra", hours=Decimal("1"))

    mentors = {
        f"m{k}": scenarios.ready_mentor(program=program, email=f"m{k}@train.test") for k in range(1, 10)
    }
    mentors["m10"] = scenarios.enroll(
        program=program, user=scenarios.person(email="m10@train.test"), role="mentor"
    )
    starts = {"m1": 40, "m2": 30, "m3": 60, "m4": 70, "m5": 40, "m6": 5, "m7": 200}
    matches = {name: _match(program, lead, mentors[name], name) for name in starts}
    plain_mentor = scenarios.ready_mentor(program=plain, email="p1@train.test")
    matches["p1"] = _match(plain, lead, plain_mentor, "p1")

    Training.objects.filter(pk__in=[required.pk, optional.pk, mentees_training.pk, plain_optional.pk]).update(
        published_at=moment(365)
    )
    Training.objects.filter(pk=later.pk).update(published_at=moment(10))
    required.refresh_from_db()
    for name, days in {"m1": 50, "m2": 20, "m3": 150, "m4": 70, "m5": 100, "m6": 30, "m7": 250}.items():
        _complete(required, mentors[name], days)
    _complete(optional, mentors["m6"], 30, how=CompletedBy.EXTERNAL, by=lead, hours=Decimal("3.5"))
    _complete(optional, mentors["m2"], 181)
    _complete(later, mentors["m9"], 5)
    _complete(optional, mentors["m9"], 180, hours=Decimal("2"))
    _complete(optional, mentors["m10"], 10)
    _complete(mentees_training, matches["m1"].mentee, 10)
    _complete(plain_optional, plain_mentor, 3)
    for name, days in starts.items():
        _started(matches[name], days)
    _started(matches["p1"], 20)

    # m9 was approved long ago and still is; m8 too, but withdrew before the period.
    for name in ("m8", "m9"):
        StatusChange.objects.filter(enrollment=mentors[name]).update(changed_at=moment(400))
    program_services.enrollment_withdraw(enrollment=mentors["m8"], by=mentors["m8"].user)
    withdrawn = StatusChange.objects.filter(enrollment=mentors["m8"], to_status="withdrawn")
    withdrawn.update(changed_at=moment(300))
    return TrainingWorld(lead, program, plain, required, later, optional, mentors, matches)


# --- A recount in Python, straight from the rows -------------------------------------------------


def _required_on(match):
    day = match.started_on
    return [
        t
        for t in Training.objects.filter(program=match.program_id, audience="mentor", required=True)
        if t.published_at
        and timezone.localdate(t.published_at) <= day
        and (t.archived_at is None or timezone.localdate(t.archived_at) > day)
    ]


def recount_trained(programs):
    base = trained = 0
    for match in Match.objects.filter(program__in=programs, started_on__range=(START, END)):
        required = _required_on(match)
        if not required:
            continue
        base += 1
        records = {r.training_id: r for r in TrainingRecord.objects.filter(enrollment=match.mentor_id)}
        day = match.started_on
        trained += all(
            (r := records.get(t.pk)) is not None
            and r.completed_on is not None
            and r.completed_on <= day
            and (r.expires_on is None or r.expires_on > day)
            for t in required
        )
    return trained, base


def _approved_in_period(enrollment):
    changes = list(StatusChange.objects.filter(enrollment=enrollment).order_by("changed_at", "id"))
    before = [c for c in changes if timezone.localdate(c.changed_at) < START]
    during = [c for c in changes if START <= timezone.localdate(c.changed_at) <= END]
    return (before and before[-1].to_status == "approved") or any(c.to_status == "approved" for c in during)


def recount_hours(programs):
    mentors = [
        e for program in programs for e in program.enrollments.filter(role="mentor") if _approved_in_period(e)
    ]
    hours = sum(
        r.hours
        for r in TrainingRecord.objects.filter(
            enrollment__in=mentors, training__audience="mentor", completed_on__range=(START, END)
        )
    )
    return hours, len(mentors)


# --- The figures ---------------------------------------------------------------------------------------


def test_mentors_trained_before_their_match(tw):
    figure = report(tw.program).get("trained_before_match")
    assert (figure.numerator, figure.denominator) == (2, 6)  # m1 and m4 of m1-m6
    assert figure.value == pytest.approx(2 / 6)
    assert (figure.display, figure.detail) == ("33%", "2 of 6")
    assert recount_trained([tw.program]) == (2, 6)


def test_a_training_published_after_the_match_started_was_not_required_of_it(tw):
    # m1's match started 40 days ago: "Online safety" (published 10 days ago) was not asked of m1.
    assert not TrainingRecord.objects.filter(training=tw.later, enrollment=tw.mentors["m1"]).exists()
    # Published 60 days ago, it was asked of m1 (who lacks it), not of m4 (started 70 days ago).
    Training.objects.filter(pk=tw.later.pk).update(published_at=moment(60))
    assert report(tw.program).get("trained_before_match").numerator == 1
    assert recount_trained([tw.program]) == (1, 6)


def test_an_archived_training_stops_being_required_from_the_day_it_was_archived(tw):
    Training.objects.filter(pk=tw.later.pk).update(archived_at=moment(3))
    assert report(tw.program).get("trained_before_match").numerator == 2  # m6 still lacked it then
    Training.objects.filter(pk=tw.later.pk).update(archived_at=moment(6))
    assert report(tw.program).get("trained_before_match").numerator == 3  # m6 now trained
    assert recount_trained([tw.program]) == (3, 6)


def test_a_program_asking_no_mentor_training_is_left_out(tw):
    figure = report(tw.plain).get("trained_before_match")
    assert (figure.value, figure.denominator, figure.display) == (None, 0, "–")
    assert figure.detail == "no match started in the period in a program requiring mentor training"
    both = report(tw.program, tw.plain).get("trained_before_match")
    assert (both.numerator, both.denominator) == (2, 6)
    assert recount_trained([tw.program, tw.plain]) == (2, 6)


def test_training_hours_per_mentor(tw):
    figure = report(tw.program).get("training_hours")
    assert (figure.numerator, figure.denominator, figure.basis) == (19.0, 8, 8)
    assert figure.value == pytest.approx(2.375)
    assert figure.unit == kpis.HOURS
    assert (figure.display, figure.detail) == ("2.4 h", "19.0 h over 8 mentors")
    assert recount_hours([tw.program]) == (Decimal("19.0"), 8)


def test_hours_on_too_few_mentors_are_too_early_to_tell(tw):
    figure = report(tw.plain).get("training_hours")
    assert (figure.value, figure.basis) == (1.0, 1)
    assert figure.too_small and figure.display == kpis.TOO_EARLY
    assert figure.detail == "1.0 h over 1 mentor"
    both = report(tw.program, tw.plain).get("training_hours")
    assert (both.numerator, both.denominator) == (20.0, 9)
    assert recount_hours([tw.program, tw.plain]) == (Decimal("20.0"), 9)


def test_no_mentors_no_hours():
    lead = scenarios.coordinator(email="empty@train.test")
    empty = scenarios.program(coordinator=lead, name="Empty Program")
    figure = report(empty).get("training_hours")
    assert (figure.value, figure.display, figure.detail) == (None, "–", "no mentors in the period")


def test_the_cross_program_figures_are_each_programs_own(tw):
    by_program = kpis.compute_by_program(
        Program.objects.filter(pk__in=[tw.program.pk, tw.plain.pk]), on=T, start=START, end=END
    )
    for program in (tw.program, tw.plain):
        alone = report(program)
        for key in ("trained_before_match", "training_hours"):
            assert by_program[program.pk].get(key) == alone.get(key), (program, key)


def test_the_report_still_takes_six_queries(tw, django_assert_num_queries):
    with django_assert_num_queries(6):
        report(tw.program, tw.plain)


# --- Where they show -------------------------------------------------------------------------------


def test_the_figures_show_on_the_program_dashboard(client, tw):
    client.force_login(tw.lead)
    url = reverse("evaluation:program_dashboard", args=[tw.program.slug])
    response = client.get(url, {"on": T, "start": START, "end": END})
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Mentors trained before their match", "2 of 6", "33%", "Training hours per mentor"):
        assert text in page, text
    assert "2.4 h" in page and "19.0 h over 8 mentors" in page
    definitions = reverse("evaluation:definitions")
    assert f"{definitions}#trained_before_match" in page and f"{definitions}#training_hours" in page


def test_the_figures_show_on_the_cross_program_page(client, tw):
    staff = scenarios.person(email="staff@train.test", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("evaluation:staff_dashboard"), {"on": T, "start": START, "end": END})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mentors trained before their match" in page and "Training hours per mentor" in page


def test_the_definitions_page_defines_them(client):
    page = client.get(reverse("evaluation:definitions")).content.decode()
    for key in ("trained_before_match", "training_hours"):
        definition = kpis.DEFINITIONS_BY_KEY[key]
        assert f'id="{key}"' in page
        assert definition.name in page
    assert "Matches in a program that required no mentor training are left out" in page
    assert "at least 5 mentors" in page.lower()


def test_the_kpi_export_carries_them(client, tw):
    client.force_login(tw.lead)
    response = client.post(
        reverse("evaluation:program_export", args=[tw.program.slug]),
        {"on": T, "start": START, "end": END, "dataset": "kpis", "file_format": "csv"},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    by = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    trained, hours = by["trained_before_match"], by["training_hours"]
    assert (trained["numerator"], trained["denominator"], trained["enough_data"]) == ("2", "6", "true")
    assert (hours["value"], hours["unit"], hours["shown_as"]) == ("2.375", "hours", "2.4 h")


# --- The person's own data, and erasure -------------------------------------------------------------


def _attempts_and_signup(tw):
    record = TrainingRecord.objects.get(training=tw.required, enrollment=tw.mentors["m1"])
    QuizAttempt.objects.create(record=record, score=40, passed=False, answers={"1": 2})
    QuizAttempt.objects.create(record=record, score=90, passed=True, answers={"1": 3})
    other = TrainingRecord.objects.get(training=tw.required, enrollment=tw.mentors["m2"])
    QuizAttempt.objects.create(record=other, score=77, passed=True, answers={"1": 3})
    start = timezone.now() + dt.timedelta(days=7)
    session = TrainingSession.objects.create(
        training=tw.optional, starts_at=start, ends_at=start + dt.timedelta(hours=2), place="Hall", capacity=9
    )
    SessionSignup.objects.create(session=session, enrollment=tw.mentors["m1"])
    SessionSignup.objects.create(session=session, enrollment=tw.mentors["m2"])
    return record


def test_the_data_download_holds_their_trainings_and_quiz_attempts_only(client, tw):
    _attempts_and_signup(tw)
    staff = scenarios.person(email="sid@train.test", is_staff=True)
    client.force_login(staff)
    user = tw.mentors["m1"].user
    response = client.get(reverse("evaluation:person_data", args=[user.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))["data"]["programs"]
    records = data["trainingrecord"]
    assert [(r["training"], r["completed_on"], r["expires_on"], r["how"]) for r in records] == [
        ("Safeguarding", ago(50).isoformat(), ago(-10).isoformat(), "Online")
    ]
    attempts = sorted((a["score"], a["passed"], a["training"]) for a in data["quizattempt"])
    assert attempts == [(40, False, "Safeguarding"), (90, True, "Safeguarding")]
    assert all(a["submitted_at"] for a in data["quizattempt"])
    assert len(data["sessionsignup"]) == 1
    header = archive.read("csv/programs.trainingrecord.csv").decode("utf-8-sig").splitlines()[0]
    for column in ("training", "completed_on", "expires_on", "score", "how"):
        assert column in header.split(",")


def test_erasure_keeps_the_completions_and_removes_attempts_signups_and_notes(tw):
    _attempts_and_signup(tw)
    mentor = tw.mentors["m1"]
    TrainingRecord.objects.filter(enrollment=mentor).update(note="Certificate seen for M1 at the hall")
    before = report(tw.program)
    erasure.erase_person(mentor.user)
    assert not QuizAttempt.objects.filter(record__enrollment=mentor).exists()
    assert not SessionSignup.objects.filter(enrollment=mentor).exists()
    record = TrainingRecord.objects.get(enrollment=mentor)
    assert (record.completed_on, record.note) == (ago(50), "")
    # The partner's rows stay; the figures do not move.
    assert QuizAttempt.objects.filter(record__enrollment=tw.mentors["m2"]).count() == 1
    assert SessionSignup.objects.filter(enrollment=tw.mentors["m2"]).count() == 1
    after = report(tw.program)
    for key in ("trained_before_match", "training_hours"):
        assert after.get(key) == before.get(key)


def test_files_someone_uploaded_outlive_their_erasure_and_their_account(tw):
    uploader = scenarios.coordinator(email="uploader@train.test")
    kept = StoredFile.objects.create(
        name="guide.pdf", content_type="application/pdf", size=4, sha256="0" * 64, data=b"%PDF",
        uploaded_by=uploader,
    )  # fmt: skip
    erasure.erase_person(uploader)
    kept.refresh_from_db()
    assert (kept.uploaded_by_id, bytes(kept.data)) == (uploader.pk, b"%PDF")
    User.objects.filter(pk=uploader.pk).delete()
    kept.refresh_from_db()
    assert (kept.uploaded_by_id, bytes(kept.data)) == (None, b"%PDF")


# --- The admin -----------------------------------------------------------------------------------------


def test_staff_read_trainings_records_and_files_in_the_admin_without_a_files_bytes(client, tw):
    _attempts_and_signup(tw)
    stored = StoredFile.objects.create(
        name="guide.pdf", content_type="application/pdf", size=13, sha256="0" * 64,
        data=b"%PDF-SECRETBYTES", uploaded_by=tw.lead,
    )  # fmt: skip
    Resource.objects.create(
        program=tw.program, title="First meeting tips", topic="first_meeting", audience="mentors",
        kind="file", file=stored,
    )  # fmt: skip
    admin = scenarios.person(email="root@train.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    record = TrainingRecord.objects.get(training=tw.required, enrollment=tw.mentors["m1"])
    question = QuizQuestion.objects.create(training=tw.required, text="Who do you tell?")
    objects = [
        tw.required, question, TrainingSession.objects.get(), record, Resource.objects.get(), stored
    ]  # fmt: skip
    for obj in objects:
        name = obj._meta.model_name
        for url in (
            reverse(f"admin:programs_{name}_changelist"),
            reverse(f"admin:programs_{name}_change", args=[obj.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "SECRETBYTES" not in page, url
    file_page = client.get(reverse("admin:programs_storedfile_change", args=[stored.pk])).content.decode()
    assert 'name="data"' not in file_page and "guide.pdf" in file_page
    resource_page = client.get(reverse("admin:programs_resource_changelist")).content.decode()
    assert "guide.pdf" in resource_page
    # A record is corrected only in its note: no add, no delete.
    assert client.get(reverse("admin:programs_trainingrecord_add")).status_code == 403
    assert client.get(reverse("admin:programs_trainingrecord_delete", args=[record.pk])).status_code == 403
