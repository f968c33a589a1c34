"""Voting engine: tables of cases per method, published worked examples, invalid ballots and tie-breaking."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from consultation.voting import InvalidBallot, Result, tally
from consultation.voting.methods import METHODS, MOTION_REASONS, REASONS, _median_order, validate_ballot

GRADES = ["à rejeter", "insuffisant", "passable", "assez bien", "bien", "très bien"]
RULES: dict[str, dict[str, Any]] = {
    "plurality": {},
    "approval": {},
    "score": {"max_score": 5},
    "majority_judgment": {"grades": GRADES},
    "schulze": {},
    "motion": {},
    "dot": {"points": 10},
}


def expand(groups: list[tuple[int, Any]]) -> list[Any]:
    """[(3, ballot), …] -> the ballot repeated 3 times, …"""
    return [ballot for count, ballot in groups for _ in range(count)]


# ------------------------------------------------------------------------------------------ API shape


def test_methods_are_listed():
    assert METHODS == ("plurality", "approval", "score", "majority_judgment", "schulze", "motion", "dot")


def test_result_is_frozen():
    result = tally("plurality", ["a"], ["a"])
    assert isinstance(result, Result)
    with pytest.raises(AttributeError):
        result.winners = []  # type: ignore[misc]


def test_unknown_method_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown voting method 'borda'"):
        tally("borda", ["a"], [])


@pytest.mark.parametrize("options", [["a", "b", "a"], [1, 2, 2]])
def test_duplicate_options_are_refused(options):
    with pytest.raises(ValueError, match="appears more than once"):
        tally("plurality", options, [])


def test_unhashable_options_are_refused():
    with pytest.raises(ValueError, match="hashable"):
        tally("plurality", [["a"], ["b"]], [])


def test_options_are_needed_except_for_a_motion():
    with pytest.raises(ValueError, match="needs a list of options"):
        tally("plurality", None, ["a"])
    assert tally("motion", None, ["yes"]).winners == ["yes"]
    assert tally("motion", ballots=["yes"]).winners == ["yes"]


@pytest.mark.parametrize("method", METHODS)
def test_no_ballots_means_one_tier_and_nobody_elected(method):
    options = ["yes", "no", "abstain"] if method == "motion" else ["a", "b", "c"]
    result = tally(method, options, [], **RULES[method], tie_break="lot", seed=1)
    assert result.ranking == [options]
    assert result.winners == []
    assert result.details["ballots"] == 0
    assert result.details["tie_break"] is None
    json.dumps(result.details)


def test_no_options_no_ballots():
    assert tally("approval", [], []) == Result("approval", [], [], {"ballots": 0, "counts": {}, "tie_break": None})


def test_ballots_may_be_a_generator():
    assert tally("plurality", ["a", "b"], (x for x in "abb")).winners == ["b"]


@pytest.mark.parametrize(
    ("method", "ballots"),
    [
        ("plurality", ["a", "b", "c", "c"]),
        ("approval", [["a"], ["b", "c"], {"c"}]),
        ("score", [{"a": 5}, {"b": 3, "c": 5}]),
        ("majority_judgment", [{"a": 5, "b": 1}, {"c": 2}]),
        ("schulze", [["c", ["a", "b"]], ["b"]]),
        ("dot", [{"a": 4, "c": 6}, {"b": 10}]),
    ],
)
def test_details_are_json_serialisable(method, ballots):
    result = tally(method, ["a", "b", "c"], ballots, **RULES[method], tie_break="lot", seed="x")
    assert json.loads(json.dumps(result.details))["ballots"] == len(ballots)


# -------------------------------------------------------------------------------------- plurality


@pytest.mark.parametrize(
    ("ballots", "ranking", "counts"),
    [
        (["a", "b", "b", "c"], [["b"], ["a", "c"]], {"a": 1, "b": 2, "c": 1}),
        (["c"], [["c"], ["a", "b"]], {"a": 0, "b": 0, "c": 1}),
        (["c", "a"], [["a", "c"], ["b"]], {"a": 1, "b": 0, "c": 1}),  # a tie keeps the order of the options
        (["a", "b", "c"], [["a", "b", "c"]], {"a": 1, "b": 1, "c": 1}),
    ],
)
def test_plurality(ballots, ranking, counts):
    result = tally("plurality", ["a", "b", "c"], ballots)
    assert result.ranking == ranking
    assert result.winners == ranking[0]
    assert result.details["counts"] == counts


def test_plurality_with_int_options():
    result = tally("plurality", [10, 20, 30], [30, 30, 10])
    assert result.ranking == [[30], [10], [20]]
    assert result.details["counts"] == {10: 1, 20: 0, 30: 2}


def test_a_million_plurality_ballots():
    ballots = ["a"] * 400_000 + ["b"] * 350_000 + ["c"] * 250_000
    result = tally("plurality", ["c", "b", "a"], ballots)
    assert result.ranking == [["a"], ["b"], ["c"]]
    assert result.details["counts"] == {"a": 400_000, "b": 350_000, "c": 250_000}


# --------------------------------------------------------------------------------------- approval


@pytest.mark.parametrize(
    ("ballots", "ranking", "counts"),
    [
        ([["a", "b"], ("b",), {"c", "b"}, frozenset()], [["b"], ["a", "c"]], {"a": 1, "b": 3, "c": 1}),
        ([[], []], [["a", "b", "c"]], {"a": 0, "b": 0, "c": 0}),
        ([["c"], ["c", "a"], ["a", "c", "b"]], [["c"], ["a"], ["b"]], {"a": 2, "b": 1, "c": 3}),
    ],
)
def test_approval(ballots, ranking, counts):
    result = tally("approval", ["a", "b", "c"], ballots)
    assert result.ranking == ranking
    assert result.winners == ranking[0]
    assert result.details["counts"] == counts


def test_a_million_approval_ballots():
    ballots = [["a", "b"], ("b",), {"c"}, frozenset({"a", "b", "c"})] * 250_000
    result = tally("approval", ["a", "b", "c"], ballots)
    assert result.details["counts"] == {"a": 500_000, "b": 750_000, "c": 500_000}
    assert result.ranking == [["b"], ["a", "c"]]


# ------------------------------------------------------------------------------------------ score


def test_score_ranks_by_total():
    result = tally("score", ["a", "b", "c"], [{"a": 3, "b": 5}, {"a": 4, "c": 1}, {}], max_score=5)
    assert result.ranking == [["a"], ["b"], ["c"]]
    assert result.details["totals"] == {"a": 7, "b": 5, "c": 1}
    assert result.details["scored_by"] == {"a": 2, "b": 1, "c": 1}
    assert result.details["means"] == {"a": 3.5, "b": 5.0, "c": 1.0}
    assert result.details["max_score"] == 5


def test_score_breaks_equal_totals_by_the_mean_over_explicit_scores():
    # a: 4 + 4 = 8 over 2 ballots (mean 4); b: 8 over 1 ballot (mean 8) -> b first; c: 0 explicitly, d: never scored.
    ballots = [{"a": 4, "c": 0}, {"a": 4}, {"b": 8}]
    result = tally("score", ["a", "b", "c", "d"], ballots, max_score=10)
    assert result.ranking == [["b"], ["a"], ["c", "d"]]
    assert result.details["means"] == {"a": 4.0, "b": 8.0, "c": 0.0, "d": None}


def test_score_equal_total_and_mean_share_a_tier():
    ballots = [{"a": 2, "b": 1}, {"a": 1, "b": 2}, {"c": 3}]
    assert tally("score", ["c", "a", "b"], ballots, max_score=3).ranking == [["c"], ["a", "b"]]


def test_score_means_are_compared_exactly():
    # 1/3 + 1/3 + 1/3 would not equal 1 in floats done naively; Fractions make the tie exact.
    ballots = [{"a": 1}, {"a": 1}, {"a": 1}, {"b": 3}, {"b": 0}, {"b": 0}]
    assert tally("score", ["a", "b"], ballots, max_score=3).ranking == [["a", "b"]]


# ---------------------------------------------------------------------------- majority judgment


def test_median_order_removes_the_lower_median_each_time():
    # Checked against removing the lower median by hand from a list of distinct values.
    for n in range(12):
        remaining = list(range(n))
        expected = []
        while remaining:
            expected.append(remaining.pop((len(remaining) - 1) // 2))
        assert _median_order(n) == expected


def test_majority_judgment_worked_example_with_equal_majority_grades():
    """Five voters; A, B and C all have the majority grade 3 ("assez bien"); D has 2; the majority values decide.

    Sorted grades and the lower-median removal order for n = 5 (positions 2, 1, 3, 0, 4):
      A = [1, 2, 3, 3, 4] -> majority value (3, 2, 3, 1, 4)
      B = [2, 3, 3, 3, 3] -> (3, 3, 3, 2, 3)
      C = [0, 3, 3, 5, 5] -> (3, 3, 5, 0, 5)
      D = [2, 2, 2, 5, 5] -> (2, ...)
    Lexicographically C > B (third term 5 > 3) > A (second term 3 > 2) > D (first term 3 > 2), although C holds
    the worst grade of all: majority judgment looks at the middle, and D's two "très bien" cannot lift it.
    """
    a, b, c, d = [1, 2, 3, 3, 4], [3, 3, 2, 3, 3], [5, 3, 0, 3, 5], [2, 5, 2, 5, 2]
    ballots = [{"A": a[i], "B": b[i], "C": c[i], "D": d[i]} for i in range(5)]
    result = tally("majority_judgment", ["A", "B", "C", "D"], ballots, grades=GRADES)
    assert result.ranking == [["C"], ["B"], ["A"], ["D"]]
    assert result.winners == ["C"]
    assert result.details["grades"] == GRADES
    assert result.details["results"]["A"] == {
        "distribution": [0, 1, 1, 2, 1, 0],
        "majority_grade": 3,
        "majority_grade_name": "assez bien",
        "better": 1,
        "worse": 2,
    }
    assert result.details["results"]["D"]["majority_grade_name"] == "passable"


def test_majority_judgment_uses_the_lower_median_for_an_even_count():
    # E = [1, 2, 4, 5]: lower median 2 (upper would be 4); F = [0, 3, 3, 3]: lower median 3.  F wins only because
    # the lower median is used.
    ballots = [{"E": 1, "F": 3}, {"E": 2, "F": 3}, {"E": 4, "F": 3}, {"E": 5, "F": 0}]
    result = tally("majority_judgment", ["E", "F"], ballots, grades=GRADES)
    assert result.ranking == [["F"], ["E"]]
    assert result.details["results"]["E"]["majority_grade"] == 2
    assert result.details["results"]["F"]["majority_grade"] == 3


def test_majority_judgment_equal_majority_values_share_a_tier():
    # Same grades given in another order -> same distribution -> same majority value.
    ballots = [{"x": 4, "y": 1, "z": 0}, {"x": 1, "y": 4, "z": 5}, {"x": 3, "y": 3, "z": 0}]
    result = tally("majority_judgment", ["x", "y", "z"], ballots, grades=GRADES)
    assert result.ranking == [["x", "y"], ["z"]]
    assert result.winners == ["x", "y"]


def test_majority_judgment_missing_option_gets_the_lowest_grade():
    result = tally("majority_judgment", ["a", "b"], [{"a": 5}, {"a": 4, "b": 5}, {}], grades=GRADES)
    assert result.details["results"]["b"]["distribution"] == [2, 0, 0, 0, 0, 1]
    assert result.details["results"]["b"]["majority_grade"] == 0
    assert result.details["results"]["a"]["majority_grade"] == 4
    assert result.ranking == [["a"], ["b"]]


# ---------------------------------------------------------------------------------------- Schulze

WIKIPEDIA_SCHULZE = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def test_schulze_wikipedia_example():
    """https://en.wikipedia.org/wiki/Schulze_method#Example: 45 voters, 5 candidates, result E > A > C > B > D."""
    ballots = expand([(n, list(order)) for n, order in WIKIPEDIA_SCHULZE])
    result = tally("schulze", list("ABCDE"), ballots)
    assert result.ranking == [["E"], ["A"], ["C"], ["B"], ["D"]]
    assert result.winners == ["E"]
    assert result.details["options"] == list("ABCDE")
    assert result.details["pairwise"] == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert result.details["strongest_paths"] == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]


