"""Coordinators import a CSV of applicants: a preview that writes nothing, then one all-or-nothing
confirm, and a re-import that adds nobody twice."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Language, OutboundEmail, Profile, Tag, User
from programs import imports, services
from programs.imports import confirm as confirm_step
from programs.models import (
    Enrollment,
    EnrollmentStatus,
    HeardAbout,
    Invitation,
    ProgramStatus,
    Role,
    Source,
    StatusChange,
)
from tests import scenarios
from tests.scenarios import ROLES

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
TODAY = dt.date.today()
CHILD = dt.date(TODAY.year - 12, 1, 1).isoformat()
NEXT_YEAR = dt.date(TODAY.year + 1, 1, 1).isoformat()

GOOD = f"""email,name,role,heard_about,pronouns,date_of_birth,languages,interests,skills,goals,area,phone,guardian_name,guardian_email
ana@example.org,Ana Silva,mentor,friend,she/her,1985-03-02,English; Portuguese,Football;Music,CVs; Interviews,,Northside,0700 000001,,
sam@example.org,Sam Lee,mentee,School or college,they/them,{CHILD},english,music,,Study nursing; CVs,Northside,,Kim Lee,kim@example.org
tom@example.org,Tom Ng,mentee,,,{CHILD},,,,,,,,
mentor@roles.test,Someone Else,mentee,radio advert,,2001-01-01,Klingon,,,,Elsewhere,,,
"""  # noqa: E501
# Line 2: an adult mentor; 3: a minor mentee with a guardian; 4: a minor mentee without one;
# 5: world.people.mentor, who already has an account and is enrolled in world.program: skipped.


def import_url(program):
    return reverse("programs:import", args=[program.slug])


def upload(client, program, text, *, bom=False, encoding="utf-8", extra=None, name="applicants.csv"):
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode(encoding)
    return client.post(
        import_url(program),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **(extra or {})},
    )


def digest_of(response):
    match = re.search(r'name="digest" value="([0-9a-f]{64})"', response.text)
    assert match, "no confirm button"
    return match.group(1)


def confirm(client, program, digest, extra=None, follow=False):
    return client.post(import_url(program), {"digest": digest, **(extra or {})}, follow=follow)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [User, Profile, EmailAddress, Enrollment, StatusChange, Tag, Language, OutboundEmail]
    }


def row_of(response, line):
    """The table row of the preview for line ``line`` of the file, as plain text."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{line}</th>(.*?)</tr>", response.text, re.S)
    assert match, f"line {line} is not in the preview"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.people.coordinator)
    return client


# --- Who may do what -------------------------------------------------------------------------------

MANAGE_EXPECTED = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "outsider": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_import_page_answers_only_the_programs_coordinators_and_staff(client, world, role, login_as):
    login_as(world, role)
    response = client.get(import_url(world.program))
    assert response.status_code == MANAGE_EXPECTED[role]
    if role == "anonymous":
        assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinators_and_staff_can_preview_and_confirm(client, world, role, login_as):
    before = counts()
    login_as(world, role)
    response = upload(client, world.program, GOOD)
    assert response.status_code == MANAGE_EXPECTED[role]
    if role in ("coordinator", "staff"):
        response = confirm(client, world.program, digest_of(response))
        assert response.status_code == 302
        assert response.url == reverse("programs:applicants", args=[world.program.slug])
        assert Enrollment.objects.filter(program=world.program, source=Source.IMPORTED).count() == 3
    else:
        response = confirm(client, world.program, imports.import_digest(GOOD))
        assert response.status_code == MANAGE_EXPECTED[role]
        if role == "anonymous":
            assert response.url.startswith(LOGIN)
        assert counts() == before


def test_a_pending_import_cannot_be_confirmed_into_another_program(client, world):
    client.force_login(world.people.staff)
    digest = digest_of(upload(client, world.program, GOOD))
    response = confirm(client, world.other_program, digest, follow=True)
    assert "no longer waiting" in response.text
    assert not Enrollment.objects.filter(program=world.other_program, source=Source.IMPORTED).exists()


def test_the_page_documents_the_columns(coordinator_client, world):
    response = coordinator_client.get(import_url(world.program))
    for column in imports.COLUMNS:
        assert f"<code>{column.name}</code>" in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert '<label for="id_file">' in response.text


