"""The whole lifecycle, walked through the UI only as first-time users would, at 375 px and 1280 px.

Only the coordinator's and the staff member's accounts are made beforehand (staff grant the
coordinators role; nobody signs up as one). Then, through the pages: the coordinator creates a youth
program, sets it up and opens it, and invites a mentor; the mentor signs up from the invitation,
confirms their email, completes their profile and applies; a 16-year-old finds the public page,
does the same, and their guardian consents from the emailed link; the coordinator screens and
approves both, runs matching, reads the reasons and accepts the pair; both confirm and the
guardian opens the "has started" email's link; the mentor logs a check-in and the mentee answers a
survey; the coordinator logs a staff contact, reads the reports and exports; staff find the reports
across programs; the match is closed; the mentee sees their dashboard after the closure.

Every distinct page is looked at with ``look``: at 375 px and 1280 px nothing scrolls sideways and
axe finds nothing serious or critical. With ``SCREENSHOTS=docs/screenshots`` each look saves
``NN-<step>-375.png`` and ``NN-<step>-1280.png`` there, NN being the step's number in the walk
(README, "Screenshots"). A failing look is kept and the walk goes on, so one run lists every
failing page; the test fails at the end if any did.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from mentorship.models import OutboundEmail
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase"
PROGRAM = "Riverside Youth Mentoring"
MENTOR = ("amara.okafor.mentor@example.org", "Amara Okafor")
MENTEE = ("sam.rivera.16@example.org", "Sam Rivera")
QUESTION = "What would you like to get out of a year of mentoring?"
GUARDIAN = ("pat.rivera@example.org", "Pat Rivera")


def years_before(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def link_in_outbox(to, path_part, subject_part=""):
    """The newest link to ``path_part`` in the site's outbox (the emails a worker sends)."""
    emails = OutboundEmail.objects.filter(to=to, subject__icontains=subject_part).order_by("-created_at")
    for email in emails:
        found = re.search(rf"https?://\S+{path_part}\S*", email.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no email to {to} with a {path_part} link: {[e.subject for e in emails]}")


def link_in_mailoutbox(mailoutbox, to, path_part):
    """The newest link to ``path_part`` in an email sent at once (allauth's)."""
    for message in reversed(mailoutbox):
        if to in message.to:
            found = re.search(rf"https?://\S+{path_part}\S+", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no email to {to} with a {path_part} link")


class Walk:
    """The browser, the site and what was seen on the way."""

    def __init__(self, page, live_server, look, mailoutbox):
        self.page, self.url, self._look, self.mailoutbox = page, live_server.url, look, mailoutbox
        self.failures, self.seen = [], []

    def look(self, name):
        """``look`` at the page, as step ``NN-name`` (numbered in walk order, so the screenshots
        sort as the story goes, and no other test's screenshot has the same name)."""
        assert name not in self.seen, f"two steps are called {name}"
        self.seen.append(name)
        name = f"{len(self.seen):02d}-{name}"
        try:
            self._look(self.page, name)
        except AssertionError as problem:
            self.failures.append(f"{name}: {problem}")
            print(f"LOOK FAILED: {name}: {problem}")

    def main(self):
        return self.page.get_by_role("main")

    def program_menu(self, name):
        menu = self.page.get_by_role("navigation", name="Program")
        toggle = menu.get_by_role("button")
        if toggle.count() and not menu.get_by_role("link", name=name, exact=True).is_visible():
            toggle.first.click()  # collapsed on a phone
        menu.get_by_role("link", name=name, exact=True).click()

    def log_in(self, email, password):
        page = self.page
        page.goto(self.url + "/accounts/login/")
        page.get_by_label("Email:", exact=True).fill(email)
        page.get_by_label("Password:", exact=True).fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    def log_out(self):
        self.page.get_by_role("button", name="Log out").click()
        expect(self.page.get_by_role("button", name="Log out")).to_have_count(0)

    def sign_up(self, email, name, step):
        """On the sign-up page: fill it in, then confirm the email from the message."""
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("sign up", re.I))
        self.look(f"{step}-sign-up")
        page.get_by_label(re.compile(r"^Your name")).fill(name)
        page.get_by_label("Email:", exact=True).fill(email)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again):", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        self.look(f"{step}-verify-email")
        page.goto(link_in_mailoutbox(self.mailoutbox, email, "/accounts/confirm-email/"))
        self.look(f"{step}-confirm-email")
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    def complete_profile(self, step, *, name, born, languages, interests, skills="", goals=""):
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
        self.look(f"{step}-profile")
        page.get_by_label("Name to show").fill(name)
        page.get_by_label("A short bio").fill(f"Hello, I am {name.split()[0]}.")
        page.get_by_label(re.compile("date of birth", re.I)).fill(born.isoformat())
        page.get_by_label("Languages you speak").fill(languages)
        page.get_by_label("Interests").fill(interests)
        if skills:
            page.get_by_label("Skills you can share").fill(skills)
        if goals:
            page.get_by_label(re.compile(r"^Goals")).fill(goals)
        for slot in ("Tuesday evening", "Saturday morning"):
            page.get_by_label(slot, exact=True).check()
        expect(page.get_by_label(re.compile("latitude", re.I))).to_have_count(0)  # areas, not coordinates
        page.get_by_role("button", name=re.compile(r"^Save", re.I)).click()
        expect(
            page.get_by_text(re.compile("profile is saved|saved your profile|profile saved", re.I))
        ).to_be_visible()

    def decide(self, label):
        """A coordinator's decision on an applicant's page: the move named ``label``."""
        page = self.page
        decision = (
            page.get_by_role("region", name="Decision")
            .or_(page.locator("section").filter(has=page.get_by_role("heading", name="Decision")))
            .first
        )
        choice = decision.get_by_label("New status")
        if choice.count():
            choice.select_option(label=label)
            decision.get_by_role("button", name=re.compile("save the decision", re.I)).click()
        else:
            decision.get_by_role("button", name=re.compile(label, re.I)).click()


