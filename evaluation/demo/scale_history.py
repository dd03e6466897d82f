"""The city-scale program's generated history (see evaluation/demo/scale.py): people, applications,
matches and their pauses, check-ins, staff contacts, surveys and goals, drawn with numpy and
written with COPY.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection

from evaluation.demo.bulk import Counted, copy_in, line, reserve_ids
from evaluation.demo.scale_messages import write_messages
from evaluation.demo.site import AREAS, FIRST_NAMES, LAST_NAMES
from evaluation.models import CheckIn, Goal, StaffContact, SurveyResponse
from matching.models import Match, MatchPause
from mentorship.models import Profile, User
from programs.models import Enrollment, StatusChange

DOMAIN = "scale.example.org"
HISTORY_DAYS = 3 * 365

NOTES = [
    "", "", "", "", "Talked about college applications.", "Practised interview questions.",
    "Went through the CV together, line by line.", "Quick catch-up by phone.", "Planned the next steps.",
    "Visited the library; looked at apprenticeships.", 'Read "Careers in health" and discussed it.',
    "Short chat, both busy this week.", "Worked on maths homework, fractions mostly.",
]  # fmt: skip
GOALS = [
    "Finish my CV", "Apply to college", "Practise for interviews", "Open a bank account",
    "Find a work placement", "Read a book a month", "Learn to code a small game", "Get a part-time job",
    "Speak up in class",
]  # fmt: skip
EARLY_REASONS = np.array(["moved", "schedule", "mismatch", "other", "safety"])
EARLY_WEIGHTS = [0.35, 0.3, 0.15, 0.15, 0.05]


class History:
    """The generated history; days are integers (offsets from ``day0``, three years before today)."""

    def __init__(self, *, program, lead, sizes, today, seed, log):
        self.program, self.lead, self.sizes, self.today, self.log = program, lead, sizes, today, log
        self.rng = np.random.default_rng(seed)
        self.day0 = today - dt.timedelta(days=HISTORY_DAYS)
        self.now = HISTORY_DAYS  # today's offset
        # ISO strings of every day a row may carry, looked up by offset (+ 400: days before day0).
        self._dates = [
            (self.day0 + dt.timedelta(days=d - 400)).isoformat() for d in range(HISTORY_DAYS + 800)
        ]

    def date(self, offset):
        return self._dates[offset + 400]

    def stamp(self, offset, hour=12):
        return f"{self._dates[offset + 400]} {hour:02d}:00:00+00"

    def write(self):
        sizes, rng = self.sizes, self.rng
        n_mentors = sizes.people * 2 // 5
        n_mentees = sizes.people - n_mentors
        n_second = sizes.matches // 10
        n_first = sizes.matches - n_second
        if n_first > n_mentees:
            raise ValueError("More first matches than mentees.")

        # First matches: start, planned length, end (None: still open today).
        first_start = rng.integers(45, self.now - 5, size=n_first)
        first_length, first_reason = self._lengths(n_first)
        first_end = first_start + first_length
        # Second matches, for mentees whose first match closed two months or more ago.
        eligible = np.flatnonzero(first_end <= self.now - 60)
        if len(eligible) < n_second:
            raise ValueError("Too few closed matches for the second matches; use more history.")
        second_of = np.sort(rng.choice(eligible, size=n_second, replace=False))
        second_start = first_end[second_of] + rng.integers(7, 60, size=n_second)
        second_length, second_reason = self._lengths(n_second)
        starts = np.concatenate([first_start, second_start])
        ends = np.concatenate([first_end, second_start + second_length])
        reasons = np.concatenate([first_reason, second_reason])
        open_ = ends >= self.now
        mentee_of_match = np.concatenate([np.arange(n_first), second_of])

        # Mentees: the first n_first are matched (approved some weeks before their first start);
        # the others applied at some time and are at various stages.
        wait = np.minimum(rng.exponential(30, size=n_first) + 1, 300).astype(int)
        mentee_approved = np.full(n_mentees, -1)
        mentee_approved[:n_first] = first_start - wait
        rest = n_mentees - n_first
        rest_stage = rng.choice(
            ["approved", "applied", "in_screening", "waitlisted", "declined", "withdrawn"],
            size=rest, p=[0.55, 0.12, 0.12, 0.08, 0.07, 0.06],
        )  # fmt: skip
        rest_applied = rng.integers(0, self.now - 3, size=rest)
        mentee_applied = np.empty(n_mentees, dtype=np.int64)
        mentee_applied[:n_first] = mentee_approved[:n_first] - rng.integers(5, 40, size=n_first)
        mentee_applied[n_first:] = rest_applied
        mentee_stage = np.concatenate([np.full(n_first, "approved"), rest_stage])
        screened = np.minimum(mentee_applied[n_first:] + rng.integers(5, 40, size=rest), self.now)
        mentee_approved[n_first:] = np.where(rest_stage == "approved", screened, -1)

        # Mentors: applied over the history (and a little before), most approved.
        mentor_applied = rng.integers(-120, self.now - 10, size=n_mentors)
        mentor_stage = rng.choice(["approved", "in_screening", "applied", "withdrawn"], size=n_mentors,
                                  p=[0.85, 0.06, 0.05, 0.04])  # fmt: skip
        mentor_approved = np.where(
            mentor_stage == "approved",
            np.minimum(mentor_applied + rng.integers(10, 50, size=n_mentors), self.now),
            -1,
        )
        # Each match gets a mentor approved before it started.
        approved_mentors = np.flatnonzero(mentor_stage == "approved")
        by_approval = approved_mentors[np.argsort(mentor_approved[approved_mentors], kind="stable")]
        approval_sorted = mentor_approved[by_approval]
        available = np.maximum(np.searchsorted(approval_sorted, starts, side="left"), 1)
        mentor_of_match = by_approval[(rng.random(len(starts)) * available).astype(int)]

        self.log("people")
        user_ids = self._users(n_mentors, n_mentees, mentor_applied, mentee_applied)
        mentor_users, mentee_users = user_ids[:n_mentors], user_ids[n_mentors:]
        self.log("applications")
        mentor_ids = self._enrollments("mentor", mentor_users, mentor_applied, mentor_stage, mentor_approved)
        mentee_ids = self._enrollments("mentee", mentee_users, mentee_applied, mentee_stage, mentee_approved)
        self.log("matches")
        match_ids = self._matches(
            mentee_ids[mentee_of_match], mentor_ids[mentor_of_match], starts, ends, reasons, open_
        )
        spans = np.minimum(ends, self.now) - starts  # days each match has been running
        people = (mentee_users[mentee_of_match], mentor_users[mentor_of_match])
        self.log("check-ins")
        self._checkins(match_ids, starts, spans, people)
        self.log("staff contacts, surveys and goals")
        contacts = self._staff_contacts(match_ids, starts, spans)
        surveys = self._surveys(match_ids, starts, ends, spans, open_, people)
        goals = self._goals(match_ids, starts, ends, spans, open_, people)
        self.log("messages")
        messages = write_messages(
            self,
            match_ids=match_ids,
            mentees=mentee_ids[mentee_of_match],
            starts=starts,
            spans=spans,
            open_=open_,
            people=people,
        )
        return {
            "people": sizes.people,
            "mentors": n_mentors,
            "mentees": n_mentees,
            "matches": len(match_ids),
            "active_matches": int(open_.sum()),
            "checkins": sizes.checkins,
            "staff_contacts": contacts,
            "surveys": surveys,
            "goals": goals,
            "messages": messages,
        }

    def _lengths(self, count):
        """Planned lengths and closure reasons: 40% complete about a year, 30% close early,
        30% run on (beyond today)."""
        rng = self.rng
        kind = rng.choice(3, size=count, p=[0.4, 0.3, 0.3])
        completed = np.clip(rng.normal(380, 40, size=count), 300, 600).astype(int)
        early = rng.integers(14, 330, size=count)
        long = np.full(count, 5 * 365)
        lengths = np.select([kind == 0, kind == 1], [completed, early], long)
        reasons = np.where(kind == 0, "completed", rng.choice(EARLY_REASONS, size=count, p=EARLY_WEIGHTS))
        return lengths, reasons

    def _users(self, n_mentors, n_mentees, mentor_applied, mentee_applied):
        rng = self.rng
        count = n_mentors + n_mentees
        ids = reserve_ids(User, count).tolist()
        first = rng.choice(FIRST_NAMES, size=count).tolist()
        last = rng.choice(LAST_NAMES, size=count).tolist()
        joined = (np.concatenate([mentor_applied, mentee_applied]) - 1).tolist()
        emails = [f"city-mentor-{k:05d}@{DOMAIN}" for k in range(1, n_mentors + 1)]
        emails += [f"city-mentee-{k:05d}@{DOMAIN}" for k in range(1, n_mentees + 1)]
        copy_in(
            User._meta.db_table,
            "id password is_superuser first_name last_name is_staff is_active date_joined email",
            (
                line(ids[k], "!", "f", first[k], last[k], "f", "t", self.stamp(joined[k], 9), emails[k])
                for k in range(count)
            ),
        )
        area = rng.integers(0, len(AREAS), size=count).tolist()
        age = np.concatenate([rng.integers(22, 66, size=n_mentors), rng.integers(13, 25, size=n_mentees)])
        born_days = (age * 365 + rng.integers(0, 360, size=count)).tolist()
        availability = rng.integers(1, 1 << 21, size=count).tolist()
        gender = rng.choice(["woman", "man", "non_binary"], size=count, p=[0.48, 0.48, 0.04]).tolist()
        mode = rng.choice(["in_person", "online", "either"], size=count).tolist()
        stamp = self.stamp(self.now)
        copy_in(
            Profile._meta.db_table,
            """user_id display_name pronouns bio created_at updated_at area availability contact_method
            date_of_birth email_reminders board_digest gender meeting_mode partner_age_band
            partner_age_band_importance partner_gender partner_gender_importance phone""",
            (
                line(
                    ids[k],
                    f"{first[k]} {last[k]}",
                    "",
                    "",
                    stamp,
                    stamp,
                    AREAS[area[k]][0],
                    availability[k],
                    "email",
                    self.today - dt.timedelta(days=born_days[k]),
                    "t",
                    "t",
                    gender[k],
                    mode[k],
                    "",
                    "nice",
                    "",
                    "nice",
                    "",
                )  # fmt: skip
                for k in range(count)
            ),
        )
        return np.array(ids, dtype=np.int64)

    def _enrollments(self, role, users, applied, stage, approved):
        rng = self.rng
        count = len(users)
        ids = reserve_ids(Enrollment, count).tolist()
        program_id, lead_id = self.program.pk, self.lead.pk
        heard = rng.choice(
            ["friend", "school", "employer", "social", "event", "partner"], size=count
        ).tolist()
        screening = np.minimum(applied + rng.integers(1, 4, size=count), self.now).tolist()
        approved = approved.tolist()
        applied, stage, users = applied.tolist(), stage.tolist(), users.tolist()
        capacity = None if role == "mentee" else 1

        def rows():
            for k in range(count):
                changed = (
                    approved[k] if approved[k] >= 0 else applied[k] if stage[k] == "applied" else screening[k]
                )
                yield line(
                    ids[k], program_id, users[k], role, stage[k], "", heard[k], "", "applied", capacity, "t",
                    "", "", "", self.stamp(applied[k], 10), self.stamp(changed, 15),
                )  # fmt: skip

        copy_in(
            Enrollment._meta.db_table,
            """id program_id user_id role status motivation heard_about heard_about_detail source capacity
            accepting_new_matches guardian_name guardian_email area_name created_at
            status_changed_at""",
            rows(),
        )

        # Status history: applied; then in screening; then where the application ended up.
        def changes():
            for k in range(count):
                yield line("", "applied", self.stamp(applied[k], 10), "", None, ids[k])
                if stage[k] == "applied":
                    continue
                yield line("applied", "in_screening", self.stamp(screening[k], 11), "", lead_id, ids[k])
                if stage[k] == "approved":
                    yield line("in_screening", "approved", self.stamp(approved[k], 15), "", lead_id, ids[k])
                elif stage[k] != "in_screening":
                    yield line("in_screening", stage[k], self.stamp(screening[k], 16), "", lead_id, ids[k])

        copy_in(
            StatusChange._meta.db_table,
            "from_status to_status changed_at note changed_by_id enrollment_id",
            changes(),
        )
        return np.array(ids, dtype=np.int64)

    def _matches(self, mentees, mentors, starts, ends, reasons, open_):
        rng = self.rng
        count = len(starts)
        ids = reserve_ids(Match, count)
        paused = open_ & (rng.random(count) < 0.03)
        status = np.where(open_, np.where(paused, "paused", "active"), "closed").tolist()
        # Pauses (evaluation/periods.py: a period with a paused day is not due): the paused matches
        # since a day of their run, and one in twenty of the others paused once, for up to 60 days.
        ran = np.maximum(np.minimum(ends, self.now) - starts, 0)
        paused_from = starts + (rng.random(count) * (ran + 1)).astype(int)
        paused_for = rng.integers(0, 61, size=count)
        once = ~paused & (rng.random(count) < 0.05) & (paused_from + paused_for <= starts + ran)
        pauses = [
            (k, paused_from[k], None if paused[k] else paused_from[k] + paused_for[k])
            for k in np.flatnonzero(paused | once).tolist()
        ]
        proposed = (starts - rng.integers(2, 10, size=count)).tolist()
        score = np.round(rng.uniform(35, 98, size=count), 1).tolist()
        ids_l, mentees, mentors = ids.tolist(), mentees.tolist(), mentors.tolist()
        starts, ends, reasons, open_ = starts.tolist(), ends.tolist(), reasons.tolist(), open_.tolist()
        program_id, lead = self.program.pk, self.lead.pk

        def rows():
            for k in range(count):
                start, end = starts[k], ends[k]
                if open_[k]:
                    closing = (None, None, "", None, None, None)
                else:
                    anticipated = "t" if reasons[k] == "completed" else "f"
                    closing = (self.date(end), self.stamp(end, 17), reasons[k], anticipated, "t", lead)
                yield line(
                    ids_l[k], program_id, mentees[k], mentors[k], status[k], "suggestion", score[k], "{}",
                    self.stamp(proposed[k], 9), self.stamp(start, 8), self.stamp(start, 9), self.date(start),
                    *closing, "", lead, "",
                )  # fmt: skip

        copy_in(
            Match._meta.db_table,
            """id program_id mentee_id mentor_id status source score breakdown proposed_at mentee_confirmed_at
            mentor_confirmed_at started_on ended_on closed_at closure_reason closure_anticipated
            rematch_eligible closed_by_id closure_notes proposed_by_id pause_reason""",
            rows(),
        )
        copy_in(
            MatchPause._meta.db_table,
            "match_id started_on ended_on",
            (
                line(ids_l[k], self.date(first), None if until is None else self.date(until))
                for k, first, until in pauses
            ),
        )
        return ids

    def _checkins(self, match_ids, starts, spans, people):
        """``sizes.checkins`` check-ins spread over the matches in proportion to how long each has
        run, on random days of its span. (Formatted by hand, not with bulk.line: it is the big one.)"""
        rng, total = self.rng, self.sizes.checkins
        weights = (spans + 1).astype(float)
        per_match = rng.multinomial(total, weights / weights.sum())
        match_index = np.repeat(np.arange(len(match_ids)), per_match)
        day = starts[match_index] + (rng.random(total) * (spans[match_index] + 1)).astype(int)
        held = rng.random(total) < 0.88
        by_mentee = rng.random(total) < 0.55
        logged_by = np.where(by_mentee, people[0][match_index], people[1][match_index])
        duration = rng.choice([30, 45, 60, 60, 90], size=total)
        mode = rng.choice(["in_person", "video", "phone", "message"], size=total, p=[0.5, 0.25, 0.15, 0.1])
        rating = np.where(
            rng.random(total) < 0.6, rng.choice([1, 2, 3, 4, 5], size=total, p=[0.03, 0.07, 0.2, 0.4, 0.3]), 0
        )
        note = rng.integers(0, len(NOTES), size=total)
        logged_day = np.minimum(day + rng.integers(0, 3, size=total), self.now)
        columns = [
            match_ids[match_index].tolist(), day.tolist(), held.tolist(), duration.tolist(), mode.tolist(),
            rating.tolist(), note.tolist(), logged_day.tolist(), logged_by.tolist(),
        ]  # fmt: skip
        null = "\\N"
        stamps = [self.stamp(d, 19) for d in range(self.now + 1)]

        def rows():
            for match, d, h, minutes, how, r, n, at, who in zip(*columns, strict=True):
                minutes = minutes if h else null
                yield (
                    f"{match}\t{self.date(d)}\t{'t' if h else 'f'}\t{minutes}\t{how}\t{NOTES[n]}\t"
                    f"{r or null}\t{stamps[at]}\t{who}\n"
                )

        # The rollup triggers join the new check-ins to the matches and programs just copied in:
        # fresh statistics keep their plans sane (after a TRUNCATE, say by a transactional test,
        # the planner would otherwise loop over 500,000 rows one by one).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        copy_in(
            CheckIn._meta.db_table,
            "match_id occurred_on held duration_minutes mode notes rating created_at logged_by_id",
            rows(),
        )

    def _staff_contacts(self, match_ids, starts, spans):
        """The coordinator's support contacts: about a week and three weeks in, then monthly (each
        made 85% of the time), up to the end of the match."""
        rng, lead = self.rng, self.lead.pk
        ids, starts, spans = match_ids.tolist(), starts.tolist(), spans.tolist()
        offsets = [7, 21] + list(range(51, HISTORY_DAYS + 1, 30))
        made = rng.random((len(ids), len(offsets))) < 0.85
        methods = rng.choice(["phone", "email", "in_person", "video"], size=(len(ids), len(offsets))).tolist()

        def rows():
            for k in range(len(ids)):
                for j, offset in enumerate(offsets):
                    if offset > spans[k]:
                        break
                    if made[k, j]:
                        day = starts[k] + offset
                        yield line(ids[k], lead, self.date(day), methods[k][j], "", self.stamp(day, 16))

        counter = Counted(rows())
        copy_in(
            StaffContact._meta.db_table,
            "match_id coordinator_id contacted_on method notes created_at",
            counter,
        )
        return counter.count

    def _surveys(self, match_ids, starts, ends, spans, open_, people):
        """Self-assessments at the start (and at closure) of each match, satisfaction surveys every
        90 days from both people (70% answer), exit surveys from both at closure (about 60%)."""
        rng, now = self.rng, self.now
        count = len(match_ids)
        ids, starts = match_ids.tolist(), starts.tolist()
        users = (people[0].tolist(), people[1].tolist())
        start_conf = rng.integers(1, 5, size=count)
        end_conf = np.clip(start_conf + np.round(rng.normal(0.8, 1.0, size=count)).astype(int), 1, 5).tolist()
        start_conf = start_conf.tolist()
        start_day = np.minimum(np.array(starts) + rng.integers(1, 10, size=count), now).tolist()
        end_day = np.minimum(ends + rng.integers(0, 7, size=count), now).tolist()
        closed = (~open_).tolist()
        periods = np.minimum(spans // 90, 63).tolist()
        answered = rng.random((count, 2, 64)) < 0.7
        ratings = rng.choice([1, 2, 3, 4, 5], size=(count, 2, 64), p=[0.03, 0.07, 0.2, 0.4, 0.3]).tolist()
        nps = rng.integers(0, 11, size=(count, 2)).tolist()
        roles = ("mentee", "mentor")

        def rows():
            for k in range(count):
                mentee = users[0][k]
                start_answers = f'{{"confidence": {start_conf[k]}}}'
                yield line(ids[k], mentee, "mentee", "self_start", 0, None, None, start_answers,
                            self.stamp(start_day[k], 18), "")  # fmt: skip
                for period in range(1, periods[k] + 1):
                    day = min(starts[k] + 90 * period + 3, now)
                    for side in (0, 1):
                        if answered[k, side, period]:
                            rating = ratings[k][side][period]
                            yield line(ids[k], users[side][k], roles[side], "satisfaction", period, rating,
                                        None, "{}", self.stamp(day, 20), "")  # fmt: skip
                if closed[k]:
                    end_answers = f'{{"confidence": {end_conf[k]}}}'
                    yield line(ids[k], mentee, "mentee", "self_end", 0, None, None, end_answers,
                                self.stamp(end_day[k], 18), "")  # fmt: skip
                    for side in (0, 1):
                        if answered[k, side, 0]:
                            yield line(ids[k], users[side][k], roles[side], "exit", 0, ratings[k][side][0],
                                        nps[k][side], "{}", self.stamp(end_day[k], 21), "")  # fmt: skip

        counter = Counted(rows())
        copy_in(
            SurveyResponse._meta.db_table,
            "match_id respondent_id role kind period rating nps answers submitted_at text",
            counter,
        )
        return counter.count

    def _goals(self, match_ids, starts, ends, spans, open_, people):
        rng, now = self.rng, self.now
        per_match = rng.integers(0, 4, size=len(match_ids))
        index = np.repeat(np.arange(len(match_ids)), per_match)
        total = len(index)
        last_day = np.minimum(ends[index], now)
        created = np.minimum(starts[index] + rng.integers(0, 30, size=total), last_day)
        status = rng.choice(
            ["done", "in_progress", "not_started", "dropped"], size=total, p=[0.35, 0.3, 0.15, 0.2]
        )
        done_day = np.maximum(np.minimum(created + rng.integers(20, 200, size=total), last_day), created)
        title = rng.choice(GOALS, size=total).tolist()
        by = people[0][index].tolist()
        match, created, status, done_day = (
            match_ids[index].tolist(), created.tolist(), status.tolist(), done_day.tolist()
        )  # fmt: skip
        updated = self.stamp(now, 8)

        def rows():
            for k in range(total):
                completed = self.stamp(done_day[k], 20) if status[k] == "done" else None
                yield line(
                    match[k], title[k], None, status[k], self.stamp(created[k], 18), updated, completed, by[k]
                )

        copy_in(
            Goal._meta.db_table,
            "match_id title target_date status created_at updated_at completed_at created_by_id",
            rows(),
        )
        return total