# --- The preview ---------------------------------------------------------------------------------------


def test_the_preview_shows_each_row_as_it_will_be_created_and_writes_nothing(coordinator_client, world):
    before = counts()
    response = upload(coordinator_client, world.program, GOOD)
    assert response.status_code == 200
    assert counts() == before

    ana = row_of(response, 2)
    assert "ana@example.org" in ana
    assert "Mentor" in ana
    assert "Name: Ana Silva" in ana
    assert "Languages: English, Portuguese" in ana
    assert "Skills: CVs, Interviews" in ana
    assert "Date of birth: 1985-03-02" in ana
    sam = row_of(response, 3)
    assert "Mentee" in sam
    assert "Guardian consent will be asked of Kim Lee" in sam
    tom = row_of(response, 4)
    assert "needs guardian consent" in tom
    assert "Import 3 rows</button>" in response.text


def test_an_existing_account_is_invited_not_enrolled_and_its_profile_is_untouched(
    coordinator_client, world, mailoutbox, send_queued_emails, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    ana = scenarios.person(email="ana@example.org", display_name="Ana S.", profile={"phone": "0711"})
    response = upload(coordinator_client, world.program, GOOD)
    response = confirm(coordinator_client, world.program, digest_of(response), follow=True)
    assert (
        "Imported 3 rows: each person gets an email to set up or accept their place; "
        "1 skipped (1 already enrolled, 0 with problems)."
    ) in response.text

    ana.refresh_from_db()
    assert not Enrollment.objects.filter(user=ana).exists()
    profile = Profile.objects.get(user=ana)
    assert (profile.display_name, profile.phone, profile.pronouns, profile.area) == ("Ana S.", "0711", "", "")
    assert profile.date_of_birth is None
    assert not profile.languages.exists()
    assert not profile.skills.exists()
    assert ana.has_usable_password()
    assert list(EmailAddress.objects.filter(user=ana).values_list("email", flat=True)) == ["ana@example.org"]

    invitation = Invitation.objects.get(program=world.program)
    assert (invitation.email, invitation.role, invitation.source, invitation.invited_by) == (
        "ana@example.org",
        Role.MENTOR,
        Source.IMPORTED,
        world.people.coordinator,
    )
    assert invitation.accepted_at is None
    assert invitation.expires_at is not None
    # The others were imported as before.
    assert set(
        Enrollment.objects.filter(program=world.program, source=Source.IMPORTED).values_list(
            "user__email", flat=True
        )
    ) == {"sam@example.org", "tom@example.org"}

    send_queued_emails()
    to_ana = [message for message in mailoutbox if message.to == ["ana@example.org"]]
    assert len(to_ana) == 1
    assert "invited" in to_ana[0].subject
    assert "https://mentoring.example.org" + invitation.get_absolute_url() in to_ana[0].body
    assert "added to" not in to_ana[0].subject


def test_an_imported_invitation_accepted_makes_an_imported_application(coordinator_client, world, client):
    ana = scenarios.person(email="ana@example.org", profile={"date_of_birth": dt.date(1985, 3, 2)})
    text = "email,role\nana@example.org,mentor\n"
    confirm(coordinator_client, world.program, digest_of(upload(coordinator_client, world.program, text)))
    invitation = Invitation.objects.get(program=world.program, email="ana@example.org")

    client.force_login(ana)
    response = client.post(invitation.get_absolute_url())
    response = client.post(response.url, {"motivation": "Yes.", "heard_about": "friend", "capacity": 2})
    enrollment = Enrollment.objects.get(program=world.program, user=ana)
    assert enrollment.source == Source.IMPORTED
    invitation.refresh_from_db()
    assert invitation.enrollment == enrollment


def test_an_address_verified_on_an_existing_account_is_that_account(coordinator_client, world):
    owner = scenarios.person(email="primary@example.org")
    EmailAddress.objects.create(user=owner, email="Second@example.org", verified=True, primary=False)
    text = "email,role\nsecond@example.org,mentor\nPRIMARY@example.org,mentor\n"
    response = upload(coordinator_client, world.program, text)
    # The preview cannot know (and so cannot tell) that both lines are one person.
    assert "Import 2 rows</button>" in response.text
    confirm(coordinator_client, world.program, digest_of(response))
    assert not User.objects.filter(email="second@example.org").exists()
    assert not Enrollment.objects.filter(user=owner).exists()
    # One invitation for the person, to the address the file named first.
    assert list(Invitation.objects.values_list("email", "source")) == [
        ("second@example.org", Source.IMPORTED)
    ]


def test_an_unverified_address_of_another_account_does_not_stop_an_import(coordinator_client, world):
    owner = scenarios.person(email="primary@example.org")
    EmailAddress.objects.create(user=owner, email="claimed@example.org", verified=False, primary=False)
    text = "email,role\nclaimed@example.org,mentee\n"
    confirm(coordinator_client, world.program, digest_of(upload(coordinator_client, world.program, text)))
    newcomer = User.objects.get(email="claimed@example.org")
    assert Enrollment.objects.get(user=newcomer).source == Source.IMPORTED
    assert not Invitation.objects.exists()


def test_someone_in_the_program_under_another_address_gets_nothing(
    coordinator_client, world, mailoutbox, send_queued_emails
):
    EmailAddress.objects.create(user=world.people.mentee, email="old@example.org", verified=True)
    text = "email,role\nold@example.org,mentee\n"
    response = upload(coordinator_client, world.program, text)
    assert "Import 1 row</button>" in response.text  # reads like any other address
    response = confirm(coordinator_client, world.program, digest_of(response), follow=True)
    assert "Imported 1 row: each person gets an email" in response.text
    assert not Invitation.objects.exists()
    send_queued_emails()
    assert mailoutbox == []


def test_people_already_in_the_program_are_skipped(coordinator_client, world):
    response = upload(coordinator_client, world.program, GOOD)
    assert "already enrolled: skipped" in row_of(response, 5)
    assert "Import 3 rows</button>" in response.text


def preview_html(response):
    """The page's content, less what differs on every request (the CSRF token)."""
    main = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_the_preview_reads_the_same_whether_or_not_an_email_has_an_account(coordinator_client, world):
    minor_born = dt.date(TODAY.year - 14, 2, 3)
    text = (
        "email,name,role,date_of_birth,phone,guardian_name,guardian_email\n"
        "kid@example.org,Kid,mentor,1980-01-01,0700,,\n"  # an account of a 14-year-old: its own age
        "pat@example.org,Pat,mentee,,,Pat's Dad,dad@example.org\n"  # an adult account: its own age
        "second@example.org,Sam,mentee,2001-01-01,,,\n"  # verified on an account
        "primary@example.org,Sam,mentee,2001-01-01,,,\n"  # that same account
        "new@example.org,New,mentor,1990-01-01,,,\n"  # nobody, both times
    )
    never_seen = upload(coordinator_client, world.program, text)
    before = preview_html(never_seen)
    fingerprint_before = imports.import_parse(program=world.program, text=text).fingerprint

    kid = scenarios.person(email="kid@example.org", profile={"date_of_birth": minor_born, "phone": "0799"})
    scenarios.person(email="pat@example.org", profile={"date_of_birth": dt.date(1970, 1, 1)})
    owner = scenarios.person(email="primary@example.org")
    EmailAddress.objects.create(user=owner, email="second@example.org", verified=True)
    scenarios.enroll(program=world.other_program, user=kid, role=Role.MENTEE)

    with_accounts = upload(coordinator_client, world.program, text)
    assert preview_html(with_accounts) == before
    for line in range(2, 7):
        assert row_of(with_accounts, line) == row_of(never_seen, line)
    assert imports.import_parse(program=world.program, text=text).fingerprint == fingerprint_before
    # Nothing of the accounts shows: not the minor's birthday, nor their phone.
    assert minor_born.isoformat() not in with_accounts.text
    assert f"{minor_born:%d %B %Y}" not in with_accounts.text
    assert "0799" not in with_accounts.text
    assert "existing" not in with_accounts.text.lower()
    assert "Import 5 rows</button>" in with_accounts.text


def test_an_existing_minors_date_of_birth_never_appears_and_they_are_not_made_a_mentor(
    coordinator_client, world, client
):
    born = dt.date.fromisoformat(CHILD)
    kid = scenarios.person(email="kid@example.org", profile={"date_of_birth": born})
    response = upload(coordinator_client, world.program, "email,role\nkid@example.org,mentor\n")
    assert born.isoformat() not in response.text
    assert "18 or over" not in response.text
    confirm(coordinator_client, world.program, digest_of(response))
    kid.profile.refresh_from_db()
    assert kid.profile.date_of_birth == born
    assert not Enrollment.objects.filter(user=kid).exists()

    # The invitation is only a question: the age rule answers it when they apply.
    invitation = Invitation.objects.get(email="kid@example.org")
    client.force_login(kid)
    apply = client.post(invitation.get_absolute_url()).url
    response = client.post(apply, {"motivation": "Hi", "heard_about": "friend", "capacity": 1})
    assert response.status_code == 200
    assert "18 or over" in response.text
    assert not Enrollment.objects.filter(user=kid).exists()


def test_an_account_made_between_preview_and_confirm_is_invited_without_a_fuss(coordinator_client, world):
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    ana = scenarios.person(email="ana@example.org")  # signs up meanwhile, but does not apply
    response = confirm(coordinator_client, world.program, digest, follow=True)
    assert "Imported 3 rows" in response.text
    assert not Enrollment.objects.filter(user=ana).exists()
    assert Invitation.objects.get(email="ana@example.org").source == Source.IMPORTED
    assert ana.profile.display_name == ""


def test_importing_again_resends_a_pending_invitation_with_a_new_link(coordinator_client, world):
    scenarios.person(email="ana@example.org")
    text = "email,role\nana@example.org,mentor\n"
    confirm(coordinator_client, world.program, digest_of(upload(coordinator_client, world.program, text)))
    first = Invitation.objects.get(email="ana@example.org")
    confirm(coordinator_client, world.program, digest_of(upload(coordinator_client, world.program, text)))
    again = Invitation.objects.get(email="ana@example.org")
    assert again.pk == first.pk
    assert again.token != first.token
    assert OutboundEmail.objects.filter(to="ana@example.org", kind="invitation").count() == 2
    assert not Enrollment.objects.filter(user__email="ana@example.org").exists()


BAD = f"""email,role,date_of_birth,guardian_name,guardian_email
,mentor,,,
not-an-email,mentee,,,
pat@example.org,coordinator,,,
lee@example.org,,,,
kim@example.org,mentee,31/12/1990,,
max@example.org,mentee,{NEXT_YEAR},,
dup@example.org,mentee,,,
DUP@example.org,mentor,,,
kid@example.org,mentor,{CHILD},,
bo@example.org,mentee,{CHILD},,bo-parent@example.org
jo@example.org,mentee,{CHILD},Jo's Mum,not-an-address
"""

BAD_REASONS = {
    2: "Missing email address",
    3: "Invalid email address “not-an-email”",
    4: "Unknown role “coordinator”",
    5: "Missing role",
    6: "Date of birth “31/12/1990” is not a date in the form YYYY-MM-DD",
    7: f"Date of birth {NEXT_YEAR}: Your date of birth can’t be in the future",
    9: "Repeats the person on line 8",
    10: "A mentor must be 18 or over",
    11: "A guardian email needs a guardian name too",
    12: "Invalid guardian email address",
}


def test_each_bad_row_is_listed_with_its_line_and_reason(coordinator_client, world):
    before = counts()
    response = upload(coordinator_client, world.program, BAD)
    assert response.status_code == 200
    for line, reason in BAD_REASONS.items():
        assert reason in row_of(response, line), line
    assert row_of(response, 8) == "dup@example.org Mentee Email only –"  # the first dup@ is fine
    assert "Import 1 row</button>" in response.text
    assert counts() == before


def test_a_minor_mentee_without_guardian_is_imported_and_flagged(coordinator_client, world):
    response = upload(
        coordinator_client, world.program, f"email,role,date_of_birth\nyoung@example.org,mentee,{CHILD}\n"
    )
    assert "needs guardian consent" in row_of(response, 2)
    confirm(coordinator_client, world.program, digest_of(response))
    enrollment = Enrollment.objects.get(user__email="young@example.org")
    assert enrollment.guardian_email == ""
    assert enrollment.guardian_asked_at is None
    assert not Enrollment.objects.filter(pk=enrollment.pk).matchable().exists()


def test_heard_about_takes_keys_or_labels_and_keeps_anything_else_as_other(world):
    text = (
        "email,role,heard_about\n"
        "a@x.org,mentee,EMPLOYER\nb@x.org,mentee,An event\nc@x.org,mentee,\nd@x.org,mentee,Radio\n"
    )
    preview = imports.import_parse(program=world.program, text=text)
    assert [row.heard_about for row in preview.rows] == [
        HeardAbout.EMPLOYER,
        HeardAbout.EVENT,
        HeardAbout.OTHER,
        HeardAbout.OTHER,
    ]
    assert preview.rows[3].heard_about_detail == "Radio"
    assert all(row.status == imports.OK for row in preview.rows)


def test_a_file_with_a_byte_order_mark_and_windows_line_ends_reads_like_any_other(coordinator_client, world):
    text = "Email,Role,Date of birth\r\nbom@example.org,Mentor,1980-05-05\r\n"
    response = upload(coordinator_client, world.program, text, bom=True)
    assert "bom@example.org Mentor" in row_of(response, 2)
    assert "Date of birth: 1980-05-05" in row_of(response, 2)
    assert "Ignored columns" not in response.text


def test_unknown_columns_are_ignored_and_listed(coordinator_client, world):
    text = "email,role,favourite_colour,T-shirt size,\nx@example.org,mentee,blue,M,\n"
    response = upload(coordinator_client, world.program, text)
    assert (
        "Ignored columns (not used by the import): favourite_colour, T-shirt size, column 5 (no header)."
        in response.text
    )
    assert "blue" not in response.text
    assert "Import 1 row</button>" in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,role\nAna,mentor\n", "The file has no “email” column, and it is required."),
        ("email,name\nana@example.org,Ana\n", "The file has no “role” column, and it is required."),
        ("name\nAna\n", "The file has no “email” and “role” columns"),
        ("email,role,Email\na@x.org,mentee,b@x.org\n", "The column “Email” appears twice."),
        ("email,role\n", "The file has a header row but no applicants."),
        ("\n\n", "The file is empty."),
    ],
)
def test_a_file_level_problem_is_an_error_for_the_whole_file(coordinator_client, world, text, message):
    before = counts()
    response = upload(coordinator_client, world.program, text)
    assert response.status_code == 200
    assert message in response.text
    assert 'name="digest"' not in response.text
    assert counts() == before