@pytest.fixture
def walk(page, live_server, look, mailoutbox, settings):
    settings.SITE_URL = live_server.url
    walk = Walk(page, live_server, look, mailoutbox)

    page.on("dialog", lambda dialog: dialog.accept())  # danger actions ask first (data-confirm): yes
    return walk


def test_the_whole_lifecycle_as_first_time_users(walk, page, celery_worker_process):
    today = dt.date.today()
    rosa = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    staff = scenarios.person(
        email="staff@example.org", display_name="Sol Staff", is_staff=True, is_superuser=True
    )

    # ------------------------------------------------------------------ the coordinator sets up
    page.goto(walk.url + "/")
    walk.look("home")
    walk.log_in(rosa.email, scenarios.DEMO_PASSWORD)
    walk.look("coordinator-dashboard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    walk.look("programs-list")
    page.get_by_role("link", name="Create a program").click()
    walk.look("program-create")
    page.get_by_role("link", name=re.compile("youth one-to-one", re.I)).click()
    walk.look("program-create-youth-template")
    page.get_by_label(re.compile(r"^Name:?$")).fill(PROGRAM)
    page.get_by_label(re.compile(r"^Description")).fill(
        "One-to-one mentoring for 14 to 18 year olds in Riverside: an hour a fortnight for a year."
    )
    expect(page.get_by_label(re.compile(r"^Audience"))).to_have_value("youth")
    checklist = page.get_by_label(re.compile(r"^Screening checklist"))
    checklist.fill(checklist.input_value().rstrip() + "\nSafeguarding training")
    page.get_by_label(re.compile(r"^Application questions")).fill(QUESTION)
    page.get_by_label(re.compile(r"^Areas")).fill("Riverside\nOld Town\nHarbour")
    page.get_by_role("button", name="Create the program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAM)
    walk.look("program-overview-draft")

    walk.program_menu("Settings")
    expect(page.get_by_role("heading", level=1)).to_contain_text("settings")
    walk.look("program-settings")
    expect(walk.main()).to_contain_text("Safeguarding training")
    expect(walk.main()).to_contain_text(QUESTION)
    # This year's cohort has fixed dates: untick "Rolling", and the dates it hid are asked for.
    page.get_by_label(re.compile(r"^Rolling")).uncheck()
    page.get_by_label(re.compile(r"^Start date")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^End date")).fill(years_before(today, -1).isoformat())
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text(re.compile("saved", re.I)).first).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Start date"))).to_have_value(today.isoformat())
    walk.look("program-settings-saved")

    walk.program_menu("Overview")
    page.get_by_role("button", name="Make it open for applications").click()
    expect(page.get_by_text("is now open for applications")).to_be_visible()
    expect(page.get_by_label("The public page's address")).to_have_value(re.compile(r"/programs/[\w-]+/$"))
    walk.look("program-overview-open")
    shared_address = page.get_by_label("The public page's address").input_value()  # for the mentee

    walk.main().get_by_role("link", name="Invite people by email").click()  # the page's next step
    walk.look("program-invite")
    page.get_by_label("Email address").fill(MENTOR[0])
    page.get_by_label("Invite as").select_option(label="Mentor")
    page.get_by_label(re.compile("personal note", re.I)).fill(
        "You helped at the careers fair: we would love you."
    )
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(MENTOR[0]).first).to_be_visible()
    walk.look("program-invite-sent")
    walk.program_menu("Public page")
    walk.look("program-public-page")
    walk.log_out()

    # ------------------------------------------------------------------ the mentor, invited
    invitation = link_in_outbox(MENTOR[0], "/invitations/")
    page.goto(invitation)
    walk.look("mentor-invitation")
    walk.main().get_by_role("link", name="Sign up").click()
    walk.sign_up(*MENTOR, step="mentor")
    # Confirming the email leads back to the invitation, which says to complete the profile first.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"You are invited to {PROGRAM}")
    walk.look("mentor-invitation-after-confirming")
    walk.main().get_by_role("link", name="Complete your profile").or_(
        walk.main().get_by_role("button", name="Complete your profile")
    ).click()
    walk.complete_profile(
        "mentor",
        name=MENTOR[1],
        born=dt.date(1988, 6, 14),
        languages="English, Yoruba",
        interests="football, music",
        skills="CV writing, interview practice",
    )
    # Saving the profile leads back to the invitation, and on to the application.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"You are invited to {PROGRAM}")
    walk.look("mentor-invitation-profile-done")
    page.get_by_role("button", name="Continue to the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {PROGRAM} as a mentor")
    walk.look("mentor-apply")
    page.get_by_label("Why do you want to take part?").fill(
        "Someone helped me at sixteen; I want to do the same."
    )
    page.get_by_label("How did you hear about the program?").select_option(
        label="An invitation from the program"
    )
    page.get_by_label(QUESTION).fill("To get better at listening.")
    page.get_by_label(re.compile("which area", re.I)).select_option("Riverside")
    page.get_by_label("How many mentees could you take on?").fill("1")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text(f"Your application to {PROGRAM} is in")).to_be_visible()
    walk.look("mentor-application")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    walk.look("mentor-dashboard-applied")
    walk.log_out()

    # ------------------------------------------------------------------ the mentee, 16, from the public page
    page.goto(shared_address)  # the address the coordinator shared
    walk.main().get_by_role("link", name="Apply as a mentee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("log in", re.I))
    walk.look("mentee-log-in")
    walk.main().get_by_role("link", name=re.compile("sign up", re.I)).first.click()
    walk.sign_up(*MENTEE, step="mentee")
    # Confirming the email leads on to the application they started, which links to the profile.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {PROGRAM} as a mentee")
    walk.look("mentee-apply-profile-empty")
    # Above the form, whoever arrives: what matching needs is asked for first.
    expect(walk.main().get_by_role("heading", name="Complete your profile first")).to_be_visible()
    walk.main().get_by_role("link", name="Complete your profile", exact=True).click()
    walk.complete_profile(
        "mentee",
        name=MENTEE[1],
        born=years_before(today, 16) - dt.timedelta(days=40),
        languages="English, Spanish",
        interests="football, drawing",
        goals="CV writing, choosing a college course",
    )
    # Saving the profile leads back to the application.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Apply to {PROGRAM} as a mentee")
    walk.look("mentee-apply")
    page.get_by_label("Why do you want to take part?").fill("I want help choosing my college course.")
    page.get_by_label("How did you hear about the program?").select_option(label="School or college")
    page.get_by_label(QUESTION).fill("A plan for next year.")
    page.get_by_label(re.compile("which area", re.I)).select_option("Riverside")
    page.get_by_label("Parent or guardian's name").fill(GUARDIAN[1])
    page.get_by_label("Parent or guardian's email").fill(GUARDIAN[0])
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text(f"Your application to {PROGRAM} is in")).to_be_visible()
    walk.look("mentee-application")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    walk.look("mentee-dashboard-applied")
    walk.log_out()

    # ------------------------------------------------------------------ the guardian consents
    page.goto(link_in_outbox(GUARDIAN[0], "/consent/"))
    walk.look("guardian-consent")
    page.get_by_label("Yes, I consent").check()
    page.get_by_label("Your full name").fill(GUARDIAN[1])
    page.get_by_label("Your relationship to the young person").fill("Father")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    walk.look("guardian-consent-done")

    # ------------------------------------------------------------------ the coordinator screens and approves
    walk.log_in(rosa.email, scenarios.DEMO_PASSWORD)
    walk.look("coordinator-dashboard-to-do")
    # The to-do panel says what needs them and leads to it.
    page.get_by_role("region", name="To do").get_by_role(
        "link", name=re.compile("2 new applications", re.I)
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("applicants")
    walk.look("applicants")
    walk.main().get_by_role("link", name=MENTOR[1]).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MENTOR[1])
    walk.look("applicant-mentor")
    walk.decide("In screening")
    expect(page.get_by_text(f"{MENTOR[1]} is now in screening")).to_be_visible()
    screening = page.get_by_role("region", name="Screening checklist")
    items = [
        text.strip()
        for text in screening.get_by_label("Checklist item").locator("option").all_inner_texts()
        if text.strip() and not text.strip().startswith("-")
    ]
    assert "Background check" in items and "Safeguarding training" in items, items
    for item in items:
        screening.get_by_label("Checklist item").select_option(label=item)
        screening.get_by_label("Completed on").fill(today.isoformat())
        screening.get_by_role("button", name="Record it").click()
        expect(page.get_by_text(f"“{item}” recorded.")).to_be_visible()
    walk.look("applicant-mentor-screened")
    walk.decide("Approved")
    expect(page.get_by_text(re.compile("ready to match", re.I)).first).to_be_visible()
    walk.look("applicant-mentor-approved")

    walk.program_menu("Applicants")
    walk.main().get_by_role("link", name=MENTEE[1]).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MENTEE[1])
    walk.look("applicant-mentee")
    walk.decide("In screening")
    expect(page.get_by_text(f"{MENTEE[1]} is now in screening")).to_be_visible()
    walk.decide("Approved")
    expect(page.get_by_text(re.compile("ready to match", re.I)).first).to_be_visible()
    walk.look("applicant-mentee-approved")

    # ------------------------------------------------------------------ matching
    walk.program_menu("Matching")
    walk.look("matching-before-run")
    page.get_by_role("button", name="Run matching now").click()
    suggestion = page.get_by_role("article").filter(has_text=MENTEE[1].split()[0])
    expect(suggestion).to_be_visible(timeout=60_000)
    expect(suggestion).to_contain_text("English")  # the reasons say what the two share
    walk.look("matching-suggestion")
    suggestion.get_by_role("button", name=re.compile(r"^Accept\b")).click()
    expect(page.get_by_text("are matched")).to_be_visible()
    walk.look("matching-accepted")
    walk.program_menu("Matches")
    walk.look("program-matches")
    walk.main().get_by_role("link", name=re.compile(MENTOR[1].split()[0])).first.click()
    match_url = page.url
    walk.look("match-proposed-coordinator")
    walk.log_out()

    # ------------------------------------------------------------------ both confirm
    for (email, _name), partner, step in ((MENTEE, MENTOR[1], "mentee"), (MENTOR, MENTEE[1], "mentor")):
        walk.log_in(email, PASSWORD)
        walk.look(f"{step}-dashboard-matched")
        # The dashboard's next step: confirm the match agreement.
        walk.main().get_by_role("link", name=re.compile("confirm your match", re.I)).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(partner.split()[0])
        walk.look(f"{step}-match-to-confirm")
        page.get_by_role("button", name=re.compile("confirm the match", re.I)).click()
        expect(page.get_by_role("button", name=re.compile("confirm the match", re.I))).to_have_count(0)
        walk.look(f"{step}-match-confirmed")
        walk.log_out()

    # ------------------------------------------------------------------ the guardian hears it started
    page.goto(link_in_outbox(GUARDIAN[0], "/guardian/", "started"))
    expect(page.get_by_role("main")).to_contain_text(MENTEE[1].split()[0])
    expect(page.locator("main h2").first).to_have_text("The mentoring has started")
    walk.look("guardian-page")

    # ------------------------------------------------------------------ the mentor logs a check-in
    walk.log_in(MENTOR[0], PASSWORD)
    matches = page.get_by_role("region", name="My matches")
    expect(matches).to_contain_text("Active")  # both confirmed
    walk.look("mentor-dashboard-active")
    matches.get_by_role("link", name=re.compile(MENTEE[1].split()[0])).first.click()
    page.get_by_role("link", name="Check-ins, goals and surveys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-ins, goals and surveys")
    walk.look("journal-empty")
    page.get_by_role("link", name="Log a check-in").click()
    walk.look("checkin-form")
    page.get_by_role("group", name="Did the meeting take place?").get_by_label("Yes, we met").check()
    page.get_by_label("Length (minutes)").fill("60")
    page.get_by_role("group", name="How did you meet?").get_by_label("In person").check()
    page.get_by_role("group", name="How did it go?").get_by_label("5: very well").check()
    page.get_by_label("Short notes").fill("Met at the library; talked about college open days.")
    page.get_by_role("button", name="Log the check-in").click()
    expect(page.get_by_text("Your check-in is logged.")).to_be_visible()
    walk.look("journal-with-checkin")
    walk.log_out()

    # ------------------------------------------------------------------ the mentee answers a survey
    walk.log_in(MENTEE[0], PASSWORD)
    # The first meeting made the pairing-fit survey due: the dashboard offers it.
    surveys = page.get_by_role("region", name="Surveys to answer")
    # Named in plain words for a 16-year-old (the pairing-fit survey), with their mentor's name.
    pairing_fit = surveys.get_by_role("link", name=re.compile("how is it going with amara", re.I))
    expect(pairing_fit).to_be_visible()
    walk.look("mentee-dashboard-survey-due")
    pairing_fit.click()
    walk.look("survey-pairing-fit")
    page.get_by_role("group", name=re.compile("how well does this pairing fit", re.I)).get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    walk.look("survey-answered")
    walk.log_out()

    # ---------------------------------------------- the coordinator: contact, reports, exports
    walk.log_in(rosa.email, scenarios.DEMO_PASSWORD)
    page.goto(match_url)
    walk.look("match-active-coordinator")
    page.get_by_role("link", name="Check-ins, goals and surveys").click()
    # The journal keeps the coordinator's place (the program menu) and shows the pair's surveys.
    expect(page.get_by_role("navigation", name="Program")).to_have_count(1)
    expect(page.get_by_role("heading", name="Surveys (coordinators only)")).to_be_visible()
    walk.look("journal-coordinator")
    page.get_by_role("link", name="Log a staff contact").click()
    walk.look("staff-contact-form")
    page.get_by_role("group", name="How were they contacted?").get_by_label("Phone").check()
    page.get_by_label("Notes").fill("Called Sam's father: all going well, next meeting booked.")
    page.get_by_role("button", name="Log the contact").click()
    expect(page.get_by_text(re.compile("contact is logged", re.I))).to_be_visible()
    walk.program_menu("Staff contacts")
    walk.look("staff-contacts-due")
    walk.program_menu("Reports")
    expect(page.get_by_role("heading", level=1)).to_contain_text("reports")
    walk.look("reports-program")
    page.get_by_role("link", name="How each figure is counted").click()
    walk.look("reports-definitions")
    page.go_back()
    walk.main().get_by_role("link", name="Export data").click()
    walk.look("export-page")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename.endswith(".csv")
    walk.program_menu("Reports")
    walk.main().get_by_role("link", name="Your exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your exports")
    walk.look("exports-list")
    walk.log_out()

    # ------------------------------------------------------------------ staff: reports across programs
    walk.log_in(staff.email, scenarios.DEMO_PASSWORD)
    walk.look("staff-dashboard")
    walk.main().get_by_role("link", name=re.compile("reports", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports across all programs")
    expect(walk.main().get_by_role("link", name=PROGRAM).first).to_be_visible()
    walk.look("reports-across-programs")
    walk.log_out()

    # ------------------------------------------------------------------ the match is closed
    walk.log_in(rosa.email, scenarios.DEMO_PASSWORD)
    page.goto(match_url)
    page.get_by_role("link", name="Close this match").click()
    walk.look("match-close-form")
    page.get_by_label("Why is the match closing?").select_option(label="Completed")
    page.get_by_role("group", name=re.compile("was the closure planned", re.I)).get_by_label(
        "Yes, planned"
    ).check()
    page.get_by_role("group", name=re.compile("matched again", re.I)).get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Close the match").click()
    # Who was told (the guardian too) and where the mentee, back in the pool, is matched again.
    closed = page.get_by_text(re.compile("The match is closed;", re.I)).first
    first_name = MENTEE[1].split()[0]
    expect(closed).to_contain_text(f"{GUARDIAN[1]} ({first_name}'s guardian) have been told by email")
    expect(closed).to_contain_text(f"{first_name} is back in the pool")
    expect(closed.get_by_role("link", name="Matching")).to_be_visible()
    walk.look("match-closed-coordinator")
    walk.log_out()

    # ------------------------------------------------------------------ the mentee after the closure
    walk.log_in(MENTEE[0], PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    walk.look("mentee-dashboard-after-closure")
    # They are told they are back in the pool, and offered the closing surveys, not the start's.
    expect(page.get_by_role("region", name="My matches")).to_contain_text(
        re.compile("back in the pool", re.I)
    )
    surveys = page.get_by_role("region", name="Surveys to answer")
    expect(surveys).to_be_visible()  # the closing ones
    expect(surveys).not_to_contain_text(re.compile("how is it going with|where you are starting", re.I))

    assert not walk.failures, "pages that fail at 375 or 1280 px:\n" + "\n".join(walk.failures)
