"""Survey invitations: when a survey's window opens, each person it is due to gets one email (run
the task twice, after a crash, or two at once: still one), with a link that opens that one survey
for that person without signing in, until the window closes; the link is kept out of the logs, and
a minor's email carries nothing private."""

import logging
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from evaluation import invitations, services, tasks
from evaluation.models import SurveyInvitation, SurveyKind, SurveyResponse
from mentorship import logs
from mentorship.models import OutboundEmail
from mentorship.services import email_send_pending
from tests.evaluation.reminder_helpers import (
    at,
    day,
    deliver,
    flush_outbox,
    reminder_world,
    start_pair,
)

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^/\s]+(/surveys/answer/[^/\s]+/)")


@pytest.fixture
def world(mailoutbox):
    """Ada mentors Ben from START; Cy mentors Dee (a minor) from START."""
    world = reminder_world()
    world.match = start_pair(world, "ben", "ada")
    world.minor_match = start_pair(world, "dee", "cy")
    flush_outbox(mailoutbox)
    return world


def survey_emails(mailoutbox):
    return sorted((m.to[0].split("@")[0], m.subject) for m in mailoutbox)


def link_in(mail):
    return LINK.search(mail.body).group(1)


def first_meeting(match, when):
    with at(when):
        services.checkin_log(match=match, by=match.mentor.user, occurred_on=when)


def test_the_task_run_twice_sends_one_email_per_person(world, mailoutbox):
    with at(day(0)):
        tasks.send_survey_invitations()
        tasks.send_survey_invitations()
        deliver()
    # The self-assessment at the start opened for the two mentees, once each.
    assert survey_emails(mailoutbox) == [
        ("ben", "Matching Test Program survey: Where you are starting from"),
        ("dee", "Matching Test Program survey: Where you are starting from"),
    ]
    mailoutbox.clear()
    first_meeting(world.match, day(3))
    for hour in (9, 10):
        with at(day(3), hour):
            report = invitations.invitations_sweep()
            assert report.sent.emails == (2 if hour == 9 else 0)
    with at(day(4)):
        tasks.send_survey_invitations()
        deliver()
    assert survey_emails(mailoutbox) == [
        ("ada", "Matching Test Program survey: How is it going with your mentee?"),
        ("ben", "Matching Test Program survey: How is it going with your mentor?"),
    ]
    assert SurveyInvitation.objects.filter(sent_at__isnull=True).count() == 0


def test_invitations_recorded_before_a_crash_are_sent_by_the_next_run(world, mailoutbox):
    with at(day(0)):
        assert invitations.invitations_record() == 2  # ... and the process dies before sending
        assert invitations.invitations_record() == 0
    with at(day(0), hour=10):
        report = invitations.invitations_sweep()
        deliver()
    assert (report.recorded, report.sent.invitations, report.sent.emails) == (0, 2, 2)
    assert len(mailoutbox) == 2


def test_an_email_whose_task_was_lost_is_dropped_if_the_survey_was_answered_meanwhile(world, mailoutbox):
    with at(day(0)):
        invitations.invitations_sweep()  # emails queued; their task never reaches a worker
        services.survey_answer(
            match=world.match,
            by=world.match.mentee.user,
            kind=SurveyKind.SELF_START,
            answers={"confidence": 3, "skills": {"Coding": 2}},
        )
        email_send_pending()  # the late sweep
    assert [m.to[0] for m in mailoutbox] == ["dee@matching.test"]
    dropped = OutboundEmail.objects.get(to="ben@matching.test", kind="survey_invitation")
    assert dropped.dropped_at is not None and dropped.sent_at is None


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_invitation_once(mailoutbox):
    world = reminder_world()
    for mentee, mentor in (("ben", "ada"), ("dee", "cy"), ("fay", "gus")):
        start_pair(world, mentee, mentor)
    flush_outbox(mailoutbox)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def sweep():
        try:
            barrier.wait()
            reports.append(invitations.invitations_sweep(batch_size=1))
        except Exception as exc:  # an exception in a thread is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    with at(day(0)):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        deliver()
    assert errors == []
    assert sum(r.recorded for r in reports) == 3
    assert sum(r.sent.emails for r in reports) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ben@matching.test",
        "dee@matching.test",
        "fay@matching.test",
    ]


