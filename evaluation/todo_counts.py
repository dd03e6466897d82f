"""The to-do list's count of surveys that would otherwise mean loading every pair
(evaluation/todo.py): how many surveys are due and not yet answered in each program, counted by
PostgreSQL. (Its pairs at risk are counted by ``pairs_at_risk(..., limit=0).by_program``, which loads
no pair.)

``evaluation.selectors.surveys_due`` is the definition (which survey opens when, for whom, for how
long: SURVEY_WINDOW_DAYS, FOLLOW_UP_AFTER_DAYS): it builds each due survey in Python, for the pages
that list them. A program of ten thousand pairs would load every one of them, with its program and
two enrollments, to count a few hundred. The query below counts the same surveys in the database,
from the same constants: for each pair that may have one open (open pairs, and pairs closed
recently enough for a follow-up), one row per kind of survey and respondent with the day its window
opens and its length, kept when ``on`` falls in the window and no answer exists (the unique index
of SurveyResponse answers each probe). tests/evaluation/test_todo_counts.py checks it against
``surveys_due`` on random pairs, check-ins, answers and days.
"""

import datetime as dt

from django.db import connection

from evaluation.models import CheckIn, SurveyKind, SurveyResponse
from evaluation.selectors import FOLLOW_UP_AFTER_DAYS, SURVEY_WINDOW_DAYS
from matching.models import Match, MatchStatus
from programs.models import Enrollment, Program

_K = SurveyKind
# Closed pairs older than this have no survey open any more (as in surveys_due).
_OLDEST_CLOSURE_DAYS = max(after + SURVEY_WINDOW_DAYS[kind] for kind, after in FOLLOW_UP_AFTER_DAYS.items())

# Each kind of survey a pair may have open: (kind, period, the day its window opens or NULL when the
# pair has none of that kind, its length in days, whether the mentor answers it too: the mentee
# always does). ``o`` holds the pair's facts (open, closed, satisfaction period, interval).
_KINDS = [
    (
        _K.PAIRING_FIT,
        "0",
        "CASE WHEN o.is_open THEN o.first_meeting END",
        SURVEY_WINDOW_DAYS[_K.PAIRING_FIT],
        True,
    ),
    (
        _K.SELF_START,
        "0",
        "CASE WHEN o.is_open THEN m.started_on END",
        SURVEY_WINDOW_DAYS[_K.SELF_START],
        False,
    ),
    (
        _K.SATISFACTION,
        "o.period",
        "CASE WHEN o.is_open AND o.period >= 1 THEN m.started_on + o.period * o.every END",
        f"LEAST({SURVEY_WINDOW_DAYS[_K.SATISFACTION]}, o.every)",
        True,
    ),
    (_K.EXIT, "0", "CASE WHEN o.is_closed THEN m.ended_on END", SURVEY_WINDOW_DAYS[_K.EXIT], True),
    (
        _K.SELF_END,
        "0",
        "CASE WHEN o.is_closed AND m.started_on IS NOT NULL THEN m.ended_on END",
        SURVEY_WINDOW_DAYS[_K.SELF_END],
        False,
    ),
    *(
        (kind, "0", f"CASE WHEN o.is_closed THEN m.ended_on + {after} END", SURVEY_WINDOW_DAYS[kind], True)
        for kind, after in FOLLOW_UP_AFTER_DAYS.items()
    ),
]
_ROWS = ",\n    ".join(
    f"('{kind}', {period}, {opens}, {days}, {both})" for kind, period, opens, days, both in _KINDS
)
# Whether one of them is open on the day: each pair is looked at once, and only the few with one
# open are turned into a row per survey and respondent.
_ANY_OPEN = " OR ".join(
    f"(({opens}) <= %(on)s AND %(on)s <= ({opens}) + ({days}) - 1)" for _, _, opens, days, _ in _KINDS
)

_OPEN = f"('{MatchStatus.ACTIVE}', '{MatchStatus.PAUSED}')"
_SURVEYS_DUE = f"""
SELECT m.program_id, COUNT(*)
FROM {Match._meta.db_table} m
JOIN {Program._meta.db_table} p ON p.id = m.program_id
JOIN {Enrollment._meta.db_table} mentee ON mentee.id = m.mentee_id
JOIN {Enrollment._meta.db_table} mentor ON mentor.id = m.mentor_id
CROSS JOIN LATERAL (
    SELECT
        m.status IN {_OPEN} AND m.started_on IS NOT NULL AS is_open,
        m.status = '{MatchStatus.CLOSED}' AS is_closed,
        NULLIF(p.satisfaction_survey_days, 0) AS every,
        (%(on)s::date - m.started_on) / NULLIF(p.satisfaction_survey_days, 0) AS period,
        CASE WHEN m.status IN {_OPEN} AND m.started_on IS NOT NULL THEN (
            SELECT MIN(c.occurred_on) FROM {CheckIn._meta.db_table} c WHERE c.match_id = m.id AND c.held
        ) END AS first_meeting
    OFFSET 0  -- computed once per pair, not inlined where each use would probe again
) o
CROSS JOIN LATERAL (VALUES {_ROWS}) s(kind, period, opens_on, days, both_answer)
CROSS JOIN LATERAL (VALUES (mentee.user_id), (CASE WHEN s.both_answer THEN mentor.user_id END)) r(respondent)
WHERE m.program_id = ANY(%(programs)s)
  AND (m.status IN {_OPEN}
       OR (m.status = '{MatchStatus.CLOSED}' AND m.ended_on BETWEEN %(oldest)s AND %(on)s))
  AND ({_ANY_OPEN})
  AND r.respondent IS NOT NULL
  AND s.opens_on <= %(on)s AND %(on)s <= s.opens_on + (s.days - 1)
  AND NOT EXISTS (
      SELECT 1 FROM {SurveyResponse._meta.db_table} a
      WHERE a.match_id = m.id AND a.respondent_id = r.respondent AND a.kind = s.kind AND a.period = s.period
      OFFSET 0  -- a probe of the answers' unique index for each, not a scan of every answer
  )
GROUP BY m.program_id
"""  # noqa: S608 - table names and choices from the models, values as parameters


def surveys_due_counts(program_ids, *, on):
    """{program id: surveys due and not yet answered on ``on``}: ``len(surveys_due(...))`` of each
    program's matches, in one query."""
    program_ids = list(program_ids)
    if not program_ids:
        return {}
    params = {"programs": program_ids, "on": on, "oldest": on - dt.timedelta(days=_OLDEST_CLOSURE_DAYS)}
    with connection.cursor() as cursor:
        cursor.execute(_SURVEYS_DUE, params)
        return dict(cursor.fetchall())
