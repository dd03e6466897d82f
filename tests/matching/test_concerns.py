"""Safeguarding concerns: raised by a match's people, its coordinators or a guardian; emailed to each
safeguarding lead at once without the text; seen and triaged by the leads and staff only."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching import concerns
from matching import services as matching_services
from matching.access import concerns_nav_for
from matching.models import Concern, ConcernNote, ConcernStatus, ConcernUrgency, MatchSource, MatchStatus
from mentorship.models import AuditEntry, OutboundEmail
from programs.models import GuardianConsent, ProgramStatus
from tests import scenarios
from tests.once import once

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SECRET = "He said not to tell anyone about the texts he sends at night."


@dataclass
class ConcernWorld:
    """A running youth program run by Cora, Lena and Leo, where Lena and Leo are the named
    safeguarding leads (Cora is a coordinator, not a lead); Ada mentors Ben (active match); Ben's
    guardian Pat has a consent link. Olga runs another program; Sid is staff."""

    program: object
    cora: object
    lena: object
    leo: object
    olga: object
    staff: object
    mentor: object
    mentee: object
    match: object
    consent: object


@pytest.fixture
def cw(db):
    cora = scenarios.coordinator(email="cora@concerns.test", display_name="Cora Coordinator")
    lena = scenarios.coordinator(email="lena@concerns.test", display_name="Lena Lead")
    leo = scenarios.coordinator(email="leo@concerns.test", display_name="Leo Lead")
    program = scenarios.program(
        coordinator=cora, name="Riverside Youth Mentoring", status=ProgramStatus.RUNNING
    )
    program.coordinators.add(lena, leo)
    program.safeguarding_leads.add(lena, leo)
    olga = scenarios.coordinator(email="olga@concerns.test", display_name="Olga Other")
    scenarios.program(coordinator=olga, name="Southside Careers")
    staff = scenarios.person(
        email="sid@concerns.test", display_name="Sid Staff", is_staff=True, is_superuser=True
    )
    mentor = scenarios.ready_mentor(
        program=program, email="ada@concerns.test", display_name="Ada", skills=["Coding"]
    )
    mentee = scenarios.ready_mentee(
        program=program, email="ben@concerns.test", display_name="Ben", goals=["Coding"]
    )
    match = matching_services.match_propose(
        program=program, mentee=mentee, mentor=mentor, by=cora, source=MatchSource.MANUAL
    )
    matching_services.match_confirm(match=match, by=mentee.user)
    match = matching_services.match_confirm(match=match, by=mentor.user)
    consent = GuardianConsent.objects.create(
        enrollment=mentee,
        guardian_name="Pat Parent",
        guardian_email="pat@concerns.test",
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    # The setting up (applications, the match) emailed people; those are not what these tests read.
    OutboundEmail.objects.update(sent_at=timezone.now())
    return ConcernWorld(program, cora, lena, leo, olga, staff, mentor, mentee, match, consent)


def user_of(cw, role, concern=None):
    return {
        "anonymous": None,
        "mentee": cw.mentee.user,
        "mentor": cw.mentor.user,
        "reporter": concern.raised_by if concern else None,
        "other_coordinator": cw.olga,
        "non_lead_coordinator": cw.cora,
        "lead": cw.lena,
        "staff": cw.staff,
    }[role]


def raise_concern(cw, *, by=None, urgency=ConcernUrgency.SOON, text=SECRET):
    return concerns.concern_raise(
        match=cw.match, by=by or cw.mentee.user, what_happened=text, urgency=urgency
    )


def form(text=SECRET, urgency="urgent"):
    return {"what_happened": text, "urgency": urgency}


# --- Raising a concern -----------------------------------------------------------------------------


def test_the_match_page_offers_to_raise_a_concern(client, cw):
    client.force_login(cw.mentee.user)
    page = client.get(cw.match.get_absolute_url()).content.decode()
    assert "Raise a safeguarding concern" in page
    assert reverse("matching:match_concern", args=[cw.match.pk]) in page


@pytest.mark.parametrize("role", ["mentee", "mentor", "non_lead_coordinator"])
def test_a_match_person_or_coordinator_raises_a_concern_and_each_lead_gets_one_email_without_the_text(
    client, cw, mailoutbox, send_queued_emails, role
):
    reporter = user_of(cw, role)
    client.force_login(reporter)
    url = reverse("matching:match_concern", args=[cw.match.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, once(form()), follow=True)

    concern = Concern.objects.get()
    assert response.redirect_chain[-1][0] == cw.match.get_absolute_url()
    expected_as = {"mentee": "mentee", "mentor": "mentor", "non_lead_coordinator": "coordinator"}[role]
    assert (concern.raised_as, concern.raised_by, concern.match) == (expected_as, reporter, cw.match)
    assert (concern.status, concern.urgency, concern.what_happened) == ("new", "urgent", SECRET)
    # The reporter sees that it was received, and when; never the concern itself.
    page = response.content.decode()
    assert "received on" in page and date_format(timezone.localdate(), "j F Y") in page
    assert SECRET not in page
    assert client.get(concern.get_absolute_url()).status_code == 404

    send_queued_emails()
    assert sorted(m.to[0] for m in mailoutbox) == ["lena@concerns.test", "leo@concerns.test"]
    for email in mailoutbox:
        assert SECRET not in email.body and "texts" not in email.body
        assert "Riverside Youth Mentoring" in email.subject and email.subject.startswith("URGENT")
        assert ConcernUrgency.URGENT.label in email.body
        assert f"Raised by: the {expected_as}" in email.body
        assert reporter.display_name not in email.body
        assert concern.get_absolute_url() in email.body
    audit = AuditEntry.objects.get(action="concern.raised")
    assert audit.actor == reporter and audit.target_id == concern.pk
    assert "texts" not in audit.summary


def test_a_guardian_raises_a_concern_from_their_link_without_logging_in(
    client, cw, mailoutbox, send_queued_emails
):
    url = reverse("matching:guardian_concern", args=[cw.consent.manage_token])
    assert url == f"/guardian/{cw.consent.manage_token}/concern/"
    page = client.get(url)
    assert page.status_code == 200 and "Ben" in page.content.decode()

    response = client.post(url, once(form(urgency="soon")), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "matching:guardian_concern_received", args=[cw.consent.manage_token]
    )
    page = response.content.decode()
    assert "received on" in page and date_format(timezone.localdate(), "j F Y") in page
    assert SECRET not in page
    concern = Concern.objects.get()
    assert concern.raised_as == "guardian (Pat Parent)" and concern.raised_by is None
    assert (concern.enrollment, concern.match, concern.program) == (cw.mentee, cw.match, cw.program)
    send_queued_emails()
    assert sorted(m.to[0] for m in mailoutbox) == ["lena@concerns.test", "leo@concerns.test"]
    for email in mailoutbox:
        assert "Raised by: the guardian" in email.body
        assert "Pat Parent" not in email.body and SECRET not in email.body
        assert not email.subject.startswith("URGENT")
    audit = AuditEntry.objects.get(action="concern.raised")
    assert audit.actor is None and audit.actor_label == "guardian (Pat Parent)"


def test_a_guardian_concern_without_an_open_match_is_about_the_enrollment(client, cw):
    matching_services.match_close(match=cw.match, by=cw.cora, reason="completed", anticipated=True)
    client.post(reverse("matching:guardian_concern", args=[cw.consent.manage_token]), once(form()))
    concern = Concern.objects.get()
    assert (concern.enrollment, concern.match) == (cw.mentee, None)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_revoked_guardian_link_is_404(client, cw, method):
    bad = reverse("matching:guardian_concern", args=[uuid.uuid4()])
    assert getattr(client, method)(bad, form()).status_code == 404
    GuardianConsent.objects.filter(pk=cw.consent.pk).update(revoked_at=timezone.now())
    for name in ("matching:guardian_concern", "matching:guardian_concern_received"):
        url = reverse(name, args=[cw.consent.manage_token])
        assert getattr(client, method)(url, form()).status_code == 404
    assert not Concern.objects.exists()


def test_without_named_leads_every_coordinator_is_a_lead(client, cw, mailoutbox, send_queued_emails):
    cw.program.safeguarding_leads.clear()
    raise_concern(cw)
    send_queued_emails()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "cora@concerns.test",
        "lena@concerns.test",
        "leo@concerns.test",
    ]
    client.force_login(cw.cora)
    assert client.get(reverse("matching:concerns", args=[cw.program.slug])).status_code == 200


@pytest.mark.parametrize(
    "data, error",
    [
        ({"what_happened": "", "urgency": "soon"}, "This field is required"),
        ({"what_happened": "   ", "urgency": "soon"}, "This field is required"),
        ({"what_happened": "x" * 5001, "urgency": "soon"}, "at most 5000 characters"),
        ({"what_happened": "Something", "urgency": "tomorrow"}, "Select a valid choice"),
        ({"what_happened": "Something"}, "This field is required"),
    ],
)
def test_bad_input_re_renders_the_concern_form_with_errors(client, cw, data, error):
    client.force_login(cw.mentor.user)
    for url in (
        reverse("matching:match_concern", args=[cw.match.pk]),
        reverse("matching:guardian_concern", args=[cw.consent.manage_token]),
    ):
        response = client.post(url, once(data))
        assert response.status_code == 400, url
        assert error in response.content.decode()
    assert not Concern.objects.exists()


def test_the_service_refuses_empty_or_unknown_input(cw):
    with pytest.raises(ValidationError):
        concerns.concern_raise(match=cw.match, by=cw.mentee.user, what_happened=" ", urgency="soon")
    with pytest.raises(ValidationError):
        concerns.concern_raise(match=cw.match, by=cw.mentee.user, what_happened="x", urgency="whenever")
    cw.consent.revoked_at = timezone.now()
    with pytest.raises(ValidationError):
        concerns.concern_raise(consent=cw.consent, what_happened="x", urgency="soon")
    assert not Concern.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "other_coordinator"])
def test_strangers_cannot_raise_a_concern_on_a_match(client, cw, role):
    user = user_of(cw, role)
    if user:
        client.force_login(user)
    response = client.post(reverse("matching:match_concern", args=[cw.match.pk]), once(form()))
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert not Concern.objects.exists()


# --- Who sees concerns ---------------------------------------------------------------------------

# Who matters to a concern, rather than tests.scenarios.ROLES (which tests/test_url_matrix.py walks
# the concern pages with): the one who raised it, and the program's coordinators split into its
# safeguarding lead and a coordinator who is not one.
CONCERN_ROLES = [
    "anonymous",
    "mentee",
    "mentor",
    "reporter",
    "other_coordinator",
    "non_lead_coordinator",
    "lead",
    "staff",
]


def lead_urls(cw, concern):
    """(method, url, data, what a lead gets)."""
    pk = concern.pk
    return [
        ("get", reverse("matching:concerns", args=[cw.program.slug]), None, 200),
        ("get", reverse("matching:concern", args=[pk]), None, 200),
        (
            "post",
            reverse("matching:concern_move", args=[pk]),
            {"to_status": "acknowledged", "seen": "new"},
            302,
        ),
        ("post", reverse("matching:concern_note", args=[pk]), {"text": "Called the family."}, 302),
        ("get", reverse("matching:concern_pause_contact", args=[pk]), None, 200),
        ("post", reverse("matching:concern_pause_contact", args=[pk]), {}, 302),
    ]


@pytest.mark.parametrize("role", CONCERN_ROLES)
def test_concerns_are_for_the_programs_leads_and_staff_only(client, cw, role):
    # Raised by the mentor, so the reporter is neither the mentee nor a coordinator.
    concern = raise_concern(cw, by=cw.mentor.user)
    user = user_of(cw, role, concern)
    if user:
        client.force_login(user)
    for method, url, data, lead_gets in lead_urls(cw, concern):
        response = getattr(client, method)(url, once(data) if method == "post" else data)
        if role == "anonymous":
            assert response.status_code == 302 and response.url.startswith(LOGIN), url
        elif role in ("lead", "staff"):
            assert response.status_code == lead_gets, f"{role} at {method} {url}"
        else:
            assert response.status_code == 404, f"{role} at {method} {url}"
    concern.refresh_from_db()
    cw.match.refresh_from_db()
    if role in ("lead", "staff"):
        assert concern.status == ConcernStatus.ACKNOWLEDGED
        assert cw.match.status == MatchStatus.PAUSED
        assert concern.notes.count() == 3
    else:
        assert concern.status == ConcernStatus.NEW
        assert cw.match.status == MatchStatus.ACTIVE
        assert not concern.notes.exists()


def test_a_lead_who_is_not_a_coordinator_sees_concerns_but_not_the_program_pages(client, cw):
    outsider_lead = scenarios.person(email="sam@concerns.test", display_name="Sam Safeguarding")
    cw.program.safeguarding_leads.add(outsider_lead)
    concern = raise_concern(cw)
    client.force_login(outsider_lead)
    assert client.get(reverse("matching:concerns", args=[cw.program.slug])).status_code == 200
    page = client.get(concern.get_absolute_url())
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert reverse("matching:program", args=[cw.program.slug]) not in page.content.decode()
    assert client.get(reverse("matching:program", args=[cw.program.slug])).status_code == 404


def test_the_concern_page_shows_the_concern_its_notes_and_triage_history(client, cw):
    concern = raise_concern(cw, by=cw.mentor.user)
    concerns.concern_move(concern=concern, by=cw.lena, to_status="acknowledged", note="Spoke to Ada.")
    concerns.concern_note_add(concern=concern, by=cw.leo, text="Agreed next steps with Lena.")
    client.force_login(cw.staff)
    page = client.get(concern.get_absolute_url()).content.decode()
    for text in (SECRET, "The mentor", "Ada", "Lena Lead", "New → Acknowledged", "Spoke to Ada.", "Leo Lead"):
        assert text in page, text
    assert "Agreed next steps with Lena." in page


# --- Triage ---------------------------------------------------------------------------------------


def test_triage_moves_through_the_allowed_steps_each_recorded_with_who_and_when(cw):
    concern = raise_concern(cw)
    concerns.concern_move(concern=concern, by=cw.lena, to_status="acknowledged")
    concerns.concern_move(concern=concern, by=cw.leo, to_status="escalated", note="Reported to the council.")
    concerns.concern_move(concern=concern, by=cw.lena, to_status="resolved", note="Closed by the council.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.RESOLVED and not concern.is_open
    steps = [(n.author, n.from_status, n.to_status, n.text) for n in concern.notes.all()]
    assert steps == [
        (cw.lena, "new", "acknowledged", ""),
        (cw.leo, "acknowledged", "escalated", "Reported to the council."),
        (cw.lena, "escalated", "resolved", "Closed by the council."),
    ]
    assert all(n.created_at for n in concern.notes.all())
    actions = list(
        AuditEntry.objects.filter(target_id=concern.pk).order_by("pk").values_list("action", "summary")
    )
    assert [a for a, _ in actions] == [
        "concern.raised",
        "concern.acknowledged",
        "concern.escalated",
        "concern.resolved",
    ]
    assert not any("council" in s for _, s in actions)


@pytest.mark.parametrize(
    "path, to_status, message",
    [
        ([], "resolved", "is new, so it cannot become resolved. From new it can only become acknowledged."),
        ([], "escalated", "is new, so it cannot become escalated."),
        (
            ["acknowledged"],
            "new",
            "cannot become new. From acknowledged it can only become escalated or resolved.",
        ),
        (["acknowledged", "resolved"], "escalated", "Nothing follows resolved."),
        ([], "bogus", "Choose what the concern becomes."),
    ],
)
def test_a_disallowed_step_is_refused_with_a_clear_message(cw, path, to_status, message):
    concern = raise_concern(cw)
    for step in path:
        concerns.concern_move(concern=concern, by=cw.lena, to_status=step)
    before = concern.notes.count()
    with pytest.raises(ValidationError, match=message):
        concerns.concern_move(concern=concern, by=cw.lena, to_status=to_status)
    assert concern.notes.count() == before


def test_two_leads_clicking_at_once_cannot_both_move_it(cw):
    raise_concern(cw)
    seen_by_lena, seen_by_leo = Concern.objects.get(), Concern.objects.get()
    concerns.concern_move(concern=seen_by_lena, by=cw.lena, to_status="acknowledged")
    with pytest.raises(ValidationError, match="changed meanwhile"):
        concerns.concern_move(concern=seen_by_leo, by=cw.leo, to_status="acknowledged")
    assert ConcernNote.objects.count() == 1


def test_a_refused_step_through_the_page_is_a_400_with_the_message(client, cw):
    concern = raise_concern(cw)
    client.force_login(cw.lena)
    url = reverse("matching:concern_move", args=[concern.pk])
    response = client.post(url, once({"to_status": "resolved", "seen": "new", "note": "Keep me"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This concern is new, so it cannot become resolved" in page and "Keep me" in page
    for data in ({}, {"to_status": "later", "seen": "new"}, {"to_status": "acknowledged"}):
        assert client.post(url, once(data)).status_code == 400
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_a_step_from_a_stale_page_is_refused_and_shows_what_changed(client, cw):
    concern = raise_concern(cw)
    concerns.concern_move(concern=concern, by=cw.leo, to_status="acknowledged")
    client.force_login(cw.lena)
    response = client.post(
        reverse("matching:concern_move", args=[concern.pk]), {"to_status": "acknowledged", "seen": "new"}
    )
    assert response.status_code == 400
    assert "Another lead changed this concern meanwhile" in response.content.decode()
    assert concern.notes.count() == 1


def test_an_empty_note_is_refused(client, cw):
    concern = raise_concern(cw)
    client.force_login(cw.lena)
    response = client.post(reverse("matching:concern_note", args=[concern.pk]), once({"text": "  "}))
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not concern.notes.exists()


def test_a_note_is_kept_with_author_and_time_and_audited_without_its_text(cw):
    concern = raise_concern(cw)
    note = concerns.concern_note_add(concern=concern, by=cw.lena, text="Phoned Ben's school.")
    assert (note.author, note.text, note.from_status, note.to_status) == (
        cw.lena,
        "Phoned Ben's school.",
        "",
        "",
    )
    audit = AuditEntry.objects.get(action="concern.note")
    assert audit.actor == cw.lena and "school" not in audit.summary


# --- Pause contact --------------------------------------------------------------------------------


def test_pause_contact_asks_first_and_says_what_will_happen(client, cw):
    concern = raise_concern(cw)
    client.force_login(cw.lena)
    detail = client.get(concern.get_absolute_url()).content.decode()
    assert (
        "button-danger" in detail and reverse("matching:concern_pause_contact", args=[concern.pk]) in detail
    )
    page = client.get(reverse("matching:concern_pause_contact", args=[concern.pk])).content.decode()
    assert "Check-in reminders stop" in page and "Pause contact now" in page and "button-danger" in page
    cw.match.refresh_from_db()
    assert cw.match.status == MatchStatus.ACTIVE  # asking is not doing


def test_pause_contact_pauses_the_match_and_the_pair_sees_why(client, cw):
    concern = raise_concern(cw)
    client.force_login(cw.lena)
    response = client.post(reverse("matching:concern_pause_contact", args=[concern.pk]))
    assert response.status_code == 302 and response.url == concern.get_absolute_url()
    cw.match.refresh_from_db()
    assert cw.match.status == MatchStatus.PAUSED
    assert cw.match.pause_reason == concerns.PAUSE_CONTACT_REASON == "Contact paused by a safeguarding lead"
    note = concern.notes.get()
    assert note.author == cw.lena and "Contact paused" in note.text
    assert AuditEntry.objects.filter(action="concern.pause_contact", actor=cw.lena).exists()
    client.force_login(cw.mentee.user)
    page = client.get(cw.match.get_absolute_url()).content.decode()
    assert "Contact paused by a safeguarding lead" in page
    assert SECRET not in page


def test_pausing_a_match_that_is_not_active_is_refused_not_a_500(client, cw):
    concern = raise_concern(cw)
    concerns.concern_pause_contact(concern=concern, by=cw.lena)
    client.force_login(cw.leo)
    response = client.post(reverse("matching:concern_pause_contact", args=[concern.pk]))
    assert response.status_code == 400
    assert "Only an active match can be paused" in response.content.decode()
    assert concern.notes.count() == 1


def test_a_guardian_concern_without_a_match_has_no_contact_to_pause(cw):
    matching_services.match_close(match=cw.match, by=cw.cora, reason="completed", anticipated=True)
    concern = concerns.concern_raise(consent=cw.consent, what_happened=SECRET, urgency="low")
    with pytest.raises(ValidationError, match="not about a match"):
        concerns.concern_pause_contact(concern=concern, by=cw.lena)


# --- The leads' list and the navigation -----------------------------------------------------------


def test_the_list_filters_by_status_newest_first(client, cw):
    first = raise_concern(cw)
    second = raise_concern(cw, by=cw.mentor.user)
    concerns.concern_move(concern=first, by=cw.lena, to_status="acknowledged")
    client.force_login(cw.lena)
    url = reverse("matching:concerns", args=[cw.program.slug])
    everything = list(client.get(url).context["page"])
    assert everything == [second, first]
    assert list(client.get(url, {"status": "acknowledged"}).context["page"]) == [first]
    assert list(client.get(url, {"status": "new"}).context["page"]) == [second]
    assert client.get(url, {"status": "nonsense"}).status_code == 200


def test_the_list_costs_the_same_queries_for_one_row_or_many(client, cw):
    client.force_login(cw.lena)
    url = reverse("matching:concerns", args=[cw.program.slug])
    raise_concern(cw)
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        raise_concern(cw, by=cw.mentor.user)
    concerns.concern_raise(consent=cw.consent, what_happened=SECRET, urgency="low")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 8
    assert len(many) == len(one)


def test_the_program_nav_shows_leads_and_staff_the_concerns_link_with_the_new_count(client, cw):
    raise_concern(cw)
    raise_concern(cw, by=cw.mentor.user)
    concerns.concern_move(concern=Concern.objects.last(), by=cw.lena, to_status="acknowledged")
    page_url = reverse("matching:matches", args=[cw.program.slug])
    concerns_url = reverse("matching:concerns", args=[cw.program.slug])
    for user in (cw.lena, cw.staff):
        client.force_login(user)
        page = client.get(page_url).content.decode()
        assert concerns_url in page and "1 new" in page
    client.force_login(cw.cora)
    assert concerns_url not in client.get(page_url).content.decode()


def test_the_nav_costs_one_query(cw, django_assert_num_queries):
    raise_concern(cw)
    with django_assert_num_queries(1):
        assert concerns_nav_for(cw.lena, cw.program) == 1


def test_the_navs_lead_check_agrees_with_program_is_lead(cw):
    # concerns_nav_for restates Program.leads() in SQL; pin it to the model's rule.
    outsider_lead = scenarios.person(email="sam@concerns.test")
    people = [cw.cora, cw.lena, cw.leo, cw.olga, cw.mentee.user, cw.mentor.user, outsider_lead]
    for named in ([cw.lena, cw.leo], [outsider_lead], []):
        cw.program.safeguarding_leads.set(named)
        for person in people:
            assert (concerns_nav_for(person, cw.program) is not None) == cw.program.is_lead(person), (
                named,
                person,
            )


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_shows_concerns_but_never_adds_changes_or_deletes_them(client, cw):
    concern = raise_concern(cw)
    concerns.concern_note_add(concern=concern, by=cw.lena, text="A note")
    client.force_login(cw.staff)
    assert client.get(reverse("admin:matching_concern_changelist")).status_code == 200
    assert client.get(reverse("admin:matching_concern_change", args=[concern.pk])).status_code == 200
    assert client.get(reverse("admin:matching_concern_add")).status_code == 403
    assert client.get(reverse("admin:matching_concern_delete", args=[concern.pk])).status_code == 403
    response = client.post(
        reverse("admin:matching_concern_change", args=[concern.pk]),
        {"what_happened": "edited", "status": "resolved"},
    )
    assert response.status_code == 403
    note = concern.notes.get()
    assert client.get(reverse("admin:matching_concernnote_delete", args=[note.pk])).status_code == 403
    assert client.get(reverse("admin:matching_concernnote_add")).status_code == 403
    concern.refresh_from_db()
    assert concern.what_happened == SECRET and concern.status == ConcernStatus.NEW
