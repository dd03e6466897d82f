"""The demo's impact material (issue 16), built last, on the people and pairs the rest of the demo
made, so that every report has something real to show:

- City Youth Mentoring's two local partners: Northside Academy (a school: it brought a share of the
  mentees) and Harbour Logistics (a business: it brought some of the mentors), each with a contact.
  The academy's contact has a read-only login (the demo's partner login, accepted); the business's
  contact was invited and has not followed the link yet. An invitation the coordinator sent to a
  student the academy referred is tagged with it.
- Five optional demographic questions in City Youth Mentoring, answered by most of its people (a few
  skip a question or the whole form; some prefer not to say, some answer in their own words), so
  that the equity report has groups of five and more and groups below five.
- Stories: the closed pair's at its closure, a few from running pairs, and the Eastside pilot
  group's at its closure and three-month follow-up; named, anonymous and not shared; a minor's with
  the guardian's agreement given and one still waiting; three featured in City Youth Mentoring (and
  one in Eastside), one with a coordinator's shorter version the author approved, one with a
  proposal waiting for the author, and one withdrawn. Story invitations for the closures (sent).

Written directly (demo history), consistent with the rules the services keep. Deterministic.
"""

import datetime as dt
import random
import uuid

from django.utils import timezone

from evaluation.demo import impact_text as text
from evaluation.demo.community_people import at
from evaluation.demo.people import person
from evaluation.models import Story, StoryInvitation
from matching.models import Group, GroupMember, GroupStatus, Match, MatchStatus
from programs.invitations import invitation_send
from programs.models import (
    DemographicAnswer,
    DemographicQuestion,
    Enrollment,
    HeardAbout,
    Invitation,
    Partner,
    PartnerViewer,
    Program,
    Role,
)

PARTNER_LOGIN = "partner.contact"  # @ the demo's domain: the partner contact's read-only login
NORTHSIDE_MENTEES = 14  # the school brought this many mentees (those from Northside first)
HARBOUR_MENTORS = 9  # the business brought this many mentors
SCHOOL_IN_PAIRS = 8  # of the school's mentees, this many are (or were) in a pair


def _domain(site):
    return site.coordinator.email.split("@", 1)[1]


# --- Partners --------------------------------------------------------------------------------------


def demo_partners(*, site, today, rng):
    """The two partners, their people, the academy's contact's login and a referral invitation."""
    program, lead, domain = site.program, site.coordinator, _domain(site)
    created = at(today - dt.timedelta(days=420), 9)
    partners = []
    for name, kind, contact, email, phone, notes in text.PARTNERS:
        partners.append(
            Partner.objects.create(
                program=program,
                name=name,
                kind=kind,
                contact_name=contact,
                contact_email=email or f"{PARTNER_LOGIN}@{domain}",
                contact_phone=phone,
                notes=notes,
                created_at=created,
            )
        )
    school, business = partners
    enrollments = Enrollment.objects.filter(program=program).order_by("pk")
    mentees = [e for e in enrollments if e.role == Role.MENTEE]
    northside = [e for e in mentees if e.area_name == "Northside"]
    others = [e for e in mentees if e.area_name != "Northside"]
    # Its students in pairs first (so that its contact's figures have matches to show), Northside's
    # before the others, then those still waiting.
    matched = set(Match.objects.filter(program=program).values_list("mentee_id", flat=True))
    ranked = northside + rng.sample(others, len(others))
    ranked = [e for e in ranked if e.pk in matched][:SCHOOL_IN_PAIRS] + [
        e for e in ranked if e.pk not in matched
    ]
    school_people = ranked[:NORTHSIDE_MENTEES]
    mentors = [e for e in enrollments if e.role == Role.MENTOR]
    business_people = rng.sample(mentors, HARBOUR_MENTORS)
    for partner, people in ((school, school_people), (business, business_people)):
        Enrollment.objects.filter(pk__in=[e.pk for e in people]).update(
            partner=partner, heard_about=HeardAbout.PARTNER, heard_about_detail=""
        )
    # The academy's contact follows the emailed link: a read-only login for the academy's figures.
    contact = person(email=f"{PARTNER_LOGIN}@{domain}", display_name=text.PARTNER_CONTACT_NAME)
    invited = timezone.now() - dt.timedelta(days=21)
    PartnerViewer.objects.create(
        partner=school,
        email=contact.email,
        user=contact,
        invited_by=lead,
        invited_at=invited,
        expires_at=invited + dt.timedelta(days=14),
        accepted_at=invited + dt.timedelta(days=1, hours=3),
    )
    # The business's contact was asked two days ago and has not followed the link yet.
    asked = timezone.now() - dt.timedelta(days=2)
    PartnerViewer.objects.create(
        partner=business,
        email=business.contact_email,
        invited_by=lead,
        invited_at=asked,
        expires_at=asked + dt.timedelta(days=14),
    )
    invitation, _ = invitation_send(
        program=program, email=f"referral1@{domain}", role=Role.MENTEE, by=lead, note=text.REFERRAL_NOTE
    )
    Invitation.objects.filter(pk=invitation.pk).update(partner=school)
    return partners


