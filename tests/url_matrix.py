"""The URL matrix: a row per URL of the site saying what each kind of person (tests/scenarios.py
ROLES) gets from it, and the world it is read in. The tests that walk it are tests/test_url_matrix.py
(status codes and refusals), tests/test_unique_ids.py (no repeated ids) and tests/e2e/test_phone.py
(every page on a phone). The world they read it in is the fixture ``w`` (tests/conftest.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.scenarios import ROLES

LOGIN = (302, "/accounts/login/")
ADMIN_LOGIN = (302, "/admin/login/")


def to(prefix):
    """A redirect to a URL that starts with ``prefix``."""
    return (302, prefix)


def to_exactly(path):
    """A redirect to ``path`` (any query string aside)."""
    return (302, path, "exactly")


def roles(default, **given):
    """What each role gets: ``default`` unless given by name."""
    assert set(given) <= set(ROLES), set(given) - set(ROLES)
    return {role: given.get(role, default) for role in ROLES}


ACTS = None  # a role that may act: an empty POST of theirs is not tried (it could do something)


def acting(*who, **others):
    """An empty POST: the roles ``who`` may act; everyone else is refused with 404 (anonymous is
    sent to log in), unless ``others`` says otherwise (a refusal that still answers a page)."""
    return roles(404, anonymous=LOGIN, **dict.fromkeys(who, ACTS), **others)


# What a GET answers, per kind of page.
PUBLIC = roles(200)
SIGNED_IN = roles(200, anonymous=LOGIN)
STAFF = roles(404, anonymous=LOGIN, staff=200)
# The program's coordinators and staff (here the coordinator is also the safeguarding lead, as
# nobody is named: the concern pages follow the same rule in this world).
MANAGERS = roles(404, anonymous=LOGIN, coordinator=200, staff=200)
# The two people of the match, the program's coordinators and staff.
PAIR = roles(404, anonymous=LOGIN, mentee=200, mentor=200, coordinator=200, staff=200)
# A view that only takes a POST: signed in or not is decided first.
POST_ONLY = roles(405, anonymous=LOGIN)
# A link that is its own key (a guardian's, a calendar app's): whoever holds it.
TOKEN_HOLDER = PUBLIC

MANAGERS_ACT = acting("coordinator", "staff")
PAIR_ACTS = acting("mentee", "mentor", "coordinator", "staff")
# An empty form on a token's page is refused as invalid (400) for anyone, and writes nothing.
INVALID_FOR_ALL = roles(400)


@dataclass(frozen=True)
class Row:
    get: dict  # role -> what a GET answers
    args: Callable = lambda w: {}  # the URL's arguments, from the world
    post: dict | None = None  # role -> what an empty POST answers (ACTS: not tried); None: no POST
    prepare: Callable = lambda w: None  # run before the visits


# The URLs' arguments, taken from the world (tests/scenarios.py url_world).
def program(w):
    return {"slug": w.program.slug}


def applicant(w):
    return {"slug": w.program.slug, "pk": w.mentee_enrollment.pk}


def application(w):
    return {"pk": w.mentee_enrollment.pk}


def consent_link(w):
    return {"token": w.consent.token}


def guardian_link(w):
    return {"token": w.consent.manage_token}


def match(w):
    return {"pk": w.match.pk}


def meeting(w):
    """A meeting the mentor proposed to the mentee, two days ahead (made on first use)."""
    import datetime as dt

    from django.utils import timezone

    from matching.meetings import meeting_propose

    found = w.match.meetings.first() or meeting_propose(
        match=w.match, by=w.people.mentor, starts_at=timezone.now() + dt.timedelta(days=2), place="Library"
    )
    return {"pk": found.pk}


def concern(w):
    return {"pk": w.concern.pk}


def match_request(w):
    return {"pk": w.match_request.pk}


def conversation(w):
    """The pair's conversation (made on first use)."""
    from matching.messaging.services import conversation_for_match

    return {"pk": conversation_for_match(match=w.match).pk}


def pair_message(w):
    """A message the mentor wrote in the pair's conversation, its phone number held back from the
    mentee (the program holds contact details)."""
    from matching.messaging.services import conversation_for_match, message_send

    pair = conversation_for_match(match=w.match)
    message = pair.messages.first() or message_send(
        conversation=pair, by=w.people.mentor, body="See you Thursday! My number is 07700 900123."
    )
    return {"pk": message.pk}


def run(w):
    return {"slug": w.program.slug, "pk": w.run.pk}


def suggestion(w):
    return {"slug": w.program.slug, "pk": w.suggestion.pk}


def person(w):
    return {"pk": w.people.mentee.pk}


def survey_link(w):
    """The mentee's emailed link to the pairing-fit survey (the pair met today)."""
    from evaluation.invitations import invitations_record
    from evaluation.models import SurveyInvitation

    invitations_record()
    invitation = SurveyInvitation.objects.get(match=w.match, respondent=w.people.mentee, kind="pairing_fit")
    return {"token": invitation.token}


def program_area(w):
    from programs.models import Area

    area, _ = Area.objects.get_or_create(program=w.program, name="Old Town")
    return {"slug": w.program.slug, "area_id": area.pk}


def record_heartbeats(w):
    from mentorship.services import heartbeat_record

    heartbeat_record(name="beat")
    heartbeat_record(name="worker")


# --- argument functions: trainings (coordinators) ---
def _manage_training(w, kind):
    """A draft training of the program for mentors, online (a page, a quiz question) or in person
    (a session yesterday, the mentor signed up), made on first use."""
    import datetime as dt

    from django.utils import timezone

    from programs import trainings
    from programs.models import SessionSignup

    found = w.program.trainings.filter(title=f"Matrix {kind}").first()
    if found:
        return found
    found = trainings.training_create(
        program=w.program,
        by=w.people.coordinator,
        title=f"Matrix {kind}",
        audience="mentor",
        kind=kind,
        pass_mark=80 if kind == "online" else None,
    )
    if kind == "online":
        trainings.page_add(training=found, title="Welcome", body="Hello.")
        trainings.question_add(training=found, text="Who do you tell?", choices=["Us", "Nobody"], correct=0)
    else:
        start = timezone.now() - dt.timedelta(days=1)
        end = start + dt.timedelta(hours=2)
        session = trainings.session_add(
            training=found, starts_at=start, ends_at=end, place="Library", capacity=10
        )
        SessionSignup.objects.create(session=session, enrollment=w.mentor_enrollment)
    return found