def test_the_link_opens_the_survey_signed_out_and_records_that_persons_answer(client, world, mailoutbox):
    first_meeting(world.match, day(3))
    with at(day(3)):
        invitations.invitations_sweep()
        deliver()
    mentor_mail = next(
        m for m in mailoutbox if m.to[0] == "ada@matching.test" and "How is it going" in m.subject
    )
    url = link_in(mentor_mail)
    with at(day(10)):
        page = client.get(url)
        assert page.status_code == 200
        assert "How well does this pairing fit?" in page.content.decode()
        assert page["Cache-Control"].startswith("max-age=0")
        assert client.post(url, {"text": "forgot the rating"}).status_code == 400
        done = client.post(url, {"rating": "4", "text": "A good start."})
        assert done.status_code == 200
        assert "your answers are saved" in done.content.decode()
        again = client.get(url)
        assert again.status_code == 200 and "already answered" in again.content.decode()
        assert client.post(url, {"rating": "1"}).status_code == 200  # nothing changes
    answer = SurveyResponse.objects.get(kind=SurveyKind.PAIRING_FIT)
    assert (answer.respondent, answer.role, answer.rating, answer.text) == (
        world.match.mentor.user,
        "mentor",
        4,
        "A good start.",
    )


def test_the_link_opens_only_its_own_survey_and_stops_when_the_window_closes(client, world, mailoutbox):
    first_meeting(world.match, day(3))
    with at(day(3)):
        invitations.invitations_sweep()
        deliver()
    invitation = SurveyInvitation.objects.get(respondent=world.match.mentor.user, kind=SurveyKind.PAIRING_FIT)
    url = reverse("evaluation:survey_link", args=[invitation.token])
    with at(day(3)):
        assert client.get(reverse("evaluation:survey_link", args=["not-a-real-token"])).status_code == 404
        assert client.get(reverse("evaluation:survey_link", args=[invitation.token[:-1]])).status_code == 404
    with at(day(30)):  # the window's last day (the meeting on 4 March, + 27 days)
        assert client.get(url).status_code == 200
    with at(day(31)):  # closed: the link answers 404 and takes no answer
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": "5"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_follow_up_reaches_someone_who_no_longer_logs_in(client, world, mailoutbox):
    from matching import services as matching_services

    with at(day(20)):
        matching_services.match_close(
            match=world.match, by=world.coordinator, reason="completed", anticipated=True
        )
    flush_outbox(mailoutbox)
    with at(day(20 + 90)):
        invitations.invitations_sweep()
        deliver()
    mail = next(m for m in mailoutbox if m.to[0] == "ben@matching.test")
    assert "Three months on: how are things?" in mail.subject
    with at(day(20 + 95)):
        url = link_in(mail)
        page = client.get(url)
        assert "Are you still in touch with your mentor?" in page.content.decode()
        data = {"where_now": "An apprenticeship", "still_in_touch": "yes", "would_mentor": "yes"}
        assert client.post(url, data).status_code == 200
    answer = SurveyResponse.objects.get(kind=SurveyKind.FOLLOW_UP_3)
    assert answer.respondent == world.match.mentee.user
    assert answer.answers["where_now"] == "An apprenticeship"


def test_a_minors_invitation_carries_nothing_private(world, mailoutbox):
    mentee = world.minor_match.mentee.user
    mentee.profile.bio = "I live on Larkspur Lane."
    mentee.profile.phone = "+44 7700 900123"
    mentee.profile.save()
    first_meeting(world.minor_match, day(3))
    with at(day(3)):
        invitations.invitations_sweep()
        deliver()
    mails = [m for m in mailoutbox if m.to[0] == "dee@matching.test"]
    assert mails
    for mail in mails:
        text = mail.subject + mail.body
        assert "Hello Dee," in mail.body
        for private in ("Cy", "cy@matching.test", "Larkspur", "7700", str(mentee.profile.date_of_birth.year)):
            assert private not in text, private


def test_the_link_is_redacted_from_the_logs(client, world, mailoutbox, caplog):
    with at(day(0)):
        invitations.invitations_sweep()
        deliver()
    token = SurveyInvitation.objects.filter(respondent=world.match.mentee.user).get().token
    url = reverse("evaluation:survey_link", args=[token])
    assert token not in logs.redact_path(f"GET {url} HTTP/1.1")
    assert logs.redact_path(url) == f"/surveys/answer/{logs.REDACTED}/"
    caplog.set_level(logging.WARNING, logger="django.request")
    with at(day(60)):  # expired: Django logs "Not Found: <path>"
        assert client.get(url).status_code == 404
    assert caplog.records
    assert all(token not in logs.scrub(record.getMessage()) for record in caplog.records)
