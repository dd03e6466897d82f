"""Matching pages through the client: who sees what, what the partner sees, forms."""

import pytest
from django.urls import reverse

from matching import runs, services
from matching.models import Match, MatchRun, MatchSource, MatchStatus, MatchSuggestion, SuggestionStatus
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def mworld(db):
    world = scenarios.matching_world()
    world.other = scenarios.coordinator(email="other@matching.test", display_name="Other Coordinator")
    scenarios.program(coordinator=world.other, name="Other Program")
    world.staff = scenarios.person(email="staff@matching.test", is_staff=True, is_superuser=True)
    world.outsider = scenarios.person(email="outsider@matching.test")
    queued = MatchRun.objects.create(program=world.program, trigger="coordinator")
    runs.run_execute(run_id=queued.pk)
    world.match = services.match_propose(program=world.program, mentee=world.mentees["ben"],
                                         mentor=world.mentors["ada"], by=world.coordinator,
                                         source=MatchSource.MANUAL)  # fmt: skip
    world.people = scenarios.RolePeople(
        mentee=world.mentees["ben"].user, mentor=world.mentors["ada"].user, outsider=world.outsider,
        coordinator=world.coordinator, other_coordinator=world.other, staff=world.staff,
    )  # fmt: skip
    return world


COORDINATOR_ONLY = {"anonymous": 302, "coordinator": 200, "staff": 200}


