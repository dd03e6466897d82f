"""The resource library (programs/resources.py): who sees which resource (one rule, 404 for
anyone else), the library's search, files sent only to those allowed, staff's resources for every
program, copying from another program one runs, and the places that show resources where they help."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services as evaluation_services
from matching import services as matching_services
from matching.models import MatchSource
from mentorship.models import AuditEntry
from programs import guardians, resources
from programs.models import EnrollmentStatus, ProgramStatus, Resource, ResourceAudience, StoredFile
from tests import scenarios

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name="guide.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def add(program, audience, *, by, title=None, topic="guides", **fields):
    """A resource through the service (a page unless ``kind`` says otherwise)."""
    fields.setdefault("kind", "page")
    if fields["kind"] == "page":
        fields.setdefault("body", f"All about {title or audience}.")
    return resources.resource_create(
        program=program, by=by, title=title or f"For {audience}", topic=topic, audience=audience, **fields
    )


def url(resource, program=None, name="programs:resource"):
    return reverse(name, args=[(program or resource.program).slug, resource.pk])


# --- Who sees what --------------------------------------------------------------------------------

SEES = {
    # audience: the roles that get the resource (everyone else: 404; anonymous: sign in first)
    ResourceAudience.PUBLIC: set(scenarios.ROLES),
    ResourceAudience.PROGRAM: {"mentee", "mentor", "coordinator", "staff"},
    ResourceAudience.MENTORS: {"mentor", "coordinator", "staff"},
    ResourceAudience.MENTEES: {"mentee", "coordinator", "staff"},
    ResourceAudience.GUARDIANS: {"coordinator", "staff"},
}  # fmt: skip


@pytest.mark.parametrize("audience", list(SEES))
def test_each_audience_is_seen_by_its_people_and_no_one_else(client, login_as, world, audience):
    resource = add(world.program, audience, by=world.people.coordinator)
    library = reverse("programs:library", args=[world.program.slug])
    for role in scenarios.ROLES:
        client.logout()
        login_as(world, role)
        response = client.get(url(resource))
        if role in SEES[audience]:
            assert response.status_code == 200, role
            assert resource.title in client.get(library).text, role
        else:
            expected = 302 if role == "anonymous" else 404
            assert response.status_code == expected, role
            assert resource.title not in client.get(library).text, role


def test_public_resources_stay_hidden_while_the_program_is_a_draft(client, world):
    draft = scenarios.program(
        coordinator=world.people.coordinator, name="Not Yet", status=ProgramStatus.DRAFT
    )
    resource = add(draft, ResourceAudience.PUBLIC, by=world.people.coordinator)
    assert client.get(url(resource)).status_code == 404
    assert client.get(reverse("programs:library", args=[draft.slug])).status_code == 404


def test_a_withdrawn_applicant_no_longer_sees_the_programs_resources(client, world):
    resource = add(world.program, ResourceAudience.MENTEES, by=world.people.coordinator)
    client.force_login(world.people.mentee)
    assert client.get(url(resource)).status_code == 200
    world.mentee_enrollment.status = EnrollmentStatus.WITHDRAWN
    world.mentee_enrollment.save()
    assert client.get(url(resource)).status_code == 404


def test_a_resource_of_another_program_is_not_found_through_this_one(client, world):
    other = add(world.other_program, ResourceAudience.PUBLIC, by=world.people.other_coordinator)
    client.force_login(world.people.mentee)
    assert client.get(url(other, world.program)).status_code == 404
    assert client.get(url(other)).status_code == 200


# --- Guardians --------------------------------------------------------------------------------------


def test_the_guardian_sees_guardians_and_public_resources_by_their_link(client, world):
    match = scenarios.teen_match(world)
    consent = match.mentee.consents.get()
    lead = world.people.coordinator
    for_guardians = add(world.program, ResourceAudience.GUARDIANS, by=lead, kind="file", upload=pdf())
    for_mentors = add(world.program, ResourceAudience.MENTORS, by=lead, title="Mentor handbook")
    page = client.get(reverse("programs:guardian", args=[consent.manage_token])).text
    assert for_guardians.title in page and for_mentors.title not in page

    detail = reverse("programs:guardian_resource", args=[consent.manage_token, for_guardians.pk])
    assert client.get(detail).status_code == 200
    download = client.get(
        reverse("programs:guardian_resource_file", args=[consent.manage_token, for_guardians.pk])
    )
    assert download.status_code == 200 and download.content == PDF
    refused = reverse("programs:guardian_resource", args=[consent.manage_token, for_mentors.pk])
    assert client.get(refused).status_code == 404

    # A new guardian (or a resend) replaces the link: the old one opens nothing.
    guardians.guardian_request_consent(
        enrollment=match.mentee, name="Sam Parent", email="sam@example.org", by=lead
    )
    assert client.get(detail).status_code == 404


# --- Files --------------------------------------------------------------------------------------------


def test_a_file_is_sent_with_its_checked_type_never_sniffed_nor_cached(client, world):
    resource = add(
        world.program, ResourceAudience.PROGRAM, by=world.people.coordinator, kind="file", upload=pdf()
    )
    client.force_login(world.people.mentor)
    response = client.get(url(resource, name="programs:resource_file"))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")  # a PDF opens in the browser
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(world.people.outsider)
    assert client.get(url(resource, name="programs:resource_file")).status_code == 404


def test_an_office_document_is_always_an_attachment(client, world):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("plan.docx", buffer.getvalue(), content_type="text/html")
    resource = add(
        world.program, ResourceAudience.PROGRAM, by=world.people.coordinator, kind="file", upload=upload
    )
    client.force_login(world.people.mentee)
    response = client.get(url(resource, name="programs:resource_file"))
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="plan.docx"'
    page = client.get(url(resource)).text
    assert "plan.docx" in page and "Word document" in page and "Download" in page


def test_a_program_renamed_pdf_is_refused_and_the_form_keeps_what_was_typed(client, world):
    client.force_login(world.people.coordinator)
    new = reverse("programs:resource_new", args=[world.program.slug])
    data = {
        "title": "Safety rules",
        "summary": "Read first",
        "topic": "safety",
        "audience": "program",
        "kind": "file",
    }
    response = client.post(new, {**data, "upload": pdf(data=MZ)})
    assert response.status_code == 400
    assert "guide.pdf is not a PDF: its content is a Windows program." in response.text
    assert 'value="Safety rules"' in response.text and 'value="Read first"' in response.text
    assert not Resource.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "link"}, "Give the link&#x27;s address."),
        ({"kind": "link", "url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"kind": "page"}, "Write the page."),
        ({"kind": "file"}, "Choose the file to upload."),
        ({"kind": "page", "body": "x", "audience": "everyone"}, "Select a valid choice."),
    ],
)
def test_bad_input_re_renders_the_form_with_errors(client, world, data, error):
    client.force_login(world.people.coordinator)
    new = reverse("programs:resource_new", args=[world.program.slug])
    response = client.post(new, {"title": "Tips", "topic": "guides", "audience": "mentors", **data})
    assert response.status_code == 400
    assert error in response.text
    assert not Resource.objects.exists()


def test_a_coordinator_adds_edits_and_deletes_a_resource(client, world):
    lead = world.people.coordinator
    client.force_login(lead)
    new = reverse("programs:resource_new", args=[world.program.slug])
    data = {"title": "Tips", "topic": "first_meeting", "audience": "mentors", "kind": "link"}
    response = client.post(new, {**data, "url": "https://example.org/tips"})
    resource = Resource.objects.get()
    assert response.status_code == 302 and resource.program == world.program and resource.created_by == lead
    page = client.get(url(resource)).text
    assert 'href="https://example.org/tips"' in page and 'rel="noopener noreferrer"' in page

    edit = url(resource, name="programs:resource_edit")
    client.post(edit, {**data, "kind": "file", "upload": pdf()})
    resource.refresh_from_db()
    assert resource.kind == "file" and resource.file.content_type == "application/pdf" and resource.url == ""

    library = client.get(reverse("programs:library", args=[world.program.slug])).text
    assert "data-confirm=" in library and "button-danger" in library  # asks first
    client.post(url(resource, name="programs:resource_delete"))
    assert not Resource.objects.exists() and not StoredFile.objects.exists()
    actions = set(AuditEntry.objects.filter(target_type="programs.resource").values_list("action", flat=True))
    assert actions == {"resource.created", "resource.updated", "resource.deleted"}


def test_another_programs_coordinator_cannot_add_or_edit(client, world):
    resource = add(world.program, ResourceAudience.PUBLIC, by=world.people.coordinator)
    client.force_login(world.people.other_coordinator)
    assert client.get(reverse("programs:resource_new", args=[world.program.slug])).status_code == 404
    assert client.get(url(resource, name="programs:resource_edit")).status_code == 404
    assert client.post(url(resource, name="programs:resource_delete")).status_code == 404
    assert Resource.objects.filter(pk=resource.pk).exists()


# --- Staff: every program ------------------------------------------------------------------------------


def test_staff_publish_to_every_program_and_only_staff_change_it(client, world):
    staff = world.people.staff
    client.force_login(staff)
    new = reverse("programs:resource_new", args=[world.program.slug])
    data = {"title": "Our safeguarding policy", "topic": "safety", "audience": "public", "kind": "page"}
    response = client.post(new, {**data, "body": "Keep everyone safe.", "every_program": "on"})
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.program is None
    for program in (world.program, world.other_program):
        client.force_login(world.people.mentor)
        page = client.get(reverse("programs:library", args=[program.slug])).text
        assert "Our safeguarding policy" in page and "From the organisation" in page
    # The program's coordinator sees it in their library but cannot change it.
    client.force_login(world.people.coordinator)
    assert client.get(url(resource, world.program)).status_code == 200
    assert client.get(url(resource, world.program, "programs:resource_edit")).status_code == 404
    # A coordinator's form has no such checkbox: what they add is their program's.
    assert "every_program" not in client.get(new).text


# --- Copying from another program one runs ---------------------------------------------------------


def test_a_coordinator_copies_from_another_program_they_run(client, world):
    lead = world.people.coordinator
    second = scenarios.program(coordinator=lead, name="Eastside Mentoring")
    source = add(
        second, ResourceAudience.MENTORS, by=lead, title="Mentor handbook", kind="file", upload=pdf()
    )
    theirs = add(
        world.other_program, ResourceAudience.PUBLIC, by=world.people.other_coordinator, title="Theirs"
    )
    copy_url = reverse("programs:resource_copy", args=[world.program.slug])
    client.force_login(lead)
    page = client.get(copy_url).text
    assert "Mentor handbook" in page and "Theirs" not in page

    assert client.post(copy_url, {"resources": [theirs.pk]}).status_code == 404  # not offered
    assert client.post(copy_url, {}).status_code == 400  # nothing chosen
    response = client.post(copy_url, {"resources": [source.pk]})
    assert response.status_code == 302
    copy = Resource.objects.get(program=world.program)
    assert copy.copied_from == source and copy.title == "Mentor handbook" and copy.file_id == source.file_id
    assert AuditEntry.objects.filter(action="resource.copied", target_id=copy.pk).exists()

    # Deleting the original leaves the copy's file whole.
    resources.resource_delete(resource=source, by=lead)
    client.force_login(world.people.mentor)
    download = client.get(url(copy, name="programs:resource_file"))
    assert download.status_code == 200 and download.content == PDF


# --- The library's search ------------------------------------------------------------------------------


def test_search_and_topic_filter(client, world):
    lead = world.people.coordinator
    add(world.program, ResourceAudience.PROGRAM, by=lead, title="Activity ideas", topic="activities",
        summary="Things to do together")  # fmt: skip
    add(
        world.program,
        ResourceAudience.PROGRAM,
        by=lead,
        title="Goal sheet",
        topic="goals",
        body="SMART goals, a TOGETHER plan",
    )
    add(world.program, ResourceAudience.PROGRAM, by=lead, title="Closure guide", topic="closure")
    client.force_login(world.people.mentee)
    library = reverse("programs:library", args=[world.program.slug])
    page = client.get(library, {"q": "together"}).text  # in a summary and in a body, any case
    assert "Activity ideas" in page and "Goal sheet" in page and "Closure guide" not in page
    page = client.get(library, {"topic": "closure"}).text
    assert "Closure guide" in page and "Goal sheet" not in page
    page = client.get(library).text
    assert page.index("Activity ideas") < page.index("Goal sheet")  # grouped by topic, in order
    response = client.get(library, {"topic": "cooking"})
    assert response.status_code == 400 and "Select a valid choice" in response.text


def test_the_library_takes_the_same_queries_however_many_resources(client, world):
    lead = world.people.coordinator
    library = reverse("programs:library", args=[world.program.slug])
    client.force_login(world.people.mentor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(library).status_code == 200
        return len(captured)

    add(world.program, ResourceAudience.MENTORS, by=lead, title="One", kind="file", upload=pdf())
    few = queries()
    for n in range(8):
        add(world.program, ResourceAudience.PROGRAM, by=lead, title=f"Page {n}", topic="activities")
        add(world.program, ResourceAudience.MENTORS, by=lead, title=f"File {n}", kind="file", upload=pdf())
    assert queries() == few


# --- Where resources help --------------------------------------------------------------------------------


def test_the_match_page_shows_first_meeting_tips_until_the_pair_has_met(client, world):
    lead = world.people.coordinator
    tips = add(
        world.program, ResourceAudience.PROGRAM, by=lead, title="Your first meeting", topic="first_meeting"
    )
    match = scenarios.teen_match(world)
    client.force_login(match.mentor.user)
    page = client.get(match.get_absolute_url()).text
    assert "First-meeting tips" in page and url(tips) in page
    evaluation_services.checkin_log(match=match, by=match.mentor.user, occurred_on=match.started_on, rating=4)
    assert "First-meeting tips" not in client.get(match.get_absolute_url()).text


def test_the_agreement_links_the_safety_rules(client, world):
    rules = add(
        world.program, ResourceAudience.PROGRAM, by=world.people.coordinator, title="Rules", topic="safety"
    )
    mentor = scenarios.ready_mentor(program=world.program, email="m@example.org", display_name="Mo")
    mentee = scenarios.ready_mentee(program=world.program, email="k@example.org", display_name="Kit")
    match = matching_services.match_propose(
        program=world.program,
        mentee=mentee,
        mentor=mentor,
        by=world.people.coordinator,
        source=MatchSource.MANUAL,
    )
    client.force_login(mentee.user)
    page = client.get(match.get_absolute_url()).text
    assert f'keep the program\'s <a href="{url(rules)}">safety rules</a>' in page


def test_closure_guides_at_closure_and_goal_guides_beside_goals(client, world):
    lead = world.people.coordinator
    closing = add(world.program, ResourceAudience.PROGRAM, by=lead, title="Saying goodbye", topic="closure")
    goals = add(world.program, ResourceAudience.PROGRAM, by=lead, title="SMART goals", topic="goals")
    match = scenarios.teen_match(world)
    client.force_login(match.mentee.user)
    pair_page = client.get(reverse("evaluation:pair", args=[match.pk])).text
    assert url(goals) in pair_page
    assert url(goals) in client.get(reverse("evaluation:goal_new", args=[match.pk])).text
    client.force_login(lead)
    assert url(closing) in client.get(reverse("matching:close", args=[match.pk])).text
    matching_services.match_close(match=match, by=lead, reason="completed", anticipated=True)
    client.force_login(match.mentee.user)
    page = client.get(match.get_absolute_url()).text
    assert "Ending a match well" in page and url(closing) in page


def test_the_application_page_links_the_library(client, world):
    client.force_login(world.people.mentee)
    page = client.get(world.mentee_enrollment.get_absolute_url()).text
    assert reverse("programs:library", args=[world.program.slug]) in page


def test_lists_never_load_a_files_bytes(world):
    add(world.program, ResourceAudience.PROGRAM, by=world.people.coordinator, kind="file", upload=pdf())
    sql = str(resources.resources_for(world.people.staff, world.program).query)
    assert '"programs_storedfile"."name"' in sql and '"programs_storedfile"."data"' not in sql


def test_the_public_page_lists_public_resources_only(client, world):
    lead = world.people.coordinator
    add(world.program, ResourceAudience.PUBLIC, by=lead, title="What mentoring is")
    add(world.program, ResourceAudience.MENTORS, by=lead, title="Mentor handbook")
    page = client.get(reverse("programs:detail", args=[world.program.slug])).text
    assert "What mentoring is" in page and "Mentor handbook" not in page
