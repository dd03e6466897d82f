"""The funder report: the web page (who sees it, the same figures as the dashboard), the PDF built by
a worker (claimed once, progress, recovery, its content) and a withdrawn story leaving every report."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from evaluation import export_tasks, exports, funder_pdf, funder_report, kpis
from evaluation.equity import equity_summary
from evaluation.models import ExportRecord, Story
from evaluation.story_services import story_withdraw
from mentorship import pdf
from programs.models import Event, Program, Rsvp
from programs.models.demographics import DemographicAnswer, DemographicQuestion
from tests.evaluation.kpi_history import START, D, at, build_history

pytestmark = pytest.mark.django_db

PERIOD = {"on": D.isoformat(), "start": START.isoformat(), "end": D.isoformat()}
NAMED_TEXT = "My mentor helped me find the courage to apply for my first apprenticeship."
ANONYMOUS_TEXT = "Every fortnight we met at the library and planned the next small step together."
PRIVATE_TEXT = "This one is only for the coordinators to read, never for a funder."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def history():
    program = build_history()
    enrollments = {e.user.email.split("@")[0]: e for e in program.enrollments.select_related("user")}
    # A mentor tells a story with their name; another anonymously; a third keeps theirs private.
    featured = {"featured": True, "featured_at": at(D)}
    program.named = Story.objects.create(
        program=program,
        enrollment=enrollments["t1"],
        title="A first step",
        text=NAMED_TEXT,
        consent="named",
        **featured,
    )
    program.anonymous = Story.objects.create(
        program=program, enrollment=enrollments["t2"], text=ANONYMOUS_TEXT, consent="anonymous", **featured
    )
    program.private = Story.objects.create(
        program=program, enrollment=enrollments["t3"], text=PRIVATE_TEXT, consent="not_shared"
    )
    # An event held in the period, attendance taken: two came of three going.
    event = Event.objects.create(title="Spring networking evening", starts_at=at(dt.date(2026, 4, 2)),
                                 status="published", attendance_taken_at=at(dt.date(2026, 4, 2)))  # fmt: skip
    event.programs.add(program)
    for name, came in (("m1", True), ("m2", True), ("m3", False)):
        Rsvp.objects.create(event=event, user=enrollments[name].user, status="going", attended=came)
    program.enrollments_by_name = enrollments
    return program


@pytest.fixture
def lead(history):
    return history.coordinators.get()


def page_url(program):
    return reverse("evaluation:funder_report", args=[program.slug])


def request_pdf(client, program, callbacks_fixture):
    with callbacks_fixture() as callbacks:
        response = client.post(reverse("evaluation:funder_report_pdf", args=[program.slug]), PERIOD)
    assert len(callbacks) == 1  # the build is sent after commit (captured here, not sent)
    record = ExportRecord.objects.get(dataset="funder_report")
    assert response.status_code == 302
    assert response.url == reverse("evaluation:funder_report_progress", args=[program.slug, record.pk])
    return record


def pdf_text(media, record):
    record.refresh_from_db()
    return " ".join(pdf.strings_in((media / record.file).read_bytes()))


def report_figures(program):
    return kpis.compute(Program.objects.filter(pk=program.pk), on=D, start=START, end=D)


def shown_values(html):
    return re.findall(r'class="kpi-value[^"]*">([^<]*)<', html)


# --- The web page ------------------------------------------------------------------------------------


def test_only_the_programs_coordinators_and_staff_see_the_report(client, history, lead, world):
    url = page_url(history)
    author = history.enrollments_by_name["t1"].user
    people = world.people
    for user, status in [
        (people.mentee, 404),
        (people.coordinator, 404),
        (lead, 200),
        (people.staff, 200),
        (author, 404),
    ]:
        client.force_login(user)
        assert client.get(url, PERIOD).status_code == status, user
        post = client.post(reverse("evaluation:funder_report_pdf", args=[history.slug]), PERIOD)
        assert post.status_code == (302 if status == 200 else 404), user
    client.logout()
    assert client.get(url).url.startswith("/accounts/login/")


def test_the_page_shows_the_dashboards_figures(client, history, lead):
    client.force_login(lead)
    page = client.get(page_url(history), PERIOD).text
    dashboard = client.get(reverse("evaluation:program_dashboard", args=[history.slug]), PERIOD).text
    report = report_figures(history)
    expected = [f.display for _, figures in report.grouped() + report.events_grouped for f in figures]
    assert shown_values(page) == shown_values(dashboard) == expected
    for definition, _ in report.grouped():
        assert escape(definition.definition) in page
    assert NAMED_TEXT in page and ANONYMOUS_TEXT in page and PRIVATE_TEXT not in page
    assert "Spring networking evening" in page and "2 of 3" in page
    assert "Recruitment funnel" in page and "<svg" in page


def test_an_invalid_period_is_refused_with_the_form(client, history, lead):
    client.force_login(lead)
    response = client.get(page_url(history), {"on": "2999-01-01"})
    assert response.status_code == 200 and "cannot be in the future" in response.text
    response = client.post(reverse("evaluation:funder_report_pdf", args=[history.slug]), {"start": "x"})
    assert response.status_code == 400
    assert not ExportRecord.objects.exists()


# --- The PDF ---------------------------------------------------------------------------------------------


def test_the_pdf_is_built_once_by_the_worker_and_downloads(
    client, history, lead, media, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    record = request_pdf(client, history, django_capture_on_commit_callbacks)
    assert (record.status, record.file_format) == ("queued", "pdf")
    assert sorted(record.parameters["story_ids"]) == [history.named.pk, history.anonymous.pk]
    progress = client.get(reverse("evaluation:funder_report_progress", args=[history.slug, record.pk]))
    assert "Queued" in progress.text and "data-refresh-seconds" in progress.text
    assert "Funder report" in client.get(reverse("evaluation:exports")).text

    export_tasks.build_export(record.pk)
    export_tasks.build_export(record.pk)  # delivered twice: the second does nothing
    record.refresh_from_db()
    assert (record.status, record.progress, record.attempts) == ("done", 100, 1)
    assert record.row_count >= 4  # pages
    assert not list((media / "exports").glob("*.part"))

    progress = client.get(reverse("evaluation:funder_report_progress", args=[history.slug, record.pk]))
    download = reverse("evaluation:export_download", args=[record.pk])
    assert download in progress.text and "data-refresh-seconds" not in progress.text
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{history.slug}-funder_report-{D}.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")


def test_the_pdf_holds_the_dashboards_figures_and_the_featured_stories(
    client, history, lead, media, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    record = request_pdf(client, history, django_capture_on_commit_callbacks)
    exports.export_build(record_id=record.pk)
    text = pdf_text(media, record)
    report = report_figures(history)
    for definition, figures in report.grouped() + report.events_grouped:
        assert definition.definition in text, definition.key
        for figure in figures:
            assert figure.label in text and figure.display in text, (figure.label, figure.display)
    assert history.name in text and "1 July 2025 to 30 June 2026" in text
    assert NAMED_TEXT in text and "A first step" in text and ANONYMOUS_TEXT in text
    assert "A mentor" in text  # the anonymous story's byline
    named_author = history.enrollments_by_name["t1"].user.display_name
    assert named_author in text
    # Nobody else is named: not the private story's author, not the people who came to the event.
    assert PRIVATE_TEXT not in text
    for name in ("t2", "t3", "m1", "m2", "m3", "m4"):
        person = history.enrollments_by_name[name].user
        assert person.display_name not in text and person.email not in text, name
    assert "Spring networking evening" in text and "2 of 3" in text
    for chart in ("Recruitment funnel", "Active matches, month by month", "Retention at 3, 6 and 12 months"):
        assert chart in text
    # The charts are drawn: rectangles and lines in the content, not pictures.
    data = (media / record.file).read_bytes()
    assert data.count(b" re B Q") + data.count(b" re f Q") >= 10 and b"/Image" not in data


def test_a_worker_lost_mid_build_is_replaced_by_the_sweep(
    history, lead, media, settings, django_capture_on_commit_callbacks
):
    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    now = dt.datetime.now(dt.UTC)
    # A worker took it, then died: the record says "running" for good.
    ExportRecord.objects.filter(pk=record.pk).update(
        status="running",
        progress=40,
        attempts=1,
        started_at=now - exports.stale_after() - dt.timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert exports.exports_recover(now=now) == ([record.pk], [])
    assert len(callbacks) == 1
    record.refresh_from_db()
    assert (record.status, record.progress) == ("queued", 0)
    export_tasks.build_export(record.pk)
    record.refresh_from_db()
    assert (record.status, record.attempts) == ("done", 2) and (media / record.file).is_file()


def test_the_progress_page_follows_the_build_and_answers_only_its_requester(
    client, history, lead, media, world
):
    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    url = reverse("evaluation:funder_report_progress", args=[history.slug, record.pk])
    client.force_login(lead)
    ExportRecord.objects.filter(pk=record.pk).update(status="running", progress=40)
    page = client.get(url).text
    assert "Running" in page and 'value="40"' in page and "data-refresh-seconds" in page
    ExportRecord.objects.filter(pk=record.pk).update(status="failed", error="Out of paper.")
    page = client.get(url).text
    assert "could not be built: Out of paper." in page and "data-refresh-seconds" not in page
    for user in (world.people.coordinator, world.people.mentee):
        client.force_login(user)
        assert client.get(url).status_code == 404
    # Another export of the coordinator's is not a funder report: 404 here.
    scope = exports.Scope.for_programs(Program.objects.filter(pk=history.pk), on=D, start=START, end=D,
                                       program=history)  # fmt: skip
    other = exports.export_record_create(
        user=lead, scope=scope, dataset="matches", file_format="xlsx", status="done"
    )
    client.force_login(lead)
    assert (
        client.get(reverse("evaluation:funder_report_progress", args=[history.slug, other.pk])).status_code
        == 404
    )


# --- A withdrawn story leaves every report -----------------------------------------------------------


def test_a_withdrawn_story_leaves_every_built_report(
    client, history, lead, media, django_capture_on_commit_callbacks
):
    first = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    second = funder_report.funder_pdf_request(
        user=lead, program=history, on=D, start=dt.date(2026, 1, 1), end=D
    )
    exports.export_build(record_id=first.pk)
    exports.export_build(record_id=second.pk)
    first.refresh_from_db()
    old_file = media / first.file
    assert NAMED_TEXT in pdf_text(media, first)

    author = history.enrollments_by_name["t1"].user
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story_withdraw(story=history.named, by=author)
    assert len(callbacks) >= 4  # two rebuilds sent, two files deleted (after commit)
    assert not old_file.exists()
    for record in (first, second):
        record.refresh_from_db()
        assert (record.status, record.file) == ("queued", "")
        exports.export_build(record_id=record.pk)
        text = pdf_text(media, record)
        assert NAMED_TEXT not in text and "A first step" not in text and ANONYMOUS_TEXT in text
        record.refresh_from_db()
        assert record.parameters["story_ids"] == [history.anonymous.pk]
    # The page is live: the story is gone at once.
    client.force_login(lead)
    assert NAMED_TEXT not in client.get(page_url(history), PERIOD).text
    # A report without the story is left alone.
    assert funder_report.story_withdrawn(history.named.pk) == []


def test_a_build_running_when_the_story_is_withdrawn_keeps_nothing(history, lead, media):
    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    # A worker claimed it (and read the stories); then the story is withdrawn.
    ExportRecord.objects.filter(pk=record.pk).update(status="running", started_at=at(D), attempts=1)
    claimed = ExportRecord.objects.get(pk=record.pk)
    assert funder_report.story_withdrawn(history.named.pk) == [record.pk]
    funder_report.funder_build(claimed)  # the old build finishes: its result is not kept
    record.refresh_from_db()
    assert (record.status, record.file) == ("queued", "")
    assert not list((media / "exports").glob("*.pdf"))


def test_the_equity_summary_is_the_suppressed_one_and_nobodys_answer(history, lead, media):
    label = "How do you describe your gender?"
    question = DemographicQuestion.objects.create(
        program=history, topic="gender", label=label, options=["Woman", "Man"]
    )
    people = history.enrollments_by_name
    DemographicAnswer.objects.create(question=question, enrollment=people["m1"], option="Woman")
    DemographicAnswer.objects.create(question=question, enrollment=people["m2"], option="Man")
    DemographicAnswer.objects.create(
        question=question, enrollment=people["m3"], self_described="Quietly sparkly"
    )
    DemographicAnswer.objects.create(question=question, enrollment=people["m4"], prefer_not_to_say=True)
    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    exports.export_build(record_id=record.pk)
    text = pdf_text(media, record)
    summary = equity_summary(history, on=D, start=START, end=D)
    assert summary and summary[0]["question"] in text
    for row in [*summary[0]["rows"], summary[0]["total"]]:
        assert row["group"] in text
        for cell in row["cells"]:
            assert cell in text
    assert "fewer than 5" in text
    # No one's own words, and no answer beside a name.
    assert "Quietly sparkly" not in text
    for name in ("m1", "m2", "m3", "m4"):
        assert people[name].user.display_name not in text


TEXT_OP = re.compile(rb"BT /F(\d) (\S+) Tf \S+ \S+ \S+ rg (\S+) (\S+) Td \((.*?)\) Tj ET$", re.M)


def test_a_long_period_and_long_texts_stay_on_the_page(history, lead):
    Story.objects.filter(pk=history.named.pk).update(text=" ".join([NAMED_TEXT] * 40))
    Program.objects.filter(pk=history.pk).update(name="The Very Long Named Community Mentoring Program " * 2)
    history.refresh_from_db()
    report = funder_report.build_report(history, on=D, start=dt.date(2005, 1, 1), end=D)
    data, pages = funder_pdf.report_pdf(report)
    assert pages >= 10 and data.count(b"/Type /Page ") == pages
    width = pdf.A4[0]
    for bold, size, x, y, raw in TEXT_OP.findall(data):
        text = pdf.strings_in(b"(" + raw + b") Tj")[0]
        left, right = float(x), float(x) + pdf.text_width(text, float(size), bold=bold == b"2")
        assert left >= 30 and right <= width - 30, text
        assert 20 <= float(y) <= pdf.A4[1] - 20, text


def test_the_page_takes_as_many_queries_however_many_events_and_stories(client, history, lead):
    client.force_login(lead)
    url = page_url(history)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, PERIOD).status_code == 200
        return len(captured)

    before = queries()
    for k in range(4):
        event = Event.objects.create(
            title=f"Workshop {k}", starts_at=at(dt.date(2026, 5, 1 + k)), status="published"
        )
        event.programs.add(history)
        Rsvp.objects.create(event=event, user=history.enrollments_by_name["m1"].user, status="going")
    author = history.enrollments_by_name["t3"]
    Story.objects.create(program=history, enrollment=author, text="More.", consent="named", featured=True)
    assert queries() == before


def test_a_story_no_longer_shared_leaves_the_built_reports(
    history, lead, media, django_capture_on_commit_callbacks
):
    from evaluation.story_services import story_change

    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    exports.export_build(record_id=record.pk)
    assert NAMED_TEXT in pdf_text(media, record)
    author = history.enrollments_by_name["t1"].user
    with django_capture_on_commit_callbacks(execute=True):
        story_change(story=history.named, by=author, text=history.named.text, consent="not_shared")
    record.refresh_from_db()
    assert (record.status, record.file) == ("queued", "")
    exports.export_build(record_id=record.pk)
    assert NAMED_TEXT not in pdf_text(media, record)
