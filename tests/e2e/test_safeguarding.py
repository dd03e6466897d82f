"""A 15-year-old applies; the guardian consents on their link with a typed name; the match starts
and the guardian hears of it; the guardian withdraws; the match pauses at once and the coordinator
is emailed; the mentor raises a concern and the lead acknowledges it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from matching import services as matching_services
from matching.models import Concern, Match, MatchSource, MatchStatus
from mentorship.models import OutboundEmail
from programs import services as program_services
from programs.models import Enrollment
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def link_in_email(to, subject_part, path_part):
    email = OutboundEmail.objects.filter(to=to, subject__contains=subject_part).latest("created_at")
    return re.search(rf"https?://\S+{path_part}\S+", email.body).group(0)


def test_a_teen_with_guardian_consent_withdrawn_and_a_concern_triaged(
    page, live_server, look, settings, log_in, log_out
):
    settings.SITE_URL = live_server.url
    rosa = scenarios.coordinator(email="rosa@example.org", display_name="Rosa Delgado")
    program = scenarios.program(coordinator=rosa, name="Riverside Youth Mentoring")
    mentor = scenarios.ready_mentor(program=program, email="morgan@example.org", display_name="Morgan Reyes")
    scenarios.person(email="tia@example.org", display_name="Tia Brooks", languages=["English"])

    # A 15-year-old applies as a mentee and names her mother.
    log_in("tia@example.org")
    page.goto(live_server.url + f"/programs/{program.slug}/apply/mentee/")
    born = dt.date.today().replace(year=dt.date.today().year - 15) - dt.timedelta(days=20)
    page.get_by_label("Your date of birth").fill(born.isoformat())
    page.get_by_label("Why do you want to take part?").fill("I want help choosing my college course.")
    page.get_by_label("How did you hear about the program?").select_option("school")
    page.get_by_label("Parent or guardian's name").fill("Pat Brooks")
    page.get_by_label("Parent or guardian's email").fill("pat@example.org")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application to Riverside Youth Mentoring is in")).to_be_visible()
    log_out()

    # The guardian follows the emailed link and consents, signing with her typed name.
    page.goto(link_in_email("pat@example.org", "Your consent", "/consent/"))
    expect(page.get_by_text("Background check").first).to_be_visible()
    expect(page.get_by_text("rosa@example.org").first).to_be_visible()
    look(page, "consent-page")
    page.get_by_label("Yes, I consent").check()
    page.get_by_label("Your full name").fill("Pat Brooks")
    page.get_by_label("Your relationship to the young person").fill("Mother")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    look(page, "consent-done")
    tia = Enrollment.objects.get(user__email="tia@example.org")
    assert tia.guardian_consent is True
    assert tia.consents.get().signed_name == "Pat Brooks"

    # Approved and matched; both confirm; the guardian is told the match started.
    for step in ("in_screening", "approved"):
        program_services.enrollment_transition(enrollment=tia, to_status=step, by=rosa)
    match = matching_services.match_propose(
        program=program, mentee=tia, mentor=mentor, by=rosa, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=tia.user)
    matching_services.match_confirm(match=match, by=mentor.user)
    started = OutboundEmail.objects.get(to="pat@example.org", subject__contains="has started")
    assert "Morgan" in started.body and "Reyes" not in started.body

    # The guardian withdraws from the link in that email; the match pauses at once.
    page.goto(link_in_email("pat@example.org", "has started", "/guardian/"))
    page.get_by_text("What happens if I withdraw my consent?").click()
    page.get_by_role("link", name="Withdraw my consent…").click()
    look(page, "withdraw-page")
    page.get_by_label("I understand that the mentoring pauses at once").check()
    page.get_by_role("button", name="Withdraw my consent").click()
    expect(page.get_by_text("Your consent is withdrawn")).to_be_visible()
    look(page, "guardian-page")
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PAUSED
    assert OutboundEmail.objects.filter(to="rosa@example.org", subject__contains="Consent withdrawn").exists()

    # The mentor sees why, and raises a concern.
    log_in("morgan@example.org")
    page.goto(live_server.url + f"/matches/{match.pk}/")
    expect(page.get_by_text("A parent or guardian withdrew consent")).to_be_visible()
    look(page, "match-paused")
    page.get_by_role("link", name="Raise a safeguarding concern").click()
    page.get_by_label("What happened?").fill("Tia said at our last meeting that she feels unsafe at home.")
    page.get_by_label(re.compile("Needs action within days")).check()
    look(page, "concern-form")
    page.get_by_role("button", name="Send to the safeguarding leads").click()
    expect(page.get_by_text(re.compile("received", re.IGNORECASE)).first).to_be_visible()
    concern = Concern.objects.get(match=match)
    assert OutboundEmail.objects.filter(to="rosa@example.org", subject__icontains="concern").exists()
    log_out()

    # The lead (the program's coordinator, as no lead is named) acknowledges it.
    log_in("rosa@example.org")
    page.goto(live_server.url + f"/programs/{program.slug}/manage/")
    page.get_by_role("link", name=re.compile("^Concerns")).click()
    page.get_by_role("link", name=f"Concern #{concern.pk}").click()
    expect(page.get_by_text("feels unsafe at home")).to_be_visible()
    look(page, "concern-detail")
    page.get_by_role("button", name=re.compile("^Acknowledge")).click()
    concern.refresh_from_db()
    assert concern.status == "acknowledged"
    assert concern.notes.filter(to_status="acknowledged", author__email="rosa@example.org").exists()
    page.goto(live_server.url + f"/programs/{program.slug}/applicants/{tia.pk}/")
    expect(page.get_by_text("Consent record")).to_be_visible()
    look(page, "applicant-consent-record")
    page.goto(live_server.url + f"/programs/{program.slug}/settings/")
    look(page, "settings-coordinators")
