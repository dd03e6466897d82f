"""The building blocks of the demo data and of the tests' worlds: people, programs, applications.

Each goes through the project's own models and services, so what a block builds is what the site
would have built. `manage.py seed_demo` (evaluation/demo/site.py) and the tests (tests/scenarios.py)
share them. Nothing here imports factory_boy: it runs in any installation.
"""

import datetime as dt
import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from mentorship import services as people_services
from mentorship.models import COORDINATORS_GROUP, Profile, User
from programs import guardians
from programs import services as program_services
from programs.models import EnrollmentStatus, HeardAbout, ProgramStatus, Role

DEMO_PASSWORD = "mentor-demo-2026"


@functools.cache
def _demo_password_hash():
    # Hashing is deliberately slow; the demo and the tests create many accounts with one password.
    return make_password(DEMO_PASSWORD)


def person(
    *,
    email,
    password=DEMO_PASSWORD,
    display_name="",
    pronouns="",
    bio="",
    verified=True,
    profile=None,
    languages=(),
    interests=(),
    skills=(),
    goals=(),
    **extra,
):
    """An account with a profile and (by default) a verified email, able to log in at once.

    ``profile`` sets other Profile fields (date_of_birth, area, availability...); the tag lists
    are names, created as needed.
    """
    user = User.objects.create_user(email=email, password=None, **extra)
    user.password = _demo_password_hash() if password == DEMO_PASSWORD else make_password(password)
    user.save(update_fields=["password"])
    fields = {"display_name": display_name, "pronouns": pronouns, "bio": bio, **(profile or {})}
    Profile.objects.filter(user=user).update(**fields)
    user.profile.refresh_from_db()
    if languages:
        user.profile.languages.set(people_services.languages_get_or_create(names=languages))
    for name, values in (("interests", interests), ("skills", skills), ("goals", goals)):
        if values:
            getattr(user.profile, name).set(people_services.tags_get_or_create(names=values))
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def coordinator(**kwargs):
    user = person(**kwargs)
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    return user


def program(*, coordinator, name="Youth Mentoring 2027", status=ProgramStatus.OPEN, questions=(), **fields):
    """A program created by ``coordinator`` through the service, moved to ``status``."""
    created = program_services.program_create(
        by=coordinator,
        name=name,
        description=fields.pop("description", f"{name}: one-to-one mentoring for young people in the city."),
        questions=questions,
        **fields,
    )
    path = {
        ProgramStatus.DRAFT: [],
        ProgramStatus.OPEN: [ProgramStatus.OPEN],
        ProgramStatus.RUNNING: [ProgramStatus.OPEN, ProgramStatus.RUNNING],
        ProgramStatus.CLOSED: [ProgramStatus.CLOSED],
    }[status]
    for step in path:
        program_services.program_set_status(program=created, status=step, by=coordinator)
    return created


def enroll(*, program, user, role, status=EnrollmentStatus.APPLIED, by=None, **fields):
    """``user`` applies to ``program`` as ``role`` and is moved to ``status`` by ``by``."""
    fields.setdefault("heard_about", HeardAbout.FRIEND)
    enrollment = program_services.enrollment_apply(program=program, user=user, role=role, **fields)
    by = by or program.coordinators.first()
    route = {
        EnrollmentStatus.APPLIED: [],
        EnrollmentStatus.IN_SCREENING: [EnrollmentStatus.IN_SCREENING],
        EnrollmentStatus.APPROVED: [EnrollmentStatus.IN_SCREENING, EnrollmentStatus.APPROVED],
        EnrollmentStatus.DECLINED: [EnrollmentStatus.DECLINED],
        EnrollmentStatus.WAITLISTED: [EnrollmentStatus.WAITLISTED],
        EnrollmentStatus.WITHDRAWN: [EnrollmentStatus.WITHDRAWN],
    }[status]
    for step in route:
        program_services.enrollment_transition(enrollment=enrollment, to_status=step, by=by, notify=False)
    return enrollment


def screen_fully(*, enrollment, by, on=None):
    """Record every checklist item of the mentor's program as done on ``on`` (default today)."""
    on = on or dt.date.today()
    for item in enrollment.program.checklist_items.all():
        program_services.screening_record(enrollment=enrollment, item=item, completed_on=on, by=by)


def ready_mentor(
    *, program, email, by=None, capacity=None, languages=("English",), skills=(), **person_fields
):
    """A mentor approved and fully screened today: matchable."""
    by = by or program.coordinators.first()
    profile = {"date_of_birth": dt.date(1985, 6, 1), **person_fields.pop("profile", {})}
    user = person(email=email, languages=languages, skills=skills, profile=profile, **person_fields)
    enrollment = enroll(
        program=program, user=user, role=Role.MENTOR, status="approved", by=by, capacity=capacity
    )
    screen_fully(enrollment=enrollment, by=by)
    return enrollment


def ready_mentee(*, program, email, by=None, languages=("English",), goals=(), minor=False, **person_fields):
    """A mentee approved (a minor with a guardian's consent): matchable."""
    by = by or program.coordinators.first()
    born = dt.date.today().replace(year=dt.date.today().year - (15 if minor else 25)) - dt.timedelta(days=30)
    profile = {"date_of_birth": born, **person_fields.pop("profile", {})}
    user = person(email=email, languages=languages, goals=goals, profile=profile, **person_fields)
    enrollment = enroll(program=program, user=user, role=Role.MENTEE, status="approved", by=by)
    if minor:
        consent = guardians.guardian_request_consent(
            enrollment=enrollment, name="Pat Parent", email=f"guardian.{email}", by=by
        )
        guardians.guardian_answer(
            consent=consent, given=True, signed_name="Pat Parent", relationship="Mother"
        )
        enrollment.refresh_from_db()
    return enrollment