def training_manage(w):
    return {"slug": w.program.slug, "pk": _manage_training(w, "online").pk}


def training_manage_page(w):
    found = _manage_training(w, "online")
    return {"slug": w.program.slug, "pk": found.pk, "page_id": found.pages.get().pk}


def training_manage_image(w):
    """The online training's page, given an image (a 1x1 PNG)."""
    from programs.models import StoredFile

    args = training_manage_page(w)
    page = _manage_training(w, "online").pages.get()
    if page.image is None:
        png = bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
        )
        page.image = StoredFile.objects.create(name="dot.png", content_type="image/png", size=len(png),
                                               sha256="0" * 64, data=png)  # fmt: skip
        page.image_alt = "A dot"
        page.save()
    return args


def training_manage_question(w):
    found = _manage_training(w, "online")
    return {"slug": w.program.slug, "pk": found.pk, "question_id": found.questions.get().pk}


def training_manage_session(w):
    found = _manage_training(w, "in_person")
    return {"slug": w.program.slug, "pk": found.pk, "session_id": found.sessions.get().pk}


def applicant_training_record(w):
    """The mentor's training recorded as done elsewhere (made on first use)."""
    import datetime as dt

    from programs import trainings

    found = _manage_training(w, "online")
    record = found.records.filter(enrollment=w.mentor_enrollment).first()
    if record is None:
        record = trainings.training_record_external(
            training=found,
            enrollment=w.mentor_enrollment,
            by=w.people.coordinator,
            completed_on=dt.date.today(),
        )
    return {"slug": w.program.slug, "pk": w.mentor_enrollment.pk, "record_id": record.pk}


# --- argument functions: trainings (taking them, guardians) ---

# A 1x1 PNG: a training page's image.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _training_to_take(w, audience, kind="online"):
    """A published training of the program for ``audience`` (made on first use): online, two
    pages (the first with an image) and a two-question quiz; in person, one session next week."""
    import datetime as dt
    import hashlib

    from django.utils import timezone

    from programs.models import QuizQuestion, StoredFile, Training, TrainingSession

    found = w.program.trainings.filter(audience=audience, kind=kind).first()
    if found:
        return found
    training = Training.objects.create(
        program=w.program, title=f"Welcome ({audience})", audience=audience, kind=kind,
        pass_mark=50, published_at=timezone.now(),
    )  # fmt: skip
    if kind == "online":
        image = StoredFile.objects.create(
            name="pixel.png", content_type="image/png", size=len(PNG_PIXEL),
            sha256=hashlib.sha256(PNG_PIXEL).hexdigest(), data=PNG_PIXEL,
        )  # fmt: skip
        training.pages.create(order=1, title="Why we are here", body="Mentoring is *listening*.", image=image)
        training.pages.create(order=2, title="Keeping safe", body="Meet in public places.")
        for n in (1, 2):
            question = QuizQuestion.objects.create(training=training, order=n, text=f"Question {n}?")
            question.choices.create(order=1, text="Right", is_correct=True)
            question.choices.create(order=2, text="Wrong")
    else:
        start = timezone.now() + dt.timedelta(days=7)
        TrainingSession.objects.create(
            training=training, starts_at=start, ends_at=start + dt.timedelta(hours=2),
            place="Library", capacity=5,
        )  # fmt: skip
    return training


def mentor_training(w):
    return {"pk": _training_to_take(w, "mentor").pk}


def mentor_training_page(w):
    return {"pk": _training_to_take(w, "mentor").pk, "number": 1}


def mentor_session(w):
    training = _training_to_take(w, "mentor", kind="in_person")
    return {"pk": training.pk, "session_id": training.sessions.get().pk}


def guardian_orientation(w):
    return {"token": w.consent.manage_token, "pk": _training_to_take(w, "guardian").pk}


def guardian_orientation_page(w):
    return {**guardian_orientation(w), "number": 1}


# --- argument functions: resources ---


def _resource(w, audience, kind="page"):
    """A resource of the program for ``audience`` (made on first use; a file's is a small PDF)."""
    from programs.models import Resource, StoredFile

    title = f"Matrix {audience} {kind}"
    found = Resource.objects.filter(program=w.program, title=title).first()
    if found is None:
        data = b"%PDF-1.4\n%%EOF\n"
        stored = None
        if kind == "file":
            stored = StoredFile.objects.create(name="guide.pdf", content_type="application/pdf",
                                               size=len(data), sha256="0" * 64, data=data)  # fmt: skip
        found = Resource.objects.create(program=w.program, title=title, topic="guides", audience=audience,
                                        kind=kind, body="Read me.", file=stored)  # fmt: skip
    return found


def mentors_resource(w):
    return {"slug": w.program.slug, "pk": _resource(w, "mentors").pk}


def program_file_resource(w):
    return {"slug": w.program.slug, "pk": _resource(w, "program", "file").pk}


def guardian_resource(w):
    return {"token": w.consent.manage_token, "pk": _resource(w, "guardians").pk}


def guardian_file_resource(w):
    return {"token": w.consent.manage_token, "pk": _resource(w, "guardians", "file").pk}


# --- argument functions: groups (the group page, sessions, goals, conversation) ---
def _page_group(w):
    """The shared "Matrix group": the mentor leads it, the mentee is in it, the outsider is not."""
    from matching.models import Group, GroupMember

    g, _ = Group.objects.get_or_create(program=w.program, name="Matrix group")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentor_enrollment, role="leader")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentee_enrollment, role="member")
    return g


def matrix_group(w):
    return {"pk": _page_group(w).pk}


def matrix_group_session(w):
    """A session of the Matrix group the mentor planned, three days ahead (made on first use)."""
    import datetime as dt

    from django.utils import timezone

    from matching.group_sessions import session_plan
    from matching.models import GroupSession

    group = _page_group(w)
    found = GroupSession.objects.filter(group=group).first() or session_plan(
        group=group, by=w.people.mentor, starts_at=timezone.now() + dt.timedelta(days=3), place="Library"
    )
    return {"pk": found.pk}


def matrix_group_goal(w):
    from matching.models import GroupGoal

    group = _page_group(w)
    found = GroupGoal.objects.filter(group=group).first() or GroupGoal.objects.create(
        group=group, title="Matrix goal", created_by=w.people.mentor
    )
    return {"pk": found.pk}


