import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evaluation.demo.people import DEMO_PASSWORD
from evaluation.demo.site import DEMO_LOGINS
from matching.models import Conversation, Meeting, Message
from mentorship.models import COORDINATORS_GROUP, OutboundEmail, User
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_people_whose_demo_logins_work(client):
    call_command("seed_demo", "--if-empty")
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.groups.filter(name=COORDINATORS_GROUP).exists()
    assert User.objects.filter(email__startswith="mentor").count() == 40
    assert User.objects.filter(email__startswith="mentee").count() == 60
    assert all(user.profile.display_name for user in User.objects.select_related("profile"))
    program = Program.objects.get(name="City Youth Mentoring")
    assert program.coordinators.count() == 2
    matchable = program.enrollments.matchable()
    assert matchable.filter(role="mentor").count() == 24
    assert 30 <= matchable.filter(role="mentee").count() <= 45
    minors_ready = [
        e
        for e in matchable.filter(role="mentee").select_related("user__profile")
        if e.user.profile.is_minor()
    ]
    assert minors_ready and all(e.guardian_consent for e in minors_ready)
    assert program.enrollments.filter(status="in_screening").exists()
    assert len({e.user.profile.area for e in program.enrollments.select_related("user__profile")}) >= 5
    # Matching has history: runs, pairs active for months, proposed and closed ones, suggestions to review.
    assert program.match_runs.filter(status="done").count() == 2
    assert program.matches.filter(status="active").count() == 12
    assert program.matches.filter(status="proposed").count() == 3
    assert program.matches.filter(status="closed", closure_reason="completed").count() == 1
    assert program.match_suggestions.filter(status="pending").exists()
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    # ... and months of monitoring behind the pairs.
    active = program.matches.filter(status="active")
    assert all(m.checkins.count() >= 3 for m in active)
    assert all(m.goals.exists() for m in active)
    # ... and the pairs' own space: conversations (a held phone number among them), a thread with
    # the coordinators, and meetings planned, waiting for an answer, and waiting to be logged.
    conversations = Conversation.objects.filter(program=program)
    assert (
        conversations.filter(kind="pair").count() == 2 and conversations.filter(kind="coordinators").exists()
    )
    assert Message.objects.filter(conversation__program=program, held=True).count() == 1
    meetings = Meeting.objects.filter(match__program=program)
    assert set(meetings.values_list("status", flat=True)) == {"accepted", "proposed"}
    assert meetings.filter(status="accepted", starts_at__lt=timezone.now()).count() == 1
    assert not User.objects.filter(
        enrollments__matches_as_mentee__status="active", last_active_at=None
    ).exists()
    for _, email in DEMO_LOGINS:
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response.url == reverse("dashboard"), email
        client.logout()


def test_seed_demo_if_empty_leaves_an_existing_site_alone():
    call_command("seed_demo", "--if-empty")
    count = User.objects.count()
    call_command("seed_demo", "--if-empty")
    assert User.objects.count() == count


def test_print_logins_lists_the_demo_accounts(capsys):
    call_command("seed_demo")
    call_command("seed_demo", "--print-logins")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "coordinator@example.org" in out
