"""A newcomer's way in (findings 17, 18 and 20 of the walk): the log-in page says why an account is
asked for and leads on to sign-up with the same destination, in the site's words ("Log in", "Sign
up", sentence case); the "check your email" page says what happens next and what to do if nothing
arrives; the home page speaks to would-be mentees and mentors too."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"
APPLY = reverse("programs:apply", args=["riverside-youth-mentoring", "mentee"])


def main_of(response):
    assert response.status_code == 200
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def sign_up(client, next_url):
    return client.post(
        reverse("account_signup"),
        {
            "name": "Sam",
            "email": "sam@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": next_url,
        },
    )


def test_the_log_in_page_reached_from_apply_says_why_and_leads_to_sign_up_with_the_same_destination(client):
    main = main_of(client.get(reverse("account_login"), {"next": APPLY}))
    text = text_of(main)
    assert "Log in or create an account to apply to this program" in text
    signup_link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*Sign up\s*</a>', main).group(1)
    assert signup_link == f"{reverse('account_signup')}?next={quote(APPLY, safe='')}"
    assert re.search(r"<h1>\s*Log in\s*</h1>", main)
    assert re.search(r'<button [^>]*type="submit">\s*Log in\s*</button>', main)
    assert "Sign In" not in text and "sign in" not in text


def test_the_log_in_page_with_another_destination_says_to_continue_and_without_one_says_nothing(client):
    elsewhere = main_of(client.get(reverse("account_login"), {"next": reverse("profile")}))
    assert "Log in or create an account to continue." in text_of(elsewhere)
    assert "create an account to" not in text_of(main_of(client.get(reverse("account_login"))))


def test_the_sign_up_page_uses_the_site_words_and_keeps_the_destination(client):
    main = main_of(client.get(reverse("account_signup"), {"next": APPLY}))
    text = text_of(main)
    assert re.search(r"<h1>\s*Sign up\s*</h1>", main)
    assert "Create an account to apply to this program" in text
    assert f'href="{reverse("account_login")}?next={quote(APPLY, safe="")}"' in main
    assert re.search(r'<button [^>]*type="submit">\s*Sign up\s*</button>', main)
    assert "Sign Up" not in text and "sign in" not in text.lower()


def test_check_your_email_says_what_happens_next_and_what_to_do_if_nothing_arrives(client, mailoutbox):
    response = sign_up(client, APPLY)
    assert response.url == reverse("account_email_verification_sent")
    main = main_of(client.get(response.url))
    text = text_of(main)
    assert re.search(r"<h1>\s*Check your email\s*</h1>", main)
    assert "contact us" not in text.lower()  # no contact was given
    assert "will be waiting for you" in text
    assert "spam" in text and "Log in again with the same email and password: we send a fresh link" in text
    assert f'href="{reverse("account_login")}"' in main

    # What the page promises is true: the link brings them back to the application they started.
    link = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    assert re.search(r"<h1>\s*Confirm your email address\s*</h1>", main_of(client.get(link)))
    assert client.post(link).url == APPLY
    stale = text_of(main_of(client.get(link)))
    assert "This link has expired or was already used. Log in with your email and password" in stale


def test_logging_in_again_before_confirming_sends_a_fresh_link(client, mailoutbox):
    sign_up(client, APPLY)
    client.logout()
    cache.clear()  # "a few minutes" later: allauth sends one link per address every 3 minutes
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD})
    assert response.url == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["sam@example.org"]


def test_the_home_page_invites_would_be_mentees_and_mentors_to_find_a_program(client):
    main = main_of(client.get(reverse("home")))
    text = text_of(main)
    assert "Want a mentor, or to be one?" in text
    programs = reverse("programs:list")
    assert re.search(rf'<a [^>]*href="{programs}"[^>]*>\s*Find a program to join\s*</a>', main)
    section = re.search(r'<section aria-labelledby="join-heading".*?</section>', main, re.S).group(0)
    assert len(re.findall(r"<li>", section)) == 3
    for step in ["Choose a program", "Apply", "Meet your match"]:
        assert f"<h3>{step}</h3>" in section
