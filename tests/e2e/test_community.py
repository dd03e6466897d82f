"""Beyond the pair in a browser (issue 15), looked at on a phone and a laptop:

- a coordinator runs a group program: creates two groups with their mentors, runs group matching
  and applies it, starts a group; its mentor plans a session, and once it has begun takes
  attendance from the dashboard; the group's figures then appear on the program's reports;
- a peer-circle program forms circles from the mentees waiting for one;
- the program's discussion board: a mentee starts a topic, the coordinator pins it.

Each page is looked at with ``look`` (375 px and 1280 px: no sideways scroll, nothing serious for
axe). With ``SCREENSHOTS=docs/screenshots`` the looks are saved as ``community-NN-<step>-<width>.png``.
(The public visitor's RSVP, wait-list and promotion is tests/e2e/test_events.py.)
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matching.models import Group, GroupAttendance, GroupMember, GroupSession, Topic
from tests import scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in_row(page, text):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=text))


def test_a_coordinator_runs_a_group_program_and_its_mentor_takes_attendance(
    page, live_server, log_in, log_out, look
):
    world = scenarios.matching_world(format="group", group_size=3)
    program, lead = world.program, world.coordinator
    seen = []

    def see(name):
        seen.append(name)
        look(page, f"community-{len(seen):02d}-{name}")

    log_in(lead.email)
    page.goto(f"{live_server.url}/programs/{program.slug}/")
    page.goto(f"{live_server.url}/programs/{program.slug}/groups/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("groups")
    for name, mentor in (("Code Club", "Ada"), ("Care Crew", "Cy")):
        page.get_by_label("Name:", exact=True).fill(name)
        page.get_by_role("checkbox", name=mentor, exact=True).check()
        page.get_by_role("button", name="Create the group").click()
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    see("groups")

    page.get_by_role("button", name="Run group matching").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group matching proposal")
    # Eve speaks only Polish: no group's mentor does, and the page says why she is not placed.
    expect(page.get_by_text("Eve: no group shares a language")).to_be_visible()
    see("group-matching-proposal")
    page.get_by_role("button", name="Apply").click()
    code_club = Group.objects.get(program=program, name="Code Club")
    placed = set(
        GroupMember.objects.current()
        .members()
        .filter(group=code_club)
        .values_list("enrollment_id", flat=True)
    )
    assert world.mentees["ben"].pk in placed
    assert not GroupMember.objects.filter(enrollment=world.mentees["eve"]).exists()
    page.goto(f"{live_server.url}/programs/{program.slug}/groups/")
    page.get_by_role("button", name="Start Code Club").click()
    code_club.refresh_from_db()
    assert code_club.status == "running"
    log_out()

    # The mentor plans a session from her dashboard's "My groups".
    log_in("ada@matching.test")
    page.get_by_role("link", name="Code Club").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code Club")
    see("group-page-mentor")
    page.get_by_role("link", name="Plan a session").click()
    day = timezone.localdate() + dt.timedelta(days=2)
    page.get_by_label("Date:", exact=True).fill(day.isoformat())
    page.get_by_label("Start time:", exact=True).fill("17:00")
    page.get_by_label("Place:", exact=True).fill("Eastside Library, room 2")
    page.get_by_label("Agenda:", exact=True).fill("Build a web page together.")
    see("group-session-plan")
    page.get_by_role("button", name="Plan the session").click()
    session = GroupSession.objects.get(group=code_club)

    # Two days later, after the session: the dashboard asks her to take attendance.
    GroupSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Take attendance")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    page.get_by_label("Ben").check()
    page.get_by_label("Yes, it was held").check()
    page.get_by_label(re.compile("^How it went")).fill("We built a first page and everyone showed it.")
    see("group-attendance")
    page.get_by_role("button", name="Save").click()
    assert GroupAttendance.objects.filter(session=session, present=True).count() == 1
    session.refresh_from_db()
    assert session.held is True
    log_out()

    # The group's figures on the program's reports, beside the pairs'.
    log_in(lead.email)
    page.goto(f"{live_server.url}/programs/{program.slug}/reports/")
    expect(page.get_by_role("heading", name="Groups and peer circles")).to_be_visible()
    expect(_in_row(page, "Group sessions held").get_by_role("cell").first).to_have_text("1")
    expect(_in_row(page, "Groups running").get_by_role("cell").first).to_have_text("1")
    see("group-figures")


def test_a_peer_circle_program_forms_circles_and_its_board_holds_a_topic(
    page, live_server, log_in, log_out, look
):
    world = scenarios.matching_world(format="peer_circles", circle_size=3)
    program, lead = world.program, world.coordinator
    seen = []

    def see(name):
        seen.append(name)
        look(page, f"community-{len(seen) + 10:02d}-{name}")

    log_in(lead.email)
    page.goto(f"{live_server.url}/programs/{program.slug}/groups/")
    page.get_by_role("button", name="Form circles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposed circles")
    see("circles-proposal")
    page.get_by_role("button", name="Apply").click()
    circles = Group.objects.filter(program=program, kind="circle")
    assert circles.exists()
    sizes = [GroupMember.objects.current().members().filter(group=c).count() for c in circles]
    assert all(2 <= size <= 4 for size in sizes), sizes
    log_out()

    # A mentee starts a topic on the program's board; the coordinator pins it.
    log_in("ben@matching.test")
    page.goto(f"{live_server.url}/programs/{program.slug}/board/")
    page.get_by_role("link", name="New topic").click()
    page.get_by_label("Title:", exact=True).fill("Books that helped you start out?")
    page.get_by_label("Your first post:", exact=True).fill("Mine was a library book on Python.")
    page.get_by_role("button", name="Post the topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Books that helped you start out?")
    see("board-topic")
    log_out()

    log_in(lead.email)
    topic = Topic.objects.get(program=program)
    page.goto(f"{live_server.url}/topics/{topic.pk}/")
    page.get_by_role("button", name="Pin to the top").click()
    topic.refresh_from_db()
    assert topic.pinned
    page.goto(f"{live_server.url}/programs/{program.slug}/board/")
    see("board")


def test_the_demo_groups_events_board_and_milestones_fit_a_phone(page, live_server, log_in, log_out, look):
    """The demo's own community (issue 15) as its people see it: a group's mentor's dashboard and
    group, the coordinators' groups, events and reports of the group program, and the public
    events page."""
    from evaluation.demo.site import demo_site
    from programs.models import Event, Program

    demo_site()
    eastside = Program.objects.get(name="Eastside Girls Who Code")
    group = Group.objects.get(
        program=eastside,
        status="running",
        memberships__enrollment__user__email="eastside.mentor1@example.org",
    )
    public = Event.objects.filter(is_public=True, status="published", starts_at__gte=timezone.now()).first()

    log_in("eastside.mentor1@example.org")
    expect(page.get_by_role("heading", name="My groups")).to_be_visible()
    look(page, "community-20-demo-mentor-dashboard")
    page.goto(live_server.url + group.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    look(page, "community-21-demo-group-page")
    page.goto(f"{live_server.url}/programs/{eastside.slug}/board/")
    look(page, "community-22-demo-board")
    log_out()

    log_in("coordinator@example.org")
    for number, (name, path) in enumerate(
        [
            ("groups", f"/programs/{eastside.slug}/groups/"),
            ("events", f"/programs/{eastside.slug}/events/"),
            ("reports", f"/programs/{eastside.slug}/reports/"),
        ],
        start=23,
    ):
        page.goto(live_server.url + path)
        look(page, f"community-{number}-demo-{name}")
    expect(page.get_by_role("heading", name="Groups and peer circles")).to_be_visible()
    log_out()

    page.goto(f"{live_server.url}/programs/{eastside.slug}/events/public/")
    look(page, "community-26-demo-public-events")
    page.goto(live_server.url + public.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(public.title)
    look(page, "community-27-demo-public-event")
