"""Every URL, visited as every kind of person. Later issues add their views to URLS."""

import pytest

from mentorship import services
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"

# url -> expected (status, redirect prefix or None) per role; roles not listed expect the default.
URLS = {
    "/": {"default": (302, "/dashboard/"), "anonymous": (200, None)},
    "/dashboard/": {"default": (200, None), "anonymous": (302, LOGIN)},
    "/healthz": {"default": (200, None)},
    "/readyz": {"default": (200, None)},
    "/admin/": {"default": (302, "/admin/login/"), "staff": (200, None)},
    "/profile/": {"default": (200, None), "anonymous": (302, LOGIN)},
    "/calendar/": {"default": (200, None), "anonymous": (302, LOGIN)},
    "/accounts/password/change/": {"default": (200, None), "anonymous": (302, LOGIN)},
    "/accounts/email/": {"default": (200, None), "anonymous": (302, LOGIN)},
    "/accounts/login/": {"default": (302, "/dashboard/"), "anonymous": (200, None)},
    "/accounts/signup/": {"default": (302, "/dashboard/"), "anonymous": (200, None)},
    "/staff/audit/": {"default": (404, None), "anonymous": (302, LOGIN), "staff": (200, None)},
    "/staff/audit/export.csv": {"default": (404, None), "anonymous": (302, LOGIN), "staff": (200, None)},
    "/accounts/2fa/": {"default": (200, None), "anonymous": (302, LOGIN)},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(URLS))
def test_each_url_answers_each_role_as_expected(client, people, role, url):
    services.heartbeat_record(name="beat")
    services.heartbeat_record(name="worker")
    user = people.as_role(role)
    if user is not None:
        client.force_login(user)
    expected_status, expected_location = URLS[url].get(role, URLS[url]["default"])
    response = client.get(url)
    assert response.status_code == expected_status, f"{role} at {url}"
    if expected_location:
        assert response.url.startswith(expected_location), f"{role} at {url} went to {response.url}"
