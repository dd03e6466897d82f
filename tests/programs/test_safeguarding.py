"""The trust model: who may see and change a minor's record is decided by someone accountable,
recorded, and reversible. Each test names the finding of the safeguarding review it covers."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matching import services as matching_services
from matching.models import MatchSource, MatchStatus
from mentorship.models import AuditEntry, Profile
from programs import guardians, selectors, services
from programs.models import ConsentAnswer, Enrollment, GuardianConsent, Role
from tests import scenarios

pytestmark = pytest.mark.django_db


def teen_born():
    today = dt.date.today()
    return today.replace(year=today.year - 15) - dt.timedelta(days=40)


# --- Finding 2: coordinator authority is granted, never taken -------------------------------------


def test_a_coordinator_cannot_make_a_mentee_account_a_co_coordinator(world, mailoutbox):
    with pytest.raises(ValidationError, match="does not belong to a coordinator"):
        services.program_add_coordinator(
            program=world.program, email=world.people.mentee.email, by=world.people.coordinator
        )
    assert list(world.program.coordinators.all()) == [world.people.coordinator]


def test_the_refusal_reads_the_same_for_an_unknown_address(world):
    messages = []
    for email in (world.people.mentee.email, "nobody-at-all@example.org"):
        with pytest.raises(ValidationError) as error:
            services.program_add_coordinator(program=world.program, email=email, by=world.people.coordinator)
        messages.append(error.value.messages)
    assert messages[0] == messages[1]


def test_a_coordinator_enrolled_in_the_program_cannot_coordinate_it(world):
    scenarios.enroll(program=world.program, user=world.people.other_coordinator, role=Role.MENTOR)
    with pytest.raises(ValidationError, match="is a mentor in this program"):
        services.program_add_coordinator(
            program=world.program, email=world.people.other_coordinator.email, by=world.people.coordinator
        )


def test_a_coordinator_of_the_program_cannot_apply_to_it(world):
    with pytest.raises(ValidationError, match="You coordinate this program"):
        services.enrollment_apply(
            program=world.program, user=world.people.coordinator, role=Role.MENTEE, heard_about="other"
        )


def test_adding_and_removing_a_co_coordinator_tells_them_and_is_recorded(
    client, world, mailoutbox, send_queued_emails
):
    client.force_login(world.people.coordinator)
    slug = world.program.slug
    client.post(
        reverse("programs:coordinator_add", args=[slug]),
        {"coordinator-email": world.people.other_coordinator.email},
    )
    assert world.program.coordinators.filter(pk=world.people.other_coordinator.pk).exists()
    client.post(reverse("programs:coordinator_remove", args=[slug, world.people.other_coordinator.pk]))
    assert not world.program.coordinators.filter(pk=world.people.other_coordinator.pk).exists()
    send_queued_emails()
    subjects = [(m.to, m.subject) for m in mailoutbox]
    assert ([world.people.other_coordinator.email], f"You now coordinate {world.program.name}") in subjects
    assert (
        [world.people.other_coordinator.email],
        f"You no longer coordinate {world.program.name}",
    ) in subjects
    actions = list(
        AuditEntry.objects.filter(target_id=world.program.pk, target_type="programs.program").values_list(
            "action", "actor"
        )
    )
    assert ("coordinator.added", world.people.coordinator.pk) in actions
    assert ("coordinator.removed", world.people.coordinator.pk) in actions
    settings_page = client.get(reverse("programs:settings", args=[slug])).content.decode()
    assert f"added {world.people.other_coordinator.email}" in settings_page


def test_the_admin_cannot_add_coordinators_around_the_rules(client, world):
    client.force_login(world.people.staff)
    page = client.get(reverse("admin:programs_program_change", args=[world.program.pk])).content.decode()
    assert 'name="coordinators"' not in page


# --- Finding 3: guardian consent is the guardian's -----------------------------------------------


@pytest.fixture
def teen(world):
    """A 15-year-old mentee who named a guardian when applying."""
    user = scenarios.person(
        email="teen@example.org", display_name="Tia Teen", profile={"date_of_birth": teen_born()}
    )
    enrollment = scenarios.enroll(
        program=world.program, user=user, role=Role.MENTEE, status="approved",
        guardian_name="Pat Parent", guardian_email="pat@example.org",
    )  # fmt: skip
    return enrollment


def test_a_minor_cannot_change_their_guardian_once_asked(client, teen, world, mailoutbox, send_queued_emails):
    client.force_login(teen.user)
    response = client.post(
        reverse("programs:enrollment_guardian", args=[teen.pk]),
        {"guardian_name": "My Friend", "guardian_email": "friend@example.org"},
    )
    assert response.status_code == 302
    teen.refresh_from_db()
    assert teen.guardian_email == "pat@example.org"
    assert teen.consents.count() == 1
    send_queued_emails()
    to_friend = [m for m in mailoutbox if m.to == ["friend@example.org"]]
    assert to_friend == []
    request = [m for m in mailoutbox if m.to == [world.people.coordinator.email]]
    assert "friend@example.org" in request[0].body and "asks to change" in request[0].subject
    with pytest.raises(PermissionDenied):
        guardians.guardian_request_consent(enrollment=teen, name="X", email="x@example.org", by=teen.user)


def test_a_consent_link_is_single_use(client, teen):
    consent = teen.consents.get()
    url = reverse("programs:guardian_consent", args=[consent.token])
    yes = {"consent": "yes", "signed_name": "Pat Parent", "relationship": "Mother"}
    assert client.post(url, yes).status_code == 200
    no = {**yes, "consent": "no"}
    response = client.post(url, no)
    assert response.status_code == 400
    consent.refresh_from_db()
    assert consent.answer == ConsentAnswer.GIVEN
    assert "This link was used" in response.content.decode()


def test_a_consent_link_expires(client, teen):
    consent = teen.consents.get()
    url = reverse("programs:guardian_consent", args=[consent.token])
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = client.post(url, {"consent": "yes", "signed_name": "Pat Parent", "relationship": "Mother"})
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    teen.refresh_from_db()
    assert teen.guardian_consent is None


def test_a_change_of_guardian_revokes_the_old_link(client, teen, world, mailoutbox, send_queued_emails):
    old = teen.consents.get()
    client.force_login(world.people.coordinator)
    response = client.post(
        reverse("programs:applicant_guardian", args=[world.program.slug, teen.pk]),
        {"guardian_name": "Sam Carer", "guardian_email": "sam@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    old_url = reverse("programs:guardian_consent", args=[old.token])
    response = client.post(old_url, {"consent": "yes", "signed_name": "Pat Parent", "relationship": "Mother"})
    assert response.status_code == 400 and "no longer works" in response.content.decode()
    assert client.get(reverse("programs:guardian", args=[old.manage_token])).status_code == 404
    teen.refresh_from_db()
    assert teen.guardian_consent is None and teen.guardian_email == "sam@example.org"
    new = teen.consents.get(revoked_at__isnull=True)
    send_queued_emails()
    assert f"/consent/{new.token}/" in [m for m in mailoutbox if m.to == ["sam@example.org"]][0].body
    assert AuditEntry.objects.filter(action="consent.requested", summary="guardian changed").exists()


def test_a_resend_revokes_the_old_link_too(client, teen, world):
    old = teen.consents.get()
    client.force_login(world.people.coordinator)
    client.post(reverse("programs:applicant_guardian_resend", args=[world.program.slug, teen.pk]))
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert GuardianConsent.objects.filter(enrollment=teen, revoked_at__isnull=True).count() == 1


def test_the_consent_page_shows_the_real_checklist_and_records_the_signature(client, teen, world):
    services.checklist_item_add(program=world.program, name="First aid course")
    consent = teen.consents.get()
    page = client.get(reverse("programs:guardian_consent", args=[consent.token])).content.decode()
    assert "First aid course" in page and "Background check" in page
    assert world.people.coordinator.email in page and "Coordinator Person" in page
    client.post(
        reverse("programs:guardian_consent", args=[consent.token]),
        {"consent": "yes", "signed_name": "Patricia Parent", "relationship": "Mother"},
    )
    consent.refresh_from_db()
    assert (consent.answer, consent.signed_name, consent.relationship) == (
        "given",
        "Patricia Parent",
        "Mother",
    )
    assert consent.answered_at is not None


def test_the_consent_form_needs_a_typed_name(client, teen):
    consent = teen.consents.get()
    response = client.post(reverse("programs:guardian_consent", args=[consent.token]), {"consent": "yes"})
    assert response.status_code == 400
    consent.refresh_from_db()
    assert consent.answer == ""


# --- Finding 4: a "no" or a withdrawal pauses the match and tells the coordinators ----------------


@pytest.fixture
def active_teen_match(world):
    match = scenarios.teen_match(world)
    assert match.status == MatchStatus.ACTIVE
    return match


def test_the_guardian_is_told_when_the_match_starts_and_ends(
    active_teen_match, mailoutbox, send_queued_emails
):
    send_queued_emails()
    started = [m for m in mailoutbox if m.to == ["guardian.kid@example.org"] and "has started" in m.subject]
    assert len(started) == 1
    assert "Morgan" in started[0].body and "Mentor" not in started[0].body.split("Morgan")[1][:8]
    assert "mo@example.org" not in started[0].body
    consent = active_teen_match.mentee.consents.get(revoked_at__isnull=True)
    assert f"/guardian/{consent.manage_token}/" in started[0].body
    matching_services.match_close(match=active_teen_match, by=None, reason="completed", anticipated=True)
    send_queued_emails()
    assert [m for m in mailoutbox if m.to == ["guardian.kid@example.org"] and "has ended" in m.subject]


def test_withdrawing_consent_pauses_the_match_at_once_and_alerts_the_coordinators(
    client, active_teen_match, world, mailoutbox, send_queued_emails
):
    consent = active_teen_match.mentee.consents.get(revoked_at__isnull=True)
    url = reverse("programs:guardian_withdraw", args=[consent.manage_token])
    assert client.post(url, {}).status_code == 400  # the confirmation box is needed
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    active_teen_match.refresh_from_db()
    assert active_teen_match.status == MatchStatus.PAUSED
    assert "withdrew consent" in active_teen_match.pause_reason
    mentee = Enrollment.objects.get(pk=active_teen_match.mentee_id)
    assert mentee.guardian_consent is False
    assert not Enrollment.objects.filter(pk=mentee.pk).matchable().exists()
    send_queued_emails()
    alert = [m for m in mailoutbox if m.to == [world.people.coordinator.email] and "withdrawn" in m.subject]
    assert alert and "1 active match is paused" in alert[0].body
    with pytest.raises(ValidationError, match="consent"):
        matching_services.match_resume(match=active_teen_match, by=world.people.coordinator)


def test_a_guardian_saying_no_pauses_the_match_too(active_teen_match, world, mailoutbox, send_queued_emails):
    new = guardians.guardian_request_consent(
        enrollment=active_teen_match.mentee,
        name="Other Parent",
        email="op@example.org",
        by=world.people.coordinator,
    )
    guardians.guardian_answer(consent=new, given=False, signed_name="Other Parent", relationship="Father")
    active_teen_match.refresh_from_db()
    assert active_teen_match.status == MatchStatus.PAUSED
    send_queued_emails()
    assert [m for m in mailoutbox if m.to == [world.people.coordinator.email] and "refused" in m.subject]


def test_a_paused_pair_gets_no_reminders(active_teen_match):
    from evaluation.models import Reminder
    from evaluation.reminders import reminders_record

    consent = active_teen_match.mentee.consents.get(revoked_at__isnull=True)
    guardians.guardian_withdraw(consent=consent)
    reminders_record(on=dt.date.today() + dt.timedelta(days=60))
    assert not Reminder.objects.filter(match=active_teen_match).exists()


def test_a_match_cannot_start_without_consent(world):
    mentor = scenarios.ready_mentor(program=world.program, email="mo@example.org")
    mentee = scenarios.ready_mentee(program=world.program, email="kid@example.org", minor=True)
    match = matching_services.match_propose(
        program=world.program,
        mentee=mentee,
        mentor=mentor,
        by=world.people.coordinator,
        source=MatchSource.MANUAL,
    )
    matching_services.match_confirm(match=match, by=mentee.user)
    guardians.guardian_withdraw(consent=mentee.consents.get(revoked_at__isnull=True))
    with pytest.raises(ValidationError, match="consent"):
        matching_services.match_confirm(match=match, by=mentor.user)


# --- Finding 7: one age rule, and a changed date of birth is seen ---------------------------------


def test_a_minor_cannot_apply_as_a_mentor(client, world):
    kid = scenarios.person(email="kid@example.org")
    client.force_login(kid)
    url = reverse("programs:apply", args=[world.program.slug, "mentor"])
    response = client.post(
        url,
        {
            "motivation": "Hi",
            "heard_about": "school",
            "capacity": "1",
            "date_of_birth": teen_born().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "A mentor must be 18 or over." in response.content.decode()
    assert not Enrollment.objects.filter(user=kid).exists()
    Profile.objects.filter(user=kid).update(date_of_birth=teen_born())
    kid.profile.refresh_from_db()
    with pytest.raises(ValidationError, match="18 or over"):
        services.enrollment_apply(program=world.program, user=kid, role=Role.MENTOR, heard_about="school")


def test_the_admin_refuses_a_minor_mentor(world):
    kid = scenarios.person(email="kid@example.org", profile={"date_of_birth": teen_born()})
    enrollment = Enrollment(program=world.program, user=kid, role=Role.MENTOR, heard_about="other")
    with pytest.raises(ValidationError, match="18 or over"):
        enrollment.full_clean()


def test_a_mentor_cannot_make_themself_a_minor_on_the_profile(client, world):
    from mentorship.forms import ProfileForm

    mentor = world.mentor_enrollment.user
    form = ProfileForm(instance=mentor.profile, data={"date_of_birth": teen_born().isoformat()})
    assert not form.is_valid()
    assert "mentors must be 18 or over" in str(form.errors["date_of_birth"])


def test_a_date_of_birth_changed_after_approval_is_flagged_and_left_out_of_matching(client, world):
    mentee = scenarios.ready_mentee(program=world.program, email="ada@example.org", display_name="Ada Adult")
    assert Enrollment.objects.filter(pk=mentee.pk).matchable().exists()
    client.force_login(mentee.user)
    from mentorship.services import profile_set_date_of_birth

    profile_set_date_of_birth(profile=mentee.user.profile, date_of_birth=teen_born())
    assert not Enrollment.objects.filter(pk=mentee.pk).matchable().exists()
    client.force_login(world.people.coordinator)
    listing = client.get(reverse("programs:applicants", args=[world.program.slug])).content.decode()
    assert "Date of birth changed: check it" in listing
    page = client.get(reverse("programs:applicant", args=[world.program.slug, mentee.pk])).content.decode()
    assert "Date of birth changed after approval" in page
    client.post(reverse("programs:applicant_dob_checked", args=[world.program.slug, mentee.pk]))
    listing = client.get(reverse("programs:applicants", args=[world.program.slug])).content.decode()
    assert "Date of birth changed: check it" not in listing
    # Checked, the rules apply again: now a minor, they need a guardian's consent.
    assert not Enrollment.objects.filter(pk=mentee.pk).matchable().exists()
    assert "a parent or guardian's consent" in selectors.missing_for(Enrollment.objects.get(pk=mentee.pk))


# --- Safeguarding records are never lost by a click ----------------------------------------------


def test_removing_a_checklist_item_archives_it_and_keeps_the_checks(client, world):
    mentor = scenarios.ready_mentor(program=world.program, email="mo@example.org")
    item = world.program.checklist_items.get(key="background_check")
    client.force_login(world.people.coordinator)
    client.post(reverse("programs:checklist_remove", args=[world.program.slug, item.pk]))
    item.refresh_from_db()
    assert item.archived_at is not None
    assert mentor.screening_records.filter(item=item).exists()
    page = client.get(reverse("programs:applicant", args=[world.program.slug, mentor.pk])).content.decode()
    assert "Background check" in page
    settings_page = client.get(reverse("programs:settings", args=[world.program.slug])).content.decode()
    assert "Background check" not in settings_page.split('id="checklist"')[1].split("</ul>")[0]


def test_consent_records_cannot_be_deleted_with_the_person(teen):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        teen.user.delete()


# --- Who may reach the new pages ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "mentee", "mentor", "other_coordinator"])
def test_strangers_cannot_reach_consent_records_or_change_guardians(client, teen, world, role, login_as):
    login_as(world, role)
    slug = world.program.slug
    for url in (
        reverse("programs:applicant", args=[slug, teen.pk]),
        reverse("programs:applicant_guardian", args=[slug, teen.pk]),
        reverse("programs:applicant_guardian_resend", args=[slug, teen.pk]),
        reverse("programs:applicant_dob_checked", args=[slug, teen.pk]),
        reverse("programs:leads", args=[slug]),
    ):
        response = client.post(url, {"guardian_name": "X", "guardian_email": "x@example.org"})
        assert response.status_code == (302 if role == "anonymous" else 404), f"{role} at {url}"
        if role == "anonymous":
            assert response.url.startswith("/accounts/login/")
    teen.refresh_from_db()
    assert teen.guardian_email == "pat@example.org" and teen.consents.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_the_programs_coordinators_and_staff_see_the_consent_record(client, teen, world, role):
    client.force_login(world.people.as_role(role))
    page = client.get(reverse("programs:applicant", args=[world.program.slug, teen.pk]))
    assert page.status_code == 200 and "Consent record" in page.content.decode()


def test_guardian_links_with_an_unknown_token_answer_404(client):
    token = "00000000-0000-0000-0000-000000000000"
    for name in ("programs:guardian_consent", "programs:guardian", "programs:guardian_withdraw"):
        assert client.get(reverse(name, args=[token])).status_code == 404


def test_leads_are_chosen_among_the_coordinators(client, world):
    with pytest.raises(ValidationError):
        services.program_set_leads(
            program=world.program, leads=[world.people.mentee], by=world.people.coordinator
        )
    client.force_login(world.people.coordinator)
    response = client.post(
        reverse("programs:leads", args=[world.program.slug]), {"leads-leads": [world.people.coordinator.pk]}
    )
    assert response.status_code == 302
    assert list(world.program.safeguarding_leads.all()) == [world.people.coordinator]