# --- argument functions: group matching and peer circles ---
def _matching_group(w):
    """The shared "Matrix group": the mentor leads it, the mentee is in it, the outsider is not."""
    from matching.models import Group, GroupMember

    g, _ = Group.objects.get_or_create(program=w.program, name="Matrix group")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentor_enrollment, role="leader")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentee_enrollment, role="member")
    return g


def placing_group(w):
    return {"pk": _matching_group(w).pk}


def placing_member(w):
    member = _matching_group(w).memberships.get(enrollment=w.mentee_enrollment, left_on__isnull=True)
    return {"pk": member.pk}


def group_run_proposal(w):
    """A group-matching proposal of the program, waiting (made on first use)."""
    from matching.models import GroupRun

    run = GroupRun.objects.filter(program=w.program).first() or GroupRun.objects.create(
        program=w.program, started_by=w.people.coordinator
    )
    return {"slug": w.program.slug, "pk": run.pk}


# An empty form on a coordinators' group page is refused as invalid (400); nobody else gets in.
PLACING_INVALID = roles(404, anonymous=LOGIN, coordinator=400, staff=400)


# --- argument functions: events ---
def _matrix_event(w, *, past=False):
    """A published event for the program's people only (not public), in three days with ten
    places; or, ``past``, one two days ago where the mentee came (made on first use)."""
    import datetime as dt

    from django.utils import timezone

    from programs.models import Event, Rsvp

    title = "Matrix past event" if past else "Matrix event"
    found = Event.objects.filter(title=title).first()
    if found is None:
        days = -2 if past else 3
        found = Event.objects.create(title=title, description="Meet the others.", place="Town hall",
                                     starts_at=timezone.now() + dt.timedelta(days=days), capacity=10,
                                     status="published", created_by=w.people.coordinator)  # fmt: skip
        found.programs.add(w.program)
        if past:
            Rsvp.objects.create(event=found, user=w.people.mentee, status="going", attended=True)
    return found


def matrix_event(w):
    return {"pk": _matrix_event(w).pk}


def matrix_event_feedback(w):
    return {"token": _matrix_event(w, past=True).rsvps.get().feedback_token}


# --- argument functions: discussion boards ---
def _board_group(w):
    """The shared "Matrix group": the mentor leads it, the mentee is in it, the outsider is not."""
    from matching.models import Group, GroupMember

    g, _ = Group.objects.get_or_create(program=w.program, name="Matrix group")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentor_enrollment, role="leader")
    GroupMember.objects.get_or_create(group=g, enrollment=w.mentee_enrollment, role="member")
    return g


def _board_topic(w):
    """A topic the mentor started on the program's board, and her reply with a phone number, held
    from the others (the program holds contact details); made on first use."""
    from matching.boards import services
    from matching.models import Topic

    found = Topic.objects.filter(program=w.program, title="Matrix topic").first()
    if found is None:
        found = services.topic_create(program=w.program, by=w.people.mentor, title="Matrix topic",
                                      body="Hello everyone.")  # fmt: skip
        services.post_reply(topic=found, by=w.people.mentor, body="My number is 07700 900123.")
    return found


def board_group(w):
    return {"pk": _board_group(w).pk}


def board_topic(w):
    return {"pk": _board_topic(w).pk}


def board_post(w):
    return {"pk": _board_topic(w).posts.get(held=True).pk}


# The program's board: its approved participants (the outsider too), coordinators and staff.
BOARD_READERS = roles(200, anonymous=LOGIN, other_coordinator=404)
BOARD_WRITERS = acting("mentee", "mentor", "outsider", "coordinator", "staff")
# A group's board: its leader (the mentor) and member (the mentee), coordinators and staff.
GROUP_BOARD_READERS = roles(404, anonymous=LOGIN, mentee=200, mentor=200, coordinator=200, staff=200)


# --- argument functions: recognition ---
def recognition_mentor(w):
    """The mentor's enrollment: their certificate of service (the pair met today)."""
    return {"pk": w.mentor_enrollment.pk}


def recognition_recipient(w):
    """The mentor, to be thanked by the program's coordinators."""
    return {"slug": w.program.slug, "pk": w.mentor_enrollment.pk}


def recognition_thank_you(w):
    """A thank-you note from the coordinator to the mentor (made on first use)."""
    from evaluation.models import ThankYou

    note, _ = ThankYou.objects.get_or_create(
        program=w.program, enrollment=w.mentor_enrollment, sent_by=w.people.coordinator, text="Thank you!"
    )
    return {"pk": note.pk}


# --- argument functions: stories ---
def story_enrollment(w):
    """The minor mentee's application: she tells her story from it."""
    return {"pk": w.mentee_enrollment.pk}


def _matrix_story(w):
    """The minor mentee's story, shared anonymously, waiting for her guardian's agreement (made on
    first use)."""
    from evaluation.story_services import story_tell

    found = w.mentee_enrollment.stories.filter(withdrawn_at__isnull=True).first()
    return found or story_tell(
        enrollment=w.mentee_enrollment, by=w.people.mentee, title="My year", text="Mentoring helped me.",
        consent="anonymous",
    )  # fmt: skip


def own_story(w):
    return {"pk": _matrix_story(w).pk}


def story_guardian_link(w):
    return {"token": _matrix_story(w).guardian_token}


def program_story(w):
    return {"slug": w.program.slug, "pk": _matrix_story(w).pk}


# The story's author (the minor mentee) alone; an empty form of hers is refused (400).
STORY_AUTHOR = roles(404, anonymous=LOGIN, mentee=200)
STORY_AUTHOR_INVALID = roles(404, anonymous=LOGIN, mentee=400)


# --- argument functions: demographics and equity ---
def demographic_question(w):
    from programs.models.demographics import DemographicQuestion

    question, _ = DemographicQuestion.objects.get_or_create(
        program=w.program, topic="gender", defaults={"label": "How do you describe your gender?",
                                                     "options": ["Woman", "Man", "Non-binary"]}
    )  # fmt: skip
    return {"slug": w.program.slug, "pk": question.pk}


# --- argument functions: partners ---
def _matrix_partner(w):
    """A partner of the program, with a contact's read-only link waiting (made on first use)."""
    from programs import partners
    from programs.models import Partner

    found = Partner.objects.filter(program=w.program, name="Matrix Partner").first()
    if found is None:
        found = partners.partner_create(
            program=w.program, by=w.people.coordinator, name="Matrix Partner", kind="school",
            contact_email="contact@partner.test",
        )  # fmt: skip
        partners.viewer_grant(partner=found, email="contact@partner.test", by=w.people.coordinator)
    return found