def coordinator_urls(world):
    slug = world.program.slug
    return [
        reverse("matching:program", args=[slug]),
        reverse("matching:matches", args=[slug]),
        reverse("matching:mentee_options", args=[slug, world.mentees["dee"].pk]),
        reverse("matching:run_progress", args=[slug, world.program.match_runs.first().pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_coordinator_pages_answer_only_the_programs_coordinators_and_staff(client, mworld, role, login_as):
    login_as(mworld.people, role)
    for url in coordinator_urls(mworld):
        assert client.get(url).status_code == COORDINATOR_ONLY.get(role, 404), f"{role} at {url}"


@pytest.mark.parametrize("role", ROLES)
def test_a_match_page_is_for_its_two_people_its_coordinators_and_staff(client, mworld, role, login_as):
    login_as(mworld.people, role)
    expected = {"anonymous": 302, "mentee": 200, "mentor": 200, "coordinator": 200, "staff": 200}.get(
        role, 404
    )
    assert client.get(mworld.match.get_absolute_url()).status_code == expected


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator", "outsider"])
def test_strangers_cannot_run_accept_match_or_close(client, mworld, role, login_as):
    login_as(mworld.people, role)
    slug = mworld.program.slug
    suggestion = MatchSuggestion.objects.filter(status=SuggestionStatus.PENDING).first()
    client.post(reverse("matching:run_start", args=[slug]))
    client.post(reverse("matching:accept", args=[slug, suggestion.pk]))
    client.post(
        reverse("matching:manual", args=[slug]),
        {"mentee": mworld.mentees["fay"].pk, "mentor": mworld.mentors["gus"].pk},
    )
    client.post(
        reverse("matching:close", args=[mworld.match.pk]),
        {"reason": "other", "anticipated": "no", "rematch_eligible": "yes"},
    )
    assert MatchRun.objects.count() == 1
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING
    assert Match.objects.count() == 1
    assert Match.objects.get(pk=mworld.match.pk).status == MatchStatus.PROPOSED


def test_the_partner_sees_a_limited_profile_only(client, mworld):
    ben = mworld.mentees["ben"].user
    ben.profile.phone = "07700 900123"
    ben.profile.save()
    client.force_login(mworld.mentors["ada"].user)
    content = client.get(mworld.match.get_absolute_url()).content.decode()
    assert "Ben" in content and "Coding" in content
    assert ben.email not in content
    assert "07700 900123" not in content
    assert str(ben.profile.date_of_birth.year) not in content
    assert "Age" not in content


def test_the_coordinator_reviews_suggestions_with_reasons_and_accepts(client, mworld):
    client.force_login(mworld.coordinator)
    page = client.get(reverse("matching:program", args=[mworld.program.slug])).content.decode()
    assert "Why this pair" in page and "Goals" in page
    assert "Eve" in page and "language" in page  # unmatched, with the reason
    suggestion = MatchSuggestion.objects.get(mentee=mworld.mentees["dee"], status=SuggestionStatus.PENDING)
    response = client.post(reverse("matching:accept", args=[mworld.program.slug, suggestion.pk]))
    assert response.status_code == 302
    assert Match.objects.filter(mentee=mworld.mentees["dee"], mentor=mworld.mentors["cy"]).exists()


def test_a_manual_match_that_breaks_a_rule_is_refused_with_the_rule_named(client, mworld):
    client.force_login(mworld.coordinator)
    response = client.post(
        reverse("matching:manual", args=[mworld.program.slug]),
        {"mentee": mworld.mentees["eve"].pk, "mentor": mworld.mentors["cy"].pk},
        follow=True,
    )
    assert "share no language" in response.content.decode()
    assert not Match.objects.filter(mentee=mworld.mentees["eve"]).exists()


def test_both_people_confirm_through_the_page(client, mworld):
    for enrollment in (mworld.mentees["ben"], mworld.mentors["ada"]):
        client.force_login(enrollment.user)
        client.post(reverse("matching:confirm", args=[mworld.match.pk]))
    assert Match.objects.get(pk=mworld.match.pk).status == MatchStatus.ACTIVE


def test_closing_through_the_form_and_extra_fields_change_nothing(client, mworld):
    client.force_login(mworld.coordinator)
    response = client.post(
        reverse("matching:close", args=[mworld.match.pk]),
        {"reason": "moved", "anticipated": "no", "rematch_eligible": "yes", "notes": "Family moved",
         "closed_by": mworld.staff.pk, "mentor": mworld.mentors["cy"].pk},
    )  # fmt: skip
    assert response.status_code == 302
    match = Match.objects.get(pk=mworld.match.pk)
    assert (match.status, match.closure_reason, match.closed_by, match.mentor) == (
        MatchStatus.CLOSED, "moved", mworld.coordinator, mworld.mentors["ada"],
    )  # fmt: skip


def test_closing_without_a_reason_re_renders_with_errors(client, mworld):
    client.force_login(mworld.coordinator)
    response = client.post(reverse("matching:close", args=[mworld.match.pk]), {"notes": "keep me"})
    assert response.status_code == 400
    assert "keep me" in response.content.decode()
    assert Match.objects.get(pk=mworld.match.pk).status == MatchStatus.PROPOSED


def test_the_dashboard_shows_current_matches_to_both_people(client, mworld):
    client.force_login(mworld.mentees["ben"].user)
    content = client.get("/dashboard/").content.decode()
    assert "Ada" in content and "Please confirm the match agreement" in content


@pytest.mark.parametrize("rows", [1, 12])
def test_the_matching_page_runs_a_constant_number_of_queries(client, rows, django_assert_max_num_queries, db):
    world = scenarios.matching_world()
    for i in range(rows):
        scenarios.ready_mentee(
            program=world.program, email=f"x{i}@matching.test", display_name=f"X{i}", goals=["Coding"]
        )
        scenarios.ready_mentor(
            program=world.program, email=f"y{i}@matching.test", display_name=f"Y{i}", skills=["Coding"]
        )
    queued = MatchRun.objects.create(program=world.program, trigger="coordinator")
    runs.run_execute(run_id=queued.pk)
    client.force_login(world.coordinator)
    # The long lists (the last run's unmatched, the mentors' load) come a page at a time: a count each.
    with django_assert_max_num_queries(24):
        assert client.get(reverse("matching:program", args=[world.program.slug])).status_code == 200


def test_a_mentee_chooses_in_a_participants_program_and_the_mentor_accepts(client, db):
    world = scenarios.matching_world(matching_mode="participants")
    ben = world.mentees["ben"]
    client.force_login(ben.user)
    page = client.get(reverse("matching:choose", args=[ben.pk])).content.decode()
    assert "Ada" in page and ben.user.email not in page
    client.post(
        reverse("matching:choose", args=[ben.pk]), {"mentor": world.mentors["ada"].pk, "message": "Hello"}
    )
    request = ben.requests_sent.get()
    client.force_login(world.mentors["ada"].user)
    client.post(reverse("matching:request_decide", args=[request.pk]), {"answer": "accept"})
    assert Match.objects.filter(mentee=ben, mentor=world.mentors["ada"], source="request").exists()


def test_choosing_is_404_where_coordinators_decide(client, mworld):
    client.force_login(mworld.mentees["dee"].user)
    assert client.get(reverse("matching:choose", args=[mworld.mentees["dee"].pk])).status_code == 404


def test_a_mentor_pauses_new_matches_from_their_application_page(client, mworld):
    ada = mworld.mentors["ada"]
    client.force_login(ada.user)
    client.post(reverse("matching:availability", args=[ada.pk]), {"accepting": "no"})
    ada.refresh_from_db()
    assert ada.accepting_new_matches is False
    client.force_login(mworld.mentees["ben"].user)
    client.post(reverse("matching:availability", args=[ada.pk]), {"accepting": "yes"})
    ada.refresh_from_db()
    assert ada.accepting_new_matches is False
