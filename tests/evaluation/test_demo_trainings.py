"""The demo's trainings and resource library (evaluation/demo/trainings.py, resources.py): real
content, and records that tell a true story without taking the demo's matching away."""

import hashlib
import re

import pytest
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from evaluation.demo.resources import one_page_pdf
from evaluation.demo.site import demo_site
from matching.models import Match
from mentorship.markup import plain, render
from programs import resources
from programs.models import (
    OPEN_STATUSES,
    CompletedBy,
    Enrollment,
    Resource,
    ResourceAudience,
    ResourceKind,
    ResourceTopic,
    TrainingFor,
    TrainingKind,
)
from programs.selectors import blockers_for, missing_trainings
from programs.uploads import detect

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Seeding takes a few seconds: once for the module, rolled back after its last test.
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(demo, db):
    return demo


def _trainings(site):
    trainings = {t.title: t for t in site.program.trainings.prefetch_related("pages", "questions__choices")}
    return (
        trainings["Before your first match: mentor pre-match training"],
        trainings["Orientation for parents and guardians"],
        trainings["Welcome session for new mentees"],
        trainings["Safeguarding refresher"],
    )


def test_the_pre_match_training_is_real_content_with_a_quiz(site):
    pre_match, *_ = _trainings(site)
    assert pre_match.audience == TrainingFor.MENTOR and pre_match.kind == TrainingKind.ONLINE
    assert pre_match.gates_matching and pre_match.valid_days == 365 and pre_match.pass_mark == 80
    assert float(pre_match.hours) == 2.0
    pages = list(pre_match.pages.all())
    assert len(pages) >= 6
    for page in pages:
        assert 150 <= len(plain(page.body).split()) <= 330, page.title
        html = render(page.body)
        assert "<h2>" in html and ("<ul>" in html or "<ol>" in html), page.title
    safety = pages[1].body
    assert "public places" in safety and "same day" in safety and "secret" in safety
    questions = list(pre_match.questions.all())
    assert len(questions) >= 5
    for question in questions:
        choices = list(question.choices.all())
        assert 3 <= len(choices) <= 4 and sum(c.is_correct for c in choices) == 1, question.text
        assert question.explanation


def test_guardians_have_an_orientation_and_people_have_sessions(site):
    _, orientation, welcome, refresher = _trainings(site)
    assert orientation.audience == TrainingFor.GUARDIAN and orientation.gates_matching
    assert orientation.pages.count() == 3 and float(orientation.hours) == 0.5
    now = timezone.now()
    assert welcome.audience == TrainingFor.MENTEE and not welcome.required and welcome.is_published
    upcoming = welcome.sessions.filter(starts_at__gt=now)
    assert sorted(s.capacity for s in upcoming) == [12, 15]
    assert all(s.signups.count() <= s.capacity for s in upcoming)
    held = welcome.sessions.get(starts_at__lt=now)
    assert held.attendance_taken_at is not None
    came = held.signups.filter(attended=True)
    assert came.count() == 7 and held.signups.filter(attended=False).count() == 2
    records = welcome.records.filter(completed_by=CompletedBy.IN_PERSON)
    assert {r.enrollment_id for r in records} == set(came.values_list("enrollment_id", flat=True))
    assert refresher.audience == TrainingFor.MENTOR and not refresher.required
    assert refresher.sessions.filter(starts_at__gt=now).count() == 1


def test_the_library_holds_a_dozen_resources_across_topics_and_audiences(site):
    shown = resources.resources_for(site.coordinator, site.program)
    assert len(shown) >= 14
    titles = {r.title for r in shown}
    assert {"The program's safety rules", "Our match agreement", "Safeguarding: who to call"} <= titles
    assert {r.topic for r in shown} == set(ResourceTopic.values)
    assert {r.audience for r in shown} == set(ResourceAudience.values)
    assert Resource.objects.filter(program=None, title="Safeguarding: who to call").exists()
    links = [r for r in shown if r.kind == ResourceKind.LINK]
    assert {r.url for r in links} == {"https://www.mentoring.org/", "https://www.nspcc.org.uk/"}