def matrix_partner(w):
    return {"slug": w.program.slug, "pk": _matrix_partner(w).pk}


def matrix_partner_viewer(w):
    partner = _matrix_partner(w)
    return {"slug": w.program.slug, "pk": partner.pk, "viewer_id": partner.viewers.first().pk}


def partner_viewer_link(w):
    return {"token": _matrix_partner(w).viewers.first().token}


def partner_report(w):
    return {"pk": _matrix_partner(w).pk}


# --- argument functions: cross-program reports ---


# --- argument functions: funder report ---
def funder_pdf(w):
    """A funder report's PDF the coordinator asked for (made on first use; not built)."""
    from evaluation.models import ExportRecord

    period = {"on": "2026-01-01", "start": "2025-01-02", "end": "2026-01-01"}
    record, _ = ExportRecord.objects.get_or_create(
        requested_by=w.people.coordinator, program=w.program, dataset="funder_report", file_format="pdf",
        defaults={"status": "queued", "parameters": period},
    )  # fmt: skip
    return {"slug": w.program.slug, "pk": record.pk}


# Taking a training: the person in its audience; the program's coordinators and staff preview.
TAKER = roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200)
PREVIEWERS_MOVE_ON = acting("mentor", coordinator=to("/trainings/"), staff=to("/trainings/"))

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]
MANAGER_ROLES = ("coordinator", "staff")  # see MANAGERS
PAIR_ROLES = ("mentee", "mentor", *MANAGER_ROLES)  # see PAIR
ENROLLED = ["mentee", "mentor", "outsider"]  # in the program

