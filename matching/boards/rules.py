"""Who reads a discussion board, who writes on it (and as what), who moderates it, and when a post
is held. Defined here once; the access helpers, the services, the views and the digest ask these.

- A program's board: the program's coordinators and staff, and its participants whose enrollment
  is approved (not applicants still being screened, not people who withdrew or were declined).
- A group's board: whoever sees the group (matching.group_access.sees_group): its current leaders
  and members, the program's coordinators and staff. Former members do not.
- The program's coordinators and staff moderate both: pin, lock and hide topics, hide posts,
  release held contact details.
- In a program that holds contact details, a participant's post with any (the rule of messages,
  matching/messaging/contact.py) is held: the others read it with the details blanked until a
  coordinator releases it. A moderator's post is never held.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.group_access import current_membership, sees_group
from matching.messaging.contact import has_contact_details
from matching.models import Group, Post, Topic
from programs.access import can_manage
from programs.models import Enrollment, EnrollmentStatus, Program

COORDINATOR = "coordinator"
STAFF = "staff"
MODERATOR_ROLES = {COORDINATOR, STAFF}
REMOVED = "Removed by a coordinator"


def approved_enrollment(user, program):
    """The user's approved enrollment in ``program``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(program=program, user=user, status=EnrollmentStatus.APPROVED).first()


def moderates(user, program):
    """The program's coordinators and staff."""
    return getattr(user, "is_authenticated", False) and can_manage(user, program)


def reads(user, program, group=None):
    """Whether ``user`` reads (and may write on) the board of ``group`` or, without one, of
    ``program``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if group is not None:
        return sees_group(user, group)
    return can_manage(user, program) or approved_enrollment(user, program) is not None


def author_role(user, program, group=None):
    """What ``user`` writes as on the board: "mentor" or "mentee" (their role in the group or the
    program), "coordinator" or "staff"; None for someone who may not write there."""
    if not getattr(user, "is_authenticated", False):
        return None
    if group is not None:
        membership = current_membership(user, group)
        enrollment = membership.enrollment if membership else None
    else:
        enrollment = approved_enrollment(user, program)
    if enrollment is not None:
        return enrollment.role
    if program.coordinators.filter(pk=user.pk).exists():
        return COORDINATOR
    return STAFF if user.is_staff else None


def write_problem(program, group=None, topic=None):
    """Why nobody can write here now (said where the form would be, and refused by the services),
    or "" when it is open."""
    if topic is not None and topic.is_hidden:
        return "This topic was removed by a coordinator: it takes no replies."
    if topic is not None and topic.locked:
        return "A coordinator locked this topic: you can read it, but it takes no new replies."
    if group is not None and not group.is_open:
        return "This group is closed: its board can be read, but takes no new posts."
    return ""


def holds(program, role, body):
    """Whether a new post is held: the program holds contact details, the post has some, and its
    author is not a moderator."""
    return role not in MODERATOR_ROLES and program.holds_contact_details and has_contact_details(body)


def board_name(program, group=None):
    """What the board is called on its pages and in the digest."""
    return f"{group.name}: discussion board" if group is not None else f"{program.name}: discussion board"


# --- Loading what a user may see (404 otherwise) ---------------------------------------------------


def get_board_for(user, slug):
    """A program, for those who read its board; 404 for anyone else."""
    program = get_object_or_404(Program, slug=slug)
    if not reads(user, program):
        raise Http404("No such board.")
    return program


def get_group_board_for(user, pk):
    """A group, for those who read its board; 404 for anyone else."""
    group = (
        get_object_or_404(Group.objects.select_related("program"), pk=pk) if user.is_authenticated else None
    )
    if group is None or not reads(user, group.program, group):
        raise Http404("No such board.")
    return group


def get_topic_for(user, pk, *, moderate=False):
    """A topic, for the readers of its board (``moderate``: its moderators); 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such topic.")
    topic = get_object_or_404(Topic.objects.select_related("program", "group"), pk=pk)
    allowed = moderates(user, topic.program) if moderate else reads(user, topic.program, topic.group)
    if not allowed:
        raise Http404("No such topic.")
    return topic


def get_post_for(user, pk, *, moderate=False):
    """A post, for the readers of its board (``moderate``: its moderators); 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such post.")
    post = get_object_or_404(Post.objects.select_related("topic__program", "topic__group", "author"), pk=pk)
    topic = post.topic
    allowed = moderates(user, topic.program) if moderate else reads(user, topic.program, topic.group)
    if not allowed:
        raise Http404("No such post.")
    return post
