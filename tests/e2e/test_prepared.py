"""Prepared people in a browser (issue 14), looked at on a phone and a laptop:

- a new mentor, approved and screened but not yet trained, is told on the dashboard to take the
  pre-match training; she reads it page by page, fails the quiz once, retries, passes, and is
  matchable;
- a guardian answers the consent email and takes the orientation from its link, with no account;
  it is recorded on the mentee's enrollment;
- a mentee opens the first-meeting tips from their new match, then the program's library.

Each page is looked at with ``look`` (375 px and 1280 px: no sideways scroll, nothing serious for
axe). With ``SCREENSHOTS=docs/screenshots`` the looks are saved as ``prepared-NN-<step>-<width>.png``.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import OutboundEmail
from programs import guardians, resources, trainings
from programs.models import Enrollment, ResourceAudience, ResourceKind, ResourceTopic, TrainingRecord
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    (
        "Your role as a mentor",
        "You are a **friend and guide**, not a parent or a teacher.\n\n- Be consistent\n- Listen",
    ),
    (
        "Keeping everyone safe",
        "## Where you meet\n\nMeet in public places or online. Never share private contact details.",
    ),
]
QUESTIONS = [
    ("Where do you meet your mentee?", ["At your home", "In public places or online", "Anywhere private"], 1),
    ("A young person tells you they are being harmed. What do you do?", [
        "Promise to keep it secret", "Listen, and tell the safeguarding lead the same day", "Ignore it",
    ], 1),
]  # fmt: skip


def _online_training(program, lead, *, audience, title, required=True):
    training = trainings.training_create(
        program=program,
        by=lead,
        title=title,
        audience=audience,
        kind="online",
        required=required,
        pass_mark=100,
    )
    for page_title, body in PAGES:
        trainings.page_add(training=training, title=page_title, body=body)
    for text, choices, correct in QUESTIONS:
        trainings.question_add(training=training, text=text, choices=choices, correct=correct)
    trainings.training_publish(training=training, by=lead)
    return training


def _answer(page, *, right):
    for text, choices, correct in QUESTIONS:
        group = page.get_by_role("group", name=re.compile(re.escape(text)))
        group.get_by_label(choices[correct if right else 0]).check()
    page.get_by_role("button", name="Send my answers").click()


def test_a_new_mentor_takes_the_pre_match_training_passes_its_quiz_and_becomes_matchable(
    page, live_server, log_in, log_out, look
):
    world = scenarios.matching_world()
    program, lead = world.program, world.coordinator
    nia = scenarios.ready_mentor(program=program, email="nia@prepared.test", display_name="Nia Mentor")
    training = _online_training(program, lead, audience="mentor", title="Before your first match")
    assert not Enrollment.objects.filter(pk=nia.pk).matchable().exists()
    seen = []

    def looked(name):
        seen.append(name)
        look(page, f"prepared-{len(seen):02d}-{name}")

    log_in("nia@prepared.test")
    # The dashboard says what is still needed; her application lists the program's trainings.
    expect(page.get_by_text("Still needed: the training “Before your first match”")).to_be_visible()
    page.get_by_role("link", name="Matching Test Program, as a mentor").click()
    training_list = page.get_by_role("region", name="Training")
    expect(training_list).to_contain_text("Required before matching")
    looked("application-training")
    training_list.get_by_role("link", name="Before your first match").click()
    expect(page.get_by_role("heading", name="Before your first match", exact=True)).to_be_visible()
    looked("training-overview")
    page.get_by_role("link", name="Start").click()
    expect(page.locator("#progress-label")).to_have_text("Page 1 of 2")
    looked("training-page")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator("#progress-label")).to_have_text("Page 2 of 2")
    # Progress is saved page by page: two pages read, not completed yet.
    page.get_by_role("button", name="Next: the quiz").click()
    record = TrainingRecord.objects.get(training=training, enrollment=nia)
    assert record.pages_read == 2 and record.completed_on is None

    _answer(page, right=False)
    expect(page.get_by_role("heading", name=re.compile("Not passed yet"))).to_be_visible()
    looked("training-quiz-failed")
    assert not Enrollment.objects.filter(pk=nia.pk).matchable().exists()
    page.get_by_role("link", name="Try again").click()
    _answer(page, right=True)
    expect(page.get_by_role("heading", name=re.compile("You passed: 100%"))).to_be_visible()
    looked("training-quiz-passed")
    record.refresh_from_db()
    assert record.completed_on == timezone.localdate() and record.score == 100
    assert record.attempts.count() == 2
    assert Enrollment.objects.filter(pk=nia.pk).matchable().exists()

    # The coordinator sees her completion on the training's page.
    log_out()
    log_in(lead.email)
    page.goto(live_server.url + f"/programs/{program.slug}/trainings/")
    looked("coordinator-trainings")
    page.goto(live_server.url + f"/programs/{program.slug}/trainings/{training.pk}/completion/")
    expect(page.get_by_text("Nia Mentor").first).to_be_visible()
    looked("coordinator-completion")


def test_a_guardian_takes_the_orientation_from_the_consent_email_without_an_account(
    page, live_server, look, settings
):
    settings.SITE_URL = live_server.url
    world = scenarios.matching_world()
    program, lead = world.program, world.coordinator
    training = _online_training(
        program, lead, audience="guardian", title="Orientation for parents and guardians"
    )
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - dt.timedelta(days=30)
    jo = scenarios.person(email="teen@prepared.test", display_name="Jo", profile={"date_of_birth": born})
    teen = scenarios.enroll(program=program, user=jo, role="mentee", status="approved", by=lead)
    guardians.guardian_request_consent(enrollment=teen, name="Sam Parent", email="sam@home.test", by=lead)
    email = OutboundEmail.objects.get(to="sam@home.test")
    link = re.search(r"https?://\S+/guardian/[0-9a-f-]+/trainings/\d+/", email.body)
    assert link, email.body

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name=training.title, exact=True)).to_be_visible()
    look(page, "prepared-guardian-orientation")
    page.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("button", name="Next: the quiz").click()
    _answer(page, right=True)
    expect(page.get_by_role("heading", name=re.compile("You passed"))).to_be_visible()
    record = TrainingRecord.objects.get(training=training)
    assert record.enrollment == teen and record.completed_on == timezone.localdate()


def test_a_mentee_opens_the_first_meeting_tips_from_their_new_match_and_the_library(
    page, live_server, log_in, look
):
    world = scenarios.matching_world()
    program, lead = world.program, world.coordinator
    resources.resource_create(
        program=program,
        by=lead,
        title="Your first meeting: what to expect",
        summary="What happens, what to bring, and what to ask.",
        topic=ResourceTopic.FIRST_MEETING,
        audience=ResourceAudience.MENTEES,
        kind=ResourceKind.PAGE,
        body="## Before you go\n\nYour mentor meets you at the library's front desk.\n\n- Bring a question",
    )
    resources.resource_create(
        program=program,
        by=lead,
        title="Conversation starters for mentors",
        topic=ResourceTopic.GUIDES,
        audience=ResourceAudience.MENTORS,
        kind=ResourceKind.PAGE,
        body="What did you enjoy this week?",
    )
    match = scenarios.active_match(
        program=program, mentee=world.mentees["ben"], mentor=world.mentors["ada"], by=lead
    )

    log_in("ben@matching.test")
    page.goto(live_server.url + match.get_absolute_url())
    tips = page.get_by_role("region", name="First-meeting tips")
    expect(tips).to_be_visible()
    tips.get_by_role("link", name="Your first meeting: what to expect").click()
    expect(page.get_by_role("heading", name="Before you go")).to_be_visible()
    look(page, "prepared-first-meeting-tips")

    page.goto(live_server.url + f"/programs/{program.slug}/resources/")
    expect(page.get_by_text("Your first meeting: what to expect").first).to_be_visible()
    expect(page.get_by_text("Conversation starters for mentors")).to_have_count(0)  # for mentors only
    look(page, "prepared-library")


def test_the_demo_programs_training_library_and_training_overview_fit_a_phone(
    page, live_server, log_in, log_out, look
):
    """The demo's own content (the written pre-match training, the library of a dozen resources, the
    coordinators' pages) as its people see it."""
    from evaluation.demo.site import demo_site
    from programs.models import Training

    site = demo_site()
    program = site.program
    training = Training.objects.get(program=program, audience="mentor", required=True)

    log_in("mentor1@example.org")
    page.goto(live_server.url + f"/trainings/{training.pk}/")
    expect(page.get_by_role("heading", name=training.title, exact=True)).to_be_visible()
    page.goto(live_server.url + f"/trainings/{training.pk}/pages/2/")
    expect(page.locator("#progress-label")).to_have_text("Page 2 of 6")
    look(page, "prepared-demo-training-page")
    page.goto(live_server.url + f"/programs/{program.slug}/resources/")
    expect(page.get_by_role("link", name="The program's safety rules")).to_be_visible()
    look(page, "prepared-demo-library")
    page.get_by_role("textbox", name="Search:").fill("first meeting")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="First-meeting tips for mentors")).to_be_visible()
    log_out()

    log_in("coordinator@example.org")
    for name, path in [
        ("trainings", f"/programs/{program.slug}/trainings/"),
        ("trainings-people", f"/programs/{program.slug}/trainings/people/"),
        ("training-manage", f"/programs/{program.slug}/trainings/{training.pk}/"),
        ("library-coordinator", f"/programs/{program.slug}/resources/"),
    ]:
        page.goto(live_server.url + path)
        look(page, f"prepared-demo-{name}")
