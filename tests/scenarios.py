"""Whole situations, built through the project's own models and services.

Tests use these to set up a believable world in one call; `manage.py seed_demo` uses the same
functions for the demo program, so what the tests exercise is what a newcomer clicks through.
Nothing here imports factory_boy: it runs in any installation.
"""

import datetime as dt
import functools
import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from mentorship import services as people_services
from mentorship.models import OutboundEmail, Profile, User
from programs import guardians
from programs import services as program_services
from programs.models import Enrollment, EnrollmentStatus, HeardAbout, ProgramStatus, Role

COORDINATORS_GROUP = "coordinators"
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


# --- The demo program ------------------------------------------------------------------------------

FIRST_NAMES = [
    "Amara", "Daniel", "Priya", "Luis", "Sam", "Jordan", "Fatima", "Chen", "Maya", "Ali", "Grace", "Tomasz",
    "Aisha", "Owen", "Sofia", "Kwame", "Hannah", "Yusuf", "Leah", "Mateo", "Zara", "Connor", "Amina", "Noah",
    "Ines", "Ravi", "Chloe", "Ibrahim", "Ella", "Marek", "Nadia", "Callum", "Hodan", "Lucas", "Mei", "Kofi",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Schmidt", "Raman", "Herrera", "Lee", "Miles", "Zahra", "Wei", "Brooks", "Hassan", "Nowak",
    "Evans", "Mensah", "Khan", "Silva", "Murphy", "Ahmed", "Davies", "Garcia", "Patel", "Jones", "Ali",
    "Kowalski", "Osei", "Taylor", "Haddad", "Moreau", "Walker",
]  # fmt: skip
# (name, latitude, longitude) of a mid-sized city's neighbourhoods.
AREAS = [
    ("Northside", 51.482, -2.590), ("Riverside", 51.449, -2.600), ("Old Town", 51.455, -2.592),
    ("Harbour", 51.447, -2.615), ("Eastgate", 51.462, -2.555), ("Westfield", 51.466, -2.640),
    ("University Quarter", 51.458, -2.603),
]  # fmt: skip
LANGUAGES = ["English"] * 6 + ["Spanish", "Polish", "Arabic", "Urdu", "Somali", "French", "Portuguese"]
SKILLS = [
    "CV writing", "Interview practice", "Coding", "Maths", "Science", "Art and design", "Music",
    "Starting a business", "Apprenticeships", "University applications", "Health careers",
    "Public speaking", "Confidence", "Money management", "Writing", "Trades", "Engineering",
]  # fmt: skip
INTERESTS = [
    "Football", "Gaming", "Reading", "Cooking", "Music", "Art", "Hiking", "Films", "Technology",
    "Volunteering", "Dance", "Photography", "Basketball", "Fashion",
]  # fmt: skip
GUARDIANS = ["Mother", "Father", "Grandmother", "Legal guardian", "Foster carer"]
MENTOR_STAGES = ["screened"] * 24 + ["partly_screened"] * 6 + ["in_screening"] * 6 + ["applied"] * 4
MENTEE_STAGES = ["approved"] * 45 + ["in_screening"] * 8 + ["applied"] * 4 + ["waitlisted"] * 3


@dataclass
class DemoSite:
    staff: User
    coordinator: User
    program: object = None
    mentors: list = field(default_factory=list)
    mentees: list = field(default_factory=list)


# Printed by `make run`; all use DEMO_PASSWORD.
DEMO_LOGINS = [
    ("staff (admin)", "admin@example.org"),
    ("coordinator", "coordinator@example.org"),
    ("mentor", "mentor1@example.org"),
    ("mentee", "mentee1@example.org"),
]


