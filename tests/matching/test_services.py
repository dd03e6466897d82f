"""Matching through the services: runs, suggestions, the match lifecycle, capacity, closure."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matching import runs, services
from matching.models import (
    Match,
    MatchRun,
    MatchSource,
    MatchStatus,
    MatchSuggestion,
    RunStatus,
    SuggestionStatus,
)
from programs.models import Enrollment
from tests import scenarios


def pairs_of(program, status=SuggestionStatus.PENDING):
    rows = MatchSuggestion.objects.filter(program=program, status=status).select_related(
        "mentee__user", "mentor__user"
    )
    return {(s.mentee.user.display_name, s.mentor.user.display_name) for s in rows}


def propose(world, mentee, mentor):
    return services.match_propose(program=world.program, mentee=world.mentees[mentee],
                                  mentor=world.mentors[mentor], by=world.coordinator,
                                  source=MatchSource.MANUAL)  # fmt: skip


def run(program, by=None):
    queued = MatchRun.objects.create(program=program, started_by=by, trigger="coordinator")
    return runs.run_execute(run_id=queued.pk)


@pytest.fixture
def world(db):
    return scenarios.matching_world()


def test_a_run_suggests_the_best_pairs_and_says_why_the_others_are_left_out(world):
    done = run(world.program)
    assert done.status == RunStatus.DONE and done.progress == 100
    assert pairs_of(world.program) == {("Ben", "Ada"), ("Dee", "Cy"), ("Fay", "Gus")}
    assert (done.mentees_considered, done.mentors_considered, done.matched_count) == (4, 3, 3)
    reasons = {r.mentee.user.display_name: r.reason for r in done.unmatched.select_related("mentee__user")}
    assert list(reasons) == ["Eve"]
    assert "language" in reasons["Eve"]
    suggestion = MatchSuggestion.objects.get(mentee=world.mentees["ben"])
    assert set(suggestion.breakdown) == {"goals", "interests", "availability", "location", "preferences"}
    assert suggestion.breakdown["goals"]["value"] == 1.0


def test_running_twice_on_unchanged_data_creates_no_duplicates(world):
    first = run(world.program)
    second = run(world.program)
    assert first.new_suggestions == 3 and second.new_suggestions == 0
    assert MatchSuggestion.objects.filter(program=world.program).count() == 3
    assert second.pool_fingerprint == first.pool_fingerprint


def test_a_run_is_claimed_once(world):
    queued = MatchRun.objects.create(program=world.program, trigger="coordinator")
    assert runs.run_execute(run_id=queued.pk) is not None
    assert runs.run_execute(run_id=queued.pk) is None
    assert MatchSuggestion.objects.count() == 3


def test_one_run_at_a_time_per_program(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        runs.run_start(program=world.program, by=world.coordinator)
    with pytest.raises(ValidationError, match="already under way"):
        runs.run_start(program=world.program, by=world.coordinator)


def test_a_failed_run_leaves_the_suggestions_as_they_were(world):
    run(world.program)
    before = pairs_of(world.program)
    world.program.criteria_weights = dict.fromkeys(world.program.criteria_weights, 0)  # the engine refuses
    world.program.save()
    failed = run(world.program)
    assert failed.status == RunStatus.FAILED and "weights" in failed.error
    assert pairs_of(world.program) == before


def test_accepting_proposes_a_match_and_introduces_both_without_private_details(
    world, mailoutbox, send_queued_emails
):
    run(world.program)
    suggestion = MatchSuggestion.objects.get(mentee=world.mentees["dee"])
    match = services.suggestion_accept(suggestion=suggestion, by=world.coordinator)
    assert (match.status, match.source, match.mentor, match.mentee) == (
        MatchStatus.PROPOSED,
        MatchSource.SUGGESTION,
        world.mentors["cy"],
        world.mentees["dee"],
    )
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ACCEPTED
    send_queued_emails()
    by_recipient = {m.to[0]: m for m in mailoutbox}
    to_mentor = by_recipient["cy@matching.test"]
    assert "Dee" in to_mentor.body and "confirm the match agreement" in to_mentor.body
    dee = world.mentees["dee"].user
    assert dee.email not in to_mentor.body
    assert str(dee.profile.date_of_birth.year) not in to_mentor.body
    assert "cy@matching.test" not in by_recipient["dee@matching.test"].body


def test_a_suggestion_is_decided_once(world):
    run(world.program)
    suggestion = MatchSuggestion.objects.get(mentee=world.mentees["ben"])
    services.suggestion_decline(suggestion=suggestion, by=world.coordinator)
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion=suggestion, by=world.coordinator)


def test_a_declined_pair_is_not_suggested_again(world):
    run(world.program)
    services.suggestion_decline(
        suggestion=MatchSuggestion.objects.get(mentee=world.mentees["ben"]), by=world.coordinator
    )
    run(world.program)
    assert ("Ben", "Ada") not in pairs_of(world.program)


def test_a_pair_breaking_a_hard_rule_is_refused_with_the_rule_named(world):
    with pytest.raises(ValidationError, match="share no language"):
        services.match_propose(
            program=world.program,
            mentee=world.mentees["eve"],
            mentor=world.mentors["ada"],
            by=world.coordinator,
            source=MatchSource.MANUAL,
        )
    assert not Match.objects.exists()


def test_capacity_is_respected_for_manual_matches(world):
    propose(world, "fay", "gus")
    with pytest.raises(ValidationError, match="at capacity"):
        propose(world, "ben", "gus")


def test_a_mentee_has_one_open_match(world):
    propose(world, "ben", "ada")
    with pytest.raises(ValidationError):
        propose(world, "ben", "cy")


def test_both_confirm_then_the_match_is_active(world, mailoutbox, send_queued_emails):
    match = propose(world, "ben", "ada")
    services.match_confirm(match=match, by=world.mentees["ben"].user)
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED
    with pytest.raises(Exception, match="Only the two people"):
        services.match_confirm(match=match, by=world.coordinator)
    match = services.match_confirm(match=match, by=world.mentors["ada"].user)
    assert match.status == MatchStatus.ACTIVE and match.started_on is not None
    send_queued_emails()
    assert sum("has started" in m.subject for m in mailoutbox) == 2


def test_closing_as_a_mismatch_excludes_the_pair_and_returns_the_mentee_to_the_pool(
    world, mailoutbox, send_queued_emails
):
    match = propose(world, "ben", "ada")
    services.match_close(
        match=match, by=world.coordinator, reason="mismatch", anticipated=False, notes="Did not click"
    )
    closed = Match.objects.get(pk=match.pk)
    assert (closed.status, closed.closure_reason, closed.closed_by, closed.ended_on is not None) == (
        MatchStatus.CLOSED, "mismatch", world.coordinator, True,
    )  # fmt: skip
    run(world.program)
    assert ("Ben", "Ada") not in pairs_of(world.program)
    assert any(mentee == "Ben" for mentee, _ in pairs_of(world.program))  # back in the pool, another mentor
    send_queued_emails()
    assert sum("has closed" in m.subject for m in mailoutbox) == 2


def test_a_mentee_closed_as_not_eligible_for_rematch_leaves_the_pool(world):
    match = propose(world, "ben", "ada")
    services.match_close(
        match=match, by=world.coordinator, reason="safety", anticipated=False, rematch_eligible=False
    )
    run(world.program)
    assert not any(mentee == "Ben" for mentee, _ in pairs_of(world.program))


def test_active_pairs_stay_as_they_are_and_full_mentors_sit_out(world):
    propose(world, "fay", "gus")
    done = run(world.program)
    assert (done.mentees_considered, done.mentors_considered) == (3, 2)
    assert not any(mentee == "Fay" for mentee, _ in pairs_of(world.program))


def test_a_mentor_who_pauses_new_matches_sits_out(world):
    services.mentor_set_accepting(
        enrollment=world.mentors["ada"], accepting=False, by=world.mentors["ada"].user
    )
    run(world.program)
    assert not any(mentor == "Ada" for _, mentor in pairs_of(world.program))


def test_participants_choose_request_and_the_mentor_accepts(db, mailoutbox, send_queued_emails):
    world = scenarios.matching_world(matching_mode="participants")
    ben = world.mentees["ben"]
    choices = services.choices_for(mentee=ben)
    assert 1 <= len(choices) <= 5
    assert choices[0][0] == world.mentors["ada"]
    request = services.request_create(mentee=ben, mentor=world.mentors["ada"], by=ben.user, message="Hi!")
    with pytest.raises(ValidationError, match="already asked"):
        services.request_create(mentee=ben, mentor=world.mentors["cy"], by=ben.user)
    match = services.request_decide(request=request, by=world.mentors["ada"].user, accept=True)
    assert match.source == MatchSource.REQUEST and match.status == MatchStatus.PROPOSED
    send_queued_emails()
    assert any("would like you as their mentor" in m.subject for m in mailoutbox)


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_at_once_never_exceed_capacity():
    world = scenarios.matching_world()
    gus = world.mentors["gus"]  # capacity 1
    suggestions = []
    for name in ("ben", "fay"):
        queued = MatchRun.objects.create(program=world.program, trigger="coordinator", status="done")
        suggestions.append(
            MatchSuggestion.objects.create(
                run=queued, program=world.program, mentee=world.mentees[name], mentor=gus, score=50
            )
        )
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(suggestion):
        try:
            barrier.wait()
            services.suggestion_accept(suggestion=suggestion, by=world.coordinator)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(s,)) for s in suggestions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Match.objects.filter(mentor=gus).count() == 1


def test_the_nightly_sweep_runs_only_where_the_pool_changed_and_sends_one_digest(
    db, mailoutbox, send_queued_emails
):
    world = scenarios.matching_world(auto_suggestions=True)
    first = runs.suggestions_sweep()
    assert [outcome for _, outcome in first] == ["3 new suggestions"]
    assert runs.suggestions_sweep() == [(world.program, "unchanged")]
    send_queued_emails()
    digests = [m for m in mailoutbox if "to review" in m.subject]
    assert len(digests) == 1 and digests[0].subject.startswith("3 new match suggestions")
    scenarios.ready_mentee(
        program=world.program, email="new@matching.test", display_name="Nia", goals=["Maths"]
    )
    scenarios.ready_mentor(
        program=world.program, email="max@matching.test", display_name="Max", skills=["Maths"]
    )
    assert [outcome for _, outcome in runs.suggestions_sweep()] == ["1 new suggestion"]
    assert not Match.objects.exists()  # it never accepts on its own


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_one_run():
    world = scenarios.matching_world(auto_suggestions=True)
    barrier = threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            runs.suggestions_sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert MatchRun.objects.filter(program=world.program, status="done").count() >= 1
    assert MatchSuggestion.objects.filter(program=world.program, status="pending").count() == 3


def test_only_matchable_people_take_part(world):
    # An approved mentor whose screening is incomplete does not take part.
    extra = scenarios.enroll(program=world.program, user=scenarios.person(email="half@matching.test"),
                             role="mentor", status="approved")  # fmt: skip
    done = run(world.program)
    assert done.mentors_considered == 3
    assert not MatchSuggestion.objects.filter(mentor=extra).exists()
    assert Enrollment.objects.filter(pk=extra.pk).exists()


def test_a_changed_tag_counts_as_a_changed_pool_for_the_nightly_sweep(db):
    world = scenarios.matching_world(auto_suggestions=True)
    runs.suggestions_sweep()
    assert runs.suggestions_sweep() == [(world.program, "unchanged")]
    from mentorship.services import tags_get_or_create

    world.mentors["gus"].user.profile.skills.add(*tags_get_or_create(names=["Photography"]))
    assert runs.suggestions_sweep()[0][1] != "unchanged"