def test_schulze_ties_and_unranked_options():
    # Every voter puts a and b tied first; c is ranked by some, d by nobody (so d is last with c on the others).
    ballots = [[("a", "b"), "c"], [["a", "b"]], ["b", "a", "c", "d"], ["a", "b"]]
    result = tally("schulze", ["a", "b", "c", "d"], ballots)
    assert result.ranking == [["a", "b"], ["c"], ["d"]]
    assert result.details["pairwise"][0] == [0, 1, 4, 4]
    assert result.details["pairwise"][2] == [0, 0, 0, 2]


def test_schulze_condorcet_cycle_is_one_tier():
    ballots = [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    result = tally("schulze", ["a", "b", "c"], ballots)
    assert result.ranking == [["a", "b", "c"]]


def test_schulze_empty_ranking_and_empty_group_are_allowed():
    result = tally("schulze", ["a", "b"], [[], [[], "b"]])
    assert result.ranking == [["b"], ["a"]]


def test_schulze_accepts_int_options():
    assert tally("schulze", [1, 2, 3], [[3, [1, 2]], [3]]).ranking == [[3], [1, 2]]


# ----------------------------------------------------------------------------------------- motion


def motion(yes: int, no: int, abstain: int = 0, **rules: Any) -> Result:
    return tally("motion", None, ["yes"] * yes + ["no"] * no + ["abstain"] * abstain, **rules)


@pytest.mark.parametrize(
    ("votes", "rules", "adopted", "reason", "threshold"),
    [
        # simple: yes > no, abstentions ignored
        ((5, 4, 10), {"majority": "simple"}, True, "adopted", 5),
        ((4, 4, 1), {"majority": "simple"}, False, "majority_not_reached", 5),
        ((0, 0, 3), {}, False, "majority_not_reached", 1),
        # absolute: yes > half of the ballots cast, abstentions included
        ((6, 1, 4), {"majority": "absolute"}, True, "adopted", 6),
        ((5, 1, 4), {"majority": "absolute"}, False, "majority_not_reached", 6),
        ((5, 1, 5), {"majority": "absolute"}, False, "majority_not_reached", 6),
        # two thirds of yes + no, exact boundary adopts
        ((20, 10, 50), {"majority": "two_thirds"}, True, "adopted", 20),
        ((19, 10), {"majority": "two_thirds"}, False, "majority_not_reached", 20),
        ((2, 1), {"majority": "two_thirds"}, True, "adopted", 2),
        ((1, 0), {"majority": "two_thirds"}, True, "adopted", 1),
        ((0, 0, 2), {"majority": "two_thirds"}, False, "majority_not_reached", 1),
        # quorum as a number of ballots (abstentions count towards it)
        ((3, 0, 1), {"quorum": 5}, False, "quorum_not_reached", 1),
        ((3, 0, 2), {"quorum": 5}, True, "adopted", 1),
        ((1, 3, 1), {"quorum": 5}, False, "majority_not_reached", 4),
        # quorum as a share of the electorate: 0.5 of 11 -> 6 ballots
        ((5, 0), {"quorum": 0.5, "electorate": 11}, False, "quorum_not_reached", 1),
        ((5, 0, 1), {"quorum": 0.5, "electorate": 11}, True, "adopted", 1),
        # 0.1 * 30 is 3.0000000000000004 in floats; the quorum must still be 3
        ((3, 0), {"quorum": 0.1, "electorate": 30}, True, "adopted", 1),
    ],
)
def test_motion(votes, rules, adopted, reason, threshold):
    result = motion(*votes, **rules)
    assert result.details["adopted"] is adopted
    assert result.details["reason"] == reason
    assert result.details["threshold"] == threshold
    assert result.winners == (["yes"] if adopted else [])
    assert result.details["majority"] == rules.get("majority", "simple")
    assert reason in MOTION_REASONS
    json.dumps(result.details)


def test_motion_details_explain_the_quorum():
    result = motion(5, 0, 0, quorum=0.5, electorate=11)
    assert result.details == {
        "ballots": 5,
        "counts": {"yes": 5, "no": 0, "abstain": 0},
        "electorate": 11,
        "quorum": 0.5,
        "quorum_required": 6,
        "quorum_reached": False,
        "majority": "simple",
        "threshold": 1,
        "adopted": False,
        "reason": "quorum_not_reached",
        "tie_break": None,
    }
    assert result.ranking == [["yes"], ["no", "abstain"]]


def test_motion_with_no_ballots():
    result = tally("motion", None, [], quorum=3)
    assert result.details["reason"] == "no_ballots"
    assert result.details["quorum_reached"] is False
    assert result.winners == []
    assert result.ranking == [["yes", "no", "abstain"]]


def test_motion_ignores_tie_break():
    result = motion(2, 2, tie_break="lot", seed=3)
    assert result.ranking == [["yes", "no"], ["abstain"]]
    assert result.details["tie_break"] is None


def test_motion_without_abstain_option():
    assert tally("motion", ["no", "yes"], ["yes"]).winners == ["yes"]
    with pytest.raises(InvalidBallot) as caught:
        tally("motion", ["yes", "no"], ["yes", "abstain"])
    assert (caught.value.index, caught.value.reason) == (1, "unknown_option")


@pytest.mark.parametrize("options", [["yes", "maybe", "no"], ["yes", "abstain"]])
def test_motion_options_are_checked(options):
    with pytest.raises(ValueError, match="motion"):
        tally("motion", options, [])


@pytest.mark.parametrize(
    ("rules", "reason"),
    [
        ({"majority": "unanimity"}, "invalid_rule"),
        ({"quorum": 0.5}, "missing_rule"),
        ({"quorum": 1.5, "electorate": 10}, "invalid_rule"),
        ({"quorum": 0.0, "electorate": 10}, "invalid_rule"),
        ({"quorum": -1}, "invalid_rule"),
        ({"quorum": "3"}, "invalid_rule"),
        ({"quorum": True}, "invalid_rule"),
        ({"electorate": -2}, "invalid_rule"),
    ],
)
def test_motion_rules_are_checked(rules, reason):
    with pytest.raises(InvalidBallot) as caught:
        tally("motion", None, ["yes"], **rules)
    assert (caught.value.index, caught.value.reason) == (None, reason)


# -------------------------------------------------------------------------------------------- dot


def test_dot_ranks_by_total_points():
    ballots = [{"a": 6, "b": 4}, {"b": 10}, {"c": 3, "a": 0}, {}]
    result = tally("dot", ["a", "b", "c"], ballots, points=10)
    assert result.ranking == [["b"], ["a"], ["c"]]
    assert result.details["totals"] == {"a": 6, "b": 14, "c": 3}
    assert result.details["supporters"] == {"a": 1, "b": 2, "c": 1}
    assert result.details["points"] == 10


def test_dot_ties_share_a_tier():
    assert tally("dot", ["a", "b", "c"], [{"a": 2, "c": 2}], points=5).ranking == [["a", "c"], ["b"]]


# --------------------------------------------------------------------------------- invalid ballots

INVALID = [
    # plurality
    ("plurality", ["a", "z"], "unknown_option", "'z' is not one of the options"),
    ("plurality", ["a", ["a"]], "wrong_shape", "single option"),
    ("plurality", ["a", None], "unknown_option", "None is not one of the options"),
    # approval
    ("approval", [["a"], ["a", "a"]], "duplicate", "'a' is approved more than once"),
    ("approval", [["a"], ["a", "z"]], "unknown_option", "'z' is not one of the options"),
    ("approval", [["a"], "ab"], "wrong_shape", "list of options"),
    ("approval", [["a"], {"a": 1}], "wrong_shape", "list of options"),
    ("approval", [["a"], [["a"]]], "wrong_shape", "nested"),
    ("approval", [["a"], "a"], "wrong_shape", "list of options"),
    # score (max_score 5)
    ("score", [{"a": 1}, {"a": 6}], "out_of_range", "between 0 and 5, got 6"),
    ("score", [{"a": 1}, {"a": -1}], "out_of_range", "between 0 and 5"),
    ("score", [{"a": 1}, {"a": True}], "wrong_shape", "must be an integer"),
    ("score", [{"a": 1}, {"a": 2.0}], "wrong_shape", "must be an integer"),
    ("score", [{"a": 1}, {"z": 1}], "unknown_option", "'z' is not one of the options"),
    ("score", [{"a": 1}, ["a"]], "wrong_shape", "map options to scores, got list"),
    # majority judgment (6 grades: 0..5)
    ("majority_judgment", [{"a": 5}, {"a": 6}], "out_of_range", "between 0 and 5"),
    ("majority_judgment", [{"a": 5}, {"a": "bien"}], "wrong_shape", "must be an integer"),
    ("majority_judgment", [{"a": 5}, {"z": 1}], "unknown_option", "'z'"),
    ("majority_judgment", [{"a": 5}, 3], "wrong_shape", "map options to grades"),
    # schulze
    ("schulze", [["a"], ["a", "b", "a"]], "duplicate", "'a' is ranked more than once"),
    ("schulze", [["a"], ["a", ["b", "a"]]], "duplicate", "'a' is ranked more than once"),
    ("schulze", [["a"], ["a", "z"]], "unknown_option", "'z' is not one of the options"),
    ("schulze", [["a"], [["b", "z"]]], "unknown_option", "'z'"),
    ("schulze", [["a"], [["b", ["c"]]]], "wrong_shape", "nested"),
    ("schulze", [["a"], "abc"], "wrong_shape", "a ranking must be a list"),
    ("schulze", [["a"], {"a": 1}], "wrong_shape", "a ranking must be a list"),
    ("schulze", [["a"], ["b", {"a": 1}]], "wrong_shape", "a rank must be an option or a list of tied options"),
    ("schulze", [["a"], ["b", 3]], "unknown_option", "3 is not one of the options"),
    # motion
    ("motion", ["yes", "oui"], "unknown_option", "'oui' is not one of the options"),
    ("motion", ["yes", ["yes"]], "wrong_shape", "single"),
    # dot (10 points)
    ("dot", [{"a": 10}, {"a": 6, "b": 5}], "over_budget", "11 points are given but only 10 may be"),
    ("dot", [{"a": 10}, {"a": -1}], "out_of_range", "0 or more"),
    ("dot", [{"a": 10}, {"a": 1.5}], "wrong_shape", "must be an integer"),
    ("dot", [{"a": 10}, {"z": 1}], "unknown_option", "'z'"),
    ("dot", [{"a": 10}, ("a",)], "wrong_shape", "map options to points, got tuple"),
]


@pytest.mark.parametrize(("method", "ballots", "reason", "message"), INVALID)
def test_invalid_ballots_are_located_and_explained(method, ballots, reason, message):
    options = None if method == "motion" else ["a", "b", "c"]
    with pytest.raises(InvalidBallot) as caught:
        tally(method, options, ballots, **RULES[method])
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.index == 1
    assert error.reason == reason
    assert reason in REASONS
    assert message in str(error)
    assert str(error).startswith("Ballot at index 1: ")
    # The single-ballot check agrees, without an index.
    with pytest.raises(InvalidBallot) as single:
        validate_ballot(method, options, ballots[1], **RULES[method])
    assert (single.value.index, single.value.reason) == (None, reason)
    assert message in str(single.value)


@pytest.mark.parametrize(("method", "ballots", "reason", "message"), INVALID)
def test_valid_first_ballots_pass_validation(method, ballots, reason, message):
    options = None if method == "motion" else ["a", "b", "c"]
    validate_ballot(method, options, ballots[0], **RULES[method])


def test_the_first_bad_ballot_is_reported():
    with pytest.raises(InvalidBallot) as caught:
        tally("plurality", ["a"], ["a", "a", "x", "y", ["z"]])
    assert caught.value.index == 2


def test_an_unhashable_plurality_ballot_is_located():
    with pytest.raises(InvalidBallot) as caught:
        tally("plurality", ["a"], ["a", {"a": 1}])
    assert (caught.value.index, caught.value.reason) == (1, "wrong_shape")


@pytest.mark.parametrize(
    ("method", "rules", "reason", "message"),
    [
        ("score", {}, "missing_rule", "needs the rule 'max_score'"),
        ("score", {"max_score": 0}, "invalid_rule", "positive integer"),
        ("score", {"max_score": "5"}, "invalid_rule", "positive integer"),
        ("majority_judgment", {}, "missing_rule", "needs the rule 'grades'"),
        ("majority_judgment", {"grades": ["only"]}, "invalid_rule", "at least two"),
        ("majority_judgment", {"grades": "abc"}, "invalid_rule", "at least two"),
        ("dot", {}, "missing_rule", "needs the rule 'points'"),
        ("dot", {"points": -3}, "invalid_rule", "positive integer"),
        ("plurality", {"tie_break": "coin"}, "invalid_rule", "'tie_break'"),
        ("plurality", {"tie_break": "lot"}, "missing_rule", "'seed'"),
        ("plurality", {"tie_break": "lot", "seed": 1.5}, "invalid_rule", "seed"),
    ],
)
def test_rules_are_checked_even_without_ballots(method, rules, reason, message):
    for call in (lambda: tally(method, ["a"], [], **rules), lambda: validate_ballot(method, ["a"], {}, **rules)):
        with pytest.raises(InvalidBallot) as caught:
            call()
        assert (caught.value.index, caught.value.reason) == (None, reason)
        assert message in str(caught.value)


def test_invalid_ballot_survives_pickling():
    error = InvalidBallot("Ballot at index 4: boom", 4, "over_budget")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301  (our own object)
    assert (str(copy), copy.index, copy.reason) == ("Ballot at index 4: boom", 4, "over_budget")


def test_unknown_rules_are_ignored():
    # The web layer may pass one rules dict for every method.
    assert tally("plurality", ["a"], ["a"], max_score=5, grades=GRADES, points=3).winners == ["a"]


# ---------------------------------------------------------------------------------- tie-breaking


def test_ties_stay_without_tie_break():
    result = tally("approval", ["a", "b", "c", "d"], [["a", "b", "c"]])
    assert result.ranking == [["a", "b", "c"], ["d"]]
    assert result.winners == ["a", "b", "c"]
    assert result.details["tie_break"] is None


def test_tie_break_by_lot_is_reproducible_and_recorded():
    options = [f"o{i}" for i in range(8)]
    six = options[:6]
    ballots = [six, ["o6"], ["o6"]]  # o6 leads alone, o0..o5 are tied, o7 is last alone
    first = tally("approval", options, ballots, tie_break="lot", seed=42)
    again = tally("approval", options, list(reversed(ballots)), tie_break="lot", seed=42)
    assert first == again
    assert all(len(tier) == 1 for tier in first.ranking)
    assert first.winners == ["o6"]
    order = first.details["tie_break"]["order"]
    assert first.details["tie_break"] == {"method": "lot", "seed": 42, "order": order, "tied": [six]}
    # the draw only reorders inside a tier
    assert order[0] == "o6"
    assert sorted(order[1:7]) == six
    assert order[7] == "o7"
    assert [tier[0] for tier in first.ranking] == order
    # another seed may give another draw (6! = 720 orders, so ten seeds cannot all agree by chance)
    draws = {
        tuple(tally("approval", options, ballots, tie_break="lot", seed=s).details["tie_break"]["order"])
        for s in range(10)
    }
    assert len(draws) > 1


def test_tie_break_can_pick_the_winner():
    winners = {tally("plurality", ["a", "b"], ["a", "b"], tie_break="lot", seed=s).winners[0] for s in range(20)}
    assert winners == {"a", "b"}


def test_tie_break_with_a_string_seed():
    a = tally("plurality", ["a", "b", "c"], ["a", "b", "c"], tie_break="lot", seed="séance du 3 mai")
    b = tally("plurality", ["a", "b", "c"], ["c", "b", "a"], tie_break="lot", seed="séance du 3 mai")
    assert a.ranking == b.ranking
    assert sorted(t[0] for t in a.ranking) == ["a", "b", "c"]
    assert a.details["tie_break"]["seed"] == "séance du 3 mai"


def test_tie_break_is_recorded_even_when_nothing_was_tied():
    result = tally("plurality", ["a", "b"], ["a"], tie_break="lot", seed=7)
    assert result.ranking == [["a"], ["b"]]
    assert result.details["tie_break"] == {"method": "lot", "seed": 7, "order": ["a", "b"], "tied": []}
