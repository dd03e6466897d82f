"""Issue 16's records of a person (their stories, the invitations to tell one, their answers to the
demographic questions, a partner's read-only login and a partner's record naming them as contact):
in their data download, gone with their erasure (their stories out of every funder report too),
and in the admin as far as staff may read them (demographic answers never)."""

import io
import json
import uuid
import zipfile

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from evaluation import erasure, retention
from evaluation.models import ExportRecord, Story, StoryInvitation
from programs.models import DemographicAnswer, DemographicQuestion, Partner, PartnerViewer
from tests import scenarios

pytestmark = pytest.mark.django_db

GUARDIAN_TOKEN = uuid.UUID("0f0e0d0c-0b0a-4908-8706-050403020100")


@pytest.fixture
def history():
    """Marigold (scenarios.person_with_history) with a story of her closed match and an invitation
    to tell it, an answer to a demographic question, and a partner that names her as its contact
    and gave her a read-only login; her mentor Morgan's story names her."""
    history = scenarios.person_with_history()
    match = history.match
    mine = match.mentee
    Story.objects.create(program=history.program, enrollment=mine, match=match, occasion="closure",
                         title="Marigold's year", text="Marigold learned to code with her mentor.",
                         consent="named", featured=True, featured_at=timezone.now(),
                         guardian_token=GUARDIAN_TOKEN)  # fmt: skip
    Story.objects.create(program=history.program, enrollment=match.mentor, match=match, occasion="closure",
                         title="A year well spent", text="Working with Marigold taught me patience.",
                         consent="anonymous")  # fmt: skip
    StoryInvitation.objects.create(enrollment=mine, match=match, occasion="closure", due_on=match.ended_on,
                                   sent_at=timezone.now())  # fmt: skip
    question = DemographicQuestion.objects.create(
        program=history.program,
        topic="first_gen",
        label="First in your family at university?",
        options=["Yes"],
    )
    DemographicAnswer.objects.create(
        question=question, enrollment=mine, self_described="Marigold's own words"
    )
    partner = Partner.objects.create(program=history.program, name="Quenby Academy", kind="school",
                                     contact_name="Marigold Quenby", contact_email="MARIGOLD@elsewhere.test",
                                     contact_phone="0117 496 0000")  # fmt: skip
    PartnerViewer.objects.create(partner=partner, email="marigold@elsewhere.test", user=history.user,
                                 invited_by=history.coordinator, expires_at=timezone.now(),
                                 accepted_at=timezone.now())  # fmt: skip
    return history


@pytest.fixture
def staff():
    return scenarios.person(
        email="sid@staff.test", display_name="Sid Staff", is_staff=True, is_superuser=True
    )


