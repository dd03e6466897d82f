"""Success stories, through the services and the client: consent (named, anonymous, not shared), the
guardian's agreement for a minor (nothing published until yes; no means never), a coordinator's
shorter version (published only once the author approves it), featuring, and withdrawal, which
removes a story everywhere: the public page, the coordinators' list, the featured list and every
funder report. Others get 404; the lists keep a constant number of queries."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import story_services as services
from evaluation.models import ExportRecord, ExportStatus, Story
from evaluation.stories import own_stories, program_stories, published_stories
from mentorship.models import AuditEntry, OutboundEmail
from tests import scenarios
from tests.evaluation.helpers import active_match, pair_world
from tests.once import once

pytestmark = pytest.mark.django_db

BEN_TEXT = "My mentor helped me find my first job in tech."
DEE_TEXT = "I learned to ask for help, and I passed my exams."


@pytest.fixture
def pw():
    """Ada mentors Ben (an adult); Dee, 15, is a mentee of the same program with her guardian's
    consent, mentored by Cy."""
    world = pair_world()
    world.dee = world.world.mentees["dee"]
    active_match(program=world.program, mentee=world.dee, mentor=world.world.mentors["cy"])
    return world


def tell(enrollment, text=BEN_TEXT, consent="named", title="My first job"):
    return services.story_tell(
        enrollment=enrollment, by=enrollment.user, text=text, consent=consent, title=title
    )


def public_page(client, program):
    client.logout()
    response = client.get(reverse("evaluation:stories_public", args=[program.slug]))
    assert response.status_code == 200
    return response.content.decode()


def guardian_emails():
    return OutboundEmail.objects.filter(kind="story_guardian_request")


# --- Consent ----------------------------------------------------------------------------------------


def test_only_consented_stories_are_published_named_or_anonymous(pw, client):
    ben = pw.match.mentee
    ada = pw.match.mentor
    named = tell(ben)
    anonymous = tell(ada, text="Mentoring Ben taught me patience.", consent="anonymous", title="Patience")
    tell(ben, text="Only for the coordinators: it was hard.", consent="not_shared", title="Private")
    shown = {story.pk: story for story in published_stories(pw.program)}
    assert set(shown) == {named.pk, anonymous.pk}
    assert shown[named.pk].byline == "Ben" and shown[named.pk].shown_text == BEN_TEXT
    assert shown[anonymous.pk].byline == "A mentor"
    page = public_page(client, pw.program)
    assert BEN_TEXT in page and "Mentoring Ben taught me patience." in page
    assert "Only for the coordinators" not in page and "Private" not in page
    assert "A mentor" in page and "Ada" not in page  # anonymous: no name
    assert ben.user.email not in page
    # The program's public page links to its stories.
    detail = client.get(reverse("programs:detail", args=[pw.program.slug])).content.decode()
    assert reverse("evaluation:stories_public", args=[pw.program.slug]) in detail
    assert not guardian_emails().exists()  # adults: no guardian asked


def test_telling_through_the_form_says_what_each_choice_means(pw, client):
    ben = pw.match.mentee
    client.force_login(ben.user)
    url = reverse("evaluation:story_new", args=[ben.pk])
    page = client.get(url).content.decode()
    assert (
        "with your name" in page
        and "without your name" in page
        and "Only the program&#x27;s coordinators" in page
    )
    assert "withdraw your story completely, at any time" in page
    assert client.post(url, once(text="", consent="named")).status_code == 400
    assert client.post(url, once(text=BEN_TEXT)).status_code == 400  # no consent chosen
    assert client.post(url, once(text=BEN_TEXT, consent="maybe")).status_code == 400
    assert not Story.objects.exists()
    sent = once(title="", text=BEN_TEXT, consent="anonymous")
    response = client.post(url, sent)
    assert response.status_code == 302 and response.url == reverse("evaluation:my_stories")
    assert client.post(url, sent).status_code == 302  # sent twice (a double click): saved once
    story = Story.objects.get()
    assert (story.enrollment, story.program, story.consent, story.occasion) == (
        ben,
        pw.program,
        "anonymous",
        "other",
    )
    mine = client.get(reverse("evaluation:my_stories")).content.decode()
    assert BEN_TEXT in mine and "Published anonymously" in mine
    # Changing the consent on its page: not shared any more, so not published.
    edit = reverse("evaluation:story_edit", args=[story.pk])
    assert client.post(edit, {"text": BEN_TEXT, "consent": "not_shared"}).status_code == 302
    assert published_stories(pw.program) == []
    assert AuditEntry.objects.filter(action="story.changed", target_id=story.pk).exists()


def test_a_person_tells_a_story_from_their_application_page(pw, client):
    ben = pw.match.mentee
    client.force_login(ben.user)
    page = client.get(reverse("programs:enrollment", args=[ben.pk])).content.decode()
    assert reverse("evaluation:story_new", args=[ben.pk]) in page


# --- A minor's story: the guardian agrees first ------------------------------------------------------


def test_a_minors_story_is_published_only_after_the_guardian_says_yes(pw, client):
    story = tell(pw.dee, text=DEE_TEXT, consent="anonymous", title="Exams")
    assert story.guardian_approval == "pending" and story.guardian_token
    assert published_stories(pw.program) == []
    email = guardian_emails().get()
    assert email.to == "guardian.dee@matching.test"
    assert DEE_TEXT not in email.body and "Exams" not in email.body  # the words stay on the page
    link = reverse("evaluation:story_guardian", args=[story.guardian_token])
    assert link in email.body
    page = client.get(link).content.decode()
    assert DEE_TEXT in page and "A mentee" in page
    # The coordinators cannot feature it yet.
    with pytest.raises(Exception, match="Only a story that may be published"):
        services.story_feature(story=story, by=pw.coordinator, featured=True)
    assert client.post(link, {}).status_code == 400  # no answer chosen: nothing changes
    assert client.post(link, {"agree": "yes"}).status_code == 200
    assert [s.pk for s in published_stories(pw.program)] == [story.pk]
    assert DEE_TEXT in public_page(client, pw.program)
    # The link is used up.
    assert client.post(link, {"agree": "no"}).status_code == 400
    story.refresh_from_db()
    assert story.guardian_approval == "given"

    # A change of the text asks the guardian again: unpublished meanwhile, the old link gone.
    changed = services.story_change(story=story, by=pw.dee.user, text=DEE_TEXT + " Now I help others.",
                                    consent="anonymous", title="Exams")  # fmt: skip
    assert changed.guardian_approval == "pending" and changed.guardian_token != story.guardian_token
    assert guardian_emails().count() == 2
    assert published_stories(pw.program) == []
    assert client.get(link).status_code == 404
    # So does a change of the consent (now with her name).
    again = services.story_change(story=changed, by=pw.dee.user, text=changed.text, consent="named",
                                  title="Exams")  # fmt: skip
    assert guardian_emails().count() == 3 and again.guardian_approval == "pending"
    new_link = reverse("evaluation:story_guardian", args=[again.guardian_token])
    assert client.post(new_link, {"agree": "yes"}).status_code == 200
    assert [s.byline for s in published_stories(pw.program)] == ["Dee"]


def test_when_the_guardian_says_no_the_story_is_never_published(pw, client):
    story = tell(pw.dee, text=DEE_TEXT, consent="named")
    link = reverse("evaluation:story_guardian", args=[story.guardian_token])
    assert client.post(link, {"agree": "no"}).status_code == 200
    story.refresh_from_db()
    assert story.guardian_approval == "refused"
    assert published_stories(pw.program) == []
    assert DEE_TEXT not in public_page(client, pw.program)
    with pytest.raises(Exception, match="Only a story that may be published"):
        services.story_feature(story=story, by=pw.coordinator, featured=True)
    assert client.post(link, {"agree": "yes"}).status_code == 400  # the answer stands
    story.refresh_from_db()
    assert story.guardian_approval == "refused"
    assert published_stories(pw.program) == []
    client.force_login(pw.dee.user)
    assert (
        "the parent or guardian did not agree"
        in client.get(reverse("evaluation:my_stories")).content.decode()
    )


def test_a_minors_story_kept_for_the_coordinators_asks_no_guardian(pw):
    story = tell(pw.dee, text=DEE_TEXT, consent="not_shared")
    assert story.guardian_approval == "" and not guardian_emails().exists()
    assert published_stories(pw.program) == []


def test_an_unknown_token_answers_404(client):
    assert client.get(reverse("evaluation:story_guardian", args=[uuid.uuid4()])).status_code == 404


# --- Coordinators' shorter versions and featuring -------------------------------------------------------


def test_a_shorter_version_is_published_only_once_the_author_approves_it(pw, client):
    ben = pw.match.mentee
    story = tell(ben, text=BEN_TEXT + " And it was fun, every single week, for a year.")
    client.force_login(pw.coordinator)
    url = reverse("evaluation:story_propose", args=[pw.program.slug, story.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": story.text + " More words."}).status_code == 400  # longer: refused
    assert client.post(url, {"text": BEN_TEXT}).status_code == 302
    email = OutboundEmail.objects.get(kind="story_edit_proposed")
    assert email.to == ben.user.email and BEN_TEXT not in email.body
    assert published_stories(pw.program)[0].shown_text == story.text  # not yet
    client.force_login(ben.user)
    mine = client.get(reverse("evaluation:my_stories")).content.decode()
    assert "A shorter version the coordinators suggest" in mine
    response = client.post(reverse("evaluation:story_proposal", args=[story.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert published_stories(pw.program)[0].shown_text == BEN_TEXT
    assert AuditEntry.objects.filter(action="story.edit_approved", target_id=story.pk).exists()


def test_a_declined_version_changes_nothing(pw, client):
    ben = pw.match.mentee
    story = tell(ben, text=BEN_TEXT + " Longer.")
    services.story_propose_edit(story=story, by=pw.coordinator, text=BEN_TEXT)
    client.force_login(ben.user)
    client.post(reverse("evaluation:story_proposal", args=[story.pk]), {"decision": "decline"})
    story.refresh_from_db()
    assert story.proposed_text == "" and story.edited_text == ""
    assert published_stories(pw.program)[0].shown_text == BEN_TEXT + " Longer."


def test_an_approved_version_of_a_minors_story_asks_the_guardian_again(pw, client):
    story = tell(pw.dee, text=DEE_TEXT + " Longer.", consent="anonymous")
    services.story_guardian_answer(story=story, token=story.guardian_token, given=True)
    services.story_propose_edit(story=story, by=pw.coordinator, text=DEE_TEXT)
    services.story_proposal_answer(story=story, by=pw.dee.user, approve=True)
    assert published_stories(pw.program) == []  # the guardian reads the new version first
    story.refresh_from_db()
    client.post(reverse("evaluation:story_guardian", args=[story.guardian_token]), {"agree": "yes"})
    assert published_stories(pw.program)[0].shown_text == DEE_TEXT


def test_coordinators_feature_publishable_stories_first(pw, client):
    ben, ada = pw.match.mentee, pw.match.mentor
    first = tell(ben)
    second = tell(ada, text="Second story.", consent="anonymous")
    private = tell(ben, text="Private.", consent="not_shared")
    assert [s.pk for s in published_stories(pw.program)] == [second.pk, first.pk]  # newest first
    client.force_login(pw.coordinator)
    page = client.get(reverse("evaluation:stories_manage", args=[pw.program.slug])).content.decode()
    assert "Private." in page and "Not shared" in page  # coordinators read it
    feature = reverse("evaluation:story_feature", args=[pw.program.slug, first.pk])
    assert client.post(feature, {"featured": "1"}).status_code == 302
    assert [s.pk for s in published_stories(pw.program)] == [first.pk, second.pk]
    assert [s.pk for s in published_stories(pw.program, featured_only=True)] == [first.pk]
    assert published_stories(pw.program, limit=1)[0].pk == first.pk
    client.post(reverse("evaluation:story_feature", args=[pw.program.slug, private.pk]), {"featured": "1"})
    private.refresh_from_db()
    assert not private.featured  # not publishable: refused
    assert AuditEntry.objects.filter(action="story.featured", target_id=first.pk).exists()
    client.post(feature, {"featured": "0"})
    assert published_stories(pw.program, featured_only=True) == []


# --- Withdrawal ----------------------------------------------------------------------------------------


def test_withdrawal_removes_the_story_everywhere(pw, client, tmp_path, settings):
    ben = pw.match.mentee
    story = tell(ben, text=BEN_TEXT, consent="named", title="My first job")
    services.story_feature(story=story, by=pw.coordinator, featured=True)
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "report.pdf").write_bytes(b"%PDF")
    report = ExportRecord.objects.create(
        requested_by=pw.coordinator, program=pw.program, dataset="funder_report", file_format="pdf",
        parameters={"story_ids": [story.pk]}, status=ExportStatus.DONE, file="exports/report.pdf",
    )  # fmt: skip
    assert BEN_TEXT in public_page(client, pw.program)

    client.force_login(ben.user)
    confirm = reverse("evaluation:story_withdraw", args=[story.pk])
    page = client.get(confirm).content.decode()
    assert "button-danger" in page and "cannot be undone" in page
    assert client.post(confirm).status_code == 302

    story.refresh_from_db()
    assert story.withdrawn_at and not story.featured
    assert story.text == "" and story.title == "" and story.guardian_token is None
    assert published_stories(pw.program) == [] and published_stories(pw.program, featured_only=True) == []
    assert BEN_TEXT not in public_page(client, pw.program)
    client.force_login(pw.coordinator)
    manage = client.get(reverse("evaluation:stories_manage", args=[pw.program.slug])).content.decode()
    assert "Withdrawn on" in manage and BEN_TEXT not in manage and "My first job" not in manage
    assert (
        client.get(reverse("evaluation:story_propose", args=[pw.program.slug, story.pk])).status_code == 404
    )
    report.refresh_from_db()
    assert report.status == ExportStatus.QUEUED and report.file == ""  # rebuilt without it
    assert AuditEntry.objects.filter(action="story.withdrawn", target_id=story.pk).exists()
    # Its own pages are gone.
    client.force_login(ben.user)
    assert client.get(reverse("evaluation:story_edit", args=[story.pk])).status_code == 404
    assert "A story you withdrew" in client.get(reverse("evaluation:my_stories")).content.decode()


def test_a_minors_withdrawn_story_leaves_the_guardians_link_dead(pw, client):
    story = tell(pw.dee, text=DEE_TEXT, consent="anonymous")
    link = reverse("evaluation:story_guardian", args=[story.guardian_token])
    services.story_withdraw(story=story, by=pw.dee.user)
    assert client.get(link).status_code == 404


def test_an_erased_authors_story_is_not_published(pw):
    ben = pw.match.mentee
    tell(ben)
    type(ben.user).objects.filter(pk=ben.user.pk).update(is_active=False)
    assert published_stories(pw.program) == []


# --- Who sees what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["mentor", "outsider", "coordinator", "other_coordinator", "staff"])
def test_only_the_author_opens_their_story(pw, client, role):
    story = tell(pw.match.mentee)
    client.force_login(pw.as_role(role))
    for name in ("story_edit", "story_withdraw"):
        assert client.get(reverse(f"evaluation:{name}", args=[story.pk])).status_code == 404
    assert client.post(reverse("evaluation:story_withdraw", args=[story.pk])).status_code == 404
    story.refresh_from_db()
    assert story.withdrawn_at is None
    # Nobody tells a story on someone else's application.
    assert client.get(reverse("evaluation:story_new", args=[pw.match.mentee.pk])).status_code == 404


@pytest.mark.parametrize("role", ["mentee", "mentor", "outsider", "other_coordinator"])
def test_only_the_programs_coordinators_and_staff_curate(pw, client, role):
    story = tell(pw.match.mentee)
    client.force_login(pw.as_role(role))
    assert client.get(reverse("evaluation:stories_manage", args=[pw.program.slug])).status_code == 404
    assert (
        client.get(reverse("evaluation:story_propose", args=[pw.program.slug, story.pk])).status_code == 404
    )
    feature = reverse("evaluation:story_feature", args=[pw.program.slug, story.pk])
    assert client.post(feature, {"featured": "1"}).status_code == 404
    story.refresh_from_db()
    assert not story.featured


def test_a_story_of_another_program_is_404_on_this_ones_pages(pw, client):
    other = scenarios.program(coordinator=pw.coordinator, name="Second Program", status="running")
    story = tell(pw.match.mentee)
    client.force_login(pw.coordinator)
    assert client.get(reverse("evaluation:story_propose", args=[other.slug, story.pk])).status_code == 404


# --- Constant queries ---------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_keep_a_constant_number_of_queries(pw, client):
    ben, ada = pw.match.mentee, pw.match.mentor
    public = reverse("evaluation:stories_public", args=[pw.program.slug])
    manage = reverse("evaluation:stories_manage", args=[pw.program.slug])
    mine = reverse("evaluation:my_stories")

    def add(n):
        for i in range(n):
            for enrollment, consent in ((ben, "named"), (ada, "anonymous"), (ben, "not_shared")):
                tell(enrollment, text=f"Story {i} {consent}", consent=consent)
        tell(pw.dee, text=f"{DEE_TEXT} {n}", consent="anonymous")

    counts = []
    for more in (1, 5):
        add(more)
        client.logout()
        at_public = _count(client, public)
        client.force_login(pw.coordinator)
        at_manage = _count(client, manage)
        client.force_login(ben.user)
        at_mine = _count(client, mine)
        counts.append((at_public, at_manage, at_mine))
    assert counts[0] == counts[1]
    with CaptureQueriesContext(connection) as queries:
        assert len(program_stories(pw.program)) == 20 and len(own_stories(ben.user)) == 12
        for story in published_stories(pw.program):
            assert story.byline and story.shown_text
    assert len(queries) == 5  # two for each list with .publishable, one for the published
