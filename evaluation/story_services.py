"""Success stories: every write (what may be published is evaluation/stories.py).

- ``story_tell``: a participant tells their story with their consent (named, anonymous, not shared).
- ``story_change``: the author changes the text or the consent.
- ``story_withdraw``: the author withdraws it: its words are deleted, it is unfeatured and leaves
  every page and every funder report (``evaluation.funder_report.story_withdrawn``, which also
  rebuilds the reports showing a story that is changed, no longer shared or refused).
- ``story_guardian_answer``: for a minor's shared story, the guardian's yes or no, from an emailed
  single-use link. Any change of the text or of the consent asks again (a new link; the old one
  stops working), and until the answer is yes nothing is published.
- ``story_propose_edit`` / ``story_proposal_answer``: a coordinator proposes a shorter version; the
  author approves it (it is then what is published) or declines it.
- ``story_feature``: a coordinator features (or unfeatures) a story that may be published.

Emails never hold a story's words (it may be a 15-year-old's): they link to the page.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evaluation import funder_report
from evaluation.models import GuardianApproval, Story, StoryConsent, StoryOccasion
from evaluation.reminders import first_name
from evaluation.stories import SHARED, is_publishable, may_tell
from mentorship.services import audit_record, email_queue
from programs.guardians import guardian_email_queue


def _lock(story):
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("program", "enrollment__user__profile", "enrollment__program")
        .get(pk=story.pk)
    )


def _needs_guardian(story):
    return story.consent in SHARED and story.enrollment.needs_guardian_consent()


def _ask_guardian(story):
    """Ask the author's guardian (a new single-use link, replacing any earlier one) whether the
    story may be published as it now is. Returns whether a guardian could be emailed."""
    story.guardian_approval = GuardianApproval.PENDING
    story.guardian_token = uuid.uuid4()
    story.guardian_asked_at = timezone.now()
    story.guardian_answered_at = None
    story.save(
        update_fields=["guardian_approval", "guardian_token", "guardian_asked_at", "guardian_answered_at"]
    )
    email = guardian_email_queue(
        enrollment=story.enrollment,
        template="story_guardian_request",
        context={
            "story": story,
            "named": story.consent == StoryConsent.NAMED,
            "story_url": settings.SITE_URL
            + reverse("evaluation:story_guardian", args=[story.guardian_token]),
        },
    )
    story.guardian_emailed = email is not None
    return story.guardian_emailed


def _guardian_after_change(story, *, changed):
    """After the story or its consent changed (``changed``): ask the guardian again when a minor
    shares it; no guardian's answer is needed when it is not shared or the author is an adult."""
    if _needs_guardian(story):
        if changed or story.guardian_approval == GuardianApproval.NOT_NEEDED:
            _ask_guardian(story)
        return
    if story.guardian_approval or story.guardian_token:
        story.guardian_approval, story.guardian_token = GuardianApproval.NOT_NEEDED, None
        story.save(update_fields=["guardian_approval", "guardian_token"])


def _check_consent(consent):
    if consent not in StoryConsent.values:
        raise ValidationError({"consent": "Choose whether we may share your story."})