def _demo_profile(rng, *, age, today):
    area, lat, lon = rng.choice(AREAS)
    languages = sorted({"English", *rng.sample(LANGUAGES, rng.randint(0, 2))})
    evenings = [day * 3 + 2 for day in range(5)]
    weekend = [15, 16, 18, 19]
    slots = rng.sample(evenings, rng.randint(1, 4)) + rng.sample(weekend, rng.randint(0, 3))
    birthday = today.replace(year=today.year - age) - dt.timedelta(days=rng.randint(1, 300))
    return {
        "profile": {
            "date_of_birth": birthday,
            "area": area,
            "latitude": round(lat + rng.uniform(-0.01, 0.01), 5),
            "longitude": round(lon + rng.uniform(-0.01, 0.01), 5),
            "availability": sum(1 << slot for slot in set(slots)),
            "meeting_mode": rng.choice(["in_person", "online", "either", "either"]),
            "gender": rng.choice(["woman", "man", "woman", "man", "non_binary"]),
        },
        "languages": languages,
        "interests": rng.sample(INTERESTS, rng.randint(2, 4)),
    }


@transaction.atomic
def demo_site(*, domain="example.org", seed=2026):
    """The demo world: staff, two coordinators, and a running youth program with 40 mentors and
    60 mentees at every stage of screening (minors with a guardian's consent among them)."""
    rng = random.Random(seed)
    today = dt.date.today()
    staff = person(email=f"admin@{domain}", display_name="Site Admin", is_staff=True, is_superuser=True)
    lead = coordinator(email=f"coordinator@{domain}", display_name="Rosa Delgado", pronouns="she/her",
                       bio="Runs the city's youth mentoring program.")  # fmt: skip
    second = coordinator(email=f"coordinator2@{domain}", display_name="Tom Evans", pronouns="he/him",
                         bio="Co-runs the youth program; looks after mentor training.")  # fmt: skip
    youth = program(
        coordinator=lead,
        name="City Youth Mentoring",
        description=(
            "One-to-one mentoring for young people aged 12 to 18 across the city. Mentors are volunteers "
            "from local employers, colleges and community groups; pairs meet every two weeks for at least "
            "a year, in person or online."
        ),
        status=ProgramStatus.RUNNING,
        questions=["What would you like to get out of the program?"],
        default_mentor_capacity=2,
        areas=[name for name, _, _ in AREAS],
    )
    program_services.program_add_coordinator(program=youth, email=second.email, by=lead)
    program(
        coordinator=second,
        name="Women in Trades Network",
        description="Adult professionals mentoring women starting out in the building trades.",
        audience="adult",
        status=ProgramStatus.OPEN,
    )
    site = DemoSite(staff=staff, coordinator=lead, program=youth)
    names = iter(rng.sample([(f, last) for f in FIRST_NAMES for last in LAST_NAMES], 100))

    for index, stage in enumerate(MENTOR_STAGES, start=1):
        first, last = next(names)
        attrs = _demo_profile(rng, age=rng.randint(22, 64), today=today)
        mentor = person(email=f"mentor{index}@{domain}", display_name=f"{first} {last}",
                        skills=rng.sample(SKILLS, rng.randint(3, 6)), **attrs)  # fmt: skip
        status = "approved" if stage in ("screened", "partly_screened") else stage
        enrollment = enroll(program=youth, user=mentor, role=Role.MENTOR, status=status, by=lead,
                            area_name=attrs["profile"]["area"],
                            heard_about=rng.choice(HeardAbout.values[:6]), capacity=rng.choice([1, 1, 2, 3]),
                            motivation="I had a mentor at that age and it changed a lot for me.")  # fmt: skip
        if stage == "screened":
            screen_fully(enrollment=enrollment, by=lead, on=today - dt.timedelta(days=rng.randint(5, 200)))
        elif stage == "partly_screened":
            for item in youth.checklist_items.all()[:3]:
                program_services.screening_record(
                    enrollment=enrollment, item=item, completed_on=today, by=second
                )
        site.mentors.append(mentor)

    for index, stage in enumerate(MENTEE_STAGES, start=1):
        first, last = next(names)
        age = rng.choice([13, 14, 15, 16, 16, 17, 17, 18, 19])
        attrs = _demo_profile(rng, age=age, today=today)
        if rng.random() < 0.3:
            attrs["profile"].update(
                partner_gender=attrs["profile"]["gender"], partner_gender_importance="nice"
            )
        mentee = person(email=f"mentee{index}@{domain}", display_name=f"{first} {last}",
                        goals=rng.sample(SKILLS, rng.randint(2, 4)), **attrs)  # fmt: skip
        enrollment = enroll(program=youth, user=mentee, role=Role.MENTEE, status=stage, by=lead,
                            area_name=attrs["profile"]["area"], heard_about=rng.choice(HeardAbout.values[:6]),
                            motivation="I want help working out what to do after school.")  # fmt: skip
        if age < 18:
            # The guardian answered before the demo starts (no consent email is sent for demo data);
            # a few are still waiting.
            consented = stage == "approved" and index % 9 != 0
            guardian = f"{rng.choice(FIRST_NAMES)} {last}"
            consent = guardians.guardian_request_consent(
                enrollment=enrollment, name=guardian, email=f"guardian{index}@{domain}", by=mentee
            )
            if consented:
                guardians.guardian_answer(
                    consent=consent, given=True, signed_name=guardian, relationship=rng.choice(GUARDIANS)
                )
        site.mentees.append(mentee)
    demo_matching(site=site, today=today)
    # Demo people have example.org addresses: what seeding queued is marked as handled, not sent.
    OutboundEmail.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now(), last_error="demo data")
    return site


