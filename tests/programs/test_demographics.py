"""Demographic questions: coordinators choose them (presets, custom, order, retire); a person answers
them on their own form only (optional, changed, cleared)."""

import pytest
from django.urls import reverse

from programs import demographics
from programs.models.demographics import DemographicAnswer, DemographicQuestion
from tests import scenarios


@pytest.fixture
def setup(db):
    lead = scenarios.coordinator(email="lead@demo.test", display_name="Lead")
    program = scenarios.program(coordinator=lead, name="Riverside Mentoring")
    mentee = scenarios.ready_mentee(program=program, email="kim@demo.test", display_name="Kim")
    return program, lead, mentee


def questions_url(program):
    return reverse("programs:demographic_questions", args=[program.slug])


def test_a_coordinator_adds_presets_and_custom_questions(client, setup):
    program, lead, _ = setup
    client.force_login(lead)
    page = client.get(questions_url(program))
    assert page.status_code == 200 and "No questions yet" in page.text
    response = client.post(questions_url(program), {"topic": "gender", "label": "", "options": ""})
    assert response.status_code == 302
    gender = DemographicQuestion.objects.get(program=program, topic="gender")
    assert gender.label == demographics.PRESETS["gender"][0] and "Non-binary" in gender.options
    client.post(
        questions_url(program),
        {"topic": "other", "label": "Are you a young carer?", "options": "Yes\nNo\nyes\nPrefer not to say\n"},
    )
    carer = DemographicQuestion.objects.get(program=program, topic="other")
    assert carer.options == ["Yes", "No"]  # repeats and the always-offered answers dropped
    page = client.get(questions_url(program)).text
    assert "Are you a young carer?" in page and "In my own words" in page and "Prefer not to say" in page
    # Reordered: the young carers' question first.
    client.post(
        reverse("programs:demographic_question_move", args=[program.slug, carer.pk]), {"direction": "up"}
    )
    assert list(demographics.questions_of(program)) == [carer, gender]


def test_a_custom_question_needs_its_wording_and_the_form_says_so(client, setup):
    program, lead, _ = setup
    client.force_login(lead)
    response = client.post(questions_url(program), {"topic": "other", "label": "  ", "options": "A"})
    assert response.status_code == 400 and "Write the question." in response.text
    response = client.post(questions_url(program), {"topic": "nonsense"})
    assert response.status_code == 400
    assert not DemographicQuestion.objects.filter(program=program).exists()
    question = demographics.question_add(program=program, by=lead, topic="disability")
    edit = reverse("programs:demographic_question_edit", args=[program.slug, question.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"edit-label": "", "edit-options": "Yes"}).status_code == 400
    response = client.post(edit, {"edit-label": "Disability?", "edit-options": "Yes\nNo\nSometimes"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.options == ["Yes", "No", "Sometimes"]


def test_a_retired_question_is_not_asked_but_its_answers_stay(client, setup):
    program, lead, mentee = setup
    question = demographics.question_add(program=program, by=lead, topic="first_gen")
    demographics.answers_save(enrollment=mentee, answers={question.pk: ("Yes", "")})
    client.force_login(lead)
    retire = reverse("programs:demographic_question_retire", args=[program.slug, question.pk])
    client.post(retire, follow=True)
    question.refresh_from_db()
    assert question.archived_at is not None
    assert DemographicAnswer.objects.filter(question=question).count() == 1
    client.force_login(mentee.user)
    page = client.get(reverse("programs:about_you", args=[mentee.pk])).text
    assert question.label not in page
    assert question in demographics.questions_of(program, include_retired=True)
    # Asked again.
    client.force_login(lead)
    url = reverse("programs:demographic_question_retire", args=[program.slug, question.pk])
    client.post(url, {"restore": "1"})
    assert question in demographics.questions_of(program)


def test_a_person_answers_changes_and_clears_on_their_own_form(client, setup):
    program, lead, mentee = setup
    gender = demographics.question_add(program=program, by=lead, topic="gender")
    language = demographics.question_add(program=program, by=lead, topic="home_language")
    first_gen = demographics.question_add(program=program, by=lead, topic="first_gen")
    client.force_login(mentee.user)
    # The application's page links to it.
    assert reverse("programs:about_you", args=[mentee.pk]) in client.get(mentee.get_absolute_url()).text
    url = reverse("programs:about_you", args=[mentee.pk])
    page = client.get(url).text
    for words in (
        "optional",
        "Why we ask",
        "never used to choose a match",
        "fewer than 5",
        "Prefer not to say",
    ):
        assert words in page, words
    data = {f"q{gender.pk}": "In my own words", f"q{gender.pk}_words": "Genderfluid",
            f"q{language.pk}": "Prefer not to say", f"q{first_gen.pk}": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    answers = demographics.answers_of(mentee)
    assert answers[gender.pk].self_described == "Genderfluid"
    assert answers[language.pk].prefer_not_to_say and first_gen.pk not in answers
    page = client.get(url).text
    assert 'value="Genderfluid"' in page  # shown back to them, and only here
    # Own words without the words: explained, nothing lost.
    response = client.post(url, {f"q{gender.pk}": "In my own words", f"q{gender.pk}_words": " "})
    assert response.status_code == 400 and "Write your answer" in response.text
    # An answer that is not offered: refused.
    assert client.post(url, {f"q{gender.pk}": "Dragon"}).status_code == 400
    # Changed to an option, then everything cleared.
    client.post(url, {f"q{gender.pk}": "Woman"})
    assert demographics.answers_of(mentee)[gender.pk].option == "Woman"
    client.post(url, {"clear": "1"})
    assert not DemographicAnswer.objects.filter(enrollment=mentee).exists()


def test_nobody_else_reaches_a_persons_answers(client, setup):
    program, lead, mentee = setup
    demographics.question_add(program=program, by=lead, topic="gender")
    url = reverse("programs:about_you", args=[mentee.pk])
    other = scenarios.ready_mentee(program=program, email="someone@demo.test")
    for user in (lead, other.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"clear": "1"}).status_code == 404


def test_other_coordinators_do_not_reach_the_questions(client, setup):
    program, _, _ = setup
    other = scenarios.coordinator(email="other@demo.test")
    scenarios.program(coordinator=other, name="Elsewhere")
    client.force_login(other)
    assert client.get(questions_url(program)).status_code == 404
