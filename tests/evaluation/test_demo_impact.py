"""The demo's partners, demographic questions and stories (evaluation/demo/impact.py): there,
believable, and shaped so that every report has something to show (groups of five and more and
groups below five, featured stories that may be published, a withdrawn one that may not)."""

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F

from evaluation.demo.impact import HARBOUR_MENTORS, NORTHSIDE_MENTEES
from evaluation.demo.site import DEMO_LOGINS, demo_site
from evaluation.models import Story, StoryInvitation
from evaluation.stories import published_stories
from matching.models import Match
from programs.models import DemographicAnswer, DemographicQuestion, Enrollment, Invitation, Partner, Program

pytestmark = pytest.mark.django_db

MINIMUM = 5  # evaluation.suppression.MINIMUM: fewer than this is shown as "fewer than 5"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Seeding takes a few seconds: once for the module, rolled back after its last test.
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(demo, db):
    return demo


def youth():
    return Program.objects.get(name="City Youth Mentoring")


def test_two_local_partners_brought_some_of_the_youth_programs_people(site):
    program = youth()
    partners = Partner.objects.filter(program=program)
    assert sorted((p.name, p.kind) for p in partners) == [
        ("Harbour Logistics", "business"), ("Northside Academy", "school")
    ]  # fmt: skip
    for partner in partners:
        assert partner.contact_name and partner.contact_email and partner.contact_phone and partner.notes
    northside = Partner.objects.get(name="Northside Academy")
    harbour = Partner.objects.get(name="Harbour Logistics")
    assert northside.people.filter(role="mentee").count() == NORTHSIDE_MENTEES == northside.people.count()
    assert harbour.people.filter(role="mentor").count() == HARBOUR_MENTORS == harbour.people.count()
    tagged = Enrollment.objects.filter(partner__isnull=False)
    assert tagged.count() == NORTHSIDE_MENTEES + HARBOUR_MENTORS
    assert set(tagged.values_list("heard_about", flat=True)) == {"partner"}
    # Some of the partners' people are in pairs: the partner's figures have matches to count.
    paired = (
        Match.objects.filter(mentee__partner=northside).count()
        + Match.objects.filter(mentor__partner=harbour).count()
    )
    assert paired >= 3
    # Enough of the academy's students are in pairs for its contact's figures to show some (5+).
    assert Match.objects.filter(mentee__partner=northside).values("mentee").distinct().count() >= 5
    assert Invitation.objects.get(partner=northside).email == "referral1@example.org"


def test_the_academys_contact_has_an_accepted_read_only_login_and_no_enrollment(site, client):
    assert ("partner contact", "partner.contact@example.org") in DEMO_LOGINS
    school = Partner.objects.get(name="Northside Academy")
    viewer = school.viewers.get()
    assert viewer.user.email == viewer.email == school.contact_email == "partner.contact@example.org"
    assert viewer.accepted_at and viewer.revoked_at is None and viewer.invited_by == site.coordinator
    assert not viewer.user.enrollments.exists() and not viewer.user.is_staff
    # The business's contact was invited and has not followed the link yet.
    waiting = Partner.objects.get(name="Harbour Logistics").viewers.get()
    assert waiting.user is None and waiting.accepted_at is None and waiting.expires_at > waiting.invited_at


def _groups(question):
    """How many people gave each answer: an option, "prefer not to say", or their own words."""
    counts = Counter()
    for answer in question.answers.all():
        if answer.prefer_not_to_say:
            counts["prefer not to say"] += 1
        elif answer.self_described:
            counts["in their own words"] += 1
        else:
            assert answer.option in question.options, answer.option
            counts[answer.option] += 1
    return counts


