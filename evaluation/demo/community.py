"""The demo's group and peer-circle programs (issue 15), built after the one-to-one program.

The story: Eastside Girls Who Code (a group program for girls aged 12 to 18) ran a pilot cohort
over a year ago and now runs three groups of five to seven girls, each led by one or two women who
work in tech, started four to seven months ago; five more girls are approved and waiting for group
matching. Riverside Peer Circles (young adults, peer circles of five) has three circles, one with a
facilitator: Kemi, who was in the Eastside pilot as a mentee and now mentors (the "former mentee
became a mentor" milestone); six more people wait to be formed into circles, two of whom found the
program at a public event. Both programs' coordinators include the demo's lead coordinator.

People go through the project's own blocks (evaluation/demo/people.py: accounts, applications,
screening, a guardian's consent), so the waiting ones are matchable; the groups' history (members,
sessions, attendance, feedback, goals, a conversation) is written directly, consistent with the
rules the group services keep (a mentee is a current member of one group at most; leaders are
approved, screened mentors of the program). Events and boards: events.py and boards.py.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from evaluation.demo import community_text as text
from evaluation.demo.boards import demo_boards
from evaluation.demo.community_people import at, backdate, born, girl, tech_mentor, young_adult
from evaluation.demo.community_sessions import demo_group_life
from evaluation.demo.events import demo_events
from evaluation.demo.people import enroll, person, program, screen_fully
from evaluation.models import ThankYou
from matching.models import Group, GroupKind, GroupMember, GroupStatus, Match, MatchStatus, MemberSource
from programs import services as program_services
from programs.models import Enrollment, Format, HeardAbout, ProgramStatus, Role, StatusChange


@dataclass
class DemoCommunity:
    eastside: object
    riverside: object
    groups: list = field(default_factory=list)  # Eastside's running groups, in EASTSIDE_GROUPS order
    circles: list = field(default_factory=list)  # Riverside's circles, in RIVERSIDE_CIRCLES order
    eastside_mentors: list = field(default_factory=list)  # enrollments
    eastside_mentees: list = field(default_factory=list)  # placed, in group order (enrollments)
    eastside_waiting: list = field(default_factory=list)  # approved, matchable, in no group
    circle_members: list = field(default_factory=list)  # placed, in circle order (enrollments)
    circle_waiting: list = field(default_factory=list)  # approved, in no circle
    alumna: object = None  # Kemi: a former Eastside mentee, now facilitating a circle (enrollment)
    visitor: object = None  # someone with no program yet, on the public event's wait-list (user)


def _programs(site):
    lead = site.coordinator
    second = site.program.coordinators.exclude(pk=lead.pk).first() or lead
    eastside = program(
        coordinator=lead,
        name=text.EASTSIDE_NAME,
        description=text.EASTSIDE_DESCRIPTION,
        status=ProgramStatus.RUNNING,
        format=Format.GROUP,
        group_size=8,
        audience="youth",
        areas=text.EASTSIDE_AREAS,
        min_commitment_months=6,
    )
    riverside = program(
        coordinator=second,
        name=text.RIVERSIDE_NAME,
        description=text.RIVERSIDE_DESCRIPTION,
        status=ProgramStatus.RUNNING,
        format=Format.PEER_CIRCLES,
        circle_size=5,
        audience="adult",
        areas=text.RIVERSIDE_AREAS,
        checkin_cadence_days=28,
        min_commitment_months=6,
    )
    if second != lead:
        program_services.program_add_coordinator(program=riverside, email=lead.email, by=second)
    return eastside, riverside, second


def _member(group, enrollment, *, role, joined, source=MemberSource.COORDINATOR, left=None, why="", by=None):
    return GroupMember(
        group=group,
        enrollment=enrollment,
        role=role,
        source=source,
        joined_on=joined,
        left_on=left,
        left_reason=why,
        added_by=by,
    )


def _eastside(rng, built, *, lead, today):
    """The pilot (closed), the three running groups and the girls waiting for group matching."""
    eastside, rows = built.eastside, []
    mentors = []
    for k, (name, bio) in enumerate(text.EASTSIDE_MENTORS, start=1):
        mentors.append(
            tech_mentor(
                rng,
                prog=eastside,
                lead=lead,
                email=f"eastside.mentor{k}@example.org",
                name=name,
                bio=bio,
                today=today,
                screened_on=today - dt.timedelta(days=230),
                skills=["Coding", "Engineering", "Confidence"],
            )
        )
    built.eastside_mentors = mentors
    names = iter(text.EASTSIDE_MENTEES)
    leaders = iter(mentors)
    index = 0
    for name, focus, usual, _place, weekday, _hour, days_ago, n_leaders, n_mentees in text.EASTSIDE_GROUPS:
        started = today - dt.timedelta(days=days_ago)
        group = Group.objects.create(
            program=eastside,
            kind=GroupKind.GROUP,
            name=name,
            focus=focus,
            usual_time=usual,
            status=GroupStatus.RUNNING,
            started_on=started,
            created_by=lead,
            created_at=at(started, 9),
        )
        built.groups.append(group)
        team = [next(leaders) for _ in range(n_leaders)]
        rows += [_member(group, e, role="leader", joined=started, by=lead) for e in team]
        girls = []
        for _ in range(n_mentees):
            index += 1
            girls.append(
                girl(
                    rng,
                    eastside=eastside,
                    lead=lead,
                    index=index,
                    name=next(names),
                    today=today,
                    slot=weekday * 3 + (0 if weekday == 5 else 1),
                )
            )
        rows += [_member(group, e, role="member", joined=started, by=lead) for e in girls]
        backdate(girls, applied=started - dt.timedelta(days=50), approved=started - dt.timedelta(days=21))
        built.eastside_mentees += girls
        if len(built.groups) == 1:
            # The first group's eighth girl moved away after two months: she left, and withdrew.
            index += 1
            moved = girl(rng, eastside=eastside, lead=lead, index=index, name=next(names), today=today)
            backdate(
                [moved], applied=started - dt.timedelta(days=50), approved=started - dt.timedelta(days=21)
            )
            rows.append(
                _member(
                    group,
                    moved,
                    role="member",
                    joined=started,
                    by=lead,
                    left=started + dt.timedelta(days=60),
                    why="Moved to a school across the city",
                )
            )
            program_services.enrollment_withdraw(enrollment=moved, by=moved.user, note="We are moving house.")
    backdate(mentors, applied=today - dt.timedelta(days=260), approved=today - dt.timedelta(days=228))
    for name in names:
        index += 1
        built.eastside_waiting.append(
            girl(rng, eastside=eastside, lead=lead, index=index, name=name, today=today)
        )
    GroupMember.objects.bulk_create(rows)
    _pilot(rng, built, lead=lead, today=today, leader=mentors[0])


def _pilot(rng, built, *, lead, today, leader):
    """The pilot cohort ran 16 to 10 months ago; its girls finished and withdrew. Kemi, 19 now, is one."""
    name, focus, usual = text.PILOT_GROUP
    began, ended = today - dt.timedelta(days=480), today - dt.timedelta(days=300)
    pilot = Group.objects.create(
        program=built.eastside,
        kind=GroupKind.GROUP,
        name=name,
        focus=focus,
        usual_time=usual,
        status=GroupStatus.CLOSED,
        started_on=began,
        closed_at=at(ended, 17),
        closed_by=lead,
        created_by=lead,
        created_at=at(began, 9),
    )
    alumnae = [
        girl(
            rng,
            eastside=built.eastside,
            lead=lead,
            index=k,
            name=name,
            today=today,
            age=19 - (k > 1),
            email=f"eastside.alumna{k}@example.org",
        )
        for k, name in enumerate(text.EASTSIDE_ALUMNAE, start=1)
    ]
    backdate(alumnae, applied=began - dt.timedelta(days=40), approved=began - dt.timedelta(days=14))
    why = "Finished the pilot"
    rows = [_member(pilot, leader, role="leader", joined=began, left=ended, why=why, by=lead)]
    rows += [_member(pilot, e, role="member", joined=began, left=ended, why=why, by=lead) for e in alumnae]
    GroupMember.objects.bulk_create(rows)
    for enrollment in alumnae:
        program_services.enrollment_withdraw(enrollment=enrollment, by=enrollment.user, note=why)
    Enrollment.objects.filter(pk__in=[e.pk for e in alumnae]).update(status_changed_at=at(ended, 18))
    StatusChange.objects.filter(enrollment__in=alumnae, to_status="withdrawn").update(
        changed_at=at(ended, 18)
    )
    built.alumna = alumnae[0]


def _riverside(rng, built, *, lead, today):
    """Three circles of five (the first facilitated by Kemi), and six people waiting for circles."""
    riverside, rows = built.riverside, []
    kemi = built.alumna.user
    kemi.profile.bio = text.ALUMNA_BIO
    kemi.profile.save(update_fields=["bio"])
    facilitator = enroll(
        program=riverside,
        user=kemi,
        role=Role.MENTOR,
        status="approved",
        by=lead,
        area_name=text.RIVERSIDE_AREAS[0][0],
        heard_about=HeardAbout.PARTNER,
        capacity=1,
        motivation="I was a mentee in Eastside Girls Who Code; now I'd like to give back.",
    )
    screen_fully(enrollment=facilitator, by=lead, on=today - dt.timedelta(days=170))
    backdate([facilitator], applied=today - dt.timedelta(days=200), approved=today - dt.timedelta(days=165))
    built.alumna = facilitator
    people = iter(enumerate(text.RIVERSIDE_PEOPLE, start=1))
    for name, focus, usual, _place, _weekday, _hour, days_ago, facilitated in text.RIVERSIDE_CIRCLES:
        started = today - dt.timedelta(days=days_ago)
        circle = Group.objects.create(
            program=riverside,
            kind=GroupKind.CIRCLE,
            name=name,
            focus=focus,
            usual_time=usual,
            status=GroupStatus.RUNNING,
            started_on=started,
            created_by=lead,
            created_at=at(started, 9),
        )
        built.circles.append(circle)
        members = [
            young_adult(rng, riverside=riverside, lead=lead, index=k, name=person_name, today=today)
            for k, person_name in (next(people) for _ in range(riverside.circle_size))
        ]
        backdate(members, applied=started - dt.timedelta(days=40), approved=started - dt.timedelta(days=14))
        rows += [
            _member(circle, e, role="member", joined=started, source=MemberSource.CIRCLES, by=lead)
            for e in members
        ]
        if facilitated:
            rows.append(_member(circle, facilitator, role="leader", joined=started, by=lead))
        built.circle_members += members
    for _ in range(6):
        k, person_name = next(people)
        built.circle_waiting.append(
            young_adult(rng, riverside=riverside, lead=lead, index=k, name=person_name, today=today)
        )
    backdate(
        built.circle_waiting, applied=today - dt.timedelta(days=30), approved=today - dt.timedelta(days=9)
    )
    GroupMember.objects.bulk_create(rows)
    # The last name is someone who only came to events so far: no program yet.
    _, visitor_name = next(people)
    built.visitor = person(
        email="visitor1@example.org",
        display_name=visitor_name,
        languages=["English"],
        profile={"date_of_birth": born(rng, today, 23)},
    )


def _thank_yous(site, built, *, lead, today):
    """Two thank-you notes on mentors' dashboards: a pair's mentor (the demo's mentor login when they
    are in a pair) and the Tuesday group's first mentor."""
    active = (
        Match.objects.filter(program=site.program, status=MatchStatus.ACTIVE)
        .select_related("mentor__user")
        .order_by("started_on", "pk")
    )
    mentors = [m.mentor for m in active]
    mentor = next((e for e in mentors if e.user.email == "mentor1@example.org"), None) or next(
        iter(mentors), None
    )
    notes = [(built.eastside, built.eastside_mentors[0], text.THANK_YOU_GROUP, 6)]
    if mentor is not None:
        notes.append((site.program, mentor, text.THANK_YOU_YOUTH, 12))
    ThankYou.objects.bulk_create(
        ThankYou(
            program=prog,
            enrollment=enrollment,
            sent_by=lead,
            text=note,
            created_at=timezone.now() - dt.timedelta(days=days),
        )
        for prog, enrollment, note, days in notes
    )


def demo_community(*, site, today, seed=15):
    """The group program, the peer-circle program, and around them events, boards and thanks."""
    rng = random.Random(seed)
    lead = site.coordinator
    eastside, riverside, second = _programs(site)
    built = DemoCommunity(eastside=eastside, riverside=riverside)
    _eastside(rng, built, lead=lead, today=today)
    _riverside(rng, built, lead=second, today=today)
    demo_group_life(built, circle_lead=second, today=today, seed=seed)
    _thank_yous(site, built, lead=lead, today=today)
    demo_events(site, built, lead=lead, today=today, seed=seed)
    demo_boards(site, built, lead=lead, circle_lead=second)
    return built
