"""Round 2 of issue 12 (the lifecycle walk's findings 5, 7, 11, 12, 16 and H7's): the applicant page
says how someone meets, the overview says what comes after opening and what each status button
does, guardian pages speak in plain durations and lead with the match's news, and a question's
answers are never removed by one click."""

import re

import pytest
from django.urls import reverse

from matching import services as matching_services
from mentorship import words
from mentorship.models import MeetingMode, Profile
from programs import services
from programs.models import Answer, ProgramStatus
from tests import scenarios

pytestmark = pytest.mark.django_db


# --- Plain words for durations and meeting modes ---------------------------------------------------


@pytest.mark.parametrize(
    ("days", "every", "duration"),
    [
        (730, "every 2 years", "2 years"),
        (365, "every year", "1 year"),
        (180, "every 6 months", "6 months"),
        (30, "every month", "1 month"),
        (14, "every 2 weeks", "2 weeks"),
        (7, "every week", "1 week"),
        (1, "every day", "1 day"),
        (45, "every 45 days", "45 days"),
    ],
)
def test_a_number_of_days_reads_in_plain_words(days, every, duration):
    assert (words.every(days), words.duration(days)) == (every, duration)


def test_a_meeting_mode_reads_as_a_phrase_from_its_value_or_its_label():
    assert words.meets(MeetingMode.EITHER) == "in person or online"
    assert words.meets("Either") == "in person or online"
    assert words.meets(MeetingMode.IN_PERSON) == "in person"


# --- Finding 5: "Area: Riverside (either)" ----------------------------------------------------------


def test_the_applicant_page_says_how_they_meet_with_its_label(client, world):
    Profile.objects.filter(user=world.people.mentee).update(area="Riverside", meeting_mode=MeetingMode.EITHER)
    client.force_login(world.people.coordinator)
    page = client.get(
        reverse("programs:applicant", args=[world.program.slug, world.mentee_enrollment.pk])
    ).content.decode()
    assert "(either)" not in page
    assert re.search(r"<dt>Meets</dt><dd>in person or online</dd>", page)
    assert "<dt>Area</dt><dd>Riverside</dd>" in page


# --- Finding 7: after opening, the next step; each status button explained ------------------------


def overview(client, program):
    return client.get(reverse("programs:dashboard", args=[program.slug])).content.decode()


