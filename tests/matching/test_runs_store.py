"""A run stores its suggestions and reasons with PostgreSQL's COPY (matching.runs._store_result):
read back, they are exactly what the engine found, to the last bit of each score, and text that
COPY must escape (tabs, backslashes, newlines) comes back unchanged."""

import pytest

from matching import engine, runs
from matching.models import MatchRun, MatchSuggestion, SuggestionStatus, UnmatchedReason
from matching.pool import build_pool
from matching.services import breakdown_of
from tests import scenarios


@pytest.mark.django_db
def test_a_run_stores_exactly_the_pairs_scores_breakdowns_and_reasons_the_engine_found():
    world = scenarios.matching_world()
    pool = build_pool(world.program)
    result = engine.solve(pool.problem)
    run = runs.run_execute(run_id=MatchRun.objects.create(program=world.program, trigger="coordinator").pk)

    stored = {(s.mentee_id, s.mentor_id): s for s in MatchSuggestion.objects.filter(run=run)}
    assert len(stored) == len(result.pairs) == run.new_suggestions == 3
    for pair in result.pairs:
        suggestion = stored[(pool.mentees[pair.mentee].pk, pool.mentors[pair.mentor].pk)]
        assert suggestion.score == pair.score
        assert suggestion.breakdown == breakdown_of(pair.criteria)
        assert suggestion.status == SuggestionStatus.PENDING
        assert suggestion.decided_by_id is None and suggestion.decided_at is None
        assert suggestion.created_at is not None and suggestion.program_id == world.program.pk
    reasons = dict(UnmatchedReason.objects.filter(run=run).values_list("mentee_id", "reason"))
    assert reasons == {pool.mentees[row.mentee].pk: row.message for row in result.unmatched}
    assert set(run.timings) >= {"load", "score", "solve", "store"}


@pytest.mark.django_db
def test_text_that_copy_must_escape_comes_back_unchanged():
    world = scenarios.matching_world()
    run = MatchRun.objects.create(program=world.program, trigger="coordinator")
    awkward = "tab\there, back\\slash, \\N, new\nline, return\r, quote \" and ' and é"
    mentee = world.mentees["ben"]
    runs._copy_rows(UnmatchedReason, ["run_id", "mentee_id", "reason"], [(run.pk, mentee.pk, awkward)])
    assert UnmatchedReason.objects.get(run=run).reason == awkward