def test_a_file_that_is_not_utf8_is_refused(coordinator_client, world):
    response = upload(
        coordinator_client, world.program, "email,role,name\nzoe@example.org,mentee,Zoë\n", encoding="latin-1"
    )
    assert "not UTF-8" in response.text
    assert 'name="digest"' not in response.text


def test_a_file_over_2_mb_is_refused(coordinator_client, world):
    text = "email,role,name\n" + "a@example.org,mentee,x\n" * 100_000
    assert len(text.encode()) > 2 * 1024 * 1024
    response = upload(coordinator_client, world.program, text)
    assert "larger than 2 MB" in response.text


def test_a_file_over_1000_rows_is_refused(coordinator_client, world):
    text = "email,role\n" + "".join(f"p{n}@example.org,mentee\n" for n in range(1001))
    response = upload(coordinator_client, world.program, text)
    assert "more than 1,000 rows" in response.text
    assert 'name="digest"' not in response.text


def test_nobody_is_imported_into_a_closed_program(coordinator_client, world):
    services.program_set_status(
        program=world.program, status=ProgramStatus.CLOSED, by=world.people.coordinator
    )
    response = upload(coordinator_client, world.program, GOOD)
    assert "This program is closed" in response.text
    assert 'name="digest"' not in response.text


def test_the_preview_takes_the_same_number_of_queries_for_3_or_60_rows(coordinator_client, world):
    def rows(n):
        return (
            "email,role\n"
            + "".join(f"p{i}@example.org,mentee\n" for i in range(n))
            + "mentor@roles.test,mentor\n"
        )

    upload(coordinator_client, world.program, rows(1))  # warm up
    with CaptureQueriesContext(connection) as few:
        upload(coordinator_client, world.program, rows(3))
    with CaptureQueriesContext(connection) as many:
        response = upload(coordinator_client, world.program, rows(60))
    assert "Import 60 rows</button>" in response.text
    assert len(many) == len(few)