def demo_matching(*, site, today):
    """A matching run with its suggestions, pairs at every stage: active for months, just proposed,
    closed; then a fresh run so that suggestions wait for review."""
    from matching import services as matching_services
    from matching.models import Match, MatchRun, MatchSuggestion

    program, lead = site.program, site.coordinator
    first = MatchRun.objects.create(program=program, trigger="coordinator", started_by=lead)
    matching_services.run_execute(run_id=first.pk)
    best = list(
        MatchSuggestion.objects.filter(program=program, status="pending").order_by("-score", "pk")[:16]
    )
    for k, suggestion in enumerate(best):
        match = matching_services.suggestion_accept(suggestion=suggestion, by=lead)
        if k >= 13:
            continue  # proposed: waiting for both to confirm
        matching_services.match_confirm(match=match, by=match.mentee.user)
        matching_services.match_confirm(match=match, by=match.mentor.user)
        # Months of history: the pairs started between two and eleven months ago, a few weeks after
        # both people applied and were approved.
        started = today - dt.timedelta(days=60 + 23 * k)
        Match.objects.filter(pk=match.pk).update(started_on=started)
        _backdate(
            match.mentee, applied=started - dt.timedelta(days=45), approved=started - dt.timedelta(days=20)
        )
        _backdate(
            match.mentor, applied=started - dt.timedelta(days=60), approved=started - dt.timedelta(days=30)
        )
        if k == 12:
            match.refresh_from_db()
            matching_services.match_close(match=match, by=lead, reason="completed", anticipated=True,
                                          notes="A good year together.")  # fmt: skip
    second = MatchRun.objects.create(program=program, trigger="coordinator", started_by=lead)
    matching_services.run_execute(run_id=second.pk)
    demo_history(program=program, coordinator=lead, today=today)
    demo_safeguarding(program=program, lead=lead)


def demo_safeguarding(*, program, lead):
    """The lead coordinator is the safeguarding lead; two concerns show triage: a new one from a
    mentor, and one a mentee raised that the lead acknowledged with a note."""
    from matching import concerns
    from matching.models import Match, MatchStatus

    program_services.program_set_leads(program=program, leads=[lead], by=lead)
    active = list(Match.objects.filter(program=program, status=MatchStatus.ACTIVE).order_by("pk")[:2])
    if len(active) < 2:
        return
    concerns.concern_raise(
        match=active[0],
        by=active[0].mentor.user,
        urgency="soon",
        what_happened="At our last meeting my mentee said older students have been taking their lunch money "
        "and they are scared to tell a teacher.",
    )
    earlier = concerns.concern_raise(
        match=active[1],
        by=active[1].mentee.user,
        urgency="low",
        what_happened="My mentor keeps asking to meet at their flat instead of the library. I'd rather not.",
    )
    concerns.concern_move(
        concern=earlier,
        by=lead,
        to_status="acknowledged",
        note="Called the mentee. Reminded the mentor that meetings are in public places only.",
    )


