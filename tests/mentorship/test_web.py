"""The views' shared helpers: refusals in words, and only this site's pages as ``next``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from mentorship.web import error_text, redirect_next


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/programs/youth/matching/#mentees", "/programs/youth/matching/#mentees"),
        ("https://evil.example/programs/", "/fallback/"),
        ("//evil.example/programs/", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_next_is_followed_only_to_a_page_of_this_site(target, expected):
    request = RequestFactory().post("/anything/", {"next": target})
    assert redirect_next(request, "/fallback/").url == expected


def test_a_refusal_reads_the_same_from_either_kind_of_error():
    assert error_text(ValidationError(["Too late.", "Ask again."])) == "Too late. Ask again."
    assert error_text(PermissionDenied("Only the pair confirm it.")) == "Only the pair confirm it."
