"""The built-in surveys: each is due when ``surveys_due`` says so, for whom it says, and is answered
once. Not due: 404. A second answer is refused with a message and changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import SurveyKind, SurveyResponse
from matching import services as matching_services
from mentorship import services as people_services
from tests.evaluation.helpers import pair_world

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


def on(day):
    """Travel to ``day`` (a date), 10:00 UTC."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def pw():
    with on(START.date()):
        yield pair_world()


def url(pw, kind, period=None):
    base = reverse("evaluation:survey", args=[pw.match.pk, kind])
    return base if period is None else f"{base}?period={period}"


def get(client, pw, who, kind, period=None):
    client.force_login(pw.as_role(who))
    return client.get(url(pw, kind, period))


def post(client, pw, who, kind, data, period=None):
    client.force_login(pw.as_role(who))
    return client.post(url(pw, kind, period), data)


def close(pw, day):
    with on(day):
        matching_services.match_close(match=pw.match, by=pw.coordinator, reason="completed", anticipated=True)


def held_checkin(pw, day):
    with on(day):
        services.checkin_log(match=pw.match, by=pw.mentor, occurred_on=day)


# --- Pairing fit ---------------------------------------------------------------------------------


def test_pairing_fit_is_due_for_both_after_the_first_meeting_held(client, pw):
    day = dt.date(2027, 3, 5)
    with on(day):
        services.checkin_log(match=pw.match, by=pw.mentor, occurred_on=day, held=False)
        assert get(client, pw, "mentee", "pairing_fit").status_code == 404  # a missed meeting is not one
        services.checkin_log(match=pw.match, by=pw.mentor, occurred_on=day)
        for who in ("mentee", "mentor"):
            response = get(client, pw, who, "pairing_fit")
            assert response.status_code == 200
            assert "How well does this pairing fit?" in response.content.decode()
        assert (
            post(client, pw, "mentor", "pairing_fit", {"rating": "4", "text": "Good start."}).status_code
            == 302
        )
        assert post(client, pw, "mentee", "pairing_fit", {"rating": "5"}).status_code == 302
    answers = {r.role: (r.respondent, r.rating, r.text, r.period) for r in SurveyResponse.objects.all()}
    assert answers == {"mentor": (pw.mentor, 4, "Good start.", 0), "mentee": (pw.mentee, 5, "", 0)}


def test_pairing_fit_before_any_meeting_is_not_found(client, pw):
    with on(dt.date(2027, 3, 5)):
        assert get(client, pw, "mentor", "pairing_fit").status_code == 404
        assert post(client, pw, "mentor", "pairing_fit", {"rating": "4"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_second_answer_is_refused_with_a_message_and_changes_nothing(client, pw):
    held_checkin(pw, dt.date(2027, 3, 5))
    with on(dt.date(2027, 3, 6)):
        post(client, pw, "mentor", "pairing_fit", {"rating": "4", "text": "First thoughts."})
        response = post(client, pw, "mentor", "pairing_fit", {"rating": "1", "text": "Changed my mind."})
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert "You have already answered this survey" in page
        again = get(client, pw, "mentor", "pairing_fit")
        assert again.status_code == 302  # the form is not shown again either
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.text) == (4, "First thoughts.")


def test_the_service_refuses_a_second_answer_with_a_clear_message(pw):
    held_checkin(pw, dt.date(2027, 3, 5))
    with on(dt.date(2027, 3, 6)):
        services.survey_answer(match=pw.match, by=pw.mentee, kind=SurveyKind.PAIRING_FIT, rating=3)
        with pytest.raises(ValidationError) as error:
            services.survey_answer(match=pw.match, by=pw.mentee, kind=SurveyKind.PAIRING_FIT, rating=5)
    assert error.value.messages == [services.ALREADY_ANSWERED]
    assert SurveyResponse.objects.get().rating == 3


def test_the_service_refuses_a_survey_that_is_not_due(pw):
    with on(dt.date(2027, 3, 6)), pytest.raises(ValidationError, match="not due"):
        services.survey_answer(match=pw.match, by=pw.mentee, kind=SurveyKind.EXIT, rating=3, nps=9)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "staff", "outsider"])
def test_only_the_pair_answers_surveys(pw, who):
    held_checkin(pw, dt.date(2027, 3, 5))
    with on(dt.date(2027, 3, 6)), pytest.raises(PermissionDenied):
        services.survey_answer(match=pw.match, by=pw.as_role(who), kind=SurveyKind.PAIRING_FIT, rating=3)