def _backdate(enrollment, *, applied, approved):
    """Move an enrollment's history back in time (demo data only): applied, screened, approved."""
    from programs.models import StatusChange

    at = functools.partial(dt.datetime.combine, time=dt.time(10), tzinfo=dt.UTC)
    Enrollment.objects.filter(pk=enrollment.pk).update(created_at=at(applied), status_changed_at=at(approved))
    for change in StatusChange.objects.filter(enrollment=enrollment):
        day = approved if change.to_status == "approved" else applied + (approved - applied) / 2
        if change.to_status == "applied":
            day = applied
        StatusChange.objects.filter(pk=change.pk).update(changed_at=at(day))


GOAL_TITLES = [
    "Write a CV",
    "Practise for an interview",
    "Choose college courses",
    "Finish a coding project",
    "Open a bank account",
    "Apply for an apprenticeship",
    "Speak up in class",
]


def demo_history(*, program, coordinator, today, seed=7):
    """Months of monitoring for the demo's pairs: check-ins at roughly the cadence (some missed,
    some late), ratings, staff contacts, goals, and survey answers. Bulk-inserted: it is history."""
    from evaluation.models import CheckIn, Goal, StaffContact, SurveyResponse
    from matching.models import Match

    rng = random.Random(seed)
    checkins, contacts, goals, answers = [], [], [], []
    matches = Match.objects.filter(program=program, started_on__isnull=False).select_related(
        "mentee", "mentor"
    )
    for match in matches:
        end = match.ended_on or today
        cadence = program.checkin_cadence_days
        day = match.started_on + dt.timedelta(days=rng.randint(2, 6))
        drifting = rng.random() < 0.2  # a few pairs drift apart: no meetings lately
        while day <= end - dt.timedelta(days=40 if drifting else 0):
            held = rng.random() > 0.12
            who = rng.choice([match.mentee.user_id, match.mentor.user_id])
            checkins.append(
                CheckIn(
                    match=match,
                    logged_by_id=who,
                    occurred_on=day,
                    held=held,
                    duration_minutes=rng.choice([30, 45, 60, 90]) if held else None,
                    mode=rng.choice(["in_person", "in_person", "video", "phone", "message"]),
                    rating=rng.choice([3, 4, 4, 5, 5, 2]) if held else None,
                    notes="Talked about school and next steps." if held else "Had to cancel.",
                )
            )
            day += dt.timedelta(days=cadence + rng.randint(-3, 6))
        # Twice in the first month, then monthly (the standard); now and then one is missed.
        contact = match.started_on + dt.timedelta(days=10)
        while contact <= end and rng.random() > 0.06:
            contacts.append(
                StaffContact(
                    match=match,
                    coordinator=coordinator,
                    contacted_on=contact,
                    method=rng.choice(["phone", "email", "in_person"]),
                    notes="Check-in call.",
                )
            )
            contact += dt.timedelta(days=15 if contact == match.started_on + dt.timedelta(days=10) else 30)
        for title in rng.sample(GOAL_TITLES, rng.randint(1, 3)):
            status = rng.choice(["not_started", "in_progress", "in_progress", "done"])
            goals.append(
                Goal(
                    match=match,
                    created_by_id=match.mentee.user_id,
                    title=title,
                    status=status,
                    target_date=today + dt.timedelta(days=rng.randint(-30, 120)),
                    completed_at=timezone.now() if status == "done" else None,
                )
            )
        for person, role in ((match.mentee, "mentee"), (match.mentor, "mentor")):
            answers.append(
                SurveyResponse(
                    match=match,
                    respondent_id=person.user_id,
                    role=role,
                    kind="pairing_fit",
                    rating=rng.choice([3, 4, 5, 5]),
                    text="A good fit.",
                )
            )
        answers.append(
            SurveyResponse(
                match=match,
                respondent_id=match.mentee.user_id,
                role="mentee",
                kind="self_start",
                answers={"confidence": rng.randint(1, 3), "skills": {}},
            )
        )
        if match.status == "closed":
            for person, role in ((match.mentee, "mentee"), (match.mentor, "mentor")):
                answers.append(
                    SurveyResponse(
                        match=match,
                        respondent_id=person.user_id,
                        role=role,
                        kind="exit",
                        rating=5,
                        nps=rng.randint(8, 10),
                        text="Thank you!",
                    )
                )
            answers.append(
                SurveyResponse(
                    match=match,
                    respondent_id=match.mentee.user_id,
                    role="mentee",
                    kind="self_end",
                    answers={"confidence": 4, "skills": {}},
                )
            )
    CheckIn.objects.bulk_create(checkins)
    StaffContact.objects.bulk_create(contacts)
    Goal.objects.bulk_create(goals)
    SurveyResponse.objects.bulk_create(answers)


