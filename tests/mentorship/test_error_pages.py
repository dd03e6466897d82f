"""Errors show the site's own pages, never a traceback; a database outage shows the maintenance page."""

import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import path

BASE_DIR = Path(__file__).resolve().parents[2]
SITE_CSS = "/static/css/site.css"


def broken_view(request):
    raise ZeroDivisionError("a secret detail of the failure")


# The URLs of test_the_500_page_...: one view that fails.
urlpatterns = [path("broken/", broken_view)]


@pytest.fixture
def database_down(django_db_blocker):
    """The database connection pointed at a closed port: every query fails as when PostgreSQL is
    down. (No test transaction around it, and nothing written: a test database is not needed.)"""
    with django_db_blocker.unblock():
        saved = {"HOST": connection.settings_dict["HOST"], "PORT": connection.settings_dict["PORT"]}
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(saved)


def assert_in_site_style(html):
    assert f'<link rel="stylesheet" href="{SITE_CSS}">' in html
    assert f"{django_settings.STATIC_URL}css/site.css" == SITE_CSS
    assert (BASE_DIR / "static" / "css" / "site.css").exists()
    assert 'class="site-header"' in html and 'class="site-footer"' in html


def test_a_signed_in_page_answers_503_with_the_maintenance_page_while_the_database_is_down(
    client, settings, caplog, database_down
):
    settings.DEBUG = False
    caplog.set_level(logging.ERROR)
    # A signed-in visitor: their session is read from the database as the page checks who they are.
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

    response = client.get("/dashboard/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Down for maintenance" in html
    assert "Traceback" not in html and "OperationalError" not in html and "127.0.0.1" not in html
    assert_in_site_style(html)
    assert "database unavailable: OperationalError in dashboard" in caplog.text
    assert "/dashboard/" not in caplog.text and "a" * 32 not in caplog.text


def test_a_public_page_answers_503_too(client, settings, database_down):
    settings.DEBUG = False
    response = client.get("/programs/")
    assert response.status_code == 503
    assert "Down for maintenance" in response.content.decode()


def test_readyz_keeps_its_own_answer_while_the_database_is_down(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"][0] == "database"
    assert body["checks"]["database"] == "unreachable (OperationalError)"


def test_healthz_keeps_its_own_answer_while_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# No database mark: the 500 page renders with no database at all.
@pytest.mark.urls(__name__)
def test_the_500_page_is_the_sites_own_with_no_detail_of_the_error(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Server Error (500)" not in html
    assert "Traceback" not in html and "ZeroDivisionError" not in html and "secret detail" not in html
    assert_in_site_style(html)