def test_a_rating_is_required_and_kept_within_1_to_5(client, pw):
    held_checkin(pw, dt.date(2027, 3, 5))
    with on(dt.date(2027, 3, 6)):
        response = post(client, pw, "mentee", "pairing_fit", {"text": "Forgot the number"})
        assert response.status_code == 400
        assert "Forgot the number" in response.content.decode()
        assert "Choose a number from 1 to 5." in response.content.decode()
        assert post(client, pw, "mentee", "pairing_fit", {"rating": "6"}).status_code == 400
        with pytest.raises(ValidationError):
            services.survey_answer(match=pw.match, by=pw.mentee, kind=SurveyKind.PAIRING_FIT, rating=0)
    assert not SurveyResponse.objects.exists()


def test_posting_the_respondent_role_or_match_changes_nothing(client, pw):
    held_checkin(pw, dt.date(2027, 3, 5))
    with on(dt.date(2027, 3, 6)):
        data = {
            "rating": "4",
            "respondent": pw.mentor.pk,
            "role": "mentor",
            "match": 999,
            "kind": "exit",
            "period": "7",
            "nps": "10",
            "answers": '{"x": 1}',
        }
        assert post(client, pw, "mentee", "pairing_fit", data).status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.respondent, answer.role, answer.match, answer.kind, answer.period) == (
        pw.mentee,
        "mentee",
        pw.match,
        "pairing_fit",
        0,
    )
    assert (answer.nps, answer.answers) == (None, {})


# --- Self-assessments ---------------------------------------------------------------------------


def test_the_self_assessment_at_the_start_is_the_mentees_and_covers_their_goals(client, pw):
    pw.mentee.profile.goals.add(*people_services.tags_get_or_create(names=["Maths"]))
    with on(dt.date(2027, 3, 2)):
        assert get(client, pw, "mentor", "self_start").status_code == 404
        response = get(client, pw, "mentee", "self_start")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<legend>Coding: how are you doing?</legend>" in page
        assert "<legend>Maths: how are you doing?</legend>" in page
        incomplete = post(client, pw, "mentee", "self_start", {"confidence": "2", "skill_0": "3"})
        assert incomplete.status_code == 400
        data = {"confidence": "2", "skill_0": "3", "skill_1": "1"}
        assert post(client, pw, "mentee", "self_start", data).status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.kind, answer.role, answer.rating) == ("self_start", "mentee", None)
    assert answer.answers == {"confidence": 2, "skills": {"Coding": 3, "Maths": 1}}


def test_the_self_assessment_at_closure_asks_the_starts_skills_and_any_new_goal(client, pw):
    with on(dt.date(2027, 3, 2)):
        services.survey_answer(
            match=pw.match,
            by=pw.mentee,
            kind=SurveyKind.SELF_START,
            answers={"confidence": 2, "skills": {"Coding": 2}},
        )
    # Later the mentee swaps "Coding" for "Interview practice" in their profile.
    pw.mentee.profile.goals.set(people_services.tags_get_or_create(names=["Interview practice"]))
    with on(dt.date(2027, 9, 1)):
        assert get(client, pw, "mentee", "self_end").status_code == 404  # not closed yet
    close(pw, dt.date(2027, 9, 1))
    with on(dt.date(2027, 9, 2)):
        assert get(client, pw, "mentor", "self_end").status_code == 404
        response = get(client, pw, "mentee", "self_end")
        assert response.status_code == 200
        assert [response.context["form"].fields[f"skill_{i}"].label for i in range(2)] == [
            "Coding: how are you doing?",
            "Interview practice: how are you doing?",
        ]
        data = {"confidence": "4", "skill_0": "5", "skill_1": "3"}
        assert post(client, pw, "mentee", "self_end", data).status_code == 302
    end = SurveyResponse.objects.get(kind="self_end")
    assert end.answers == {"confidence": 4, "skills": {"Coding": 5, "Interview practice": 3}}


def test_a_self_assessment_must_rate_every_goal(pw):
    with on(dt.date(2027, 3, 2)):
        for answers in (
            {"confidence": 3, "skills": {}},
            {"confidence": 3, "skills": {"Coding": 3, "Knitting": 2}},
            {"confidence": 9, "skills": {"Coding": 3}},
            {"confidence": 3, "skills": {"Coding": "3"}},
        ):
            with pytest.raises(ValidationError):
                services.survey_answer(
                    match=pw.match, by=pw.mentee, kind=SurveyKind.SELF_START, answers=answers
                )
    assert not SurveyResponse.objects.exists()


