"""The data dictionary of the KPIs (DESIGN.md): what each figure means, how this code counts it,
and over which window. The definitions page renders it and every figure names the definition it
follows. No Django.
"""

from dataclasses import dataclass

PERIOD = "the period"
ON_D = "on D"
HISTORY = "all history up to D"

# The smallest bases, by kind of figure (each definition below takes its kind's): a share, a median
# or a mean of fewer than five swings by 20 points or more with one person; a rate per match-month
# over less than three match-months of matching is mostly noise.
FEW = 5
MATCH_DAYS = 90

# The dashboards' sections (``Definition.section``).
PAIRS, GROUPS, EVENTS = "", "groups", "events"
# Newcomers through events: a first application this many days after an event they came to.
NEWCOMER_DAYS = 90


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    definition: str  # the data dictionary's wording (DESIGN.md)
    precisely: str  # how this code counts it: the choices the dictionary leaves open
    window: str  # PERIOD, ON_D or HISTORY
    added: bool = False  # not in the dictionary of DESIGN.md: added by the evaluation issue
    # The smallest base the figure is shown on (0: always shown). Below it the dashboards, the
    # cross-program table and the exports say "too early to tell" beside the base, since one
    # meeting in a one-day-old match is "30 meetings per match-month". ``base`` names what is
    # counted against ``minimum`` (the denominator of a share, the values of a median or mean,
    # the days of matching of a rate): ``counts`` is the thing counted, one and many, and ``note``
    # how the minimum applies. The same words say what each figure rests on ("1 rating", "from 3
    # matches": ``counted``), so that a base never reads as the figure's value ("mean of 1").
    minimum: int = 0
    counts: tuple = ()  # (one, many), e.g. ("rating", "ratings")
    note: str = ""  # e.g. "(for each role)"
    # What is counted, in a line, where the figure's name alone misleads (shown under its name).
    counted_from: str = ""
    # What a share with nothing to count says instead of "none to count", where the reason is
    # worth saying (no program of the report asked for what the share counts).
    none_text: str = ""
    # Where the dashboards show it: the pairs' figures (PAIRS), or their own sections for groups and
    # peer circles (GROUPS) and events (EVENTS).
    section: str = ""

    @property
    def base(self):
        """What the minimum is counted against: "ratings (for each role)"."""
        return " ".join(part for part in (self.counts[1] if self.counts else "", self.note) if part)

    @property
    def minimum_text(self):
        """The rule as the definitions page and the exports state it."""
        if not self.minimum:
            return "always shown: a count is what it is"
        return f"at least {self.minimum:,} {self.base}"

    def counted(self, number):
        """``number`` of what the base counts: "1 rating", "3 ratings" (None: not counted)."""
        if number is None or not self.counts:
            return None
        one, many = self.counts
        return f"{number:,} {one if number == 1 else many}"

    @property
    def none_counted(self):
        """What a figure with nothing to rest on says: "no ratings in the period"."""
        many = self.counts[1] if self.counts else "values"
        return f"no {many} in the period" if self.window == PERIOD else f"no {many} yet"

    def too_small(self, base):
        """Whether a figure resting on ``base`` is too early to tell (None: nothing to count)."""
        return bool(self.minimum) and base is not None and 0 < base < self.minimum


