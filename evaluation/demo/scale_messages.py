"""The city-scale program's messages (see evaluation/demo/scale.py): a conversation for every pair
and for some of the mentees with their coordinators, ``sizes.messages`` messages spread over them
in proportion to how long each pair has run, and each person's read position (most read up to
date, a few with unread messages in open pairs). Written with COPY, like the rest of the history.
"""

from __future__ import annotations

import numpy as np

from evaluation.demo.bulk import copy_in, line, reserve_id_range, reserve_ids
from matching.models import Conversation, ConversationReader, Message

LINES = [
    "Hi! Does Thursday after school still work for you?",
    "Yes, Thursday at 4 is good. Library again?",
    "Great, see you at the library.",
    "I finished the first draft of my CV, can we look at it next time?",
    "Well done! Bring a printed copy if you can.",
    "Sorry, I have a dentist appointment, can we move to Friday?",
    "No problem, Friday works.",
    "I found this guide useful: https://www.example.org/careers/first-cv",
    "How did the interview go?",
    "It went well I think! They said they'd call next week.",
    "Remember to bring your questions for the college open day.",
    "Thanks for today, it really helped.",
]
COORDINATOR_LINES = [
    "Hi, just checking in: how are things going with your mentor?",
    "All good, thanks! We meet every other week.",
    "Good to hear. Let me know if anything comes up.",
]
COORDINATOR_SHARE = 0.05  # of the messages, in mentees' conversations with their coordinators


def write_messages(history, *, match_ids, mentees, starts, spans, open_, people):
    """Write the conversations, messages and readers; returns the number of messages."""
    rng, total = history.rng, history.sizes.messages
    if not total:
        return 0
    program_id, lead = history.program.pk, history.lead.pk
    n_matches = len(match_ids)
    # Coordinator conversations: one mentee in five of the matches has one.
    # (One per mentee: a mentee's second match shares the first one's.)
    picked = np.flatnonzero(rng.random(n_matches) < 0.2)
    with_coordinator = np.sort(picked[np.unique(mentees[picked], return_index=True)[1]])
    pair_ids = reserve_ids(Conversation, n_matches)
    coord_ids = reserve_ids(Conversation, len(with_coordinator))

    n_coord = int(total * COORDINATOR_SHARE) if len(with_coordinator) else 0
    n_pair = total - n_coord
    weights = (spans + 1).astype(float)
    per_pair = rng.multinomial(n_pair, weights / weights.sum())
    per_coord = rng.multinomial(n_coord, np.full(len(with_coordinator), 1 / max(len(with_coordinator), 1)))

    # Messages, conversation by conversation, in time order: ids grow with time in each thread.
    conv_of = np.concatenate([np.repeat(pair_ids, per_pair), np.repeat(coord_ids, per_coord)])
    match_of = np.concatenate(
        [np.repeat(np.arange(n_matches), per_pair), np.repeat(with_coordinator, per_coord)]
    )
    is_coord = np.concatenate([np.zeros(n_pair, bool), np.ones(n_coord, bool)])
    day = starts[match_of] + (rng.random(total) * (spans[match_of] + 1)).astype(int)
    minute = rng.integers(7 * 60, 22 * 60, size=total)
    order = np.lexsort((minute, day, conv_of))
    conv_of, match_of, is_coord, day, minute = (a[order] for a in (conv_of, match_of, is_coord, day, minute))
    ids = reserve_id_range(Message, total)
    from_mentee = rng.random(total) < 0.5
    sender = np.where(from_mentee, people[0][match_of], people[1][match_of])
    sender = np.where(
        is_coord & (rng.random(total) < 0.5), lead, np.where(is_coord, people[0][match_of], sender)
    )
    role = np.where(
        sender == lead, "coordinator", np.where(sender == people[0][match_of], "mentee", "mentor")
    )
    text = rng.integers(0, len(LINES), size=total)
    dates = [history.date(d) for d in range(history.now + 1)]

    columns = [ids.tolist(), conv_of.tolist(), sender.tolist(), role.tolist(), text.tolist(),
               is_coord.tolist(), np.minimum(day, history.now).tolist(), minute.tolist()]  # fmt: skip

    def rows():
        for pk, conv, who, as_role, t, coord, d, m in zip(*columns, strict=True):
            body = COORDINATOR_LINES[t % len(COORDINATOR_LINES)] if coord else LINES[t]
            yield f"{pk}\t{conv}\t{who}\t{as_role}\t{body}\tf\t{dates[d]} {m // 60:02d}:{m % 60:02d}:00+00\n"

    # Conversations first (messages point to them), with their newest message's time.
    last_index = np.r_[np.flatnonzero(np.diff(conv_of)), total - 1] if total else np.array([], int)

    def stamp(i):
        d, m = min(int(day[i]), history.now), int(minute[i])
        return f"{dates[d]} {m // 60:02d}:{m % 60:02d}:00+00"

    last_at = {int(conv_of[i]): stamp(i) for i in last_index}
    last_id = {int(conv_of[i]): int(ids[i]) for i in last_index}

    def conversations():
        for k in range(n_matches):
            conv = int(pair_ids[k])
            yield line(conv, program_id, "pair", int(match_ids[k]), None, history.stamp(int(starts[k]), 9),
                       last_at.get(conv))  # fmt: skip
        for j, k in enumerate(with_coordinator.tolist()):
            conv = int(coord_ids[j])
            created = history.stamp(int(starts[k]), 9)
            yield line(conv, program_id, "coordinators", None, int(mentees[k]), created, last_at.get(conv))

    columns_conv = "id program_id kind match_id enrollment_id created_at last_message_at"
    copy_in(Conversation._meta.db_table, columns_conv, conversations())
    copy_in(Message._meta.db_table, "id conversation_id sender_id sender_role body held created_at", rows())

    # Read positions: everyone has read everything, except in one open pair in four, where the
    # mentee has the last one to three messages still to read.
    behind = rng.integers(1, 4, size=n_matches)
    unread = open_ & (rng.random(n_matches) < 0.25)

    def readers():
        for k in range(n_matches):
            conv = int(pair_ids[k])
            newest = last_id.get(conv, 0)
            mentee_read = max(newest - int(behind[k]), 0) if unread[k] and newest else newest
            yield line(conv, int(people[0][k]), mentee_read, None)
            yield line(conv, int(people[1][k]), newest, None)
        for j, k in enumerate(with_coordinator.tolist()):
            conv = int(coord_ids[j])
            yield line(conv, int(people[0][k]), last_id.get(conv, 0), None)
            yield line(conv, lead, last_id.get(conv, 0), None)

    copy_in(ConversationReader._meta.db_table, "conversation_id user_id last_read_id emailed_at", readers())
    return total
