"""Browser tests: Playwright driving the system Chromium against pytest-django's live server.

Without Chromium they are reported as not run; with CI=true a missing Chromium fails the run,
so CI can never pass by skipping them.
"""

import os
from pathlib import Path

import pytest

from mentorship.env import env_bool

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

# Playwright's sync API keeps an event loop running in the main thread from the first browser
# test to the end of the session, which makes Django think the ORM is called from async code.
# The tests' ORM calls are synchronous. (Subprocesses started by tests drop this variable.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _chromium_is_there():
    if not CHROMIUM.exists():
        if env_bool("CI", False):
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}; .ci/run should have installed it.")
        pytest.skip(f"browser tests not run: no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-gpu",
            "--no-first-run",
        ],
    }


@pytest.fixture
def axe_check():
    """Runs axe-core (vendored in axe-playwright-python) on the page; fails on serious problems."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in serious)

    return check


@pytest.fixture
def look(axe_check):
    """Looks at the page as a phone and a laptop would: at 375 px and 1280 px wide, nothing scrolls
    sideways and axe finds nothing serious. With SCREENSHOTS=<folder>, saves both for a person to
    look at."""
    folder = os.environ.get("SCREENSHOTS")

    def check(page, name):
        original = page.viewport_size
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide = page.evaluate(
                    """[...document.querySelectorAll('body *')].filter(e => {
                      if (e.getBoundingClientRect().right <= window.innerWidth + 1) return false;
                      for (let a = e.parentElement; a; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== 'visible') return false;
                      }
                      return true;
                    }).slice(-5).map(e => e.tagName + '.' + e.className + ' '
                      + (e.textContent || '').trim().slice(0, 60))"""
                )
                raise AssertionError(f"{name} scrolls sideways by {overflow}px at {width}px: {wide}")
            axe_check(page)
        page.set_viewport_size(original)

    return check


@pytest.fixture
def log_in(page, live_server):
    """``log_in(email)``: sign in on the login page as a person does (the scenarios' people share
    tests.scenarios.DEMO_PASSWORD), and wait until the page shows them signed in."""
    from playwright.sync_api import expect

    from tests import scenarios

    def log_in(email, *, password=scenarios.DEMO_PASSWORD):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email:", exact=True).fill(email)
        page.get_by_label("Password:", exact=True).fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in


@pytest.fixture
def log_out(page):
    """``log_out()``: the "Log out" button of the page's header."""

    def log_out():
        page.get_by_role("button", name="Log out").click()

    return log_out
