"""Whole situations for the tests, built through the project's own models and services.

Tests use these to set up a believable world in one call. The building blocks (person, program,
enroll, ready_mentor...) are the demo data's, from evaluation/demo/people.py, imported here so that
tests can keep saying ``scenarios.person(...)``; the demo site itself is evaluation/demo/site.py.
"""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils import timezone

# The demo's building blocks, also here so that the tests can say scenarios.person(...).
from evaluation.demo.people import (
    DEMO_PASSWORD,  # noqa: F401
    coordinator,
    enroll,
    person,
    program,
    ready_mentee,
    ready_mentor,
    screen_fully,  # noqa: F401
)
from mentorship.models import User
from programs import services as program_services
from programs.models import EnrollmentStatus, ProgramStatus, Role


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
    from matching.models import MatchRequest
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
    match = active_match(program=running, mentee=mentee, mentor=mentor, by=rosa)
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
    from matching import concerns, runs
    from matching import services as matching_services
    from matching.models import Exclusion, MatchRun
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

    match = active_match(program=main, mentee=mentee, mentor=mentor, by=lead)
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
    runs.run_execute(run_id=run.pk)
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
    _library(main, lead)
    _training_rows(main, mentee)
    _community_rows(main, mentor=mentor, mentee=mentee, lead=lead)
    _impact_rows(main, other, mentor=mentor)
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


def _community_rows(program, *, mentor, mentee, lead):
    """A row for each community model the admin shows, the same ones the URL matrix's argument
    functions make on first use (tests/url_matrix.py): the "Matrix group" the mentor leads with the
    mentee in it and a session planned, an event for the program, a topic on its board with a held
    reply, and a thank-you note to the mentor."""
    from evaluation.models import ThankYou
    from matching.boards import services as boards
    from matching.group_sessions import session_plan
    from matching.models import Group, GroupMember
    from programs.models import Event

    group, _ = Group.objects.get_or_create(program=program, name="Matrix group")
    GroupMember.objects.get_or_create(group=group, enrollment=mentor, role="leader")
    GroupMember.objects.get_or_create(group=group, enrollment=mentee, role="member")
    session_plan(
        group=group, by=mentor.user, starts_at=timezone.now() + dt.timedelta(days=3), place="Library"
    )
    event = Event.objects.create(title="Matrix event", description="Meet the others.", place="Town hall",
                                 starts_at=timezone.now() + dt.timedelta(days=3), capacity=10,
                                 status="published", created_by=lead)  # fmt: skip
    event.programs.add(program)
    topic = boards.topic_create(program=program, by=mentor.user, title="Matrix topic", body="Hello everyone.")
    boards.post_reply(topic=topic, by=mentor.user, body="My number is 07700 900123.")
    ThankYou.objects.get_or_create(program=program, enrollment=mentor, sent_by=lead, text="Thank you!")


def _impact_rows(program, other, *, mentor):
    """A row for each impact model the admin shows (issue 16): a partner and a demographic question
    of the other program (the world's program keeps its own, made by the URL matrix's argument
    functions), and the mentor's story, not shared (the minor mentee's is the matrix's)."""
    from evaluation.models import Story
    from programs.models import DemographicQuestion, Partner

    Partner.objects.get_or_create(program=other, name="Admin rows partner", defaults={"kind": "school"})
    DemographicQuestion.objects.get_or_create(
        program=other, topic="gender", label="How would you describe your gender?",
        defaults={"options": ["Woman or girl", "Man or boy", "Non-binary"]},
    )  # fmt: skip
    Story.objects.get_or_create(
        program=program,
        enrollment=mentor,
        defaults={"text": "Mentoring taught me to listen.", "consent": "not_shared"},
    )


