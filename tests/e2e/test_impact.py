"""Impact in a browser (issue 16), looked at on a phone and a laptop: a coordinator features a story
its author agreed to share, finds it on the program's public stories page, opens the equity report
(groups under 5 people hidden) and downloads the funder report, built as a PDF by a real worker.

Each page is looked at with ``look`` (375 px and 1280 px: no sideways scroll, nothing serious for
axe). With ``SCREENSHOTS=docs/screenshots`` the looks are saved as ``impact-NN-<step>-<width>.png``.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.story_services import story_tell
from mentorship import pdf
from programs import demographics
from programs.models import Enrollment
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STORY = "Ada helped me write my first program, and now I teach my little brother to code."


def test_a_coordinator_features_a_story_reads_the_equity_report_and_downloads_the_funder_report(
    page, live_server, log_in, look, celery_worker_process
):
    world = scenarios.matching_world()
    program, lead = world.program, world.coordinator
    question = demographics.question_add(program=program, by=lead, topic="gender")
    woman, man = question.options[0], question.options[1]
    for n in range(4):
        scenarios.ready_mentee(program=program, email=f"w{n}@matching.test", display_name=f"W{n}")
    mentees = list(Enrollment.objects.filter(program=program, role="mentee").order_by("pk"))
    assert len(mentees) == 8
    answers = {"dee": man, "eve": demographics.PREFER_NOT_TO_SAY}  # the others: woman
    for enrollment in mentees:
        choice = answers.get(enrollment.user.display_name.lower(), woman)
        demographics.answers_save(enrollment=enrollment, answers={question.pk: (choice, "")})
    ben = world.mentees["ben"]
    story_tell(enrollment=ben, by=ben.user, title="Code and confidence", text=STORY, consent="named")
    seen = []

    def see(name):
        seen.append(name)
        look(page, f"impact-{len(seen):02d}-{name}")

    log_in(lead.email)
    page.goto(f"{live_server.url}/programs/{program.slug}/manage/")
    page.get_by_role("link", name="Stories", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("stories")
    expect(page.get_by_text(STORY)).to_be_visible()
    see("stories-manage")
    page.get_by_role("button", name="Feature").click()
    expect(page.get_by_role("button", name="Unfeature")).to_be_visible()

    page.goto(f"{live_server.url}/programs/{program.slug}/")
    page.get_by_role("link", name="Stories").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Stories from {program.name}")
    expect(page.get_by_text(STORY)).to_be_visible()
    expect(page.get_by_text("Ben").first).to_be_visible()
    see("stories-public")

    page.goto(f"{live_server.url}/programs/{program.slug}/reports/")
    page.get_by_role("link", name="Equity report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("equity report")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name=f"Representation: “{question.label}”")).to_be_visible()
    # Six women applied as mentees; the one man and the one who preferred not to say are hidden.
    representation = page.get_by_role("region", name=f"Representation: “{question.label}”")
    expect(representation.get_by_role("row", name="Woman 6", exact=False)).to_be_visible()
    expect(representation.get_by_role("row").filter(has_text="Man").first).to_contain_text("fewer than 5")
    see("equity")

    page.goto(f"{live_server.url}/programs/{program.slug}/reports/")
    page.get_by_role("link", name="Funder report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{program.name}: funder report")
    expect(page.get_by_text(STORY)).to_be_visible()
    see("funder-report")
    page.get_by_role("button", name="Download PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{program.name}: funder report (PDF)")
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=60_000)  # the worker builds it; the page refreshes
    see("funder-pdf-ready")
    with page.expect_download() as download:
        download_link.click()
    text = " ".join(pdf.strings_in(Path(download.value.path()).read_bytes()))
    assert "Funder report" in text and program.name in text
    assert "Code and confidence" in text
    assert "Ada helped me write my first program" in text


def test_the_demo_stories_equity_partners_and_funder_report_fit_a_phone(
    page, live_server, log_in, log_out, look
):
    """The demo's impact material as its people see it: the coordinator's stories, equity report,
    partners and funder report of City Youth Mentoring, the public stories page, and the partner
    contact's read-only figures. With SCREENSHOTS set, the funder report's PDF is saved there too."""
    from evaluation import exports, funder_report
    from evaluation.demo.site import demo_site
    from evaluation.models import ExportRecord
    from programs.models import Partner, Program

    demo_site()
    program = Program.objects.get(name="City Youth Mentoring")
    academy = Partner.objects.get(program=program, name="Northside Academy")

    log_in("coordinator@example.org")
    for number, (name, path) in enumerate(
        [
            ("stories", f"/programs/{program.slug}/stories/manage/"),
            ("equity", f"/programs/{program.slug}/reports/equity/"),
            ("partners", f"/programs/{program.slug}/partners/"),
            ("partner", f"/programs/{program.slug}/partners/{academy.pk}/"),
            ("reports-by-partner", f"/programs/{program.slug}/reports/?partner={academy.pk}"),
            ("funder-report", f"/programs/{program.slug}/reports/funder/"),
        ],
        start=10,
    ):
        page.goto(live_server.url + path)
        look(page, f"impact-{number}-demo-{name}")
    expect(page.get_by_role("heading", name="Stories from the program")).to_be_visible()
    coordinator = program.coordinators.get(email="coordinator@example.org")
    log_out()

    page.goto(f"{live_server.url}/programs/{program.slug}/stories/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Stories from {program.name}")
    look(page, "impact-16-demo-public-stories")

    log_in("partner.contact@example.org")
    page.get_by_role("link", name="Northside Academy").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northside Academy")
    look(page, "impact-17-demo-partner-contact")
    # Aggregate figures only: no name of anyone the academy brought.
    names = [e.user.display_name for e in academy.people.select_related("user")]
    body = page.locator("main").inner_text()
    assert names and not [name for name in names if name in body]

    today = timezone.localdate()
    record = funder_report.funder_pdf_request(
        user=coordinator, program=program, on=today, start=today - dt.timedelta(days=365), end=today
    )
    exports.export_build(record_id=record.pk)
    record = ExportRecord.objects.get(pk=record.pk)
    assert record.status == "done"
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        data = (Path(settings.MEDIA_ROOT) / record.file).read_bytes()
        (Path(folder) / "impact-funder-report.pdf").write_bytes(data)
