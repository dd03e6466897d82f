"""Success stories: what may be published, and the reads of the pages (selectors and access).

A story is told by a participant (its ``enrollment``), with their consent: shared with their name,
shared anonymously, or not shared (only the program's coordinators read it). It is **published**
(the program's public stories page, the funder report) while, all at once:

- its author consents to sharing it (named or anonymous) and has not withdrawn it;
- their account is live (an erased or closed account's story is not shown);
- for a minor (a mentee who needs a guardian's consent: ``Enrollment.needs_guardian_consent``),
  the guardian has said yes to this very version (``guardian_approval`` "given"). The SQL twin of
  that rule is ``_not_minor`` below; a story whose author is a minor today and whose guardian was
  never asked is not published.

What is published is the approved shorter version (``edited_text``) when there is one, else the
author's text; under it the author's display name (``programs.limited.limited_name``, never an
email address) when named, else "A mentee" / "A mentor".

The writes are in evaluation/story_services.py, the invitations in evaluation/story_invitations.py.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone

from evaluation.models import GuardianApproval, Story, StoryConsent
from mentorship.models import adult_birthdate_limit
from programs.limited import limited_name
from programs.models import Audience, EnrollmentStatus, Role

SHARED = (StoryConsent.NAMED, StoryConsent.ANONYMOUS)

# What the pages say of each consent, in the author's words (the form's help says more).
CONSENT_HELP = {
    StoryConsent.NAMED: "Published on the program's public stories page and in its reports to funders, "
    "with your name (the name on your profile).",
    StoryConsent.ANONYMOUS: "Published on the program's public stories page and in its reports to funders, "
    'without your name: it says "A mentee" or "A mentor".',
    StoryConsent.NOT_SHARED: "Only the program's coordinators read it. It is never published.",
}


def _not_minor(on):
    """Stories whose author does not need a guardian's agreement on ``on``: a mentor, an adult, or a
    mentee of unknown age in an adults' program (``Enrollment.needs_guardian_consent``'s twin)."""
    limit = adult_birthdate_limit(on)
    return (
        ~Q(enrollment__role=Role.MENTEE)
        | Q(enrollment__user__profile__date_of_birth__lte=limit)
        | Q(enrollment__user__profile__date_of_birth__isnull=True, program__audience=Audience.ADULT)
    )


def publishable(on=None):
    """The one rule of what may be published (see the module's docstring), as a filter on Story."""
    on = on or timezone.localdate()
    guardian_ok = Q(guardian_approval=GuardianApproval.GIVEN) | (
        Q(guardian_approval=GuardianApproval.NOT_NEEDED) & _not_minor(on)
    )
    return Q(withdrawn_at__isnull=True, consent__in=SHARED, enrollment__user__is_active=True) & guardian_ok


def shown_text(story):
    return story.edited_text or story.text


def byline(story):
    """The name under a published story: the author's display name when they chose to be named,
    else what they are in the program ("A mentee", "A mentor")."""
    anonymous = f"A {story.enrollment.get_role_display().lower()}"
    if story.consent != StoryConsent.NAMED:
        return anonymous
    return limited_name(story.enrollment.user) or anonymous


def _decorate(stories):
    for story in stories:
        story.shown_text = shown_text(story)
        story.byline = byline(story)
    return stories


def published_stories(program, *, featured_only=False, limit=None):
    """The stories of ``program`` that may be shown publicly right now, featured first, then the
    newest; each with ``.shown_text`` and ``.byline``. One query, however many there are."""
    stories = (
        Story.objects.filter(publishable(), program=program)
        .select_related("enrollment__user__profile")
        .order_by("-featured", "-featured_at", "-created_at", "-pk")
    )
    if featured_only:
        stories = stories.filter(featured=True)
    if limit is not None:
        stories = stories[:limit]
    return _decorate(list(stories))


def is_publishable(story):
    return Story.objects.filter(publishable(), pk=story.pk).exists()


def program_stories(program):
    """The coordinators' curation list: every story of ``program``, newest first, each with
    ``.publishable`` (what the public page shows now), ``.shown_text`` and ``.byline`` (what it
    would show). A constant number of queries."""
    published = set(Story.objects.filter(publishable(), program=program).values_list("pk", flat=True))
    stories = list(
        Story.objects.filter(program=program)
        .select_related("enrollment__user__profile")
        .order_by("withdrawn_at", "-featured", "-created_at", "-pk")
    )
    for story in _decorate(stories):
        story.publishable = story.pk in published
    return stories


def own_stories(user):
    """The stories ``user`` told, in every program, newest first, with ``.publishable``."""
    stories = Story.objects.filter(enrollment__user=user)
    published = set(stories.filter(publishable()).values_list("pk", flat=True))
    found = list(
        stories.select_related("program", "enrollment__program", "enrollment__user__profile").order_by(
            "-created_at", "-pk"
        )
    )
    for story in _decorate(found):
        story.publishable = story.pk in published
    return found


def story_state(story):
    """Where a story stands, in the author's words (My stories) and the coordinators'."""
    if story.withdrawn_at:
        return f"Withdrawn on {dateformat.format(timezone.localtime(story.withdrawn_at), 'j F Y')}"
    if story.consent == StoryConsent.NOT_SHARED:
        return "Not shared: only the coordinators read it"
    if story.guardian_approval == GuardianApproval.PENDING:
        return "Waiting for the parent's or guardian's agreement before it is published"
    if story.guardian_approval == GuardianApproval.REFUSED:
        return "Not published: the parent or guardian did not agree"
    if getattr(story, "publishable", False):
        how = "with the name" if story.consent == StoryConsent.NAMED else "anonymously"
        return f"Published {how}" + (", and featured" if story.featured else "")
    return "Not published"


# --- Access (what a view may load; 404 otherwise) ---------------------------------------------------


def may_tell(enrollment):
    """Who may tell a story in a program: an approved mentor or mentee (also after their match)."""
    return enrollment.status == EnrollmentStatus.APPROVED


def get_own_story_for(user, pk):
    """A story, for its author; 404 for anyone else and once it is withdrawn."""
    if not user.is_authenticated:
        raise Http404("No such story.")
    return get_object_or_404(
        Story.objects.select_related("program", "enrollment__user__profile", "enrollment__program"),
        pk=pk,
        enrollment__user=user,
        withdrawn_at__isnull=True,
    )


def get_program_story_for(user, program, pk):
    """A story of ``program``, for someone who manages it (check with get_program_for)."""
    return get_object_or_404(
        Story.objects.select_related("program", "enrollment__user__profile"), pk=pk, program=program
    )


def get_story_by_guardian_token(token):
    """The story a guardian's emailed link is about: while the link is the latest one asked (a
    change of the story sends a new one), and the story is not withdrawn; else 404."""
    return get_object_or_404(
        Story.objects.select_related("program", "enrollment__user__profile", "enrollment__program"),
        guardian_token=token,
        withdrawn_at__isnull=True,
    )
