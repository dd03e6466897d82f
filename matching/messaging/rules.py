"""Who reads a conversation, who writes in it (and as what), when it is read-only, whether a message
is held, and who is told about a new one. Defined here once; the access helpers, the services, the
views and the templates ask these functions.

- A pair conversation (one per match) is the mentor's and the mentee's. A coordinators
  conversation (one per enrollment) is that participant's.
- Every coordinator of the program, and staff, read every conversation of the program, and may
  write in it (as "coordinator", or "staff" for staff who do not run the program): the page says
  so above the message box.
- A pair conversation takes new messages only while the match is active.
- A group conversation (one per group) is its current leaders' and members'; it is read-only
  once the group is closed. Its leaders write as "mentor" (a circle's as "facilitator"), its
  members as "mentee"; contact details are held as in a pair's.
"""

from matching.messaging.contact import has_contact_details
from matching.models import ConversationKind, GroupMember, GroupStatus, MatchStatus
from mentorship.models import User
from programs.access import can_manage

COORDINATOR = "coordinator"
STAFF = "staff"
ORGANISATION_ROLES = {COORDINATOR, STAFF}


def participant_ids(conversation):
    """The ids of the people the conversation is for (not the coordinators reading it)."""
    if conversation.kind == ConversationKind.PAIR:
        return [conversation.match.mentee.user_id, conversation.match.mentor.user_id]
    if conversation.kind == ConversationKind.GROUP:
        return list(_group_roles(conversation))
    return [conversation.enrollment.user_id]


def _group_roles(conversation):
    """{user id: "mentor" / "facilitator" / "mentee"} of the group's current people, read once
    per conversation object."""
    cached = getattr(conversation, "_group_roles", None)
    if cached is None:
        leader = "facilitator" if conversation.group.is_circle else "mentor"
        rows = GroupMember.objects.current().filter(group_id=conversation.group_id)
        cached = {user_id: leader if role == "leader" else "mentee"
                  for user_id, role in rows.values_list("enrollment__user_id", "role")}  # fmt: skip
        conversation._group_roles = cached
    return cached


def is_participant(conversation, user):
    return getattr(user, "pk", None) in participant_ids(conversation)


def manages(conversation, user):
    """The program's coordinators and staff: they read every conversation of the program."""
    return can_manage(user, conversation.program)


def reads(conversation, user):
    return user.is_authenticated and (is_participant(conversation, user) or manages(conversation, user))


def sender_role(conversation, user):
    """What ``user`` writes as here: "mentor" or "mentee" (their role in the match or the
    program), "coordinator" or "staff"; None for anyone who may not write."""
    if conversation.kind == ConversationKind.PAIR and is_participant(conversation, user):
        return conversation.match.role_of(user)
    if conversation.kind == ConversationKind.COORDINATORS and is_participant(conversation, user):
        return conversation.enrollment.role
    if conversation.kind == ConversationKind.GROUP and is_participant(conversation, user):
        return _group_roles(conversation)[user.pk]
    if not user.is_authenticated:
        return None
    if conversation.program.coordinators.filter(pk=user.pk).exists():
        return COORDINATOR
    return STAFF if user.is_staff else None


def write_problem(conversation):
    """Why nobody can write in the conversation now (said where the message box would be, and
    refused by ``message_send``), or "" when it is open."""
    if conversation.kind == ConversationKind.COORDINATORS:
        if not conversation.enrollment.user.is_active:
            return "This conversation has ended: the account is closed. You can still read it."
        return ""
    if conversation.kind == ConversationKind.GROUP:
        if conversation.group.status == GroupStatus.CLOSED:
            return "This conversation has ended: the group is closed. You can still read it."
        return ""
    match = conversation.match
    if match.status == MatchStatus.PROPOSED:
        return "You can write to each other once you have both confirmed the match."
    if match.status == MatchStatus.PAUSED:
        why = f" ({match.pause_reason.lower()})" if match.pause_reason else ""
        return (
            f"The match is paused{why}: messages can be sent again when a coordinator resumes it. "
            "You can still write to your coordinators."
        )
    if match.status == MatchStatus.CLOSED:
        return "This conversation has ended: the match is closed. You can still read it."
    return ""


def holds(conversation, role, body):
    """Whether a new message is held back from its partner: the program holds contact details,
    the message has some, it is one of the pair (or of a group) writing to the others (in a
    conversation with the coordinators there is nobody to hold it from), and never a coordinator's."""
    return (
        conversation.kind in (ConversationKind.PAIR, ConversationKind.GROUP)
        and role not in ORGANISATION_ROLES
        and conversation.program.holds_contact_details
        and has_contact_details(body)
    )


def recipients(conversation, *, sender):
    """Who is emailed about a new message from ``sender``: the partner in a pair conversation (both
    of the pair when a coordinator writes); in a conversation with the coordinators, every
    coordinator of the program when the participant writes, else the participant. Never the
    sender, never a closed account."""
    ids = set(participant_ids(conversation))
    if conversation.kind == ConversationKind.COORDINATORS and sender.pk in ids:
        users = conversation.program.coordinators.all()
    else:
        users = User.objects.filter(pk__in=ids)
    return list(users.filter(is_active=True).exclude(pk=sender.pk).select_related("profile"))