# --- Confirming ----------------------------------------------------------------------------------------


def test_confirm_creates_every_good_row_and_emails_the_new_people(
    coordinator_client, world, mailoutbox, send_queued_emails, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    before = counts()
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    response = confirm(coordinator_client, world.program, digest, follow=True)
    assert response.redirect_chain[0] == (reverse("programs:applicants", args=[world.program.slug]), 302)
    assert (
        "Imported 3 rows: each person gets an email to set up or accept their place; 1 skipped"
        in response.text
    )
    assert not any(key.startswith("programs:import") for key in coordinator_client.session.keys())  # noqa: SIM118

    assert User.objects.count() == before["User"] + 3
    ana = User.objects.get(email="ana@example.org")
    assert not ana.has_usable_password()
    address = EmailAddress.objects.get(user=ana)
    assert (address.email, address.primary, address.verified) == ("ana@example.org", True, False)
    profile = ana.profile
    assert (profile.display_name, profile.pronouns, profile.area, profile.phone) == (
        "Ana Silva",
        "she/her",
        "Northside",
        "0700 000001",
    )
    assert profile.date_of_birth == dt.date(1985, 3, 2)
    assert sorted(profile.languages.values_list("name", flat=True)) == ["English", "Portuguese"]
    assert sorted(profile.interests.values_list("name", flat=True)) == ["Football", "Music"]
    assert sorted(profile.skills.values_list("name", flat=True)) == ["CVs", "Interviews"]
    sam = User.objects.get(email="sam@example.org").profile
    assert list(sam.languages.all()) == list(profile.languages.filter(name="English"))  # one "English"
    assert sorted(sam.goals.values_list("name", flat=True)) == ["CVs", "Study nursing"]
    assert Tag.objects.filter(name__iexact="cvs").count() == 1

    enrollments = Enrollment.objects.filter(program=world.program, source=Source.IMPORTED)
    assert {(e.user.email, e.role, e.status) for e in enrollments} == {
        ("ana@example.org", Role.MENTOR, EnrollmentStatus.APPLIED),
        ("sam@example.org", Role.MENTEE, EnrollmentStatus.APPLIED),
        ("tom@example.org", Role.MENTEE, EnrollmentStatus.APPLIED),
    }
    assert all(e.status_changes.count() == 1 for e in enrollments)
    sam_enrollment = enrollments.get(user__email="sam@example.org")
    assert sam_enrollment.heard_about == HeardAbout.SCHOOL
    assert (sam_enrollment.guardian_name, sam_enrollment.guardian_email) == ("Kim Lee", "kim@example.org")
    assert sam_enrollment.guardian_asked_at is not None
    assert enrollments.get(user__email="tom@example.org").heard_about == HeardAbout.OTHER
    # The already-enrolled mentor was left alone.
    assert Enrollment.objects.get(program=world.program, user=world.people.mentor).role == Role.MENTOR

    send_queued_emails()
    welcome = {m.to[0]: m for m in mailoutbox if "added to" in m.subject}
    assert set(welcome) == {"ana@example.org", "sam@example.org", "tom@example.org"}
    assert world.program.name in welcome["ana@example.org"].subject
    assert (
        "https://mentoring.example.org" + reverse("account_reset_password") in welcome["ana@example.org"].body
    )
    assert "as a mentor" in welcome["ana@example.org"].body
    assert any(m.to == ["kim@example.org"] for m in mailoutbox)  # the guardian is asked
    assert not any(m.to == [world.people.mentor.email] for m in mailoutbox)


def test_importing_the_same_file_again_creates_nothing(coordinator_client, world):
    confirm(coordinator_client, world.program, digest_of(upload(coordinator_client, world.program, GOOD)))
    after_first = counts()

    response = upload(coordinator_client, world.program, GOOD)
    for line in (2, 3, 4, 5):
        assert "already enrolled: skipped" in row_of(response, line)
    assert 'name="digest"' not in response.text
    assert "nobody to import" in response.text
    # Even a confirm posted for it (an old tab) adds nobody.
    response = confirm(coordinator_client, world.program, imports.import_digest(GOOD), follow=True)
    assert "no longer waiting" in response.text
    assert counts() == after_first


def test_an_unknown_or_stale_hash_goes_back_to_the_upload_form(coordinator_client, world):
    before = counts()
    for digest in ["0" * 64, "not-a-hash", ""]:
        response = confirm(coordinator_client, world.program, digest, follow=True)
        assert response.redirect_chain == [(import_url(world.program), 302)]
        assert "no longer waiting" in response.text
    assert counts() == before


def test_a_second_confirm_of_the_same_import_adds_nobody(coordinator_client, world):
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    confirm(coordinator_client, world.program, digest)
    after_first = counts()
    response = confirm(coordinator_client, world.program, digest, follow=True)
    assert "no longer waiting" in response.text
    assert counts() == after_first


def test_when_the_data_changed_since_the_preview_nothing_is_written_and_the_preview_is_shown_again(
    coordinator_client, world
):
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    # Meanwhile Ana signs up and applies on her own.
    ana = scenarios.person(email="ana@example.org")
    scenarios.enroll(program=world.program, user=ana, role=Role.MENTOR)
    before = counts()

    response = confirm(coordinator_client, world.program, digest)
    assert response.status_code == 200
    assert "changed since the preview" in response.text
    assert "already enrolled: skipped" in row_of(response, 2)
    assert counts() == before

    # The refreshed preview can be confirmed.
    response = confirm(coordinator_client, world.program, digest_of(response), follow=True)
    assert (
        "Imported 2 rows: each person gets an email to set up or accept their place; 2 skipped"
        in response.text
    )


def test_a_program_closed_since_the_preview_takes_nobody(coordinator_client, world):
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    services.program_set_status(
        program=world.program, status=ProgramStatus.CLOSED, by=world.people.coordinator
    )
    before = counts()
    response = confirm(coordinator_client, world.program, digest, follow=True)
    assert response.redirect_chain == [(import_url(world.program), 302)]
    assert "Nothing was imported: This program is closed" in response.text
    assert counts() == before


@pytest.mark.parametrize(
    "failure",
    [IntegrityError("simulated"), ValidationError("You have already applied to this program.")],
)
def test_a_failure_in_the_middle_of_confirm_leaves_nothing_written(
    coordinator_client, world, monkeypatch, failure
):
    digest = digest_of(upload(coordinator_client, world.program, GOOD))
    before = counts()
    real_apply = confirm_step.enrollment_apply
    calls = []

    def fail_on_the_second_row(**kwargs):
        # Fault injection: the database refuses a write after the first row went in.
        calls.append(kwargs["user"].email)
        if len(calls) == 2:
            raise failure
        return real_apply(**kwargs)

    monkeypatch.setattr(confirm_step, "enrollment_apply", fail_on_the_second_row)
    response = confirm(coordinator_client, world.program, digest)
    assert calls == ["ana@example.org", "sam@example.org"]
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert counts() == before  # ana's account, profile, tags and enrollment were rolled back too

    monkeypatch.undo()
    response = confirm(coordinator_client, world.program, digest_of(response), follow=True)
    assert "Imported 3 rows" in response.text


def test_posting_fields_the_forms_do_not_have_changes_nothing(coordinator_client, world):
    sneaky = {
        "status": EnrollmentStatus.APPROVED,
        "program": world.other_program.pk,
        "source": Source.APPLIED,
        "role": Role.MENTOR,
        "is_staff": "on",
        "text": "email,role\nintruder@example.org,mentor\n",
    }
    response = upload(
        coordinator_client, world.program, "email,role\nplain@example.org,mentee\n", extra=sneaky
    )
    assert "intruder" not in response.text
    confirm(coordinator_client, world.program, digest_of(response), extra=sneaky)
    enrollment = Enrollment.objects.get(user__email="plain@example.org")
    assert (enrollment.program, enrollment.status, enrollment.source, enrollment.role) == (
        world.program,
        EnrollmentStatus.APPLIED,
        Source.IMPORTED,
        Role.MENTEE,
    )
    assert not enrollment.user.is_staff
    assert not User.objects.filter(email="intruder@example.org").exists()
    assert not world.other_program.enrollments.filter(source=Source.IMPORTED).exists()
