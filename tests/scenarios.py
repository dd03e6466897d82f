"""Whole situations, built through the project's own models and services.

Tests use these to set up a believable world in one call; `manage.py seed_demo` uses the same
functions for the demo program, so what the tests exercise is what a newcomer clicks through.
Nothing here imports factory_boy: it runs in any installation.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from mentorship.models import User

COORDINATORS_GROUP = "coordinators"
DEMO_PASSWORD = "mentor-demo-2026"


def person(*, email, password=DEMO_PASSWORD, display_name="", pronouns="", bio="", verified=True, **extra):
    """An account with a profile and (by default) a verified email, able to log in at once."""
    user = User.objects.create_user(email=email, password=password, **extra)
    profile = user.profile
    profile.display_name = display_name
    profile.pronouns = pronouns
    profile.bio = bio
    profile.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def coordinator(**kwargs):
    user = person(**kwargs)
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    return user


MENTORS = [
    ("Amara Okafor", "she/her", "Software engineer; likes helping people find their first job in tech."),
    ("Daniel Schmidt", "he/him", "Carpenter and small-business owner. Happy to talk apprenticeships."),
    ("Priya Raman", "she/her", "Nurse practitioner; mentors students thinking about health careers."),
    ("Luis Herrera", "he/him", "Accountant, bilingual English/Spanish, coaches youth football."),
    ("Sam Lee", "they/them", "Graphic designer who wants more young artists to find their way."),
]
MENTEES = [
    ("Jordan Miles", "he/him", "Year 11, interested in coding and games."),
    ("Fatima Zahra", "she/her", "Wants to study nursing; volunteers at a care home."),
    ("Chen Wei", "he/him", "New in town, looking for help with CVs and interviews."),
    ("Maya Brooks", "she/her", "Loves drawing; unsure what to study next."),
    ("Ali Hassan", "he/him", "Starting an apprenticeship next year."),
]


@dataclass
class DemoSite:
    staff: User
    coordinator: User
    mentors: list = field(default_factory=list)
    mentees: list = field(default_factory=list)


# Printed by `make run`; all use DEMO_PASSWORD.
DEMO_LOGINS = [
    ("staff (admin)", "admin@example.org"),
    ("coordinator", "coordinator@example.org"),
    ("mentor", "mentor1@example.org"),
    ("mentee", "mentee1@example.org"),
]


@transaction.atomic
def demo_site(*, domain="example.org"):
    """The demo world: a staff member, a coordinator, and a handful of mentors and mentees."""
    staff = person(email=f"admin@{domain}", display_name="Site Admin", is_staff=True, is_superuser=True)
    lead = coordinator(email=f"coordinator@{domain}", display_name="Rosa Delgado", pronouns="she/her",
                       bio="Runs the city's youth mentoring program.")  # fmt: skip
    site = DemoSite(staff=staff, coordinator=lead)
    for index, (name, pronouns, bio) in enumerate(MENTORS, start=1):
        site.mentors.append(
            person(email=f"mentor{index}@{domain}", display_name=name, pronouns=pronouns, bio=bio)
        )
    for index, (name, pronouns, bio) in enumerate(MENTEES, start=1):
        site.mentees.append(
            person(email=f"mentee{index}@{domain}", display_name=name, pronouns=pronouns, bio=bio)
        )
    return site


@dataclass
class RolePeople:
    """One person per role the permission tests walk through."""

    mentee: User
    mentor: User
    coordinator: User
    other_coordinator: User
    staff: User

    def as_role(self, role):
        return None if role == "anonymous" else getattr(self, role)


ROLES = ["anonymous", "mentee", "mentor", "coordinator", "other_coordinator", "staff"]


def role_people(*, domain="roles.test"):
    return RolePeople(
        mentee=person(email=f"mentee@{domain}", display_name="Mentee Person"),
        mentor=person(email=f"mentor@{domain}", display_name="Mentor Person"),
        coordinator=coordinator(email=f"coordinator@{domain}", display_name="Coordinator Person"),
        other_coordinator=coordinator(email=f"other@{domain}", display_name="Other Coordinator"),
        staff=person(email=f"staff@{domain}", display_name="Staff Person", is_staff=True, is_superuser=True),
    )