@dataclass
class RolePeople:
    """One person per role the permission tests walk through (ROLES, but for "anonymous")."""

    mentee: User
    mentor: User
    outsider: User
    coordinator: User
    other_coordinator: User
    staff: User

    def as_role(self, role):
        return None if role == "anonymous" else getattr(self, role)


# Every kind of visitor, in one list that every permission test walks: nobody signed in; the mentee
# and the mentor (each other's partner, once matched); an outsider, signed in but not part of what
# the page is about (in url_world, a mentee of the same program in another pair's business); a
# coordinator of the program; a coordinator of another program; staff.
ROLES = ["anonymous", "mentee", "mentor", "outsider", "coordinator", "other_coordinator", "staff"]


def role_people(*, domain="roles.test"):
    return RolePeople(
        mentee=person(email=f"mentee@{domain}", display_name="Mentee Person"),
        mentor=person(email=f"mentor@{domain}", display_name="Mentor Person"),
        outsider=person(email=f"outsider@{domain}", display_name="Outsider Person"),
        coordinator=coordinator(email=f"coordinator@{domain}", display_name="Coordinator Person"),
        other_coordinator=coordinator(email=f"other@{domain}", display_name="Other Coordinator"),
        staff=person(email=f"staff@{domain}", display_name="Staff Person", is_staff=True, is_superuser=True),
    )


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


@dataclass
class RoleWorld:
    """Applicants, before any matching: ``program`` is run by people.coordinator, where people.mentee
    and people.mentor have applied (people.outsider has not); ``other_program`` is run by
    people.other_coordinator. The role x URL matrix has a fuller world: url_world."""

    people: RolePeople
    program: object
    other_program: object
    mentee_enrollment: object
    mentor_enrollment: object

    def as_role(self, role):
        return self.people.as_role(role)


def role_world():
    people = role_people()
    main = program(coordinator=people.coordinator, name="Northside Youth Mentoring")
    other = program(coordinator=people.other_coordinator, name="Southside Careers Network")
    return RoleWorld(
        people=people,
        program=main,
        other_program=other,
        mentee_enrollment=enroll(program=main, user=people.mentee, role=Role.MENTEE),
        mentor_enrollment=enroll(program=main, user=people.mentor, role=Role.MENTOR),
    )


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


@dataclass
class MatchingWorld:
    """A running program with three ready mentors and four ready mentees whose best pairs are
    clear: Ada (coding) suits Ben, Cy (nursing) suits Dee, Eve speaks only Polish (no mentor
    does), Fay wants art and Gus (art) has one place."""

    coordinator: User
    program: object
    mentors: dict
    mentees: dict