MATRIX = {
    # --- mentorship: the site ---
    "home": Row(roles(to("/dashboard/"), anonymous=200)),
    "dashboard": Row(SIGNED_IN),
    "healthz": Row(PUBLIC),
    "readyz": Row(PUBLIC, prepare=record_heartbeats),
    "profile": Row(SIGNED_IN, post=acting(*SIGNED_IN_ROLES)),  # one's own
    "audit_list": Row(STAFF),
    "audit_export": Row(STAFF),
    # --- programs: public pages and one's own application ---
    "programs:list": Row(PUBLIC),
    "programs:detail": Row(PUBLIC, program),
    # Those already in the program are sent to their application.
    "programs:apply": Row(
        roles(200, anonymous=LOGIN, **dict.fromkeys(ENROLLED, to("/applications/"))),
        lambda w: {"slug": w.program.slug, "role": "mentee"},
        post=acting(
            "coordinator", "other_coordinator", "staff", **dict.fromkeys(ENROLLED, to("/applications/"))
        ),
    ),
    "programs:enrollment": Row(roles(404, anonymous=LOGIN, mentee=200), application),
    "programs:enrollment_withdraw": Row(POST_ONLY, application, post=acting("mentee")),
    "programs:enrollment_guardian": Row(POST_ONLY, application, post=acting("mentee")),
    "programs:enrollment_area": Row(POST_ONLY, application, post=acting("mentee")),
    # The guardian's links: the consent was answered already (the page says so).
    "programs:guardian_consent": Row(TOKEN_HOLDER, consent_link, post=INVALID_FOR_ALL),
    "programs:guardian": Row(TOKEN_HOLDER, guardian_link),
    "programs:guardian_withdraw": Row(TOKEN_HOLDER, guardian_link, post=INVALID_FOR_ALL),
    # --- programs: coordinators ---
    "programs:create": Row(
        roles(404, anonymous=LOGIN, coordinator=200, other_coordinator=200, staff=200),
        post=acting("coordinator", "other_coordinator", "staff"),
    ),
    "programs:dashboard": Row(MANAGERS, program),
    "programs:settings": Row(MANAGERS, program, post=MANAGERS_ACT),
    "programs:status": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:coordinator_add": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:coordinator_remove": Row(
        POST_ONLY, lambda w: {"slug": w.program.slug, "user_id": w.people.coordinator.pk}, post=MANAGERS_ACT
    ),
    "programs:leads": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:checklist_add": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:checklist_remove": Row(
        POST_ONLY,
        lambda w: {"slug": w.program.slug, "item_id": w.program.checklist_items.first().pk},
        post=MANAGERS_ACT,
    ),
    "programs:question_add": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:area_add": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:area_update": Row(POST_ONLY, program_area, post=MANAGERS_ACT),
    "programs:area_remove": Row(POST_ONLY, program_area, post=MANAGERS_ACT),
    "programs:question_remove": Row(
        POST_ONLY,
        lambda w: {"slug": w.program.slug, "question_id": w.program.questions.first().pk},
        post=MANAGERS_ACT,
    ),
    "programs:applicants": Row(MANAGERS, program),
    "programs:applicants_bulk": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "programs:applicants_export": Row(MANAGERS, program),  # a CSV, on the audit trail
    # The minor mentee's application: not for her mentor, whose view of her is the match page.
    "programs:applicant": Row(MANAGERS, applicant),
    "programs:applicant_status": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_screening": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_capacity": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_guardian": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_guardian_resend": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_dob_checked": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_note": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_nudge": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:invite": Row(MANAGERS, program, post=MANAGERS_ACT),
    "programs:import": Row(MANAGERS, program, post=MANAGERS_ACT),
    # Sent to someone with no account yet: anyone may read the page; only they could go on.
    "programs:invitation": Row(
        TOKEN_HOLDER, lambda w: {"token": w.invitation.token}, post=roles(200, anonymous=LOGIN)
    ),
    "programs:invitation_resend": Row(
        POST_ONLY, lambda w: {"slug": w.program.slug, "pk": w.invitation.pk}, post=MANAGERS_ACT
    ),
    # --- matching: coordinators ---
    "matching:program": Row(MANAGERS, program),
    "matching:run_start": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "matching:run_progress": Row(MANAGERS, run),
    "matching:run_cancel": Row(POST_ONLY, run, post=MANAGERS_ACT),
    "matching:accept": Row(POST_ONLY, suggestion, post=MANAGERS_ACT),
    "matching:decline": Row(POST_ONLY, suggestion, post=MANAGERS_ACT),
    "matching:accept_above": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "matching:mentee_options": Row(
        MANAGERS, lambda w: {"slug": w.program.slug, "pk": w.outsider_enrollment.pk}
    ),
    "matching:manual": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "matching:matches": Row(MANAGERS, program),
    # --- matching: a match ---
    "matching:match": Row(PAIR, match),
    # Coordinators load the match but cannot confirm for the pair: sent back with an error.
    "matching:confirm": Row(
        POST_ONLY, match, post=acting("mentee", "mentor", coordinator=to("/matches/"), staff=to("/matches/"))
    ),
    "matching:pause": Row(POST_ONLY, match, post=MANAGERS_ACT),
    "matching:resume": Row(POST_ONLY, match, post=MANAGERS_ACT),
    "matching:close": Row(MANAGERS, match, post=MANAGERS_ACT),
    # --- matching: participants choose (the outsider, unmatched, asked the mentor) ---
    "matching:choose": Row(
        roles(404, anonymous=LOGIN, outsider=200),
        lambda w: {"pk": w.outsider_enrollment.pk},
        post=acting("outsider"),
    ),
    "matching:requests": Row(SIGNED_IN),
    # Only the mentor asked answers, only the mentee who asked withdraws; the other is sent back.
    "matching:request_decide": Row(
        POST_ONLY, match_request, post=acting("mentor", outsider=to("/requests/"))
    ),
    "matching:request_withdraw": Row(
        POST_ONLY, match_request, post=acting("outsider", mentor=to("/applications/"))
    ),
    "matching:own_break": Row(POST_ONLY, application, post=acting("mentee")),
    "matching:applicant_break": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "matching:availability": Row(POST_ONLY, lambda w: {"pk": w.mentor_enrollment.pk}, post=acting("mentor")),
    # --- matching: safeguarding concerns ---
    # Both concern forms are read through a helper, which reads_a_post (below) cannot see.
    "matching:match_concern": Row(PAIR, match, post=PAIR_ACTS),
    "matching:guardian_concern": Row(
        TOKEN_HOLDER, lambda w: {"manage_token": w.consent.manage_token}, post=INVALID_FOR_ALL
    ),
    "matching:guardian_concern_received": Row(
        TOKEN_HOLDER, lambda w: {"manage_token": w.consent.manage_token}
    ),
    # The leads (here: the coordinator) and staff; not the mentor who raised it.
    "matching:concerns": Row(MANAGERS, program),
    "matching:concern": Row(MANAGERS, concern),
    "matching:concern_move": Row(POST_ONLY, concern, post=MANAGERS_ACT),
    "matching:concern_note": Row(POST_ONLY, concern, post=MANAGERS_ACT),
    "matching:concern_pause_contact": Row(MANAGERS, concern, post=MANAGERS_ACT),
    # --- matching: messages (the pair's conversation; the mentee's with the coordinators) ---
    "matching:conversation": Row(PAIR, conversation, post=PAIR_ACTS),
    "matching:conversation_new": Row(PAIR, conversation),
    "matching:match_messages": Row(
        roles(404, anonymous=LOGIN, **dict.fromkeys(PAIR_ROLES, to("/conversations/"))),
        match,
    ),
    # Her own, or her coordinators' (the mentor, her partner, has no business there).
    "matching:enrollment_messages": Row(
        roles(404, anonymous=LOGIN, **dict.fromkeys(("mentee", *MANAGER_ROLES), to("/conversations/"))),
        application,
    ),
    "matching:message_release": Row(POST_ONLY, pair_message, post=MANAGERS_ACT),
    # Any reader but its sender (the mentor) reports it.
    "matching:message_report": Row(
        roles(404, anonymous=LOGIN, mentee=200, coordinator=200, staff=200),
        pair_message,
        post=acting("mentee", "coordinator", "staff"),
    ),
    "matching:inbox": Row(MANAGERS, program),
    # --- matching: meetings (the mentor proposed one to the mentee) ---
    # The pair plans; coordinators and staff see the meetings but do not propose or move them.
    "matching:meetings": Row(PAIR, match, post=acting("mentee", "mentor", coordinator=403, staff=403)),
    "matching:meeting_move": Row(
        roles(404, anonymous=LOGIN, mentee=200, mentor=200, coordinator=403, staff=403),
        meeting,
        post=acting("mentee", "mentor", coordinator=403, staff=403),
    ),
    # Only the mentee answers the mentor's proposal; the others are sent back with the reason.
    "matching:meeting_accept": Row(
        POST_ONLY,
        meeting,
        post=acting("mentee", **dict.fromkeys(("mentor", "coordinator", "staff"), to("/matches/"))),
    ),
    "matching:meeting_decline": Row(
        POST_ONLY,
        meeting,
        post=acting("mentee", **dict.fromkeys(("mentor", "coordinator", "staff"), to("/matches/"))),
    ),
    "matching:meeting_cancel": Row(
        POST_ONLY,
        meeting,
        post=acting("mentee", "mentor", coordinator=to("/matches/"), staff=to("/matches/")),
    ),
    "evaluation:meeting_missed": Row(
        POST_ONLY,
        meeting,
        post=acting("mentee", "mentor", coordinator=to("/matches/"), staff=to("/matches/")),
    ),
    # --- evaluation: the pair's journal ---
    "evaluation:pair": Row(PAIR, match),
    # Check-ins are the pair's own record: coordinators may see the match, not write in it.
    "evaluation:checkin_new": Row(
        roles(404, anonymous=LOGIN, mentee=200, mentor=200, coordinator=403, staff=403),
        match,
        post=acting("mentee", "mentor", coordinator=403, staff=403),
    ),
    "evaluation:contact_new": Row(MANAGERS, match, post=MANAGERS_ACT),
    "evaluation:contacts_due": Row(MANAGERS, program),
    "evaluation:goal_new": Row(PAIR, match, post=PAIR_ACTS),
    "evaluation:goal_edit": Row(PAIR, lambda w: {"pk": w.goal.pk}, post=PAIR_ACTS),
    # Due to the two of them (they have met); nobody else answers it.
    "evaluation:survey": Row(
        roles(404, anonymous=LOGIN, mentee=200, mentor=200),
        lambda w: {"pk": w.match.pk, "kind": "pairing_fit"},
        post=acting("mentee", "mentor"),
    ),
    # The survey's emailed link is its own key: whoever holds it answers for the mentee.
    "evaluation:survey_link": Row(TOKEN_HOLDER, survey_link, post=INVALID_FOR_ALL),
    # --- evaluation: reports and exports ---
    "evaluation:program_dashboard": Row(MANAGERS, program),
    "evaluation:program_export": Row(MANAGERS, program, post=MANAGERS_ACT),
    "evaluation:staff_dashboard": Row(STAFF),
    "evaluation:staff_export": Row(STAFF, post=acting("staff")),
    "evaluation:definitions": Row(PUBLIC),
    "evaluation:exports": Row(SIGNED_IN),
    # The coordinator asked for it; staff may fetch anyone's.
    "evaluation:export_download": Row(
        roles(404, anonymous=LOGIN, coordinator=200, staff=200), lambda w: {"pk": w.export.pk}
    ),
    # --- evaluation: calendar ---
    "evaluation:calendar": Row(SIGNED_IN),
    "evaluation:calendar_revoke": Row(POST_ONLY, post=acting(*SIGNED_IN_ROLES)),  # one's own address
    "evaluation:feed": Row(TOKEN_HOLDER, lambda w: {"token": w.feed.token}),
    # --- evaluation: staff's pages about a person (here the minor mentee) ---
    "evaluation:people": Row(STAFF),
    "evaluation:person": Row(STAFF, person),
    "evaluation:person_data": Row(STAFF, person),
    "evaluation:person_erase": Row(STAFF, person, post=acting("staff")),
    # --- allauth: accounts and two-factor authentication (their forms are allauth's; the
    # project's use of them has its own tests: tests/mentorship/test_accounts.py, test_mfa.py) ---
    "account_login": Row(roles(to("/dashboard/"), anonymous=200)),
    "account_logout": Row(roles(200, anonymous=to_exactly("/"))),
    "account_inactive": Row(PUBLIC),
    "account_signup": Row(roles(to("/dashboard/"), anonymous=200)),
    "account_reauthenticate": Row(SIGNED_IN),
    "account_email": Row(SIGNED_IN),
    "account_email_verification_sent": Row(PUBLIC),
    "account_change_password": Row(SIGNED_IN),
    "account_set_password": Row(roles(to("/accounts/password/change/"), anonymous=LOGIN)),  # all have one
    "account_reset_password": Row(PUBLIC),
    "account_reset_password_done": Row(PUBLIC),
    # A link with a key nobody was sent: the page says the link is not valid.
    "account_reset_password_from_key": Row(PUBLIC, lambda w: {"uidb36": "1", "key": "no-such-key"}),
    "account_reset_password_from_key_done": Row(PUBLIC),
    "account_confirm_email": Row(PUBLIC, lambda w: {"key": "no-such-key"}),
    # Steps of a login under way: without one, back to the start.
    "account_confirm_login_code": Row(roles(to("/dashboard/"), anonymous=LOGIN)),
    "mfa_authenticate": Row(roles(to("/dashboard/"), anonymous=LOGIN)),
    "mfa_index": Row(SIGNED_IN),
    # A signed-in session is not a recent authentication: these ask for the password again first.
    # Staff have an authenticator (TOTP, no recovery codes yet); nobody else has set one up.
    "mfa_reauthenticate": Row(roles(to("/accounts/reauthenticate/"), anonymous=LOGIN, staff=200)),
    "mfa_activate_totp": Row(roles(to("/accounts/reauthenticate/"), anonymous=LOGIN)),
    "mfa_generate_recovery_codes": Row(roles(to("/accounts/reauthenticate/"), anonymous=LOGIN)),
    "mfa_deactivate_totp": Row(roles(404, anonymous=LOGIN, staff=to("/accounts/reauthenticate/"))),
    "mfa_view_recovery_codes": Row(roles(404, anonymous=LOGIN)),
    "mfa_download_recovery_codes": Row(roles(404, anonymous=LOGIN)),
    # --- programs: trainings (coordinators) ---
    "programs:trainings": Row(MANAGERS, program, post=MANAGERS_ACT),
    "programs:trainings_people": Row(MANAGERS, program, prepare=training_manage),
    "programs:training_manage": Row(MANAGERS, training_manage, post=MANAGERS_ACT),
    "programs:training_publish": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_unpublish": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_archive": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_completion": Row(MANAGERS, training_manage),
    "programs:training_page_add": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_page_edit": Row(MANAGERS, training_manage_page, post=MANAGERS_ACT),
    "programs:training_manage_image": Row(MANAGERS, training_manage_image),
    "programs:training_page_remove": Row(POST_ONLY, training_manage_page, post=MANAGERS_ACT),
    "programs:training_page_move": Row(POST_ONLY, training_manage_page, post=MANAGERS_ACT),
    "programs:training_question_add": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_question_remove": Row(POST_ONLY, training_manage_question, post=MANAGERS_ACT),
    "programs:training_session_add": Row(POST_ONLY, training_manage, post=MANAGERS_ACT),
    "programs:training_attendance": Row(MANAGERS, training_manage_session, post=MANAGERS_ACT),
    "programs:training_attendance_add": Row(POST_ONLY, training_manage_session, post=MANAGERS_ACT),
    "programs:training_session_call_off": Row(POST_ONLY, training_manage_session, post=MANAGERS_ACT),
    "programs:applicant_trainings": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    "programs:applicant_training_remove": Row(POST_ONLY, applicant_training_record, post=MANAGERS_ACT),
    # --- programs: trainings (taking them, guardians) ---
    # The mentor takes the mentors' training; the coordinators and staff preview it (nothing is
    # recorded: their empty POSTs change nothing); the quiz waits until the pages are read.
    "programs:training": Row(TAKER, mentor_training),
    "programs:training_page": Row(TAKER, mentor_training_page, post=PREVIEWERS_MOVE_ON),
    "programs:training_image": Row(TAKER, mentor_training_page),
    "programs:training_quiz": Row(
        roles(404, anonymous=LOGIN, mentor=to("/trainings/"), coordinator=200, staff=200),
        mentor_training,
        post=acting("mentor", coordinator=400, staff=400),
    ),
    "programs:training_session_signup": Row(POST_ONLY, mentor_session, post=PREVIEWERS_MOVE_ON),
    "programs:training_session_cancel": Row(POST_ONLY, mentor_session, post=PREVIEWERS_MOVE_ON),
    # The guardian's orientation, from their link: whoever holds it (a page read is theirs to record).
    "programs:guardian_training": Row(TOKEN_HOLDER, guardian_orientation),
    "programs:guardian_training_page": Row(TOKEN_HOLDER, guardian_orientation_page, post=roles(ACTS)),
    "programs:guardian_training_image": Row(TOKEN_HOLDER, guardian_orientation_page),
    "programs:guardian_training_quiz": Row(
        roles(to("/guardian/")), guardian_orientation, post=roles(to("/guardian/"))
    ),
    # --- programs: resources ---
    # The library: anyone sees what they may (the anonymous visitor, public resources).
    "programs:library": Row(PUBLIC, program),
    "programs:resource_new": Row(MANAGERS, program, post=MANAGERS_ACT),
    "programs:resource_copy": Row(MANAGERS, program, post=MANAGERS_ACT),
    # For mentors: the mentor, coordinators and staff; not the mentees (the outsider is one).
    "programs:resource": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200), mentors_resource
    ),
    # For everyone in the program: its three people, coordinators and staff.
    "programs:resource_file": Row(roles(200, anonymous=LOGIN, other_coordinator=404), program_file_resource),
    "programs:resource_edit": Row(MANAGERS, mentors_resource, post=MANAGERS_ACT),
    "programs:resource_delete": Row(POST_ONLY, mentors_resource, post=MANAGERS_ACT),
    # The guardian's link is the key to the guardians' resources of the mentee's program.
    "programs:guardian_resource": Row(TOKEN_HOLDER, guardian_resource),
    "programs:guardian_resource_file": Row(TOKEN_HOLDER, guardian_file_resource),
    # --- matching: groups (the group page, sessions, goals, conversation) ---
    # The group's people (the mentor leads, the mentee is a member), its coordinators and staff see
    # it; those who run it (the mentor, coordinators, staff) plan sessions, take attendance, set goals.
    "matching:group": Row(PAIR, matrix_group),
    "matching:group_messages": Row(
        roles(404, anonymous=LOGIN, **dict.fromkeys(PAIR_ROLES, to("/conversations/"))), matrix_group
    ),
    "matching:group_goal_new": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200),
        matrix_group,
        post=acting("mentor", "coordinator", "staff"),
    ),
    "matching:group_goal_status": Row(
        POST_ONLY, matrix_group_goal, post=acting("mentor", "coordinator", "staff")
    ),
    "matching:group_session_new": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200),
        matrix_group,
        post=acting("mentor", "coordinator", "staff"),
    ),
    "matching:group_session": Row(PAIR, matrix_group_session),
    "matching:group_session_edit": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200),
        matrix_group_session,
        post=acting("mentor", "coordinator", "staff"),
    ),
    "matching:group_session_cancel": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200),
        matrix_group_session,
        post=acting("mentor", "coordinator", "staff"),
    ),
    "matching:group_attendance": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200),
        matrix_group_session,
        post=acting("mentor", "coordinator", "staff"),
    ),
    # Only a member who came rates it; the others who see the session are sent back with the reason.
    "matching:group_feedback": Row(POST_ONLY, matrix_group_session, post=PAIR_ACTS),
    # --- matching: group matching and peer circles ---
    "matching:groups": Row(MANAGERS, program),
    "matching:group_new": Row(MANAGERS, program, post=PLACING_INVALID),
    "matching:group_run_start": Row(POST_ONLY, program, post=MANAGERS_ACT),
    "matching:group_run": Row(MANAGERS, group_run_proposal),
    "matching:group_run_apply": Row(POST_ONLY, group_run_proposal, post=MANAGERS_ACT),
    "matching:group_run_discard": Row(POST_ONLY, group_run_proposal, post=MANAGERS_ACT),
    "matching:group_member_place": Row(MANAGERS, placing_group, post=PLACING_INVALID),
    "matching:group_member_move": Row(MANAGERS, placing_member, post=PLACING_INVALID),
    "matching:group_member_remove": Row(MANAGERS, placing_member, post=MANAGERS_ACT),
    "matching:group_leader_add": Row(MANAGERS, placing_group, post=PLACING_INVALID),
    "matching:group_start": Row(POST_ONLY, placing_group, post=MANAGERS_ACT),
    "matching:group_close": Row(MANAGERS, placing_group, post=MANAGERS_ACT),
    # --- programs: events ---
    # The coordinators' pages: the program's coordinators and staff.
    "programs:events": Row(MANAGERS, program),
    "programs:event_new": Row(MANAGERS, program, post=MANAGERS_ACT),
    "programs:event_edit": Row(MANAGERS, matrix_event, post=MANAGERS_ACT),
    "programs:event_publish": Row(POST_ONLY, matrix_event, post=MANAGERS_ACT),
    "programs:event_cancel": Row(MANAGERS, matrix_event, post=MANAGERS_ACT),
    "programs:event_attendance": Row(MANAGERS, matrix_event, post=MANAGERS_ACT),
    # The event (for the program's people only): its three people, coordinators and staff; a
    # visitor is asked to sign in (whatever the number).
    "programs:event": Row(roles(200, anonymous=LOGIN, other_coordinator=404), matrix_event),
    "programs:event_ics": Row(roles(200, anonymous=LOGIN, other_coordinator=404), matrix_event),
    # Coordinators and staff are not in its audience: refused with a message, nothing written.
    "programs:event_rsvp": Row(
        POST_ONLY,
        matrix_event,
        post=acting("mentee", "mentor", "outsider", coordinator=to("/events/"), staff=to("/events/")),
    ),
    # Nobody replied yet: "no place to cancel", nothing written.
    "programs:event_rsvp_cancel": Row(
        POST_ONLY, matrix_event, post=roles(to("/events/"), anonymous=LOGIN, other_coordinator=404)
    ),
    "programs:event_feedback": Row(TOKEN_HOLDER, matrix_event_feedback, post=INVALID_FOR_ALL),
    "programs:public_events": Row(PUBLIC, program),
    # --- matching: discussion boards ---
    "matching:board": Row(BOARD_READERS, program),
    "matching:topic_new": Row(BOARD_READERS, program, post=BOARD_WRITERS),
    "matching:group_board": Row(GROUP_BOARD_READERS, board_group),
    "matching:group_topic_new": Row(
        GROUP_BOARD_READERS, board_group, post=acting("mentee", "mentor", "coordinator", "staff")
    ),
    "matching:topic": Row(BOARD_READERS, board_topic),
    "matching:post_reply": Row(POST_ONLY, board_topic, post=BOARD_WRITERS),
    # Moderation: the program's coordinators and staff.
    "matching:topic_pin": Row(POST_ONLY, board_topic, post=MANAGERS_ACT),
    "matching:topic_lock": Row(POST_ONLY, board_topic, post=MANAGERS_ACT),
    "matching:topic_hide": Row(POST_ONLY, board_topic, post=MANAGERS_ACT),
    "matching:post_hide": Row(POST_ONLY, board_post, post=MANAGERS_ACT),
    "matching:post_release": Row(POST_ONLY, board_post, post=MANAGERS_ACT),
    # Any reader but its author (the mentor) reports it.
    "matching:post_report": Row(
        roles(200, anonymous=LOGIN, mentor=404, other_coordinator=404),
        board_post,
        post=acting("mentee", "outsider", "coordinator", "staff"),
    ),
    # --- evaluation: recognition ---
    # The certificate: the mentor themself, the program's coordinators and staff.
    "evaluation:certificate": Row(
        roles(404, anonymous=LOGIN, mentor=200, coordinator=200, staff=200), recognition_mentor
    ),
    "evaluation:volunteer_hours": Row(STAFF),
    "evaluation:program_volunteer_hours": Row(MANAGERS, program),
    # An empty note is refused (400) and sends nothing.
    "evaluation:thank_you_new": Row(
        MANAGERS, recognition_recipient, post=roles(404, anonymous=LOGIN, coordinator=400, staff=400)
    ),
    # Put away by the person thanked (their POST is not tried: it changes the note).
    "evaluation:thank_you_dismiss": Row(POST_ONLY, recognition_thank_you, post=acting("mentor")),
    # --- evaluation: stories ---
    "evaluation:story_new": Row(STORY_AUTHOR, story_enrollment, post=STORY_AUTHOR_INVALID),
    "evaluation:my_stories": Row(SIGNED_IN),
    "evaluation:story_edit": Row(STORY_AUTHOR, own_story, post=STORY_AUTHOR_INVALID),
    "evaluation:story_withdraw": Row(STORY_AUTHOR, own_story, post=acting("mentee")),
    "evaluation:story_proposal": Row(POST_ONLY, own_story, post=acting("mentee")),
    # The guardian's link to the story waiting for their agreement: whoever holds it.
    "evaluation:story_guardian": Row(TOKEN_HOLDER, story_guardian_link, post=INVALID_FOR_ALL),
    "evaluation:stories_public": Row(PUBLIC, program),
    "evaluation:stories_manage": Row(MANAGERS, program),
    "evaluation:story_propose": Row(
        MANAGERS, program_story, post=roles(404, anonymous=LOGIN, coordinator=400, staff=400)
    ),
    "evaluation:story_feature": Row(POST_ONLY, program_story, post=MANAGERS_ACT),
    # --- programs: demographics ---
    # An empty form is refused (400) and writes nothing.
    "programs:demographic_questions": Row(
        MANAGERS, program, post=roles(404, anonymous=LOGIN, coordinator=400, staff=400)
    ),
    "programs:demographic_question_edit": Row(
        MANAGERS, demographic_question, post=roles(404, anonymous=LOGIN, coordinator=400, staff=400)
    ),
    "programs:demographic_question_move": Row(POST_ONLY, demographic_question, post=MANAGERS_ACT),
    "programs:demographic_question_retire": Row(POST_ONLY, demographic_question, post=MANAGERS_ACT),
    # One's own answers: nobody else's, ever.
    "programs:about_you": Row(roles(404, anonymous=LOGIN, mentee=200), application, post=acting("mentee")),
    # --- evaluation: equity ---
    "evaluation:equity": Row(MANAGERS, program),
    # --- programs: partners ---
    # The program's coordinators and staff keep the records; an empty form is refused (400).
    "programs:partners": Row(MANAGERS, program, post=acting(coordinator=400, staff=400)),
    "programs:partner": Row(MANAGERS, matrix_partner, post=acting(coordinator=400, staff=400)),
    "programs:partner_archive": Row(POST_ONLY, matrix_partner, post=MANAGERS_ACT),
    # Not archived: nothing to restore, said with a message.
    "programs:partner_restore": Row(
        POST_ONLY, matrix_partner, post=acting(coordinator=to("/programs/"), staff=to("/programs/"))
    ),
    "programs:partner_viewer_grant": Row(POST_ONLY, matrix_partner, post=acting(coordinator=400, staff=400)),
    "programs:partner_viewer_resend": Row(POST_ONLY, matrix_partner_viewer, post=MANAGERS_ACT),
    "programs:partner_viewer_revoke": Row(POST_ONLY, matrix_partner_viewer, post=MANAGERS_ACT),
    "programs:applicant_partner": Row(POST_ONLY, applicant, post=MANAGERS_ACT),
    # The contact's emailed link: a visitor is asked to log in; a signed-in account takes it (a POST).
    "programs:partner_viewer_accept": Row(TOKEN_HOLDER, partner_viewer_link, post=roles(ACTS, anonymous=200)),
    # The contact's figures: their accepted login (no role of the world has one), the program's
    # coordinators and staff (a preview).
    "evaluation:partner_report": Row(MANAGERS, partner_report),
    # --- evaluation: cross-program reports ---
    "evaluation:programs_compared": Row(STAFF),
    # An empty POST has no file format: refused (400), nothing exported.
    "evaluation:programs_compared_export": Row(POST_ONLY, post=roles(404, anonymous=LOGIN, staff=400)),
    # --- evaluation: funder report ---
    "evaluation:funder_report": Row(MANAGERS, program),
    # An empty POST asks for the PDF of the default period (not tried for those who may).
    "evaluation:funder_report_pdf": Row(POST_ONLY, program, post=MANAGERS_ACT),
    # The coordinator asked for it; staff may follow anyone's.
    "evaluation:funder_report_progress": Row(MANAGERS, funder_pdf),
}


def outcome(response):
    if response.status_code in (301, 302):
        return response.status_code, response.url
    return response.status_code


def matches(got, expected):
    if not isinstance(expected, tuple):
        return got == expected
    if not isinstance(got, tuple) or got[0] != expected[0]:
        return False
    if len(expected) == 3:
        return urlsplit(got[1]).path == expected[1]
    return got[1].startswith(expected[1])


def sign_in(client, login_as, w, role):
    client.logout()
    login_as(w, role)
