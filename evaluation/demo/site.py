"""The demo site (`manage.py seed_demo`): staff, two coordinators, and a running youth program with
its applicants at every stage, matching runs, pairs with months of history, safeguarding concerns,
trainings (evaluation/demo/trainings.py) and a resource library (evaluation/demo/resources.py), so
that a newcomer has something real to click through. Logins: DEMO_LOGINS.
"""

import datetime as dt
import functools
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from evaluation.demo.community import demo_community
from evaluation.demo.impact import demo_impact
from evaluation.demo.pair_space import demo_pair_space
from evaluation.demo.people import coordinator, enroll, person, program, screen_fully
from evaluation.demo.resources import demo_resources
from evaluation.demo.trainings import demo_trainings
from evaluation.models import CheckIn, Goal, StaffContact, SurveyResponse
from matching import concerns, runs
from matching import services as matching_services
from matching.models import Match, MatchRun, MatchStatus, MatchSuggestion
from mentorship.models import OutboundEmail, User
from programs import guardians
from programs import services as program_services
from programs.applicants import applicant_note_add
from programs.invitations import invitation_send
from programs.models import Enrollment, HeardAbout, ProgramStatus, Role, StatusChange

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
# (name, latitude, longitude) of a mid-sized city's neighbourhoods: the youth program's areas.
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
DEMO_NOTES = [
    "Left a message with the second referee; chasing again on Friday.",
    "Interview went well. Prefers online meetings on weekday evenings.",
    "Booked on the safeguarding training in two weeks.",
]


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
    ("invited", "newcomer@example.org"),
    ("group mentor", "eastside.mentor1@example.org"),
    ("group mentee", "eastside.mentee1@example.org"),
    ("circle member", "riverside1@example.org"),
    ("facilitator", "eastside.alumna1@example.org"),
    ("partner contact", "partner.contact@example.org"),
]


def _demo_profile(rng, *, age, today):
    area, _, _ = rng.choice(AREAS)  # the program's area (Area) gives the point for matching
    languages = sorted({"English", *rng.sample(LANGUAGES, rng.randint(0, 2))})
    evenings = [day * 3 + 2 for day in range(5)]
    weekend = [15, 16, 18, 19]
    slots = rng.sample(evenings, rng.randint(1, 4)) + rng.sample(weekend, rng.randint(0, 3))
    birthday = today.replace(year=today.year - age) - dt.timedelta(days=rng.randint(1, 300))
    rng.random(), rng.random()  # were coordinates: drawn still, so the demo's people stay the same
    return {
        "profile": {
            "date_of_birth": birthday,
            "area": area,
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
        areas=AREAS,  # (name, latitude, longitude): people choose one when they apply
    )
    program_services.program_add_coordinator(program=youth, email=second.email, by=lead)
    trades = program(
        coordinator=second,
        name="Women in Trades Network",
        description="Adult professionals mentoring women starting out in the building trades.",
        audience="adult",
        status=ProgramStatus.OPEN,
    )
    # Someone who just signed up after an invitation: their dashboard's next steps lead them
    # through their profile to the invitation.
    person(email=f"newcomer@{domain}", display_name="Priya Shah")
    invitation_send(program=trades, email=f"newcomer@{domain}", role=Role.MENTEE, by=second,
                    note="We met at the careers fair: I think you would enjoy this.")  # fmt: skip
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
            # Coordinators' private notes (never shown to the applicant).
            applicant_note_add(enrollment=enrollment, by=second, text=rng.choice(DEMO_NOTES))
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
    # Trainings and the resource library come after matching: the story dates their records.
    demo_trainings(site=site, today=today)
    demo_resources(program=youth, coordinator=lead, staff=staff)
    # The group and peer-circle programs, events, boards and thank-you notes (issue 15).
    demo_community(site=site, today=today)
    # Local partners, optional demographic questions and success stories (issue 16).
    demo_impact(site=site, today=today)
    # Demo people have example.org addresses: what seeding queued is marked as handled, not sent.
    OutboundEmail.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now(), last_error="demo data")
    return site


def demo_matching(*, site, today):
    """A matching run with its suggestions, pairs at every stage: active for months, just proposed,
    closed; then a fresh run so that suggestions wait for review."""
    program, lead = site.program, site.coordinator
    first = MatchRun.objects.create(program=program, trigger="coordinator", started_by=lead)
    runs.run_execute(run_id=first.pk)
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
    runs.run_execute(run_id=second.pk)
    demo_history(program=program, coordinator=lead, today=today)
    demo_safeguarding(program=program, lead=lead)
    demo_pair_space(program=program, lead=lead, today=today, logins=[email for _, email in DEMO_LOGINS])


def demo_safeguarding(*, program, lead):
    """The lead coordinator is the safeguarding lead; two concerns show triage: a new one from a
    mentor, and one a mentee raised that the lead acknowledged with a note."""
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
        for side, role in ((match.mentee, "mentee"), (match.mentor, "mentor")):
            answers.append(
                SurveyResponse(
                    match=match,
                    respondent_id=side.user_id,
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
            # The mentor answered the exit survey; the mentee's closure surveys are still open (four
            # weeks from closure: evaluation.selectors.SURVEY_WINDOW_DAYS), and invited by email.
            answers.append(
                SurveyResponse(
                    match=match,
                    respondent_id=match.mentor.user_id,
                    role="mentor",
                    kind="exit",
                    rating=5,
                    nps=rng.randint(8, 10),
                    text="Thank you!",
                )
            )
    CheckIn.objects.bulk_create(checkins)
    StaffContact.objects.bulk_create(contacts)
    Goal.objects.bulk_create(goals)
    SurveyResponse.objects.bulk_create(answers)
