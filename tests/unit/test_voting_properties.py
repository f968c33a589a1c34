"""Voting engine: Hypothesis properties for any ballots (order-independence, Condorcet, monotonicity, …)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from consultation.voting import tally
from consultation.voting.methods import METHODS, validate_ballot

GRADES = ["à rejeter", "insuffisant", "passable", "assez bien", "bien", "très bien"]
# database=None: no .hypothesis/ directory left in the working tree by a test run.
FAST = settings(max_examples=100, deadline=None, database=None)

options_st = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True)


@st.composite
def schulze_ballot(draw: st.DrawFn, options: list[str]) -> list[Any]:
    """A ranking of some of the options, with random ties (groups as lists or tuples)."""
    ranked = draw(st.permutations(options))[: draw(st.integers(0, len(options)))]
    ballot: list[Any] = []
    for option in ranked:
        if ballot and draw(st.booleans()):
            last = ballot[-1]
            ballot[-1] = [*last, option] if isinstance(last, list | tuple) else [last, option]
        else:
            ballot.append(option)
    return [tuple(item) if isinstance(item, list) and draw(st.booleans()) else item for item in ballot]


def ballot_st(method: str, options: list[str]) -> st.SearchStrategy[Any]:
    pick = st.sampled_from(options)
    if method == "plurality":
        return pick
    if method == "approval":
        # lists, not sets, underneath: set iteration order varies between runs and Hypothesis wants determinism
        approved = st.lists(pick, unique=True)
        return approved.flatmap(lambda a: st.sampled_from([a, tuple(a), set(a), frozenset(a)]))
    if method == "score":
        return st.dictionaries(pick, st.integers(0, 5))
    if method == "majority_judgment":
        return st.dictionaries(pick, st.integers(0, len(GRADES) - 1))
    if method == "schulze":
        return schulze_ballot(options)
    if method == "motion":
        return st.sampled_from(["yes", "no", "abstain"])
    return st.dictionaries(pick, st.integers(0, 2))  # dot: at most 5 options x 2 points = the budget of 10


def rules_for(method: str) -> dict[str, Any]:
    return {
        "score": {"max_score": 5},
        "majority_judgment": {"grades": GRADES},
        "dot": {"points": 10},
    }.get(method, {})


@st.composite
def election(draw: st.DrawFn, method: str, min_ballots: int = 0) -> tuple[list[Any], list[Any], dict[str, Any]]:
    options: list[Any] = ["yes", "no", "abstain"] if method == "motion" else draw(options_st)
    ballots = draw(st.lists(ballot_st(method, options), min_size=min_ballots, max_size=30))
    rules = rules_for(method)
    if method == "motion":
        rules = {
            "majority": draw(st.sampled_from(["simple", "absolute", "two_thirds"])),
            "quorum": draw(st.integers(0, 20)),
        }
    return options, ballots, rules


def tier_of(ranking: list[list[Any]], option: Any) -> int:
    return next(i for i, tier in enumerate(ranking) if option in tier)


def pairwise(options: list[Any], ballots: list[list[Any]]) -> dict[tuple[Any, Any], int]:
    """Reference count of voters preferring x to y, written independently of the engine."""
    d = {(x, y): 0 for x in options for y in options}
    for ballot in ballots:
        rank: dict[Any, int] = {}
        for position, item in enumerate(ballot):
            for option in item if isinstance(item, list | tuple) else [item]:
                rank[option] = position
        for x in options:
            for y in options:
                if rank.get(x, len(ballot)) < rank.get(y, len(ballot)):
                    d[x, y] += 1
    return d


# ------------------------------------------------------------------------------- every method


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=st.data())
def test_ballot_order_does_not_matter(method, data):
    options, ballots, rules = data.draw(election(method))
    shuffled = data.draw(st.permutations(ballots))
    assert tally(method, options, shuffled, **rules) == tally(method, options, ballots, **rules)
    if method != "motion":
        drawn = {"tie_break": "lot", "seed": data.draw(st.integers(0, 1000) | st.text(max_size=5))}
        assert tally(method, options, shuffled, **rules, **drawn) == tally(method, options, ballots, **rules, **drawn)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=st.data())
def test_every_option_appears_exactly_once_and_winners_are_the_first_tier(method, data):
    options, ballots, rules = data.draw(election(method))
    result = tally(method, options, ballots, **rules)
    flat = [option for tier in result.ranking for option in tier]
    assert sorted(flat) == sorted(options)
    assert all(result.ranking)  # no empty tier
    for tier in result.ranking:  # inside a tier, the order of the options as given
        assert tier == [o for o in options if o in tier]
    assert result.details["ballots"] == len(ballots)
    if not ballots:
        assert result.winners == []
        assert result.ranking == [options]
    elif method == "motion":
        assert result.winners == (["yes"] if result.details["adopted"] else [])
    else:
        assert result.winners == result.ranking[0]


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=st.data())
def test_every_generated_ballot_validates_alone(method, data):
    options, ballots, rules = data.draw(election(method))
    for ballot in ballots:
        validate_ballot(method, options, ballot, **rules)


@pytest.mark.parametrize("method", [m for m in METHODS if m != "motion"])
@FAST
@given(data=st.data())
def test_lot_only_splits_tied_tiers_reproducibly(method, data):
    options, ballots, rules = data.draw(election(method, min_ballots=1))
    seed = data.draw(st.integers() | st.text(max_size=8))
    plain = tally(method, options, ballots, **rules)
    drawn = tally(method, options, ballots, **rules, tie_break="lot", seed=seed)
    assert drawn == tally(method, options, ballots, **rules, tie_break="lot", seed=seed)
    assert all(len(tier) == 1 for tier in drawn.ranking)
    # Flattening the drawn ranking walks the plain tiers in order, each reshuffled.
    order = drawn.details["tie_break"]["order"]
    assert order == [tier[0] for tier in drawn.ranking]
    position = 0
    for tier in plain.ranking:
        assert sorted(order[position : position + len(tier)]) == sorted(tier)
        position += len(tier)
    assert drawn.details["tie_break"]["tied"] == [tier for tier in plain.ranking if len(tier) > 1]
    assert drawn.winners == [order[0]]


# ---------------------------------------------------------------------------------- by method


@FAST
@given(data=st.data())
def test_plurality_winner_has_the_most_ballots(data):
    options, ballots, _ = data.draw(election("plurality", min_ballots=1))
    result = tally("plurality", options, ballots)
    best = max(ballots.count(o) for o in options)
    assert {ballots.count(w) for w in result.winners} == {best}
    assert sorted(result.winners) == sorted(o for o in options if ballots.count(o) == best)
    assert result.details["counts"] == {o: ballots.count(o) for o in options}


@FAST
@given(data=st.data())
def test_adding_an_approval_never_lowers_an_option(data):
    options, ballots, _ = data.draw(election("approval", min_ballots=1))
    option = data.draw(st.sampled_from(options))
    without = [i for i, b in enumerate(ballots) if option not in b]
    if without:  # approve `option` on one ballot that did not
        i = data.draw(st.sampled_from(without))
        more = [*ballots[:i], [*ballots[i], option], *ballots[i + 1 :]]
    else:  # or cast one more ballot approving it
        more = [*ballots, [option]]
    before = tier_of(tally("approval", options, ballots).ranking, option)
    after = tier_of(tally("approval", options, more).ranking, option)
    assert after <= before


@settings(max_examples=200, deadline=None, database=None)
@given(data=st.data())
def test_a_condorcet_winner_is_the_sole_schulze_winner(data):
    options, ballots, _ = data.draw(election("schulze", min_ballots=1))
    d = pairwise(options, ballots)
    result = tally("schulze", options, ballots)
    assert result.details["pairwise"] == [[d[x, y] for y in options] for x in options]
    condorcet = [w for w in options if all(d[w, x] > d[x, w] for x in options if x != w)]
    event("Condorcet winner" if condorcet else "no Condorcet winner")
    if condorcet:
        assert result.winners == condorcet
        assert result.ranking[0] == condorcet


@FAST
@given(data=st.data())
def test_schulze_tiers_follow_the_strongest_paths(data):
    options, ballots, _ = data.draw(election("schulze", min_ballots=1))
    result = tally("schulze", options, ballots)
    p = result.details["strongest_paths"]
    index = {o: i for i, o in enumerate(options)}
    for upper, tier in enumerate(result.ranking):
        for lower in result.ranking[upper + 1 :]:
            for x in tier:
                for y in lower:
                    assert not p[index[y]][index[x]] > p[index[x]][index[y]], "a lower tier beats a higher one"
        for x in tier:  # each option of a later tier is beaten by someone of the tier just above
            if upper:
                assert any(p[index[y]][index[x]] > p[index[x]][index[y]] for y in result.ranking[upper - 1])


def majority_value(grades: list[int]) -> list[int]:
    """Balinski–Laraki majority value, straight from the definition: take the lower median out, again and again."""
    remaining = sorted(grades)
    value = []
    while remaining:
        value.append(remaining.pop((len(remaining) - 1) // 2))
    return value


@FAST
@given(data=st.data())
def test_majority_judgment_matches_the_definition(data):
    options, ballots, rules = data.draw(election("majority_judgment", min_ballots=1))
    result = tally("majority_judgment", options, ballots, **rules)
    values = {o: majority_value([b.get(o, 0) for b in ballots]) for o in options}
    for option in options:
        assert result.details["results"][option]["majority_grade"] == values[option][0]
        assert result.details["results"][option]["majority_grade_name"] == GRADES[values[option][0]]
    for x in options:
        for y in options:
            tx, ty = tier_of(result.ranking, x), tier_of(result.ranking, y)
            assert (tx < ty) == (values[x] > values[y])
            assert (tx == ty) == (values[x] == values[y])


@FAST
@given(data=st.data())
def test_score_ranks_by_total_then_mean(data):
    options, ballots, rules = data.draw(election("score", min_ballots=1))
    result = tally("score", options, ballots, **rules)

    def key(o: str) -> tuple[int, Fraction]:
        given_scores = [b[o] for b in ballots if o in b]
        return sum(given_scores), Fraction(sum(given_scores), len(given_scores)) if given_scores else Fraction(0)

    for x in options:
        for y in options:
            assert (tier_of(result.ranking, x) < tier_of(result.ranking, y)) == (key(x) > key(y))


@FAST
@given(data=st.data())
def test_motion_adoption_matches_the_rules(data):
    _, ballots, rules = data.draw(election("motion"))
    result = tally("motion", None, ballots, **rules)
    yes, no, cast = ballots.count("yes"), ballots.count("no"), len(ballots)
    majority = {
        "simple": yes > no,
        "absolute": Fraction(yes) > Fraction(cast, 2),
        "two_thirds": yes + no > 0 and Fraction(yes) >= Fraction(2, 3) * (yes + no),
    }[rules["majority"]]
    assert result.details["quorum_reached"] == (cast >= rules["quorum"])
    assert result.details["adopted"] == (cast > 0 and cast >= rules["quorum"] and majority)
    # the threshold really is the least number of "yes" that adopts, all else equal
    assert (yes >= result.details["threshold"]) == majority


@FAST
@given(data=st.data())
def test_dot_totals_add_up(data):
    options, ballots, rules = data.draw(election("dot", min_ballots=1))
    result = tally("dot", options, ballots, **rules)
    assert sum(result.details["totals"].values()) == sum(sum(b.values()) for b in ballots)
    totals = result.details["totals"]
    assert {totals[w] for w in result.winners} == {max(totals.values())}
