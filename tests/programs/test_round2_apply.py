"""The apply page (issue 12, walk findings 3 and 4): with a profile that lacks what matching needs,
whoever arrives is asked first to complete it (a button that comes back here); "How did you hear
about the program?" comes with nothing chosen for them."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from programs import invitations
from programs.models import Enrollment, Role
from tests import scenarios

pytestmark = pytest.mark.django_db
FIRST = "Complete your profile first"
COMPLETE = {
    "display_name": "Sam Rivera",
    "date_of_birth": dt.date(1990, 5, 1),
    "availability": 0b11,
}


@pytest.fixture
def program():
    lead = scenarios.coordinator(email="lead@apply.test", display_name="Lead")
    return scenarios.program(coordinator=lead, name="Riverside Mentoring")


def apply_url(program, role):
    return reverse("programs:apply", args=[program.slug, role])


def page_of(client, user, program, role):
    client.force_login(user)
    response = client.get(apply_url(program, role))
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_profile_gets_a_button_to_complete_it_above_the_form(client, program):
    kid = scenarios.person(email="kid@apply.test", display_name="Sam", profile={"availability": 1})
    page = page_of(client, kid, program, "mentee")
    link = f"{reverse('profile')}?next={apply_url(program, 'mentee')}"
    button = f'<a class="button" href="{link}">Complete your profile</a>'
    assert FIRST in page and button in page
    form = page.index('<form method="post" class="card stack-form"')
    assert page.index(button) < form  # above the application: the first thing to do
    assert "still needs a language you speak, your goals." in page  # what matching reads, no more
    assert 'name="date_of_birth"' in page[form:]  # the form asks the date of birth itself...
    assert "needs your date of birth" not in page[:form]  # ...so the profile's call does not


def test_a_mentor_is_asked_for_skills_and_a_mentee_for_goals(client, program):
    both = {"languages": ["English"], "profile": COMPLETE}
    mentor = scenarios.person(email="mentor@apply.test", goals=["Maths"], **both)
    page = page_of(client, mentor, program, "mentor")
    assert FIRST in page and "still needs your skills." in page
    mentee = scenarios.person(email="mentee@apply.test", goals=["Maths"], **both)
    page = page_of(client, mentee, program, "mentee")
    assert FIRST not in page and 'href="/profile/' in page  # complete: only the quiet "Edit" link
    assert '<button type="submit">Send my application</button>' in page


def test_an_invited_person_is_asked_the_same(client, program):
    person = scenarios.person(email="invited@apply.test", display_name="Ina")
    invitation, _ = invitations.invitation_send(
        program=program, email=person.email, role=Role.MENTOR, by=program.coordinators.first()
    )
    client.force_login(person)
    response = client.post(invitation.get_absolute_url())  # "Continue to the application"
    assert response.url == apply_url(program, "mentor")
    page = client.get(response.url).content.decode()
    assert "You were invited to this program." in page
    assert FIRST in page and "a language you speak" in page and "your skills" in page


def test_how_they_heard_comes_with_nothing_chosen(client, program):
    kid = scenarios.person(email="kid@apply.test", languages=["English"], goals=["Maths"], profile=COMPLETE)
    page = page_of(client, kid, program, "mentee")
    select = re.search(r'<select name="heard_about".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>[^<]*</option>", select)
    assert options[0] == '<option value="" selected>Choose one…</option>'
    assert all("selected" not in option for option in options[1:])

    # Sent without an answer: refused, and nothing is recorded for the "heard via" figures.
    response = client.post(apply_url(program, "mentee"), {"motivation": "I want help with maths."})
    assert response.status_code == 200
    assert "Choose how you heard about the program." in response.content.decode()
    assert not Enrollment.objects.filter(user=kid).exists()
    client.post(apply_url(program, "mentee"), {"motivation": "I want help.", "heard_about": "school"})
    assert Enrollment.objects.get(user=kid).heard_about == "school"