DEFINITIONS = (
    Definition(
        "applicants", "Applicants", "Enrollments created, by role.",
        "Applications (enrollments) created in the period, whatever became of them.", PERIOD,
    ),
    Definition(
        "approved", "Approved", "Enrollments approved, by role.",
        "Applications approved in the period. The approval date is the first change of the application's "
        "status to “approved”; a later wait-listing or withdrawal does not undo it. The chart “Recruitment "
        "month by month” shows the mentees' applicants and approvals month by month, beside the mentees "
        "matched for the first time in each month (their first match, one started by D, started in it).",
        PERIOD,
    ),
    Definition(
        "mentees_matched", "Mentees matched", "Approved mentees who have had a match / approved mentees.",
        "Of the mentees approved in the period, the share whose first match had started by D. A match "
        "starts when both people confirm it; a proposal alone does not count.", PERIOD,
        minimum=FEW, counts=("approved mentee", "approved mentees"),
    ),
    Definition(
        "time_to_match", "Time to match",
        "Days from a mentee's approval to the start of their first match: median.",
        "Median over the mentees whose first match started in the period. Later re-matches do not count.",
        PERIOD, minimum=FEW, counts=("mentee matched", "mentees matched"), note="in the period",
    ),
    Definition(
        "active_matches", "Active matches", "Matches active on D.",
        "Matches started on or before D and not closed by D: a match closed on D is no longer active on "
        "D. Paused matches count as active (a pause is a break, not an end). The chart shows the same "
        "count on the last day of each month of the period.", ON_D,
    ),
    Definition(
        "match_length", "Match length", "Days from start to end (or to D if still active): median.",
        "Median over the matches active at some time in the period; a match that ended after D is "
        "measured to D.", PERIOD, minimum=FEW, counts=("match", "matches"),
    ),
    Definition(
        "retention", "Retention at 3, 6 and 12 months",
        "Of matches started at least N months before D, the share not closed within N months.",
        "A match closed exactly N months after its start counts as retained; matches too young to have "
        "reached N months by D are left out. Every match started up to D counts, not only the period's. The "
        "retention curve shows the same share for each month N from 0 to 24, a month resting on too few "
        "matches left out.",
        HISTORY, minimum=FEW, counts=("match old enough", "matches old enough"),
        note="(for each of 3, 6 and 12 months)",
    ),
    Definition(
        "early_closure", "Early closure rate",
        "Of closed matches, the share closed before the program's minimum commitment for a reason "
        "other than “completed”.",
        "Of the matches closed in the period (that had started), those closed before their start plus "
        "the program's minimum commitment in months, for any reason but “completed”.", PERIOD,
        minimum=FEW, counts=("closed match", "closed matches"),
    ),
    Definition(
        "meetings", "Meetings per match-month",
        "Check-ins with a meeting held, per active match per 30 days.",
        "Check-ins dated in the period with “the meeting took place” ticked, divided by the days the "
        "matches were active within the period, over 30. The chart shows each month of the period.",
        PERIOD, minimum=MATCH_DAYS, counts=("day of matching", "days of matching"),
        note="(three match-months)",
    ),
    Definition(
        "compliance", "Check-in compliance",
        "Of the cadence periods of active matches that have ended, the share with at least one check-in.",
        "A match's cadence periods run back to back from its start, each as long as the program's "
        "check-in cadence. Counted: the periods whose last day falls in the period and before D (or "
        "before the day the match closed). A period with a day the match was paused is not due: it "
        "counts neither as missed nor as kept. Any logged check-in counts, a missed meeting too: the "
        "pair was in touch about it.", PERIOD, minimum=FEW, counts=("cadence period", "cadence periods"),
    ),
    Definition(
        "satisfaction", "Satisfaction", "Mean 1–5 rating, by role.",
        "The mean of the ratings given in the period by people in that role: the rating of each check-in "
        "they logged and of each periodic satisfaction survey they answered, each rating counting once. "
        "Exit-survey ratings (given at closure, coloured by how it ended) and check-ins logged by "
        "coordinators are left out.", PERIOD, minimum=FEW, counts=("rating", "ratings"),
        note="(for each role)",
        counted_from="The ratings of the check-ins they logged and of the satisfaction surveys they "
        "answered; other surveys (pairing fit, exit) do not count.",
    ),
    Definition(
        "goal_completion", "Goal completion", "Goals completed / goals set.",
        "Of the goals set in the period, the share marked done by D. Dropped goals count as set and not "
        "completed.", PERIOD, minimum=FEW, counts=("goal", "goals"),
    ),
    Definition(
        "trained_before_match", "Mentors trained before their match",
        "Of the matches that started in the period, the share whose mentor had completed every training "
        "the program requires of mentors before matching, before the match started.",
        "Counted (the denominator): the matches that started in the period (a match starts when both people "
        "confirm it), in a program that required at least one training of its mentors before matching on "
        "the day the match started (a training marked required, published by that day and not archived by "
        "then). Matches in a program that required no mentor training are left out: there was nothing to "
        "have done. Trained (the numerator): those whose mentor had, on the start date, a current "
        "completion of every such training: completed on or before that date, online, in person or "
        "recorded by a coordinator as done elsewhere, and not expired by it (a refresher expiring on the "
        "start date has expired). Whether a training is required is read as it is set now. Each training "
        "keeps a person's latest completion only, so a mentor who renewed a refresher after their match "
        "started counts from the renewal.", PERIOD,
        minimum=FEW, counts=("match started", "matches started"), note="(with mentor training required)",
        none_text="no match started in the period in a program requiring mentor training", added=True,
    ),
    Definition(
        "training_hours", "Training hours per mentor",
        "Hours of mentor training completed in the period, per mentor.",
        "The mentors counted (the denominator): applications to mentor that were approved at some time in "
        "the period (approved during it, or approved before it and still approved when it began). The "
        "hours (the numerator): the sum, over those mentors, of the hours of the mentors' trainings they "
        "completed in the period (online, in person or recorded as done elsewhere), each completion "
        "counting the hours recorded with it: the training's length unless a coordinator recorded "
        "otherwise. Mentees' and guardians' orientation does not count. Each training keeps a person's "
        "latest completion only: a refresher taken again counts once, on its latest date.", PERIOD,
        minimum=FEW, counts=("mentor", "mentors"), added=True,
    ),
    Definition(
        "growth", "Self-assessed growth",
        "Mean change in the mentee's self-assessed confidence from the start of a match to its closure.",
        "Over the closure self-assessments submitted in the period that have a start self-assessment by "
        "the same mentee for the same match: the mean of closure minus start confidence (each 1–5), in "
        "points. Above zero is growth.", PERIOD, added=True,
        minimum=FEW, counts=("mentee with both self-assessments", "mentees with both self-assessments"),
    ),
    Definition(
        "ripple", "Ripple",
        "Former mentees who later enrolled as mentors.",
        "People who were the mentee of a match of these programs that closed by D and who, on or after "
        "that closure and by D, applied to be a mentor in any program; with their share of all such "
        "former mentees.", HISTORY, added=True,
    ),
    # --- Groups and peer circles, and events (issue 15): counted by evaluation/kpis/community.py ---
    Definition(
        "groups_running", "Groups running", "Groups and peer circles running on D.",
        "Groups and peer circles of these programs that had started by D (their start date on or before "
        "D) and had not closed by D: a group closed on D is no longer running on D. Groups still forming, "
        "with no start date, are not counted yet; one running without a start date counts from the day it "
        "was made.", ON_D, added=True, section=GROUPS,
    ),
    Definition(
        "group_members", "Mentees in groups", "Mentees who were members of a group or peer circle on D.",
        "Mentees (not leaders or facilitators) with a membership that began on or before D and had not "
        "ended by D (leaving on D counts as gone), in a group not closed by D, forming groups included. "
        "Each mentee's application counts once.", ON_D, added=True, section=GROUPS,
    ),
    Definition(
        "group_sessions", "Group sessions held", "Sessions of groups and peer circles held in the period.",
        "Sessions that started in the period, were not cancelled, and whose leader, taking attendance, "
        "recorded that the session took place. Planned sessions with no attendance taken yet are not "
        "counted.", PERIOD, added=True, section=GROUPS,
    ),
    Definition(
        "group_attendance", "Group attendance rate",
        "Of the attendance marks of the group sessions held in the period, the share “present”.",
        "Over the sessions counted by “Group sessions held”: every attendance mark the leader recorded "
        "(one per person per session, present or absent); the share marked present.", PERIOD,
        minimum=FEW, counts=("attendance mark", "attendance marks"), added=True, section=GROUPS,
    ),
    Definition(
        "group_retention", "Group retention at 3, 6 and 12 months",
        "Of mentees' group memberships that began at least N months before D, the share not ended by the "
        "mentee leaving within N months.",
        "Memberships of mentees (not leaders) that began N months or more before D. Kept: still a member N "
        "months after joining (leaving exactly N months after joining counts as kept), or their membership "
        "ended with their group (the group closed on or before the day it ended): a group that closes as "
        "planned loses nobody. Lost: the mentee left within N months while the group ran. A move to another "
        "group of the program (joining it on the day they left) is neither: that membership is left out, "
        "and the new one counts from its own start. Every membership that began up to D counts, not only "
        "the period's.", HISTORY, minimum=FEW,
        counts=("membership old enough", "memberships old enough"),
        note="(for each of 3, 6 and 12 months)", added=True, section=GROUPS,
    ),
    Definition(
        "group_satisfaction", "Group satisfaction", "Mean 1–5 rating of group sessions by their members.",
        "The mean of the ratings members gave, in the period, to the sessions of their group or circle "
        "they came to; each rating counts once.", PERIOD, minimum=FEW, counts=("rating", "ratings"),
        added=True, section=GROUPS,
    ),
    Definition(
        "events_held", "Events held", "Events held in the period.",
        "Events published (not draft, not cancelled) for at least one of these programs, that started in "
        "the period. An event for several programs counts in each program's report, and once across "
        "programs; a public event with no program counts in none.", PERIOD, added=True, section=EVENTS,
    ),
    Definition(
        "event_attendance", "Event attendance", "Of the people going to the events held in the period, the "
        "share who came.",
        "Over the events counted by “Events held” whose attendance was taken: the RSVPs “going” (and "
        "anyone marked as having come, wait-listed or not); the share marked as having come.", PERIOD,
        minimum=FEW, counts=("person going", "people going"), added=True, section=EVENTS,
    ),
    Definition(
        "event_repeat", "Repeat attendance",
        "Of the people who came to an event held in the period, the share who came to another event too.",
        "People (each once) marked as having come to at least one of these programs' events held in the "
        "period; the share who also came to another published event of these programs held on or before "
        "D, before or after it.", PERIOD, minimum=FEW, counts=("person who came", "people who came"),
        added=True, section=EVENTS,
    ),
    Definition(
        "event_newcomers", "New people through events",
        "People who applied to a program for the first time within 90 days after an event they came to.",
        f"People whose first application to any program (mentee or mentor, whatever became of it) was made "
        f"in the period, on the day of or within {NEWCOMER_DAYS} days after one of these programs' "
        f"published events they were marked as having come to; so they had applied nowhere before that "
        f"event. Each person counts once.", PERIOD, added=True, section=EVENTS,
    ),
)  # fmt: skip
DEFINITIONS_BY_KEY = {d.key: d for d in DEFINITIONS}