def test_five_optional_questions_answered_by_most_with_groups_above_and_below_five(site):
    program = youth()
    questions = list(DemographicQuestion.objects.filter(program=program))
    assert [q.topic for q in questions] == [
        "gender",
        "ethnicity",
        "first_gen",
        "home_language",
        "neighbourhood",
    ]
    everyone = program.enrollments.count()
    answered = DemographicAnswer.objects.filter(question__program=program)
    people = answered.values("enrollment").distinct().count()
    assert 0.8 * everyone <= people < everyone  # most, not all: a few never filled in the form
    for question in questions:
        groups = _groups(question)
        assert groups["prefer not to say"] >= 1 and groups["in their own words"] >= 1, question.topic
        options = [groups[option] for option in question.options if groups[option]]
        assert max(options) >= MINIMUM and min(options) < MINIMUM, (question.topic, groups)
        assert question.answers.count() < people  # some skipped this question
    # Where they live: the program's areas (what they chose when they applied, mostly) or outside.
    neighbourhood = questions[-1]
    assert neighbourhood.options == [*program.areas, "Outside the city"] and len(program.areas) == 7
    same = neighbourhood.answers.filter(option=F("enrollment__area_name")).count()
    assert same >= 0.8 * neighbourhood.answers.exclude(option="").count()
    # Answers came with the applications: none before the person applied.
    assert not answered.filter(answered_at__lt=F("enrollment__created_at")).exists()


def _publishable(story):
    minor = story.enrollment.user.profile.is_minor()
    return (
        story.consent in ("named", "anonymous")
        and story.withdrawn_at is None
        and (story.guardian_approval == "given" if minor else True)
    )


def test_stories_from_closures_and_follow_ups_with_every_kind_of_consent(site):
    stories = list(Story.objects.select_related("enrollment__user__profile", "program"))
    assert 8 <= len(stories) <= 12
    assert {s.consent for s in stories} == {"named", "anonymous", "not_shared"}
    assert {s.occasion for s in stories} >= {"closure", "3_months", "other"}
    assert all(s.program_id == s.enrollment.program_id for s in stories)
    assert all(len(s.text) > 100 and s.title for s in stories if not s.withdrawn_at)
    assert not any("lorem" in s.text.lower() for s in stories)
    program = youth()
    featured = [s for s in stories if s.featured and s.program == program]
    assert len(featured) == 3 and all(_publishable(s) and s.featured_at for s in featured)
    # A minor's shared story waits for the guardian, or has the guardian's agreement.
    shared_by_minors = [
        s for s in stories if s.consent != "not_shared" and s.enrollment.user.profile.is_minor()
    ]
    assert {s.guardian_approval for s in shared_by_minors} == {"given", "pending"}
    pending = [s for s in shared_by_minors if s.guardian_approval == "pending"]
    assert len(pending) == 1 and pending[0].guardian_token and not _publishable(pending[0])
    # Curated: an approved shorter version, a proposal waiting for its author, one withdrawn.
    assert len([s for s in stories if s.edited_text]) == 1
    assert len([s for s in stories if s.proposed_text and s.proposed_at]) == 1
    # Withdrawn as the withdrawal leaves it: its words deleted, never published.
    [withdrawn] = [s for s in stories if s.withdrawn_at]
    assert not withdrawn.featured and not _publishable(withdrawn)
    assert withdrawn.title == withdrawn.text == withdrawn.edited_text == withdrawn.proposed_text == ""
    # The stories' own rule agrees (evaluation/stories.py): what may be published right now.
    shown = published_stories(program)
    assert {s.pk for s in shown} == {s.pk for s in stories if s.program == program and _publishable(s)}
    assert [s.pk for s in published_stories(program, featured_only=True)] == [s.pk for s in shown[:3]]
    assert len(shown) >= 4 and withdrawn.pk not in {s.pk for s in shown}


def test_the_closures_invitations_were_sent(site):
    closed = Match.objects.get(program=youth(), status="closed")
    sent = StoryInvitation.objects.filter(match=closed)
    assert {(i.enrollment_id, i.occasion) for i in sent} == {
        (closed.mentee_id, "closure"), (closed.mentor_id, "closure")
    }  # fmt: skip
    assert all(i.sent_at for i in StoryInvitation.objects.all())
    # Every story told at an occasion answers an invitation to it.
    invited = {(i.enrollment_id, i.occasion) for i in StoryInvitation.objects.all()}
    for story in Story.objects.exclude(occasion="other"):
        assert (story.enrollment_id, story.occasion) in invited
