"""Each survey is offered only in its window (evaluation.selectors.SURVEY_WINDOW_DAYS): not before
it opens, not after it closes, and the start-of-match surveys never after closure. What is not
offered is not on the dashboard or the pair's page, answers 404 and is refused by the service, and
is not counted as due for the coordinators."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyKind, SurveyResponse
from evaluation.selectors import surveys_due
from matching import services as matching_services
from matching.models import Match
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


def day(offset, since=START):
    return since + dt.timedelta(days=offset)


@pytest.fixture
def pw():
    with on(START):
        yield pair_world()


def survey_url(pw, kind, period=None):
    url = reverse("evaluation:survey", args=[pw.match.pk, kind])
    return url if period is None else f"{url}?period={period}"


def status(client, pw, who, kind, period=None):
    client.force_login(pw.as_role(who))
    return client.get(survey_url(pw, kind, period)).status_code


def dashboard(client, pw, who):
    client.force_login(pw.as_role(who))
    return client.get(reverse("dashboard")).content.decode()


def held_checkin(pw, when):
    with on(when):
        services.checkin_log(match=pw.match, by=pw.mentor, occurred_on=when)


def close(pw, when):
    with on(when):
        matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)


def test_pairing_fit_is_offered_for_four_weeks_from_the_first_meeting(client, pw):
    first = day(10)
    with on(day(9)):
        assert status(client, pw, "mentee", "pairing_fit") == 404  # before: no meeting yet
    held_checkin(pw, first)
    for offset, expected in ((0, 200), (27, 200), (28, 404), (60, 404)):
        with on(day(offset, first)):
            assert status(client, pw, "mentee", "pairing_fit") == expected, offset
            assert status(client, pw, "mentor", "pairing_fit") == expected, offset
            shown = "How is it going with Ada?" in dashboard(client, pw, "mentee")
            assert shown is (expected == 200), offset
    with on(day(28, first)), pytest.raises(ValidationError, match="not due"):
        services.survey_answer(match=pw.match, by=pw.mentee, kind=SurveyKind.PAIRING_FIT, rating=4)
    assert not SurveyResponse.objects.exists()


def test_the_dashboard_says_until_when_a_survey_is_open(client, pw):
    held_checkin(pw, day(3))
    with on(day(5)):
        page = dashboard(client, pw, "mentor")
    assert "How is it going with Ben?" in page  # the mentor's title names the mentee
    assert "open until 31 March" in page  # the first meeting on 4 March, and 27 days


def test_the_self_assessment_at_the_start_is_offered_for_the_first_four_weeks(client, pw):
    for offset, expected in ((0, 200), (27, 200), (28, 404), (200, 404)):
        with on(day(offset)):
            assert status(client, pw, "mentee", "self_start") == expected, offset


def test_each_satisfaction_survey_is_open_three_weeks_from_when_it_falls_due(client, pw):
    # Every 90 days: the first opens on day 90 and closes after day 110; the second opens on day 180.
    for offset, expected in ((89, 404), (90, 200), (110, 200), (111, 404), (179, 404)):
        with on(day(offset)):
            assert status(client, pw, "mentor", "satisfaction", period=1) == expected, offset
    with on(day(180)):
        assert status(client, pw, "mentor", "satisfaction", period=1) == 404  # missed: gone for good
        assert status(client, pw, "mentor", "satisfaction", period=2) == 200


def test_a_satisfaction_survey_closes_before_the_next_opens_when_they_are_frequent(pw):
    pw.program.satisfaction_survey_days = 14
    pw.program.save(update_fields=["satisfaction_survey_days"])
    matches = Match.objects.filter(pk=pw.match.pk)
    assert [
        (d.period, d.opens_on, d.closes_on) for d in surveys_due(matches, on=day(27), user=pw.mentor)
    ] == [(1, day(14), day(27))]
    assert [d.period for d in surveys_due(matches, on=day(28), user=pw.mentor)] == [2]


def test_the_exit_survey_and_closing_self_assessment_are_open_four_weeks_from_closure(client, pw):
    closed = day(100)
    close(pw, closed)
    for offset, expected in ((0, 200), (27, 200), (28, 404)):
        with on(day(offset, closed)):
            assert status(client, pw, "mentor", "exit") == expected, offset
            assert status(client, pw, "mentee", "self_end") == expected, offset


@pytest.mark.parametrize(("kind", "after"), [("follow_up_3", 90), ("follow_up_12", 365)])
def test_follow_ups_are_open_for_a_month_from_their_anniversary(client, pw, kind, after):
    closed = day(100)
    close(pw, closed)
    for offset, expected in ((after - 1, 404), (after, 200), (after + 29, 200), (after + 30, 404)):
        with on(day(offset, closed)):
            assert status(client, pw, "mentee", kind) == expected, offset


def test_after_closure_a_mentee_sees_no_start_or_first_meeting_survey(client, pw):
    """The issue: after closure the mentee's dashboard listed "Pairing fit (after the first meeting)"
    and "Self-assessment at the start". Here they closed days after their first meeting, when
    both windows were still open: what is offered now is the closure's surveys only."""
    held_checkin(pw, day(2))
    close(pw, day(6))
    with on(day(7)):
        page = dashboard(client, pw, "mentee")
        assert "Looking back on your time with Ada" in page  # the exit survey
        assert "How far you have come" in page  # the self-assessment at closure
        assert "How is it going with" not in page  # the pairing fit
        assert "Where you are starting from" not in page  # the self-assessment at the start
        client.force_login(pw.mentee)
        journal = client.get(reverse("evaluation:pair", args=[pw.match.pk])).content.decode()
        assert "Looking back on your time with Ada" in journal and "How is it going" not in journal
        assert status(client, pw, "mentee", "pairing_fit") == 404
        assert status(client, pw, "mentee", "self_start") == 404
    with on(day(60)):  # after the closure's window: nothing at all, however much went unanswered
        page = dashboard(client, pw, "mentee")
        assert "Surveys to answer" not in page


def test_surveys_missed_do_not_pile_up_in_what_coordinators_are_told_is_due(pw):
    """The coordinators' to-do panel and daily email count ``surveys_due`` over their programs."""
    held_checkin(pw, day(2))
    program_matches = Match.objects.filter(program=pw.program)
    assert len(surveys_due(program_matches, on=day(3))) == 3  # pairing fit (both), self-assessment
    # Every window is over and nothing new has opened: nothing is counted as due.
    assert surveys_due(program_matches, on=day(40)) == []
