"""The limited profile: every page, email and calendar feed one person of a pair receives shows the
other only through ``programs.limited`` (name, pronouns, bio, interests, skills or goals, languages,
meeting mode, the program's area name), never anything else of their record."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from evaluation import services as evaluation_services
from evaluation.models import CalendarFeed
from matching import services as matching_services
from matching.models import Match, MatchRequest, MatchStatus
from mentorship.models import AgeBand, ContactMethod, Gender, MeetingMode
from programs import areas as area_services
from programs import services as program_services
from programs.limited import limited_profile, limited_profiles, prefetch_limited
from programs.models import Enrollment, MatchingMode, ProgramStatus, Role
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

AREAS = ["Northside", "Riverside", "Old Town"]


def sentinel_profile(*, phone, born, lat, lon, gender, contact_method):
    """Profile fields outside the limited set, each with a value a test can look for."""
    return {
        "date_of_birth": born,
        "phone": phone,
        "area": "12 Sentinel Street",
        "latitude": lat,
        "longitude": lon,
        "gender": gender,
        "contact_method": contact_method,
        "meeting_mode": MeetingMode.IN_PERSON,
    }


@pytest.fixture
def pair(db):
    """Ben (a minor mentee, guardian consented) and Ada (an adult mentor) in a program where the
    participants choose, each with a program area and sentinel values in every other field."""
    lead = scenarios.coordinator(email="lead@limited.test", display_name="Lead Coordinator")
    program = scenarios.program(
        coordinator=lead,
        name="Limited Profile Program",
        status=ProgramStatus.RUNNING,
        matching_mode=MatchingMode.PARTICIPANTS,
        areas=AREAS,
    )
    today = timezone.localdate()
    ben_born = today.replace(year=today.year - 14) - dt.timedelta(days=40)
    mentee = scenarios.ready_mentee(
        program=program,
        email="sentinel.ben@limited.test",
        minor=True,
        display_name="Ben Okafor",
        pronouns="he/him",
        bio="Builds robots out of cardboard.",
        goals=["Coding"],
        interests=["Football"],
        profile={
            **sentinel_profile(
                phone="07700 900123",
                born=ben_born,
                lat=51.987654,
                lon=-2.345678,
                gender=Gender.NON_BINARY,
                contact_method=ContactMethod.TEXT,
            ),  # fmt: skip
            "partner_age_band": AgeBand.FROM_40_TO_59,
        },
    )
    mentor = scenarios.ready_mentor(
        program=program,
        email="sentinel.ada@limited.test",
        display_name="Ada Lovelace",
        pronouns="she/her",
        bio="Engineer who loves first programs.",
        skills=["Coding", "Maths"],
        interests=["Football"],
        profile=sentinel_profile(
            phone="07700 900456",
            born=dt.date(1979, 4, 17),
            lat=52.123987,
            lon=-1.876543,
            gender=Gender.SELF_DESCRIBED,
            contact_method=ContactMethod.PHONE,
        ),  # fmt: skip
    )
    program_services.enrollment_set_area(enrollment=mentee, area_name="Northside")
    program_services.enrollment_set_area(enrollment=mentor, area_name="Riverside")
    mentee.refresh_from_db()
    assert mentee.guardian_name and mentee.guardian_email and mentee.guardian_consent
    return scenarios.MatchingWorld(
        coordinator=lead, program=program, mentors={"ada": mentor}, mentees={"ben": mentee}
    )


def secrets_of(enrollment):
    """What of ``enrollment``'s person must never reach their partner."""
    profile = enrollment.user.profile
    born = profile.date_of_birth
    found = [
        enrollment.user.email,
        enrollment.user.email.split("@")[0],
        profile.phone,
        profile.phone.replace(" ", ""),
        # The profile's area is the program area chosen last (a name a partner may see), unless
        # staff typed another.
        *([profile.area] if profile.area not in enrollment.program.areas else []),
        "Sentinel Street",
        born.isoformat(),
        *(date_format(born, fmt) for fmt in ("j F Y", "j M Y", "d/m/Y", "F j, Y", "N j, Y")),
        f"{profile.latitude:.4f}",
        f"{profile.longitude:.4f}",
        profile.gender,
        profile.get_gender_display(),
    ]
    if enrollment.role == Role.MENTEE:
        found += [
            enrollment.guardian_name,
            enrollment.guardian_email,
            profile.get_contact_method_display(),
            profile.get_partner_age_band_display(),
        ]
    return found


def age_pattern(enrollment):
    age = enrollment.user.profile.age()
    return re.compile(rf"\bAge\b|\baged? {age}\b|\b{age} years\b|\b{age} \(under 18\)", re.IGNORECASE)


def assert_limited(text, partner, where):
    for secret in secrets_of(partner):
        assert secret not in text, f"{where} shows {secret!r} of {partner.user.display_name}"
    assert not age_pattern(partner).search(text), f"{where} shows the age of {partner.user.display_name}"