def test_opening_a_program_says_the_next_step_and_shows_the_public_address(client, world, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    draft = scenarios.program(
        coordinator=world.people.coordinator, name="Eastside Pilot", status=ProgramStatus.DRAFT
    )
    client.force_login(world.people.coordinator)
    assert "Next: bring people in" not in overview(client, draft)
    response = client.post(reverse("programs:status", args=[draft.slug]), {"status": "open"}, follow=True)
    page = response.content.decode()
    assert "is now open for applications. Next, bring people in" in page
    assert "Next: bring people in" in page
    assert f'href="/programs/{draft.slug}/invite/"' in page
    assert f'href="/programs/{draft.slug}/import/"' in page
    # The address is shown in a field, to copy.
    assert re.search(
        rf'<input type="text" id="public-url" value="https://mentoring.example.org/programs/{draft.slug}/"'
        " readonly",
        page,
    )
    assert '<label for="public-url">' in page


def test_each_status_button_says_what_it_changes(client, world):
    client.force_login(world.people.coordinator)
    page = overview(client, world.program)  # open, rolling
    assert "Make it running" not in page
    assert re.search(r'aria-describedby="move-running">Start running the program</button>', page)
    assert re.search(r'id="move-running">For when pairs are meeting. Nothing changes for applicants', page)
    assert 'id="move-closed">Final:' in page
    # Closing keeps its danger style and its confirmation.
    assert re.search(
        r'class="button-danger button-small"[^>]*data-confirm="Close Northside Youth Mentoring\?', page
    )

    world.program.is_rolling = False
    world.program.start_date = world.program.end_date = None
    world.program.save(update_fields=["is_rolling"])
    page = overview(client, world.program)
    assert "the public page stops taking applications (people you invite can still join)" in page
    response = client.post(
        reverse("programs:status", args=[world.program.slug]), {"status": "running"}, follow=True
    )
    page = response.content.decode()
    assert "is now running: it takes no new applications, and matching goes on." in page
    assert "Next: bring people in" not in page


# --- Findings 11 and 16: the guardian's pages ------------------------------------------------------


@pytest.fixture
def active_teen_match(world):
    return scenarios.teen_match(world)


def guardian_page(client, match):
    consent = match.mentee.consents.get(revoked_at__isnull=True)
    return client.get(reverse("programs:guardian", args=[consent.manage_token])).content.decode()


def test_the_consent_page_gives_durations_in_plain_words_and_no_sign_up_button(client, world):
    teen = scenarios.ready_mentee(
        program=world.program, email="tia@example.org", display_name="Tia", minor=True
    )
    consent = teen.consents.get(revoked_at__isnull=True)
    page = client.get(reverse("programs:guardian_consent", args=[consent.token])).content.decode()
    assert "Background check (renewed every 2 years)" in page
    assert "730 days" not in page
    assert "meet about every 2 weeks for at least 12 months" in page
    assert "Sign up" not in page and 'href="/accounts/signup/"' not in page


def test_the_guardian_page_leads_with_the_news_that_mentoring_has_started(client, active_teen_match):
    page = guardian_page(client, active_teen_match)
    news = page.index("The mentoring has started")
    assert news < page.index("Your consent") < page.index("Withdraw my consent")
    started = page[news : page.index("Your consent")]
    assert "their mentor, <strong>Morgan</strong>" in started
    assert "Morgan Mentor" not in page  # the first name only
    assert "mo@example.org" not in page
    assert "meet about every 2 weeks for at least 12 months" in started
    assert "What they agreed" in started and 'href="#safety-heading"' in started
    assert 'id="safety-heading"' in page and "Background check (renewed every 2 years)" in page
    assert "Sign up" not in page


def test_withdrawing_is_tucked_in_a_disclosure_at_the_end_and_stays_danger_styled(client, active_teen_match):
    page = guardian_page(client, active_teen_match)
    withdraw = page.index('class="button button-danger"')
    assert page.rindex("<details>", 0, withdraw) > page.index('id="contact-heading"')
    assert "</details>" in page[withdraw:]
    assert "What happens if I withdraw my consent?" in page


def test_after_the_match_closes_the_guardian_page_says_it_ended(client, active_teen_match):
    matching_services.match_close(match=active_teen_match, by=None, reason="completed", anticipated=True)
    page = guardian_page(client, active_teen_match)
    assert "The mentoring has ended" in page and "The mentoring has started" not in page


def test_a_guardian_page_without_a_started_match_has_no_news(client, world):
    teen = scenarios.ready_mentee(
        program=world.program, email="tia@example.org", display_name="Tia", minor=True
    )
    consent = teen.consents.get(revoked_at__isnull=True)
    page = client.get(reverse("programs:guardian", args=[consent.manage_token])).content.decode()
    assert "The mentoring has" not in page and "Your consent" in page


def test_the_sign_up_button_stays_for_other_visitors(client):
    page = client.get(reverse("programs:list")).content.decode()
    assert "Sign up" in page


def test_invitation_validity_reads_in_plain_words(client, world):
    world.program.invitation_valid_days = 30
    world.program.save(update_fields=["invitation_valid_days"])
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:invite", args=[world.program.slug])).content.decode()
    assert "The link works for 1 month and only once." in page
    assert "30 days" not in page


# --- H7: removing a question asks first and says what is lost ---------------------------------------


def test_removing_a_question_asks_first_and_counts_its_answers(client, world):
    question = services.question_add(program=world.program, text="Why mentoring?", required=False)
    Answer.objects.create(enrollment=world.mentee_enrollment, question=question, text="To learn.")
    Answer.objects.create(enrollment=world.mentor_enrollment, question=question, text="To give back.")
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:settings", args=[world.program.slug])).content.decode()
    button = re.search(
        r'<button type="submit" class="([^"]*)" data-confirm="([^"]*)">'
        r'Remove<span class="visually-hidden"> question',
        page,
    )
    assert button, "the remove button is not danger-styled with a confirmation"
    assert "button-danger" in button.group(1)
    assert "Its 2 answers from applicants are deleted with it, for good." in button.group(2)


def test_one_applicant_matching_the_filter_reads_in_the_singular(client, world):
    client.force_login(world.people.coordinator)
    url = reverse("programs:applicants", args=[world.program.slug])
    page = client.get(url, {"role": "mentee"}).content.decode()
    assert "1 applicant matches the filter." in page and "Download this one as CSV" in page