def matching_world(*, coordinator_user=None, **program_fields):
    lead = coordinator_user or coordinator(email="lead@matching.test", display_name="Lead Coordinator")
    prog = program(
        coordinator=lead, name="Matching Test Program", status=ProgramStatus.RUNNING, **program_fields
    )
    mentors = {
        "ada": ready_mentor(
            program=prog, email="ada@matching.test", display_name="Ada", skills=["Coding", "Maths"]
        ),
        "cy": ready_mentor(
            program=prog, email="cy@matching.test", display_name="Cy", skills=["Nursing", "Science"]
        ),
        "gus": ready_mentor(
            program=prog, email="gus@matching.test", display_name="Gus", skills=["Art"], capacity=1
        ),
    }
    mentees = {
        "ben": ready_mentee(program=prog, email="ben@matching.test", display_name="Ben", goals=["Coding"]),
        "dee": ready_mentee(
            program=prog, email="dee@matching.test", display_name="Dee", goals=["Nursing"], minor=True
        ),
        "eve": ready_mentee(
            program=prog, email="eve@matching.test", display_name="Eve", languages=["Polish"]
        ),
        "fay": ready_mentee(program=prog, email="fay@matching.test", display_name="Fay", goals=["Art"]),
    }
    return MatchingWorld(coordinator=lead, program=prog, mentors=mentors, mentees=mentees)


@dataclass
class PersonWithHistory:
    """Someone whose data is in every app: see ``person_with_history``."""

    user: User
    partner: User
    coordinator: User
    program: object
    match: object


def person_with_history(*, email="marigold.quenby@example.org", first="Marigold", last="Quenby"):
    """A person who has left, with something of theirs everywhere: a full profile, a second email
    address, two-factor authentication and a calendar feed; a mentee application with an answer,
    matched with Morgan (check-ins, goals and notes, surveys, a staff contact, a reminder, a request,
    all naming her), the match closed; a mentor application elsewhere with a screening record,
    withdrawn; an invitation to a third program; emails to her and about her; an admin change.
    Everything is closed, so she may be erased on request."""
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from evaluation import services as evaluation_services
    from evaluation.models import CalendarFeed, Reminder, SurveyResponse
    from matching import services as matching_services
    from matching.models import MatchRequest, MatchSource
    from programs.invitations import invitation_send

    rosa = coordinator(email="rosa@history.test", display_name="Rosa Delgado")
    running = program(coordinator=rosa, name="Riverside Mentoring", status=ProgramStatus.RUNNING,
                      questions=["What would you like to get out of it?"])  # fmt: skip
    other = program(coordinator=rosa, name="Harbour Mentors", status=ProgramStatus.RUNNING)
    third = program(coordinator=rosa, name="Northside Careers")
    user = person(
        email=email, first_name=first, last_name=last, display_name=f"{first} {last}", pronouns="she/her",
        bio=f"{first} likes chess.", languages=["English"], interests=["Chess"], goals=["Coding"],
        profile={"date_of_birth": dt.date(1990, 3, 4), "phone": "0123 456 789", "area": f"12 {last} Road",
                 "latitude": 51.45, "longitude": -2.59},
    )  # fmt: skip
    EmailAddress.objects.create(user=user, email=f"{first.lower()}@elsewhere.test", verified=False)
    Authenticator.objects.create(user=user, type="totp", data={"secret": "JBSWY3DPEHPK3PXPSECRET"})
    CalendarFeed.objects.create(user=user)
    question = running.questions.get()
    mentee = enroll(program=running, user=user, role=Role.MENTEE, status=EnrollmentStatus.APPROVED, by=rosa,
                    motivation=f"{first} wants to learn to code.", heard_about_detail=f"{last} library",
                    answers={question.pk: f"{first}'s answer: a job in tech"})  # fmt: skip
    mentor = ready_mentor(program=running, email="morgan@history.test", display_name="Morgan Reyes",
                          skills=["Coding"])  # fmt: skip
    match = matching_services.match_propose(
        program=running, mentee=mentee, mentor=mentor, by=rosa, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=user)
    matching_services.match_confirm(match=match, by=mentor.user)
    today = dt.date.today()
    evaluation_services.checkin_log(match=match, by=user, occurred_on=today, rating=4,
                                    notes=f"{first}: we talked about college.")  # fmt: skip
    evaluation_services.checkin_log(match=match, by=mentor.user, occurred_on=today, rating=5,
                                    notes=f"Met {first} at the library.")  # fmt: skip
    goal = evaluation_services.goal_create(match=match, by=user, title=f"Help {first} into college")
    evaluation_services.goal_note_add(goal=goal, by=user, text=f"{first}'s first application is in.")
    evaluation_services.goal_note_add(goal=goal, by=mentor.user, text=f"Proud of {first}!")
    evaluation_services.staff_contact_log(match=match, by=rosa, contacted_on=today, notes=f"Called {first}.")
    SurveyResponse.objects.create(
        match=match, respondent=user, role=Role.MENTEE, kind="pairing_fit", rating=5,
        text=f"Thanks from {first}", answers={"where_now": f"{last} College"},
    )  # fmt: skip
    SurveyResponse.objects.create(match=match, respondent=mentor.user, role=Role.MENTOR, kind="pairing_fit",
                                  rating=5, text=f"{first} works hard.")  # fmt: skip
    Reminder.objects.create(match=match, period_start=today, kind="due", sent_at=timezone.now())
    MatchRequest.objects.create(program=running, mentee=mentee, mentor=mentor, status="accepted",
                                message=f"Hi Morgan, {first} here.")  # fmt: skip
    matching_services.match_close(match=match, by=rosa, reason="completed", anticipated=True,
                                  notes=f"{first} is off to college.")  # fmt: skip

    applied = enroll(
        program=other, user=user, role=Role.MENTOR, by=rosa, status=EnrollmentStatus.IN_SCREENING,
        motivation=f"{first} would like to give back.",
    )  # fmt: skip
    item = other.checklist_items.first()
    program_services.screening_record(
        enrollment=applied, item=item, completed_on=today, by=rosa, note="references ok"
    )
    program_services.enrollment_transition(
        enrollment=applied, to_status=EnrollmentStatus.WITHDRAWN, by=rosa, note=f"{first} has no time now.",
        notify=False,
    )  # fmt: skip
    invitation_send(program=third, email=email, role=Role.MENTOR, by=rosa)
    staff = User.objects.filter(is_staff=True).first() or person(email="admin@history.test", is_staff=True)
    LogEntry.objects.create(
        user=staff, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
        object_repr=str(user), action_flag=CHANGE, change_message=f"Changed name to {first} {last}",
    )  # fmt: skip
    user.refresh_from_db()
    return PersonWithHistory(user=user, partner=mentor.user, coordinator=rosa, program=running, match=match)


