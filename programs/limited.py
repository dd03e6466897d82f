"""The limited profile: everything a match partner may see of a person, defined once.

Every page, email and calendar feed that shows one participant to the other (a match, a mentor
option, a request, the pair's journal) renders a ``LimitedProfile`` and nothing else of the person:
name, pronouns, bio, interests, skills (a mentor's) or goals (a mentee's), languages, meeting mode
and the program-defined area name. Never the date of birth or the age it gives, contact details
(email, phone, contact method), coordinates, gender or partner preferences, the profile's
free-text area (often a street or a postcode), or a guardian's details. Coordinators' own pages
show the full record; they are not partners.
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from mentorship.models import MeetingMode
from programs.models import Role

# What building a LimitedProfile reads, for callers that load many enrollments (``limited_profiles``
# does this for them): with these prefetched a list of N partners costs a constant number of queries.
PREFETCH = ["program__program_areas", "user__profile__languages", "user__profile__interests"]
PREFETCH_BY_ROLE = {Role.MENTOR: ["user__profile__skills"], Role.MENTEE: ["user__profile__goals"]}


@dataclass(frozen=True)
class LimitedProfile:
    role: str  # "mentor" or "mentee": whether ``skills`` or ``goals`` is filled
    display_name: str
    first_name: str  # what the calendar feed calls them
    pronouns: str
    bio: str
    interests: tuple[str, ...]
    skills: tuple[str, ...]  # a mentor's; empty for a mentee
    goals: tuple[str, ...]  # a mentee's; empty for a mentor
    languages: tuple[str, ...]
    meeting_mode: str  # its label, e.g. "In person"
    online_only: bool  # meets only online (the introduction email suggests a video call)
    area_name: str  # one of the program's areas, or "" when none is chosen

    @property
    def is_mentor(self):
        return self.role == Role.MENTOR


def _own_name(user):
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "").strip() or user.get_full_name().strip()


def limited_name(person):
    """What a partner is called: the profile's name, else the account's name; never the email
    address that ``User.display_name`` falls back to. ``person`` is an Enrollment or a User (the
    author of a check-in or a note); an enrollment without a name is "your mentor" / "your
    mentee", a user without one is "" (templates show a dash)."""
    if person is None:
        return ""
    user = getattr(person, "user", person)
    name = _own_name(user)
    if name or user is person:
        return name
    return f"your {person.get_role_display().lower()}"


def limited_first_name(enrollment):
    """What the calendar feed (and a person's data download) calls a partner: the first word of
    their name, else "your mentor" / "your mentee"."""
    name = _own_name(enrollment.user)
    return name.split()[0] if name else f"your {enrollment.get_role_display().lower()}"


def _names(manager):
    return tuple(str(item) for item in manager.all())


def limited_profile(enrollment):
    """The limited profile of ``enrollment``'s person (the partner's enrollment). It reads the
    prefetched relations when they are there (see PREFETCH), so it can be called in a loop."""
    profile = enrollment.user.profile
    is_mentor = enrollment.role == Role.MENTOR
    areas = enrollment.program.areas or []
    return LimitedProfile(
        role=enrollment.role,
        display_name=limited_name(enrollment),
        first_name=limited_first_name(enrollment),
        pronouns=profile.pronouns,
        bio=profile.bio,
        interests=_names(profile.interests),
        skills=_names(profile.skills) if is_mentor else (),
        goals=() if is_mentor else _names(profile.goals),
        languages=_names(profile.languages),
        meeting_mode=profile.get_meeting_mode_display(),
        online_only=profile.meeting_mode == MeetingMode.ONLINE,
        area_name=enrollment.area_name if enrollment.area_name in areas else "",
    )


def prefetch_limited(enrollments):
    """Load, in a constant number of queries, what ``limited_profile`` reads for each enrollment
    (what is loaded already is not loaded again)."""
    enrollments = list(enrollments)
    prefetch_related_objects(enrollments, *PREFETCH)
    for role, lookups in PREFETCH_BY_ROLE.items():
        prefetch_related_objects([e for e in enrollments if e.role == role], *lookups)
    return enrollments


def limited_profiles(enrollments):
    """The limited profiles of ``enrollments``, in order, in a constant number of queries."""
    return [limited_profile(enrollment) for enrollment in prefetch_limited(enrollments)]
