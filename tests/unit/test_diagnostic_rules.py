"""Pure rules of the diagnostic: moderation decisions, when the vote may open, ranks from a vote's tiers."""

import pytest

from consultation.diagnostic.rules import (
    ChallengeStatus,
    Decision,
    RuleBroken,
    Step,
    accepts_challenges,
    check_can_prioritise,
    check_decision,
    option_details,
    ranking_entries,
)


@pytest.mark.parametrize(
    ("step", "expected"), [(Step.COLLECTING, True), (Step.PRIORITISING, False), (Step.RANKED, False)]
)
def test_challenges_are_taken_only_while_collecting(step, expected):
    assert accepts_challenges(step) is expected


@pytest.mark.parametrize(
    ("status", "decision", "reason", "target", "expected"),
    [
        ("proposed", "accept", "", None, ChallengeStatus.ACCEPTED),
        ("proposed", "reject", "Hors sujet", None, ChallengeStatus.REJECTED),
        ("accepted", "reject", "Doublon", None, ChallengeStatus.REJECTED),
        ("rejected", "accept", "", None, ChallengeStatus.ACCEPTED),
        ("proposed", "merge", "", "accepted", ChallengeStatus.MERGED),
    ],
)
def test_a_moderation_decision_gives_a_status(status, decision, reason, target, expected):
    assert check_decision(Step.COLLECTING, status, decision, reason=reason, target_status=target) is expected


@pytest.mark.parametrize(
    ("step", "status", "decision", "reason", "target", "code"),
    [
        ("prioritising", "proposed", "accept", "", None, "not_collecting"),
        ("ranked", "proposed", "reject", "x", None, "not_collecting"),
        ("collecting", "merged", "accept", "", None, "already_merged"),
        ("collecting", "proposed", "reject", "   ", None, "reason_needed"),
        ("collecting", "proposed", "merge", "", None, "target_needed"),
        ("collecting", "proposed", "merge", "", "proposed", "target_not_accepted"),
        ("collecting", "proposed", "merge", "", "rejected", "target_not_accepted"),
    ],
)
def test_a_moderation_decision_is_refused_with_a_reason_code(step, status, decision, reason, target, code):
    with pytest.raises(RuleBroken) as caught:
        check_decision(step, status, decision, reason=reason, target_status=target)
    assert caught.value.reason == code


def test_an_unknown_decision_is_a_value_error():
    with pytest.raises(ValueError):
        check_decision(Step.COLLECTING, "proposed", "delete", reason="", target_status=None)
    assert {d.value for d in Decision} == {"accept", "merge", "reject"}


def test_a_prioritisation_needs_two_accepted_challenges_while_collecting():
    check_can_prioritise(Step.COLLECTING, 2)
    with pytest.raises(RuleBroken, match="too_few_challenges"):
        check_can_prioritise(Step.COLLECTING, 1)
    with pytest.raises(RuleBroken, match="not_collecting"):
        check_can_prioritise(Step.PRIORITISING, 5)


def test_tied_options_share_a_rank_and_the_next_rank_skips():
    entries = ranking_entries([["2", "1"], ["3"], ["5", "4", "6"], ["7"]], {"1": {"x": 1}})
    assert [(e.rank, e.key) for e in entries] == [(1, "1"), (1, "2"), (3, "3"), (4, "4"), (4, "5"), (4, "6"), (7, "7")]
    assert entries[0].details == {"x": 1}
    assert entries[1].details == {}


def test_an_empty_result_gives_an_empty_ranking():
    assert ranking_entries([], {}) == []


def test_option_details_of_majority_judgment_keep_the_grades():
    details = {"results": {"1": {"majority_grade": 3, "majority_grade_name": "fairly_good"}}, "grades": ["a"]}
    assert option_details("majority_judgment", ["1", "2"], details) == {
        "1": {"majority_grade": 3, "majority_grade_name": "fairly_good"},
        "2": {},
    }


def test_option_details_of_other_methods_gather_the_tables_by_option():
    details = {"ballots": 3, "counts": {"1": 2, "2": 1}, "tie_break": None}
    assert option_details("approval", ["1", "2"], details) == {"1": {"counts": 2}, "2": {"counts": 1}}
    score = {"totals": {"1": 3, "2": 1}, "means": {"1": 3.0, "2": 1.0}, "max_score": 5}
    assert option_details("score", ["1", "2"], score) == {
        "1": {"totals": 3, "means": 3.0},
        "2": {"totals": 1, "means": 1.0},
    }
