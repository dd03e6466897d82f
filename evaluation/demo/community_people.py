"""The people of the demo's group and peer-circle programs (evaluation/demo/community.py): girls
applying to Eastside Girls Who Code with a guardian's consent, the women in tech who mentor them,
and the young adults of Riverside Peer Circles. Each goes through the project's own blocks
(evaluation/demo/people.py), so the approved ones are matchable; ``backdate`` then moves their
applications back in time, as the demo's story needs."""

import datetime as dt

from django.utils import timezone

from evaluation.demo import community_text as text
from evaluation.demo.people import enroll, person, screen_fully
from programs import guardians
from programs.models import Enrollment, HeardAbout, Role, StatusChange

EVENING_SLOTS = [day * 3 + 2 for day in range(5)]
AFTER_SCHOOL_SLOTS = [day * 3 + 1 for day in range(5)]
WEEKEND_SLOTS = [15, 16, 18, 19]


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _slots(rng, base, extra):
    return sum(1 << slot for slot in {*base, *rng.sample(extra, rng.randint(1, 3))})


def born(rng, today, age):
    return today.replace(year=today.year - age) - dt.timedelta(days=rng.randint(20, 330))


def backdate(enrollments, *, applied, approved):
    """Date applications back (demo history only): applied, then approved a few weeks later."""
    pks = [e.pk for e in enrollments]
    Enrollment.objects.filter(pk__in=pks).update(created_at=at(applied), status_changed_at=at(approved))
    StatusChange.objects.filter(enrollment__in=pks).update(changed_at=at(approved))


def girl(rng, *, eastside, lead, index, name, today, slot=None, age=None, email=None):
    """An Eastside mentee, approved, with her guardian's consent when she is under 18."""
    area = rng.choice(text.EASTSIDE_AREAS)[0]
    age = age or rng.choice([12, 13, 14, 14, 15, 15, 16, 17])
    base = [slot] if slot is not None else []
    user = person(
        email=email or f"eastside.mentee{index}@example.org",
        display_name=name,
        languages=["English"],
        interests=rng.sample(text.EASTSIDE_INTERESTS, 3),
        goals=["Coding", *rng.sample(text.EASTSIDE_GOALS[1:], 2)],
        profile={
            "date_of_birth": born(rng, today, age),
            "area": area,
            "gender": "woman",
            "availability": _slots(rng, base, AFTER_SCHOOL_SLOTS + WEEKEND_SLOTS[:1]),
            "meeting_mode": "in_person",
        },
    )
    enrollment = enroll(
        program=eastside,
        user=user,
        role=Role.MENTEE,
        status="approved",
        by=lead,
        area_name=area,
        heard_about=rng.choice([HeardAbout.SCHOOL, HeardAbout.FRIEND]),
        motivation=text.EASTSIDE_MOTIVATION,
    )
    if age < 18:
        last = name.split()[-1]
        guardian = f"{rng.choice(text.GUARDIAN_FIRST_NAMES)} {last}"
        consent = guardians.guardian_request_consent(
            enrollment=enrollment, name=guardian, email=f"guardian.{user.email}", by=user
        )
        guardians.guardian_answer(
            consent=consent,
            given=True,
            signed_name=guardian,
            relationship=rng.choice(text.GUARDIAN_RELATIONSHIPS),
        )
        enrollment.refresh_from_db()
    return enrollment


def tech_mentor(rng, *, prog, lead, email, name, bio, today, screened_on, skills, age=None, slots=()):
    """An Eastside mentor: a woman in tech, approved and fully screened on ``screened_on``."""
    area = rng.choice(text.EASTSIDE_AREAS)[0]
    user = person(
        email=email,
        display_name=name,
        bio=bio,
        languages=["English"],
        skills=skills,
        interests=rng.sample(text.EASTSIDE_INTERESTS, 2),
        profile={
            "date_of_birth": born(rng, today, age or rng.randint(26, 48)),
            "area": area,
            "gender": "woman",
            "availability": _slots(rng, slots, EVENING_SLOTS + WEEKEND_SLOTS),
        },
    )
    enrollment = enroll(
        program=prog,
        user=user,
        role=Role.MENTOR,
        status="approved",
        by=lead,
        area_name=area,
        heard_about=HeardAbout.EMPLOYER,
        capacity=1,
        motivation="I would have loved a club like this at their age.",
    )
    screen_fully(enrollment=enrollment, by=lead, on=screened_on)
    return enrollment


def young_adult(rng, *, riverside, lead, index, name, today):
    area = rng.choice(text.RIVERSIDE_AREAS)[0]
    user = person(
        email=f"riverside{index}@example.org",
        display_name=name,
        languages=sorted(
            {"English", *rng.sample(["Polish", "Urdu", "Portuguese", "Turkish"], rng.randint(0, 1))}
        ),
        goals=rng.sample(text.RIVERSIDE_SKILLS, 3),
        interests=rng.sample(text.RIVERSIDE_INTERESTS, 3),
        profile={
            "date_of_birth": born(rng, today, rng.randint(18, 25)),
            "area": area,
            "gender": rng.choice(["woman", "man", "woman", "man", "non_binary"]),
            "availability": _slots(rng, [], EVENING_SLOTS + WEEKEND_SLOTS),
            "meeting_mode": rng.choice(["in_person", "online", "either"]),
        },
    )
    return enroll(
        program=riverside,
        user=user,
        role=Role.MENTEE,
        status="approved",
        by=lead,
        area_name=area,
        heard_about=rng.choice(HeardAbout.values[:6]),
        motivation=text.RIVERSIDE_MOTIVATION,
    )