# --- The role x URL matrix's world ---------------------------------------------------------------


@dataclass
class UrlWorld:
    """Something real behind every URL of the site, for the role x URL matrix (tests/test_url_matrix.py).

    ``program`` (running, participants choose their mentor) is run by people.coordinator, who is
    therefore its safeguarding lead. In it people.mentee, a minor with her guardian's consent, and
    people.mentor are matched, active since today: a check-in held (so the pairing-fit survey is
    due to both), a goal with a note, a staff contact, and a concern the mentor raised.
    people.outsider, an adult mentee of the same program in no match, has asked people.mentor to
    mentor her too, and a matching run suggests that pair; it left Zofia (who speaks only Polish,
    and must never be paired with people.mentor) unmatched. ``other_program`` is run by
    people.other_coordinator. Also: an invitation to someone with no account yet, the mentee's
    calendar feed and self-assessment, an export file the coordinator asked for (written under
    MEDIA_ROOT), staff's two-factor authenticator, and a retention hold on the outsider: a row for
    every model the admin shows.
    """

    people: RolePeople
    program: object
    other_program: object
    mentee_enrollment: object
    mentor_enrollment: object
    outsider_enrollment: object
    consent: object
    match: object
    goal: object
    concern: object
    run: object
    suggestion: object
    match_request: object
    invitation: object
    feed: object
    export: object

    def as_role(self, role):
        return self.people.as_role(role)