# --- The equity report (evaluation/equity.py): its own section of the definitions page. Its figures
# are the ones above, for each group; these say how groups are made and what is hidden. ---
EQUITY = "equity"
EQUITY_DEFINITIONS = (
    Definition(
        "equity_groups", "Groups", "The people of a program by their answer to one demographic question.",
        "Every application (enrollment) of the program falls in one group: the option it chose, "
        "“Self-described” (an answer in their own words), “Prefer not to say”, or “Not answered” (no "
        "answer, or cleared); so the groups add up to the program. A question no longer asked keeps its "
        "answers. The answers are used for nothing else.", HISTORY, added=True, section=EQUITY,
    ),
    Definition(
        "equity_representation", "Representation",
        "Applicants, approved and matched, by role, for each group.",
        "Applicants and Approved as defined above, counting the group's applications only. Matched: of "
        "those approved in the period, those whose first match had started by D (for mentees, the count "
        "behind “Mentees matched”).", PERIOD, added=True, section=EQUITY,
    ),
    Definition(
        "equity_matched", "Matched (by group)",
        "Of the group's applications approved in the period, those matched.",
        "Approved in the period (first approval) and in a match that had started by D: as mentee for "
        "mentees, as mentor for mentors.", PERIOD, added=True, section=EQUITY,
    ),
    Definition(
        "equity_outcomes", "Outcomes (by group)",
        "Time to match, retention at 3, 6 and 12 months, early closure, satisfaction and self-assessed "
        "growth, for the matches of the group's mentees (or mentors).",
        "Each as defined above, counting the matches whose mentee (or mentor, as chosen) is in the group, "
        "and the ratings and self-assessments given in them. Time to match is the mentees'.", PERIOD,
        minimum=FEW, counts=("person", "people"), added=True, section=EQUITY,
    ),
    Definition(
        "equity_suppression", "Small numbers hidden",
        "A cell resting on fewer than 5 people shows “fewer than 5”; others are withheld so that it "
        "cannot be worked out.",
        "A count under 5 (0 included), or a figure whose base (a share's denominator, a median's or "
        "mean's values) is under 5, shows “fewer than 5”. Then, column by column, more groups are "
        "“withheld” (the smallest first) until every hidden cell could take at least two values consistent "
        "with the cells shown and the program's total; if even that cannot hide it, the total is withheld "
        "too.", PERIOD, minimum=FEW, counts=("person", "people"), added=True, section=EQUITY,
    ),
)  # fmt: skip
RETENTION_MONTHS = (3, 6, 12)