def download(client, staff, user):
    client.force_login(staff)
    response = client.get(reverse("evaluation:person_data", args=[user.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return archive, json.loads(archive.read("data.json").decode("utf-8-sig"))


def test_the_download_holds_their_stories_answers_invitations_and_partner_logins(client, staff, history):
    archive, export = download(client, staff, history.user)
    data = export["data"]
    [story] = data["evaluation"]["story"]
    assert (story["title"], story["consent"], story["featured"]) == ("Marigold's year", "named", True)
    assert "guardian_token" not in story and str(GUARDIAN_TOKEN) not in json.dumps(export)
    assert "guardian_token" in export["left_out"]["fields"]["evaluation.story"]
    # Morgan's story of the match is his, not hers.
    assert "Working with Marigold" not in json.dumps(data)
    assert [i["occasion"] for i in data["evaluation"]["storyinvitation"]] == ["closure"]
    # Her own answers, the question named by its words: a right of access, labelled as such.
    [answer] = data["programs"]["demographicanswer"]
    assert answer["question"] == "First in your family at university?"
    assert (
        answer["self_described"] == "Marigold's own words" and answer["enrollment"] == history.match.mentee_id
    )
    [login] = data["programs"]["partnerviewer"]
    assert login["partner"] == "Quenby Academy" and login["user"] == "you" and "token" not in login
    [partner] = data["programs"]["partner"]
    assert partner["contact_name"] == "Marigold Quenby" and "notes" not in partner
    for name in ("story", "storyinvitation"):
        assert f"csv/evaluation.{name}.csv" in archive.namelist()
    for name in ("demographicanswer", "partnerviewer", "partner"):
        assert f"csv/programs.{name}.csv" in archive.namelist()
    assert "Marigold's own words" in archive.read("csv/programs.demographicanswer.csv").decode("utf-8-sig")


def test_erasure_deletes_their_stories_answers_invitations_and_logins_and_others_stories_forget_them(history):
    user = history.user
    story = Story.objects.get(enrollment__user=user)
    # A funder report built with her story: her erasure sends it back to be built without it.
    report = ExportRecord.objects.create(
        requested_by=history.coordinator, program=history.program, dataset="funder_report", file_format="pdf",
        status="done", parameters={"story_ids": [story.pk]},
    )  # fmt: skip
    planned = {line.what: line.rows for line in erasure.plan(user)}
    assert (
        planned.items()
        >= {
            "Their stories": 1,
            "Stories by others in their programs that name them": 1,
            "Invitations to tell their story": 1,
            "Their answers to the demographic questions": 1,
            "Their read-only logins to a partner's figures": 1,
            "Partners that name them as their contact": 1,
        }.items()
    )

    retention.person_erase(user=user, by=None)

    assert not Story.objects.filter(enrollment__user=user).exists()
    assert not StoryInvitation.objects.filter(enrollment__user=user).exists()
    assert not DemographicAnswer.objects.filter(enrollment__user=user).exists()
    assert not PartnerViewer.objects.exists()
    partner = Partner.objects.get()
    assert (partner.contact_name, partner.contact_email, partner.contact_phone) == ("", "", "")
    others = Story.objects.get()
    assert others.text == "Working with [erased] taught me patience." and others.title == "A year well spent"
    report.refresh_from_db()
    assert report.status == "queued"
    assert erasure.plan(user) == []
    # What was deleted is not counted as kept.
    kept = {count.what for count in retention.erasure_preview(user).kept}
    assert not kept & {"Their stories, with the consent they gave to share them and any shorter version"}


def test_staff_read_partners_questions_and_stories_in_the_admin_but_never_answers(client, staff, history):
    client.force_login(staff)
    partner = Partner.objects.get()
    question = DemographicQuestion.objects.get()
    page = client.get(reverse("admin:programs_partner_changelist"), {"q": "Quenby"}).content.decode()
    assert "Quenby Academy" in page
    page = client.get(reverse("admin:programs_partner_change", args=[partner.pk])).content.decode()
    assert "marigold@elsewhere.test" in page and str(PartnerViewer.objects.get().token) not in page
    page = client.get(
        reverse("admin:programs_demographicquestion_change", args=[question.pk])
    ).content.decode()
    assert "First in your family at university?" in page and "Marigold&#x27;s own words" not in page
    assert not admin.site.is_registered(DemographicAnswer)
    with pytest.raises(NoReverseMatch):
        reverse("admin:programs_demographicanswer_changelist")
    page = client.get(reverse("admin:evaluation_story_changelist")).content.decode()
    assert "At the end of the match" in page and "Named" not in page
    story = Story.objects.get(enrollment__user=history.user)
    page = client.get(reverse("admin:evaluation_story_change", args=[story.pk])).content.decode()
    assert "Marigold learned to code" in page and str(GUARDIAN_TOKEN) not in page
    # A withdrawn story's words are not shown (the withdrawal deletes them; older rows too).
    Story.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    page = client.get(reverse("admin:evaluation_story_change", args=[story.pk])).content.decode()
    assert "Marigold learned to code" not in page and "Marigold&#x27;s year" not in page
    # Partners and questions are archived in the app, never deleted here.
    assert client.get(reverse("admin:programs_partner_delete", args=[partner.pk])).status_code == 403
    assert client.get(reverse("admin:evaluation_story_delete", args=[story.pk])).status_code == 403