def shown(text, partner, where, *, area):
    """The limited fields are there: name, bio, a skill or goal, the area's name."""
    profile = partner.user.profile
    for expected in (profile.display_name, profile.bio, "Coding", area):
        assert expected in text, f"{where} does not show {expected!r}"


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_partner_sees_only_the_others_limited_profile_everywhere(
    client, pair, mailoutbox, send_queued_emails
):
    mentee, mentor = pair.mentees["ben"], pair.mentors["ada"]
    ben, ada = mentee.user, mentor.user
    seen = {ben.pk: [], ada.pk: []}  # (where, text) each received

    def visit(user, name, url):
        text = page(client, user, url)
        seen[user.pk].append((name, text))
        return text

    # The mentee chooses: the mentor's options, then a request Ada declines and one she accepts.
    choose_url = reverse("matching:choose", args=[mentee.pk])
    text = visit(ben, "choose page", choose_url)
    shown(text, mentor, "choose page", area="Riverside")
    client.post(choose_url, once({"mentor": mentor.pk, "message": "Hello!"}))
    first = MatchRequest.objects.get(mentee=mentee)
    text = visit(ada, "requests page", reverse("matching:requests"))
    assert "Ben Okafor" in text and "Builds robots" in text and "Northside" in text
    client.post(reverse("matching:request_decide", args=[first.pk]), once({"answer": "decline"}))
    client.force_login(ben)
    client.post(choose_url, once({"mentor": mentor.pk}))
    second = MatchRequest.objects.exclude(pk=first.pk).get(mentee=mentee)
    client.force_login(ada)
    client.post(reverse("matching:request_decide", args=[second.pk]), once({"answer": "accept"}))
    match = Match.objects.get(mentee=mentee, mentor=mentor)

    for user in (ben, ada):
        client.force_login(user)
        client.post(reverse("matching:confirm", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    evaluation_services.checkin_log(match=match, by=ben, occurred_on=timezone.localdate(), notes="Fun")
    goal = evaluation_services.goal_create(match=match, by=ada, title="Finish the robot")

    for user in (ben, ada):
        feed, _ = CalendarFeed.objects.get_or_create(user=user)
        for name, url in [
            ("match page", match.get_absolute_url()),
            ("dashboard", reverse("dashboard")),
            ("requests page", reverse("matching:requests")),
            ("journal", reverse("evaluation:pair", args=[match.pk])),
            ("check-in form", reverse("evaluation:checkin_new", args=[match.pk])),
            ("goal form", reverse("evaluation:goal_new", args=[match.pk])),
            ("goal page", reverse("evaluation:goal_edit", args=[goal.pk])),
            ("concern form", reverse("matching:match_concern", args=[match.pk])),
        ]:
            visit(user, name, url)
        calendar = client.get(reverse("evaluation:feed", args=[feed.token])).content.decode()
        seen[user.pk].append(("calendar feed", calendar))
    shown(dict(seen[ben.pk])["match page"], mentor, "mentee's match page", area="Riverside")
    shown(dict(seen[ada.pk])["match page"], mentee, "mentor's match page", area="Northside")
    assert "Check-in with Ada" in dict(seen[ben.pk])["calendar feed"]
    assert "Check-in with Ben" in dict(seen[ada.pk])["calendar feed"]

    matching_services.match_close(match=match, by=pair.coordinator, reason="completed", anticipated=True)
    send_queued_emails()
    kinds = {}
    for email in mailoutbox:
        for user in (ben, ada):
            if user.email in email.to:
                seen[user.pk].append((f"email “{email.subject}”", email.subject + "\n" + email.body))
                kinds.setdefault(user.pk, []).append(email.subject)
    assert len(kinds[ada.pk]) >= 4 and len(kinds[ben.pk]) >= 4  # request(s), introduction, active, closed
    intro = next(text for where, text in seen[ben.pk] if "Meet your mentor" in where)
    shown(intro, mentor, "mentee's introduction email", area="Riverside")
    intro = next(text for where, text in seen[ada.pk] if "Meet your mentee" in where)
    shown(intro, mentee, "mentor's introduction email", area="Northside")

    for where, text in seen[ada.pk]:
        assert_limited(text, mentee, f"the mentor's {where}")
    for where, text in seen[ben.pk]:
        assert_limited(text, mentor, f"the mentee's {where}")


def test_an_area_name_the_program_no_longer_offers_is_not_shown(pair):
    mentor = pair.mentors["ada"]
    assert limited_profile(mentor).area_name == "Riverside"
    # Gone from the list without the service (which would also clear the people's choice).
    pair.program.program_areas.exclude(name="Northside").delete()
    mentor = Enrollment.objects.get(pk=mentor.pk)
    assert limited_profile(mentor).area_name == ""


def test_the_limited_profile_holds_nothing_outside_the_limited_set(pair):
    profile = limited_profile(pair.mentees["ben"])
    assert profile.display_name == "Ben Okafor" and profile.goals == ("Coding",) and profile.skills == ()
    assert (profile.area_name, profile.meeting_mode, profile.languages) == (
        "Northside",
        "In person",
        ("English",),
    )
    values = repr(profile)
    for secret in secrets_of(pair.mentees["ben"]):
        assert secret not in values


def test_limited_profiles_of_many_partners_cost_a_constant_number_of_queries(pair):
    program = pair.program
    for k in range(8):
        scenarios.ready_mentee(
            program=program, email=f"many{k}@limited.test", display_name=f"Many {k}",
            goals=["Coding", "Maths"], interests=["Football"], languages=["English", "Polish"],
        )  # fmt: skip
    for k in range(3):
        scenarios.ready_mentor(program=program, email=f"mentor{k}@limited.test", skills=["Art"])

    def cost(enrollments):
        with CaptureQueriesContext(connection) as queries:
            profiles = limited_profiles(enrollments)
        return len(queries), profiles

    one_each = [Enrollment.objects.filter(program=program, role=role).first() for role in Role.values]
    few, _ = cost(Enrollment.objects.filter(pk__in=[e.pk for e in one_each]))
    many, profiles = cost(Enrollment.objects.filter(program=program))
    assert len(profiles) == 13 and many == few <= 9  # 9: the program's areas are a table of their own
    assert {p.display_name for p in profiles} >= {"Many 0", "Many 7", "Ada Lovelace"}
    # Prefetched by the caller: building each costs nothing more.
    enrollments = prefetch_limited(Enrollment.objects.filter(program=program).select_related("user__profile"))
    with CaptureQueriesContext(connection) as queries:
        for enrollment in enrollments:
            limited_profile(enrollment)
    assert len(queries) == 0


# --- Program-defined areas: kept by coordinators, chosen by participants --------------------------


# Keeping the list (add, rename, remove, with points) is tested in tests/programs/test_areas.py.


@pytest.fixture
def area_program(world):
    for name in AREAS:
        area_services.area_add(program=world.program, name=name, by=world.people.coordinator)
    return world.program


def apply_data(**extra):
    return {
        "motivation": "I like helping.",
        "heard_about": "event",
        "date_of_birth": "1990-04-01",
        "capacity": "1",
        **extra,
    }


def test_an_applicant_picks_one_of_the_programs_areas_or_prefers_not_to_say(client, area_program):
    applicant = scenarios.person(email="newbie@limited.test", display_name="Newbie")
    client.force_login(applicant)
    url = reverse("programs:apply", args=[area_program.slug, "mentor"])
    page = client.get(url).content.decode()
    assert "Prefer not to say" in page and "Old Town" in page
    assert (
        "a match partner sees only your name, pronouns, bio, interests, skills, languages, how you like "
        "to meet and the name of the area you choose below"
    ) in page
    response = client.post(url, apply_data(area_name="12 Sentinel Street"))
    assert response.status_code == 200
    assert "is not one of this program&#x27;s areas" in response.content.decode()
    assert not Enrollment.objects.filter(user=applicant).exists()
    assert client.post(url, apply_data(area_name="Old Town")).status_code == 302
    assert Enrollment.objects.get(user=applicant).area_name == "Old Town"


def test_without_areas_the_apply_page_asks_for_none(client, world):
    client.force_login(scenarios.person(email="newbie@limited.test"))
    url = reverse("programs:apply", args=[world.program.slug, "mentee"])
    page = client.get(url).content.decode()
    assert "Prefer not to say" not in page
    assert "interests, goals, languages, how you like to meet." in page


def test_a_participant_changes_their_area_on_their_application_page(client, world, area_program):
    enrollment = world.mentor_enrollment
    client.force_login(enrollment.user)
    page = client.get(enrollment.get_absolute_url()).content.decode()
    assert reverse("programs:enrollment_area", args=[enrollment.pk]) in page
    url = reverse("programs:enrollment_area", args=[enrollment.pk])
    response = client.post(url, once({"area_name": "Riverside"}), follow=True)
    assert "Your area is now Riverside." in response.content.decode()
    assert '<option value="Riverside" selected>' in response.content.decode()
    response = client.post(url, once({"area_name": "12 Sentinel Street"}), follow=True)
    assert "“12 Sentinel Street” is not one of this program&#x27;s areas" in response.content.decode()
    assert Enrollment.objects.get(pk=enrollment.pk).area_name == "Riverside"
    client.post(url, once({"area_name": ""}))
    assert Enrollment.objects.get(pk=enrollment.pk).area_name == ""


@pytest.mark.parametrize("role", ["mentee", "coordinator", "staff"])
def test_nobody_else_changes_a_participants_area(client, world, area_program, role):
    client.force_login(world.people.as_role(role))
    url = reverse("programs:enrollment_area", args=[world.mentor_enrollment.pk])
    assert client.post(url, once({"area_name": "Riverside"})).status_code == 404
    assert Enrollment.objects.get(pk=world.mentor_enrollment.pk).area_name == ""


def test_the_coordinator_sees_the_chosen_area_which_becomes_the_profiles(client, world, area_program):
    enrollment = world.mentee_enrollment
    enrollment.user.profile.area = "12 Sentinel Street"  # typed by staff, or before areas had points
    enrollment.user.profile.save()
    program_services.enrollment_set_area(enrollment=enrollment, area_name="Old Town")
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:applicant", args=[area_program.slug, enrollment.pk])).content.decode()
    assert "Old Town" in page and "12 Sentinel Street" not in page