# --- Demographics ----------------------------------------------------------------------------------


def demo_demographics(*, site, rng):
    """The program's five questions, and the answers of most of its people."""
    program = site.program
    areas = program.areas  # the names of the program's areas, in order
    questions = []
    for position, (topic, label, options, *_rest) in enumerate(text.QUESTIONS, start=1):
        questions.append(
            DemographicQuestion.objects.create(
                program=program,
                topic=topic,
                label=label,
                options=options if options is not None else [*areas, text.OUTSIDE_THE_CITY],
                position=position,
                created_at=program.created_at,
            )
        )
    answers = []
    for enrollment in Enrollment.objects.filter(program=program).order_by("pk"):
        if rng.random() < 0.08:
            continue  # never filled in the optional form
        for question, (_, _, options, weights, prefer_not, (own, words)) in zip(
            questions, text.QUESTIONS, strict=True
        ):
            if rng.random() < 0.04:
                continue  # skipped this question
            answer = DemographicAnswer(
                question=question,
                enrollment=enrollment,
                answered_at=enrollment.created_at + dt.timedelta(minutes=rng.randint(5, 50)),
            )
            if options is None:  # the neighbourhood: mostly the area they chose when they applied
                options = question.options
                weights = [90 if name == enrollment.area_name else 0 for name in areas] + [3]
                if not any(weights[:-1]):
                    weights = [10] * len(areas) + [3]
            pick = rng.choices(["option", "prefer_not", "own"], [sum(weights), prefer_not, own])[0]
            if pick == "option":
                answer.option = rng.choices(options, weights)[0]
            elif pick == "prefer_not":
                answer.prefer_not_to_say = True
            else:
                answer.self_described = rng.choice(words)
            answers.append(answer)
    DemographicAnswer.objects.bulk_create(answers)
    return questions


# --- Stories ---------------------------------------------------------------------------------------


def _minor(enrollment):
    return enrollment.user.profile.is_minor()


def _story(enrollment, *, match, occasion, words, consent, written, **fields):
    """A story as its author wrote it on ``written`` (a datetime). A minor's shared story records
    the guardian's agreement: ``guardian`` "given" (the default) or "pending"."""
    guardian = fields.pop("guardian", "given")
    title, body = words
    story = Story(
        program_id=enrollment.program_id,
        enrollment=enrollment,
        match=match,
        occasion=occasion,
        title=title,
        text=body,
        consent=consent,
        consent_at=written,
        created_at=written,
        **{"updated_at": written, **fields},
    )
    if consent != "not_shared" and _minor(enrollment):
        story.guardian_approval = guardian
        story.guardian_token = uuid.uuid4() if guardian == "pending" else None
        story.guardian_asked_at = written + dt.timedelta(minutes=2)
        if guardian == "given":
            story.guardian_answered_at = written + dt.timedelta(days=1, hours=4)
    if story.featured:
        story.featured_at = story.guardian_answered_at or written
        story.featured_at += dt.timedelta(days=2)
    return story


def _pairs(program):
    """The closed pair, and the running pairs from the longest-running (minors' first where a role
    asks for one)."""
    matches = Match.objects.filter(program=program).select_related(
        "mentee__user__profile", "mentor__user__profile"
    )
    closed = matches.filter(status=MatchStatus.CLOSED).order_by("pk").first()
    active = list(matches.filter(status=MatchStatus.ACTIVE).order_by("started_on", "pk"))
    minors = [m for m in active if _minor(m.mentee)]
    adults = [m for m in active if not _minor(m.mentee)]
    return closed, (minors + adults)[:5]