@transaction.atomic
def story_tell(*, enrollment, by, text, consent, title="", match=None, occasion=StoryOccasion.OTHER):
    """``by`` (the enrollment's person) tells their story. For a minor who agrees to share it, the
    guardian is asked at once."""
    if by.pk != enrollment.user_id:
        raise PermissionDenied("Only you can tell your story.")
    if not may_tell(enrollment):
        raise ValidationError("Stories are told by the program's approved mentors and mentees.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your story."})
    _check_consent(consent)
    now = timezone.now()
    story = Story.objects.create(
        program=enrollment.program,
        enrollment=enrollment,
        match=match,
        occasion=occasion,
        title=title.strip(),
        text=text,
        consent=consent,
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    story.enrollment = enrollment
    _guardian_after_change(story, changed=True)
    audit_record(actor=by, action="story.told", target=story, summary=f"consent {consent}")
    return story


@transaction.atomic
def story_change(*, story, by, text, consent, title=""):
    """The author changes their story or who may read it. A new text drops a coordinator's approved
    or proposed shorter version (it was of the old text); not sharing any more unfeatures it; for a
    minor, any change asks the guardian again."""
    story = _lock(story)
    if by.pk != story.enrollment.user_id or story.withdrawn_at:
        raise PermissionDenied("Only its author changes a story.")
    text, title = text.strip(), title.strip()
    if not text:
        raise ValidationError({"text": "Write your story."})
    _check_consent(consent)
    text_changed = text != story.text or title != story.title
    consent_changed = consent != story.consent
    if not (text_changed or consent_changed):
        return story
    now = timezone.now()
    if text_changed:
        story.text, story.title = text, title
        story.edited_text, story.proposed_text, story.proposed_at = "", "", None
    if consent_changed:
        story.consent, story.consent_at = consent, now
    if consent == StoryConsent.NOT_SHARED:
        story.featured, story.featured_at = False, None
    story.updated_at = now
    story.save()
    _guardian_after_change(story, changed=True)
    summary = ", ".join(
        what for what, yes in (("text", text_changed), (f"consent {consent}", consent_changed)) if yes
    )
    audit_record(actor=by, action="story.changed", target=story, summary=summary)
    funder_report.story_withdrawn(story.pk)  # a built report shows it as it is now, or not at all
    return story


@transaction.atomic
def story_withdraw(*, story, by):
    """The author withdraws their story: it is unfeatured, its words are deleted (the title, the
    text and any shorter version), the guardian's link stops working, and it leaves the public
    page, the coordinators' list (which says only when it was withdrawn) and every funder report."""
    story = _lock(story)
    if by.pk != story.enrollment.user_id:
        raise PermissionDenied("Only its author withdraws a story.")
    if story.withdrawn_at:
        return story
    now = timezone.now()
    story.withdrawn_at, story.updated_at = now, now
    story.featured, story.featured_at = False, None
    story.title = story.text = story.edited_text = story.proposed_text = ""
    story.proposed_at, story.guardian_token = None, None
    story.save()
    audit_record(actor=by, action="story.withdrawn", target=story)
    funder_report.story_withdrawn(story.pk)
    return story


@transaction.atomic
def story_guardian_answer(*, story, token, given):
    """The guardian's yes or no on their link (single use: the link answers once, and only while it
    is the latest one asked). Returns the story."""
    now = timezone.now()
    answered = Story.objects.filter(
        pk=story.pk,
        guardian_token=token,
        guardian_approval=GuardianApproval.PENDING,
        withdrawn_at__isnull=True,
    ).update(
        guardian_approval=GuardianApproval.GIVEN if given else GuardianApproval.REFUSED,
        guardian_answered_at=now,
    )
    if not answered:
        raise ValidationError("This link has been used or replaced: nothing was changed.")
    story = Story.objects.select_related("enrollment__user", "program").get(pk=story.pk)
    if not given and story.featured:
        Story.objects.filter(pk=story.pk).update(featured=False, featured_at=None)
        story.featured, story.featured_at = False, None
    audit_record(
        action="story.guardian_agreed" if given else "story.guardian_refused",
        target=story,
        actor_label="parent or guardian",
    )
    if not given:
        funder_report.story_withdrawn(story.pk)
    return story


def _author_email(story, template, **context):
    email_queue(
        to=story.enrollment.user.email,
        template=template,
        context={
            "story": story,
            "name": first_name(story.enrollment.user),
            "program": story.program,
            "mine_url": settings.SITE_URL + reverse("evaluation:my_stories"),
            **context,
        },
    )


@transaction.atomic
def story_propose_edit(*, story, by, text):
    """A coordinator proposes a shorter version. The author is emailed (without the words) and
    approves or declines it on My stories; until approved nothing published changes."""
    story = _lock(story)
    if story.withdrawn_at:
        raise ValidationError("This story was withdrawn.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the shorter version."})
    if len(text) > len(story.text):
        raise ValidationError({"text": "The proposed version must not be longer than the author's."})
    story.proposed_text, story.proposed_at = text, timezone.now()
    story.save(update_fields=["proposed_text", "proposed_at"])
    audit_record(actor=by, action="story.edit_proposed", target=story)
    _author_email(story, "story_edit_proposed")
    return story


@transaction.atomic
def story_proposal_answer(*, story, by, approve):
    """The author approves the coordinator's shorter version (it becomes what is published; for a
    minor's shared story the guardian is asked again) or declines it (it is dropped)."""
    story = _lock(story)
    if by.pk != story.enrollment.user_id or story.withdrawn_at:
        raise PermissionDenied("Only its author answers a proposed edit.")
    if not story.proposed_text:
        raise ValidationError("There is no proposed version to answer.")
    if approve:
        story.edited_text = story.proposed_text
    story.proposed_text, story.proposed_at, story.updated_at = "", None, timezone.now()
    story.save(update_fields=["edited_text", "proposed_text", "proposed_at", "updated_at"])
    if approve:
        _guardian_after_change(story, changed=True)
    audit_record(actor=by, action="story.edit_approved" if approve else "story.edit_declined", target=story)
    if approve:
        funder_report.story_withdrawn(story.pk)
    return story


@transaction.atomic
def story_feature(*, story, by, featured):
    """A coordinator features a story that may be published (first on the public page, in the
    funder report), or unfeatures it."""
    story = _lock(story)
    if featured and not is_publishable(story):
        raise ValidationError("Only a story that may be published can be featured.")
    if story.featured == featured:
        return story
    story.featured, story.featured_at = featured, timezone.now() if featured else None
    story.save(update_fields=["featured", "featured_at"])
    audit_record(actor=by, action="story.featured" if featured else "story.unfeatured", target=story)
    return story