def _library(program, by):
    """The program's resource library: a page for mentors and a PDF for everyone in it (the admin's
    pages read a first row of each)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from programs.resources import resource_create

    resource_create(program=program, by=by, title="Mentor handbook", topic="guides", audience="mentors",
                    kind="page", body="## Welcome\n\nWhat mentoring here is about.")  # fmt: skip
    pdf = SimpleUploadedFile("safety.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    resource_create(program=program, by=by, title="Safety rules", topic="safety", audience="program",
                    kind="file", upload=pdf)  # fmt: skip


def _training_rows(program, mentee):
    """Draft mentees' trainings (invisible to participants, gating nobody), so that the admin's pages
    read a first row of each training model: an online one with a question, the mentee's record and
    a quiz attempt; an in-person one with a session the mentee signed up to."""
    from django.utils import timezone

    from programs.models import QuizAttempt, QuizQuestion, SessionSignup, Training, TrainingSession
    from programs.training_records import training_complete

    online = Training.objects.create(program=program, title="Admin rows (online)", audience=Role.MENTEE)
    question = QuizQuestion.objects.create(training=online, text="Who do you tell?")
    question.choices.create(text="The coordinator", is_correct=True)
    record = training_complete(training=online, enrollment=mentee, how="online", score=100)
    QuizAttempt.objects.create(record=record, score=100, passed=True, answers={})
    in_person = Training.objects.create(
        program=program, title="Admin rows (in person)", audience=Role.MENTEE, kind="in_person"
    )
    start = timezone.now() + dt.timedelta(days=7)
    session = TrainingSession.objects.create(
        training=in_person, starts_at=start, ends_at=start + dt.timedelta(hours=2), place="Hall", capacity=5
    )
    SessionSignup.objects.create(session=session, enrollment=mentee)


def active_match(*, program, mentee, mentor, by):
    """A match proposed by hand (by ``by``) and confirmed by both people: active."""
    from matching import services as matching_services
    from matching.models import MatchSource

    match = matching_services.match_propose(
        program=program, mentee=mentee, mentor=mentor, by=by, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=mentee.user)
    return matching_services.match_confirm(match=match, by=mentor.user)


def teen_match(world):
    """In a role_world's program: Morgan Mentor and Kit, a minor with a guardian's consent, in an
    active match."""
    mentor = ready_mentor(program=world.program, email="mo@example.org", display_name="Morgan Mentor")
    mentee = ready_mentee(program=world.program, email="kid@example.org", display_name="Kit", minor=True)
    return active_match(program=world.program, mentee=mentee, mentor=mentor, by=world.people.coordinator)


def conversation_with_messages(match, n):
    """The pair's conversation of ``match`` with ``n`` messages, the mentee and the mentor in turn,
    written straight to the table (no emails, no rate limit): for pages that must cost as many
    queries for a long thread as for a short one."""
    from matching.messaging.services import conversation_for_match
    from matching.models import Conversation, Message

    conversation = conversation_for_match(match=match)
    sides = [(match.mentee.user, "mentee"), (match.mentor.user, "mentor")]
    Message.objects.bulk_create(
        Message(conversation=conversation, sender=sides[k % 2][0], sender_role=sides[k % 2][1],
                body=f"Message {k + 1}: see https://example.org/{k + 1}")
        for k in range(n)
    )  # fmt: skip
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    conversation.refresh_from_db()
    return conversation


@dataclass
class MessagesWorld:
    """For the message tests: a running program (youth by default: Ben is 15, with his guardian's
    consent; ``audience="adult"``: everyone is an adult) run by Cora, its coordinator and so its
    safeguarding lead. Ada mentors Ben and Cy mentors Dee (both matches active). Olga runs another
    program; Sid is staff; Stan has an account and nothing else."""

    program: object
    cora: User
    olga: User
    sid: User
    stan: User
    ada: object  # the enrollments
    ben: object
    cy: object
    dee: object
    match: object  # Ada and Ben
    other_match: object  # Cy and Dee


def messages_world(*, audience="youth", domain="messages.test"):
    cora = coordinator(email=f"cora@{domain}", display_name="Cora Coordinator")
    olga = coordinator(email=f"olga@{domain}", display_name="Olga Other")
    main = program(
        coordinator=cora, name="Riverside Mentoring", status=ProgramStatus.RUNNING, audience=audience
    )
    program(coordinator=olga, name="Southside Careers", status=ProgramStatus.RUNNING)
    minor = audience != "adult"
    ada = ready_mentor(program=main, email=f"ada@{domain}", display_name="Ada Mentor")
    ben = ready_mentee(program=main, email=f"ben@{domain}", display_name="Ben Mentee", minor=minor)
    cy = ready_mentor(program=main, email=f"cy@{domain}", display_name="Cy Mentor")
    dee = ready_mentee(program=main, email=f"dee@{domain}", display_name="Dee Mentee")
    return MessagesWorld(
        program=main, cora=cora, olga=olga,
        sid=person(email=f"sid@{domain}", display_name="Sid Staff", is_staff=True, is_superuser=True),
        stan=person(email=f"stan@{domain}", display_name="Stan Stranger"),
        ada=ada, ben=ben, cy=cy, dee=dee,
        match=active_match(program=main, mentee=ben, mentor=ada, by=cora),
        other_match=active_match(program=main, mentee=dee, mentor=cy, by=cora),
    )  # fmt: skip
