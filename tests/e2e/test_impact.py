"""Impact in a browser (issue 16), looked at on a phone and a laptop: a coordinator features a story
its author agreed to share, finds it on the program's public stories page, opens the equity report
(groups under 5 people hidden) and downloads the funder report, built as a PDF by a real worker.

Each page is looked at with ``look`` (375 px and 1280 px: no sideways scroll, nothing serious for
axe). With ``SCREENSHOTS=docs/screenshots`` the looks are saved as ``impact-NN-<step>-<width>.png``.
"""

from pathlib import Path

import pytest
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