# --- Satisfaction ---------------------------------------------------------------------------------


def test_satisfaction_is_due_every_interval_and_numbered(client, pw):
    with on(dt.date(2027, 5, 29)):  # day 89 of a 90-day interval
        assert get(client, pw, "mentor", "satisfaction").status_code == 404
    with on(dt.date(2027, 5, 30)):  # day 90: the first is due
        assert get(client, pw, "mentor", "satisfaction", period=2).status_code == 404
        assert get(client, pw, "mentor", "satisfaction", period="x").status_code == 404
        response = get(client, pw, "mentor", "satisfaction", period=1)
        assert response.status_code == 200
        assert get(client, pw, "mentor", "satisfaction").status_code == 200  # the link without a number
        assert (
            post(client, pw, "mentor", "satisfaction", {"rating": "4", "text": "Fine"}, period=1).status_code
            == 302
        )
        refused = post(client, pw, "mentor", "satisfaction", {"rating": "2"}, period=1)
        assert refused.status_code == 302
        assert get(client, pw, "mentee", "satisfaction", period=1).status_code == 200
    with on(dt.date(2027, 8, 28)):  # day 180: the second
        assert post(client, pw, "mentor", "satisfaction", {"rating": "5"}, period=2).status_code == 302
    answers = list(
        SurveyResponse.objects.filter(kind="satisfaction").order_by("period").values_list("period", "rating")
    )
    assert answers == [(1, 4), (2, 5)]


def test_satisfaction_is_not_asked_after_closure(client, pw):
    close(pw, dt.date(2027, 5, 1))
    with on(dt.date(2027, 6, 1)):
        assert get(client, pw, "mentor", "satisfaction", period=1).status_code == 404


# --- Exit -----------------------------------------------------------------------------------------


def test_the_exit_survey_is_due_for_both_at_closure_with_nps(client, pw):
    with on(dt.date(2027, 4, 1)):
        assert get(client, pw, "mentee", "exit").status_code == 404
    close(pw, dt.date(2027, 4, 1))
    with on(dt.date(2027, 4, 2)):
        response = get(client, pw, "mentee", "exit")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<legend>How likely are you to recommend this program to a friend?</legend>" in page
        assert post(client, pw, "mentee", "exit", {"rating": "4", "nps": "11"}).status_code == 400
        assert post(client, pw, "mentee", "exit", {"rating": "4"}).status_code == 400
        assert (
            post(client, pw, "mentee", "exit", {"rating": "4", "nps": "0", "text": "Thanks"}).status_code
            == 302
        )
        assert post(client, pw, "mentor", "exit", {"rating": "5", "nps": "10"}).status_code == 302
        assert post(client, pw, "mentor", "exit", {"rating": "1", "nps": "1"}).status_code == 302  # refused
    answers = {r.role: (r.rating, r.nps, r.text) for r in SurveyResponse.objects.filter(kind="exit")}
    assert answers == {"mentee": (4, 0, "Thanks"), "mentor": (5, 10, "")}


# --- Follow-ups -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, after", [("follow_up_3", 90), ("follow_up_12", 365)])
def test_follow_ups_are_due_for_both_months_after_closure(client, pw, kind, after):
    closed_on = dt.date(2027, 6, 1)
    close(pw, closed_on)
    with on(closed_on + dt.timedelta(days=after - 1)):
        assert get(client, pw, "mentee", kind).status_code == 404
    with on(closed_on + dt.timedelta(days=after)):
        response = get(client, pw, "mentee", kind)
        assert response.status_code == 200
        assert "Are you still in touch with your mentor?" in response.content.decode()
        assert "Are you still in touch with your mentee?" in get(client, pw, "mentor", kind).content.decode()
        bad = post(client, pw, "mentee", kind, {"where_now": "", "still_in_touch": "maybe"})
        assert bad.status_code == 400
        data = {
            "where_now": "Second year of an apprenticeship",
            "still_in_touch": "yes",
            "would_mentor": "no",
        }
        assert post(client, pw, "mentee", kind, data).status_code == 302
        assert post(client, pw, "mentee", kind, {**data, "would_mentor": "yes"}).status_code == 302  # refused
    answer = SurveyResponse.objects.get(kind=kind)
    assert (answer.role, answer.answers) == (
        "mentee",
        {"where_now": "Second year of an apprenticeship", "still_in_touch": True, "would_mentor": False},
    )


def test_an_unknown_survey_is_not_found(client, pw):
    assert get(client, pw, "mentee", "horoscope").status_code == 404
