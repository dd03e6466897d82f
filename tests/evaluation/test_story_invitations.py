"""Invitations to tell one's story (evaluation/story_invitations.py): at a match's closure, and three
and twelve months after it, the mentee and the mentor are each invited once, however often the
daily job runs and when two runs happen at once (threads with their own database connections);
those who withdrew or were erased are not; the dashboard prompts until the story is told."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from evaluation import story_services
from evaluation.kpis.figures import add_months
from evaluation.models import StoryInvitation
from evaluation.story_invitations import (
    story_invitations_record,
    story_invitations_send,
    story_invitations_sweep,
)
from evaluation.tasks import send_story_invitations
from matching import services as matching_services
from matching.models import Match
from mentorship.models import OutboundEmail
from programs.models import Enrollment
from tests.evaluation.helpers import pair_world
from tests.once import once


def _closed(pw, ended_on=None):
    match = matching_services.match_close(
        match=pw.match, by=pw.coordinator, reason="completed", anticipated=True
    )
    if ended_on:
        Match.objects.filter(pk=match.pk).update(ended_on=ended_on)
    return match


def _invited():
    return sorted(OutboundEmail.objects.filter(kind="story_invitation").values_list("to", flat=True))


@pytest.mark.django_db
def test_both_people_are_invited_once_at_closure_and_the_follow_ups():
    pw = pair_world()
    _closed(pw)
    today = timezone.localdate()
    report = story_invitations_sweep(on=today)
    assert (report.recorded, report.sent.emails) == (2, 2)
    send_story_invitations()  # the beat's task, again: nothing more
    assert story_invitations_sweep(on=today).sent.emails == 0
    assert _invited() == sorted([pw.mentee.email, pw.mentor.email])
    ben_email = OutboundEmail.objects.get(kind="story_invitation", to=pw.mentee.email)
    assert "Ada" not in ben_email.body  # never the partner
    invitation = StoryInvitation.objects.get(enrollment__user=pw.mentee)
    assert reverse("evaluation:story_new", args=[invitation.enrollment_id]) in ben_email.body

    three = add_months(today, 3)
    assert story_invitations_sweep(on=three - dt.timedelta(days=1)).sent.emails == 0  # not yet
    assert story_invitations_sweep(on=three).sent.emails == 2
    assert story_invitations_sweep(on=three + dt.timedelta(days=5)).sent.emails == 0
    assert story_invitations_sweep(on=add_months(today, 12)).sent.emails == 2
    assert sorted(StoryInvitation.objects.values_list("occasion", flat=True)) == sorted(
        ["closure", "3_months", "12_months"] * 2
    )
    assert StoryInvitation.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_those_who_withdrew_or_were_erased_are_not_invited():
    pw = pair_world()
    _closed(pw)
    Enrollment.objects.filter(pk=pw.match.mentee_id).update(status="withdrawn")
    type(pw.mentor).objects.filter(pk=pw.mentor.pk).update(is_active=False)
    assert story_invitations_sweep().sent.emails == 0
    assert _invited() == []


@pytest.mark.django_db
def test_a_story_told_before_the_email_goes_is_not_asked_for():
    pw = pair_world()
    _closed(pw)
    story_invitations_record()
    invitation = StoryInvitation.objects.get(enrollment__user=pw.mentee)
    story_services.story_tell(
        enrollment=invitation.enrollment, by=pw.mentee, text="It went well.", consent="named",
        match=invitation.match, occasion=invitation.occasion,
    )  # fmt: skip
    report = story_invitations_send()
    assert (report.emails, report.skipped) == (1, 1)
    assert _invited() == [pw.mentor.email]


@pytest.mark.django_db
def test_a_long_closed_match_is_not_written_to():
    pw = pair_world()
    _closed(pw, ended_on=timezone.localdate() - dt.timedelta(days=200))
    assert story_invitations_sweep().recorded == 0


@pytest.mark.django_db
def test_the_dashboard_prompts_until_the_story_is_told(client):
    pw = pair_world()
    _closed(pw)
    story_invitations_sweep()
    client.force_login(pw.mentee)
    invitation = StoryInvitation.objects.get(enrollment__user=pw.mentee)
    page = client.get(reverse("dashboard")).content.decode()
    link = reverse("evaluation:story_new", args=[invitation.enrollment_id]) + f"?invitation={invitation.pk}"
    assert "Tell your story" in page and link in page
    form = client.get(link).content.decode()
    assert "At the end of the match" in form
    response = client.post(link, once(text="We built a website together.", consent="anonymous"))
    assert response.status_code == 302
    story = invitation.enrollment.stories.get()
    assert (story.match_id, story.occasion) == (invitation.match_id, "closure")
    assert link not in client.get(reverse("dashboard")).content.decode()
    # Someone else's invitation number gives nothing of theirs.
    client.force_login(pw.mentor)
    mentor_enrollment = pw.match.mentor
    other = reverse("evaluation:story_new", args=[mentor_enrollment.pk]) + f"?invitation={invitation.pk}"
    assert "At the end of the match" not in client.get(other).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_invitation_once():
    pw = pair_world()
    _closed(pw)
    barrier, reports = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            reports.append(story_invitations_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent.emails for report in reports) == 2
    assert _invited() == sorted([pw.mentee.email, pw.mentor.email])
    assert StoryInvitation.objects.count() == 2
