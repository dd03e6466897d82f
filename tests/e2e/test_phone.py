"""On a phone (375 px): no page scrolls sideways, a long email wraps, every table reads as stacked
rows (each cell named by its column) instead of hiding columns off-screen, and the program menu
folds into a disclosure that names the current page. ``look`` also checks 1280 px and runs axe at
both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from programs.models import Role
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
# No name given: the dashboard greets them by the email's first part, one unbreakable word.
LONG_EMAIL = "bartholomewfitzwilliamravenscroftthethird@anuncommonlylongdomainname.example.org"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = scenarios.url_world()
    person = scenarios.person(email=LONG_EMAIL)
    scenarios.enroll(program=world.program, user=person, role=Role.MENTEE)
    return world


def stacked_tables(page):
    """Each table of the page's main content at this width: stacked or not, and whether it (or its
    scrolling wrapper) still hides anything to the right."""
    return page.evaluate(
        """[...document.querySelectorAll('main table')].map(t => ({
          caption: (t.caption ? t.caption.textContent : '').trim(),
          stacked: t.classList.contains('stack-table') && getComputedStyle(t.rows[0]).display === 'block',
          hidden: t.parentElement.scrollWidth - t.parentElement.clientWidth,
          labelled: [...t.querySelectorAll('tbody td')].filter(td => td.colSpan === 1).every(td =>
            td.dataset.label && getComputedStyle(td, '::before').content.includes(td.dataset.label)),
        }))"""
    )


def assert_tables_stack(page):
    tables = stacked_tables(page)
    assert tables, f"no table on {page.url}"
    for table in tables:
        assert table["stacked"], f"{table['caption']}: not stacked at 375 px"
        assert table["hidden"] <= 0, f"{table['caption']}: {table['hidden']} px hidden off-screen"
        assert table["labelled"], f"{table['caption']}: a cell is not named by its column"


def test_a_long_email_wraps_on_the_dashboard(page, live_server, world, log_in, look):
    page.set_viewport_size(PHONE)
    log_in(LONG_EMAIL)
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text(LONG_EMAIL).first).to_be_visible()
    look(page, "phone-dashboard-long-email")


def test_the_coordinators_tables_stack_on_a_phone(page, live_server, world, log_in, look):
    slug = world.program.slug
    log_in(world.people.coordinator.email)
    page.set_viewport_size(PHONE)
    for name, path in (
        ("phone-program-overview", f"/programs/{slug}/manage/"),
        ("phone-applicants", f"/programs/{slug}/applicants/"),
        ("phone-matching", f"/programs/{slug}/matching/"),
        ("phone-matches", f"/programs/{slug}/matches/"),
        ("phone-checkins", f"/matches/{world.match.pk}/journal/"),
        ("phone-reports", f"/programs/{slug}/reports/"),
    ):
        page.goto(live_server.url + path)
        assert_tables_stack(page)
        look(page, name)
        page.set_viewport_size(PHONE)


def test_the_program_menu_folds_on_a_phone_and_names_the_current_page(
    page, live_server, world, log_in, axe_check
):
    log_in(world.people.coordinator.email)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + f"/programs/{world.program.slug}/applicants/")
    menu = page.get_by_role("navigation", name="Program")
    expect(menu.get_by_role("link", name="Settings")).to_be_hidden()
    summary = menu.locator("summary")
    expect(summary).to_have_text("Program menu: Applicants")
    summary.click()
    expect(menu.get_by_role("link", name="Applicants")).to_have_attribute("aria-current", "page")
    axe_check(page)
    menu.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("settings")
    menu = page.get_by_role("navigation", name="Program")
    expect(menu.locator("summary")).to_have_text("Program menu: Settings")

    # On a laptop the menu is a plain row of links, always there.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu.get_by_role("link", name="Matching")).to_be_visible()
    expect(menu.locator("summary")).to_be_hidden()


def test_the_site_header_fits_a_phone(page, live_server, world, log_in):
    staff = scenarios.person(email="boss@urls.test", display_name="Boss", is_staff=True)
    log_in(staff.email)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/dashboard/")
    header = page.locator(".site-header")
    for name in ("Dashboard", "Programs", "Profile", "Admin", "Account"):
        box = header.get_by_role("link", name=name, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    box = header.get_by_role("button", name="Log out").bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# The order in which a role is picked to look at a page: the first to whom it answers 200.
VIEWERS = ["coordinator", "mentee", "mentor", "staff", "anonymous", "outsider", "other_coordinator"]


def sign_in_as(page, live_server, user):
    """Signs the browser in as ``user`` through a session of Django's test client (staff have a
    second factor, which the login page would ask for)."""
    from django.conf import settings
    from django.test import Client

    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": cookie, "url": live_server.url}])


def test_every_page_fits_a_phone(page, live_server, world, axe_check):
    """Every page of the URL matrix that answers someone 200 (each person's own dashboard too), at
    375 px: nothing scrolls sideways and axe finds nothing serious. With SCREENSHOTS=<folder>, saves
    each page as seen."""
    from django.urls import reverse

    from tests.url_matrix import MATRIX

    folder = os.environ.get("SCREENSHOTS")
    visits = [("dashboard", role, MATRIX["dashboard"].args) for role in VIEWERS if role != "anonymous"]
    for name, row in MATRIX.items():
        viewer = next((role for role in VIEWERS if row.get[role] == 200), None)
        if viewer and name != "dashboard":
            visits.append((name, viewer, row.args))

    def mentors_page(w):
        return {"slug": w.program.slug, "pk": w.mentor_enrollment.pk}

    # A mentor's application, seen by the coordinator (the screening checklist) and by the mentor.
    mentor_application = [
        ("programs:applicant", "coordinator", mentors_page),
        ("programs:enrollment", "mentor", lambda w: {"pk": w.mentor_enrollment.pk}),
    ]
    page.set_viewport_size(PHONE)
    wrong, looked, signed_in = [], [], object()
    for name, role, args in visits + mentor_application:
        MATRIX[name].prepare(world)
        url = reverse(name, kwargs=args(world))
        if role != signed_in:
            sign_in_as(page, live_server, world.as_role(role))
            signed_in = role
        answer = page.request.get(live_server.url + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue  # a file, a feed, a redirect
        page.goto(live_server.url + url)
        looked.append(url)
        if folder:
            shot = Path(folder) / f"phone-page-{len(looked):02d}-{name.replace(':', '-')}-{role}-375.png"
            page.screenshot(path=str(shot), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wrong.append(f"{url} as {role}: scrolls sideways by {overflow}px")
        try:
            axe_check(page)
        except AssertionError as error:
            wrong.append(f"{url} as {role}: {error}")
    assert len(looked) > 50, looked
    assert not wrong, "\n".join(wrong)
