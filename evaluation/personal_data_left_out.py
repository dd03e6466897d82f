"""What a person's data download (evaluation/personal_data.py) leaves out, and why: the reasons
given for fields left out (``omit``), the models not in it (``LEFT_OUT``) and the relations to
the person's rows it does not follow (``LEFT_OUT_LINKS``). The download's JSON repeats them, and a
test fails on a relation to a person's rows that is neither followed nor named here.
"""

SECRET = "a secret (password hash, token or key): never handed out"
GUARDIAN = "the guardian's own details: the guardian may ask for them"
NOTES = "coordinators' notes about the pair, which may be about the partner too: given once staff review them"
BY = (
    "who did it: the rows a coordinator or staff member wrote are about other people; a participant's "
    "own are reached through their applications and matches"
)
SAFEGUARDING = (
    "safeguarding records: never shown to participants (nor to whoever raised them); asked for, they go "
    "through the program's safeguarding lead"
)


# Models about the person that the download leaves out, and why.
LEFT_OUT = {
    "matching.concern": SAFEGUARDING,
    "matching.concernnote": SAFEGUARDING,
    "matching.exclusion": "a coordinator's decision that two people are never paired: about the other person "
    "as much as this one, and never shown to participants",
    "evaluation.checkinperiod": "a count of the check-ins per period, for the reports: the check-ins are in",
    "admin.logentry": "the admin's history: what staff changed, named by the records' names (in the download "
    "already)",
    "mentorship.formsubmission": "one-time form tokens against double submits, forgotten after a day",
    "account.emailconfirmation": "email confirmation keys (" + SECRET + "), expiring within days",
}

# Relations to the person's rows that select nothing more for them (or only other people's rows).
LEFT_OUT_LINKS = {
    ("programs.statuschange", "changed_by"): BY,
    ("programs.screeningrecord", "recorded_by"): BY,
    ("programs.applicantnote", "author"): BY,
    ("programs.invitation", "invited_by"): BY,
    ("programs.guardianconsent", "asked_by"): BY,
    ("matching.matchrun", "started_by"): BY,
    ("matching.matchsuggestion", "decided_by"): BY,
    ("matching.match", "proposed_by"): BY,
    ("matching.match", "closed_by"): BY,
    ("matching.matchrequest", "decided_by"): BY,
    ("evaluation.checkin", "logged_by"): BY,
    ("matching.message", "sender"): BY + "; the messages of their own conversations are in",
    ("matching.message", "released_by"): BY,
    ("matching.conversationreader", "conversation"): "the other readers' places in a conversation are "
    "theirs; this person's own are in (user)",
    ("evaluation.checkin", "meeting"): "the same check-ins as by their match (in already)",
    ("evaluation.reminder", "meeting"): "the same reminders as by their match (in already)",
    ("matching.meeting", "proposed_by"): BY,
    ("programs.nudge", "sent_by"): BY,
    ("programs.event", "created_by"): BY,
    ("matching.group", "created_by"): BY,
    ("matching.group", "closed_by"): BY,
    ("matching.groupmember", "added_by"): BY,
    ("matching.grouprun", "started_by"): BY,
    ("matching.groupsession", "created_by"): BY,
    ("matching.groupsession", "attendance_taken_by"): BY,
    ("matching.groupgoal", "created_by"): BY,
    ("matching.topic", "hidden_by"): BY,
    ("matching.post", "hidden_by"): BY,
    ("matching.post", "released_by"): BY,
    (
        "matching.post",
        "topic",
    ): "the replies under a topic they started are their writers'; this person's own posts are in (author)",
    ("evaluation.thankyou", "sent_by"): BY,
    ("programs.partnerviewer", "invited_by"): BY,
    ("evaluation.story", "match"): "the partner's stories about the match are the partner's; this person's "
    "own stories are in (enrollment)",
    ("evaluation.storyinvitation", "match"): "the partner's invitations to tell their story are the "
    "partner's; this person's own are in (enrollment)",
    ("programs.trainingrecord", "recorded_by"): BY + "; their own training records are in (enrollment)",
    ("programs.resource", "created_by"): BY + ": a program's resources are the program's material",
    ("programs.storedfile", "uploaded_by"): BY + ": files uploaded for a program's resources and training "
    "pages are the program's material, not about the person",
    ("evaluation.staffcontact", "coordinator"): BY,
    ("evaluation.goal", "created_by"): BY,
    ("evaluation.goalnote", "author"): BY,
    ("evaluation.retentionhold", "set_by"): BY,
    ("mentorship.auditentry", "actor"): BY + "; the rows about the person's records are in, whoever acted",
    ("evaluation.surveyresponse", "match"): "the partner's answers about the match are the partner's, "
    "never shown to this person; their own answers are in (respondent)",
    ("evaluation.surveyinvitation", "match"): "the partner's survey invitations are the partner's; "
    "this person's own are in (respondent)",
}