def url_world(*, domain="urls.test"):
    from allauth.mfa.models import Authenticator

    from evaluation import exports
    from evaluation import services as evaluation_services
    from evaluation.models import CalendarFeed, ExportStatus, RetentionHold, SurveyResponse
    from matching import concerns
    from matching import services as matching_services
    from matching.models import Exclusion, MatchRun, MatchSource
    from mentorship.services import heartbeat_record
    from programs.invitations import invitation_send
    from programs.models import MatchingMode, Program

    lead = coordinator(email=f"coordinator@{domain}", display_name="Coordinator Person")
    other_lead = coordinator(email=f"other@{domain}", display_name="Other Coordinator")
    staff = person(email=f"staff@{domain}", display_name="Staff Person", is_staff=True, is_superuser=True)
    main = program(coordinator=lead, name="Northside Youth Mentoring", status=ProgramStatus.RUNNING,
                   matching_mode=MatchingMode.PARTICIPANTS, default_mentor_capacity=2,
                   questions=["What would you like to get out of it?"])  # fmt: skip
    other = program(coordinator=other_lead, name="Southside Careers Network")
    mentor = ready_mentor(
        program=main, email=f"mentor@{domain}", display_name="Mentor Person", skills=["Coding"]
    )
    mentee = ready_mentee(program=main, email=f"mentee@{domain}", display_name="Mentee Person",
                          goals=["Coding"], minor=True)  # fmt: skip
    outsider = ready_mentee(program=main, email=f"outsider@{domain}", display_name="Outsider Person",
                            goals=["Coding"])  # fmt: skip
    people = RolePeople(mentee=mentee.user, mentor=mentor.user, outsider=outsider.user, coordinator=lead,
                        other_coordinator=other_lead, staff=staff)  # fmt: skip

    match = matching_services.match_propose(
        program=main, mentee=mentee, mentor=mentor, by=lead, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=mentee.user)
    match = matching_services.match_confirm(match=match, by=mentor.user)
    today = dt.date.today()
    evaluation_services.checkin_log(match=match, by=mentor.user, occurred_on=today, rating=4)
    goal = evaluation_services.goal_create(match=match, by=mentee.user, title="Finish my CV")
    evaluation_services.goal_note_add(goal=goal, by=mentor.user, text="The first draft is done.")
    evaluation_services.staff_contact_log(match=match, by=lead, contacted_on=today)
    SurveyResponse.objects.create(match=match, respondent=mentee.user, role=Role.MENTEE, kind="self_start",
                                  answers={"confidence": 3, "skills": {}})  # fmt: skip
    concern = concerns.concern_raise(
        match=match, by=mentor.user, urgency="soon", what_happened="My mentee seemed worried about home."
    )
    concerns.concern_note_add(concern=concern, by=lead, text="Called the family.")

    polish = ready_mentee(program=main, email=f"zofia@{domain}", display_name="Zofia", languages=["Polish"])
    Exclusion.objects.create(
        program=main, mentee=polish, mentor=mentor, reason="Neighbours.", created_by=lead
    )
    run = MatchRun.objects.create(program=main, trigger="coordinator", started_by=lead)
    matching_services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    match_request = matching_services.request_create(mentee=outsider, mentor=mentor, by=outsider.user)
    invitation, _ = invitation_send(program=main, email=f"newcomer@{domain}", role=Role.MENTOR, by=lead)

    scope = exports.Scope.for_programs(
        Program.objects.filter(pk=main.pk), program=main, on=today, start=today, end=today
    )
    export = exports.export_record_create(
        user=lead, scope=scope, dataset="kpis", file_format="xlsx", status=ExportStatus.QUEUED
    )
    export = exports.export_build(record_id=export.pk)
    for name in ("beat", "worker"):
        heartbeat_record(name=name)
    Authenticator.objects.create(user=staff, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    RetentionHold.objects.create(user=outsider.user, reason="A complaint is open.", set_by=staff)
    return UrlWorld(
        people=people,
        program=main,
        other_program=other,
        mentee_enrollment=mentee,
        mentor_enrollment=mentor,
        outsider_enrollment=outsider,
        consent=mentee.consents.get(),
        match=match,
        goal=goal,
        concern=concern,
        run=run,
        suggestion=run.suggestions.get(),
        match_request=match_request,
        invitation=invitation,
        feed=CalendarFeed.objects.create(user=mentee.user),
        export=export,
    )
