"""A person's next steps: the short checklist on their dashboard (profile, application, consent,
screening, match, first meeting), and where saving the profile leads on to.

Each app says the steps it knows: this one the profile; programs the application, a guardian's
consent and screening; matching the match; evaluation the first meeting. The app at the top puts
them together (settings.NEXT_STEPS names its function, which takes the user and returns their
checklists), so that this app never imports the apps above it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.module_loading import import_string

from mentorship.models import Profile


@dataclass(frozen=True)
class Step:
    """One line of a checklist. ``label`` names the step (ticked when ``done``); for the first step
    not done, ``todo`` says what to do and ``url`` where. ``waiting`` steps are someone else's to
    take (the coordinators, a guardian): ``todo`` then says who, and ``see`` links to ``url``, where
    to follow it."""

    label: str
    done: bool
    todo: str = ""
    url: str = ""
    note: str = ""
    waiting: bool = False
    see: str = ""


@dataclass(frozen=True)
class Checklist:
    """The steps of one program (or invitation); ``url`` is its page (the application, the
    invitation), linked from the title whichever step is next."""

    title: str
    steps: tuple
    url: str = ""

    @property
    def next(self):
        """The first step not done, or None when every step is."""
        return next((step for step in self.steps if not step.done), None)


# What matching compares for each role, beyond a shared language: a mentee's goals with a
# mentor's skills. Someone applying as one of them is asked for that list (``profile_gaps``).
ROLE_TAGS = {"mentee": ("goals", "your goals"), "mentor": ("skills", "your skills")}
GAP_DATE_OF_BIRTH = "your date of birth"  # (an application form may ask it itself)


def profile_gaps(profile, *, role=None):
    """What the profile still lacks for coordinators and matching, in plain words. ``profile``
    comes from ``profiles_with_gaps`` (the annotations say whether the lists are empty). With a
    ``role`` ("mentee", "mentor": an application's), the list matching compares for that role."""
    gaps = []
    if not profile.display_name:
        gaps.append("your name")
    if profile.date_of_birth is None:
        gaps.append(GAP_DATE_OF_BIRTH)
    if not profile.has_languages:
        gaps.append("a language you speak")
    if role in ROLE_TAGS:
        name, words = ROLE_TAGS[role]
        if not getattr(profile, f"has_{name}"):
            gaps.append(words)
    elif not profile.has_tags:
        gaps.append("your interests, skills or goals")
    if not profile.availability:
        gaps.append("when you could meet")
    return gaps


def profile_gaps_of(user, *, role=None):
    """``profile_gaps`` of ``user``'s profile (one query): what the invitation and apply pages ask
    to complete first."""
    return profile_gaps(profiles_with_gaps().get(user=user), role=role)


def profiles_with_gaps():
    """Profiles with what ``profile_gaps`` reads: one query, however many lists it looks at."""
    through = Profile.languages.through
    tags = [getattr(Profile, name).through for name in ("interests", "skills", "goals")]
    has_tags = Exists(tags[0].objects.filter(profile=OuterRef("pk")))
    for model in tags[1:]:
        has_tags = has_tags | Exists(model.objects.filter(profile=OuterRef("pk")))
    return Profile.objects.annotate(
        has_languages=Exists(through.objects.filter(profile=OuterRef("pk"))),
        has_tags=has_tags,
        **{
            f"has_{name}": Exists(getattr(Profile, name).through.objects.filter(profile=OuterRef("pk")))
            for name, _ in ROLE_TAGS.values()
        },
    )


def profile_step(profile, *, role=None):
    """``role``: the application's or invitation's the checklist is about (see ``profile_gaps``)."""
    gaps = profile_gaps(profile, role=role)
    return Step(
        label="Your profile",
        done=not gaps,
        todo="Complete your profile",
        url=reverse("profile"),
        note=f"Still needed: {', '.join(gaps)}." if gaps else "",
    )


def checklists_for(user):
    """The person's checklists (one per program they applied or are invited to, or one that leads
    to applying), from the function settings.NEXT_STEPS names."""
    return import_string(settings.NEXT_STEPS)(user)


def next_step_for(user):
    """The first step the person can take themself, or None when what comes next is someone
    else's (or nothing)."""
    for checklist in checklists_for(user):
        step = checklist.next
        if step is not None and not step.waiting:
            return step
    return None