def _check_pdf_structure(data):
    """Every cross-reference entry points at its object, and startxref at the table."""
    assert data.startswith(b"%PDF-") and data.endswith(b"%%EOF")
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF$", data).group(1))
    assert data[start:].startswith(b"xref\n0 ")
    count = int(re.match(rb"xref\n0 (\d+)\n", data[start:]).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[start:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", data).group(1))
    stream = data.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")


def test_the_printable_safety_rules_are_a_valid_pdf_stored_like_an_upload(site):
    resource = Resource.objects.get(program=site.program, kind=ResourceKind.FILE)
    stored = resources.file_bytes(resource)
    data = bytes(stored.data)
    assert stored.content_type == "application/pdf" and stored.name.endswith(".pdf")
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert detect(data)[0] is not None and detect(data)[0].content_type == "application/pdf"
    _check_pdf_structure(data)
    assert b"(City Youth Mentoring: the safety rules) Tj" in data
    # Brackets and backslashes in a line are escaped.
    _check_pdf_structure(one_page_pdf(["A (bracketed) line \\ here", "HEADING", "text"], title="t"))


def test_matching_still_has_people_and_training_blocks_exactly_whom_the_story_says(site):
    program = site.program
    matchable = Enrollment.objects.filter(program=program).matchable()
    assert matchable.filter(role="mentor").count() == 24  # as before trainings existed
    assert matchable.filter(role="mentee").count() >= 30
    pre_match, orientation, *_ = _trainings(site)
    blocked = set(Enrollment.objects.filter(program=program).blocked_by("training"))
    # The SQL and the Python rule agree.
    open_ones = (
        Enrollment.objects.filter(program=program, status__in=OPEN_STATUSES)
        .select_related("user__profile", "program")
        .prefetch_related("program__trainings", "training_records", "program__checklist_items")
    )
    assert blocked == {e for e in open_ones if missing_trainings(e)}
    # Among the approved, only one is kept from matching by training alone: the mentee whose
    # guardian has not taken the orientation yet.
    approved = [e for e in open_ones if e.status == "approved"]
    only_training = [e for e in approved if {b.kind for b in blockers_for(e)} == {"training"}]
    assert len(only_training) == 1 and only_training[0].role == "mentee"
    waiting = only_training[0]
    assert waiting.guardian_consent and not orientation.records.filter(enrollment=waiting).exists()
    # The half-way mentor: three pages read, shown as still needing the training.
    half_way = pre_match.records.get(completed_on=None)
    assert half_way.pages_read == 3 and half_way.enrollment in blocked
    reasons = [b.text for b in blockers_for(half_way.enrollment)]
    assert any(pre_match.title in text for text in reasons)
    mentors_blocked = [e for e in blocked if e.role == "mentor"]
    assert len(mentors_blocked) == 11  # 3 approved still in screening, 4 in screening, 4 applied
    assert all(e.needs_guardian_consent() for e in blocked if e.role == "mentee")


def test_matched_mentors_were_mostly_trained_before_their_match_started(site):
    pre_match, orientation, *_ = _trainings(site)
    today = timezone.localdate()
    starts = dict(
        Match.objects.filter(program=site.program, started_on__isnull=False)
        .values_list("mentor")
        .annotate(first=Min("started_on"))
    )
    records = {r.enrollment_id: r for r in pre_match.records.all()}
    assert all(records[mentor].is_current(today) for mentor in starts)
    late = [m for m, started in starts.items() if records[m].completed_on >= started]
    assert 1 <= len(late) <= 2 and len(starts) >= 10
    assert all(records[m].score in (83, 100) and float(records[m].hours) == 2.0 for m in starts)
    external = pre_match.records.get(completed_by=CompletedBy.EXTERNAL)
    assert external.note.startswith("Took the county's volunteer training in ")
    assert external.recorded_by is not None and external.is_current(today)
    # Guardians of matched minors took the orientation: recorded on the mentee's enrollment.
    for match in Match.objects.filter(program=site.program).select_related("mentee__user__profile"):
        if match.mentee.needs_guardian_consent():
            assert orientation.records.get(enrollment=match.mentee).is_current(today)
