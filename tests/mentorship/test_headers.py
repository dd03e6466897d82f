"""Headers that keep personal data where it belongs: a Content-Security-Policy with no inline
script, and pages for a signed-in person (or behind a token link) never cached."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import scenarios

pytestmark = pytest.mark.django_db


def test_every_page_has_a_policy_that_allows_only_the_sites_own_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path))
    assert offenders == []


def test_pages_for_a_signed_in_person_are_never_cached(client):
    client.force_login(scenarios.person(email="ann@example.org"))
    for url in ("/dashboard/", "/profile/"):
        cache_control = client.get(url).headers["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_the_public_home_page_may_be_cached_but_token_links_may_not(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    response = client.get("/consent/00000000-0000-0000-0000-000000000000/")
    assert "no-store" in response.headers["Cache-Control"]