def _pair_stories(program, now):
    closed, pairs = _pairs(program)
    stories, invitations = [], []
    days = dt.timedelta(days=1)
    if closed is not None:
        closing = timezone.localtime(closed.closed_at or now)
        for enrollment in (closed.mentee, closed.mentor):
            invitations.append(
                StoryInvitation(
                    enrollment=enrollment, match=closed, occasion="closure", due_on=closed.ended_on,
                    sent_at=closing + dt.timedelta(minutes=5),
                )
            )  # fmt: skip
        written = min(closing + dt.timedelta(hours=2), now)
        mentee = closed.mentee
        stories += [
            _story(mentee, match=closed, occasion="closure", words=text.CLOSED_MENTEE, written=written,
                   consent="anonymous" if _minor(mentee) else "named", featured=True),
            _story(closed.mentor, match=closed, occasion="closure", words=text.CLOSED_MENTOR, written=written,
                   consent="named", featured=True, edited_text=text.CLOSED_MENTOR_EDITED),
        ]  # fmt: skip
    if len(pairs) < 5:
        return stories, invitations
    first, second, third, fourth, fifth = pairs
    stories += [
        _story(first.mentee, match=first, occasion="other", words=text.PAIR_MENTEE_FEATURED,
               written=now - 40 * days, consent="anonymous", featured=True),
        _story(first.mentor, match=first, occasion="other", words=text.PAIR_MENTOR_SHARED,
               written=now - 35 * days, consent="anonymous"),
        _story(second.mentee, match=second, occasion="other", words=text.PAIR_MENTEE_WAITING,
               written=now - 3 * days, consent="named", guardian="pending"),
        _story(third.mentor, match=third, occasion="other", words=text.PAIR_MENTOR_PRIVATE,
               written=now - 25 * days, consent="not_shared"),
        # Withdrawn by its author: unfeatured, its words deleted (as story_services.story_withdraw does).
        _story(fourth.mentee, match=fourth, occasion="other", words=("", ""), written=now - 60 * days,
               consent="named", withdrawn_at=now - 18 * days, updated_at=now - 18 * days),
        _story(fifth.mentor, match=fifth, occasion="other", words=text.PAIR_MENTOR_PROPOSED,
               written=now - 12 * days, consent="named", proposed_text=text.PAIR_MENTOR_PROPOSAL,
               proposed_at=now - 5 * days),
    ]  # fmt: skip
    return stories, invitations


def _pilot_stories():
    """The Eastside pilot group's: its girls' and its leader's at closure, Kemi's three months on."""
    eastside = Program.objects.filter(groups__status=GroupStatus.CLOSED).order_by("pk").first()
    pilot = Group.objects.filter(program=eastside, status=GroupStatus.CLOSED).order_by("pk").first()
    if pilot is None:
        return [], []
    members = {
        m.enrollment.user.email.split("@")[0]: m
        for m in GroupMember.objects.filter(group=pilot).select_related("enrollment__user__profile")
    }
    leader = next((m.enrollment for m in members.values() if m.role == "leader"), None)
    ended = timezone.localtime(pilot.closed_at)
    follow_up = ended + dt.timedelta(days=92)
    stories, invitations = [], []
    for member in members.values():
        for occasion, due in (("closure", ended), ("3_months", ended + dt.timedelta(days=90))):
            invitations.append(
                StoryInvitation(enrollment=member.enrollment, occasion=occasion, due_on=due.date(),
                                sent_at=due + dt.timedelta(hours=1))
            )  # fmt: skip
    written = ended + dt.timedelta(days=2)
    cast = [
        ("eastside.alumna1", text.PILOT_KEMI, "3_months", "named", follow_up, True),
        ("eastside.alumna2", text.PILOT_LAUREN, "closure", "anonymous", written, False),
        ("eastside.alumna3", text.PILOT_MIRA, "closure", "not_shared", written, False),
    ]
    for login, words, occasion, consent, day, featured in cast:
        if login in members:
            stories.append(_story(members[login].enrollment, match=None, occasion=occasion, words=words,
                                  written=day, consent=consent, featured=featured))  # fmt: skip
    if leader is not None:
        stories.append(_story(leader, match=None, occasion="closure", words=text.PILOT_LEADER,
                              written=written + dt.timedelta(days=1), consent="named"))  # fmt: skip
    return stories, invitations


def demo_stories(*, site):
    now = timezone.now()
    stories, invitations = _pair_stories(site.program, now)
    more_stories, more_invitations = _pilot_stories()
    StoryInvitation.objects.bulk_create(invitations + more_invitations)
    return Story.objects.bulk_create(stories + more_stories)


def demo_impact(*, site, today, seed=16):
    """Partners, demographics and stories (see the module's docstring)."""
    rng = random.Random(seed)
    demo_partners(site=site, today=today, rng=rng)
    demo_demographics(site=site, rng=rng)
    demo_stories(site=site)
