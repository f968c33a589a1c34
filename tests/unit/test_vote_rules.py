"""Pure rules of votes in the app: eligibility, locks, proxies, paper counts, CSV cells, export round trip."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.csv_cells import neutralise, unneutralise
from consultation.voting.export import ballots_csv, read_ballots_csv
from consultation.voting.methods import tally
from consultation.voting.rules import (
    Status,
    apply_quorum,
    can_move,
    expand_counts,
    header_cell,
    is_eligible,
    key_of_header,
    may_change_ballot,
    paper_counts_problem,
    proxy_problem,
    proxy_revocable,
    results_visible,
    schulze_ranking,
    settings_locked,
    turnout_share,
)


@pytest.mark.parametrize(
    ("electorate", "roles", "authenticated", "expected"),
    [
        ("members", {"member"}, True, True),
        ("members", {"secretary"}, True, True),
        ("members", {"president"}, True, True),
        ("members", {"resident"}, True, False),
        ("members", {"facilitator"}, True, False),
        ("members", set(), True, False),
        ("residents", {"resident"}, True, True),
        ("residents", {"officer"}, True, True),
        ("residents", set(), True, False),
        ("workshop", set(), True, False),
        ("workshop", {"facilitator"}, True, False),
        ("members", {"member"}, False, False),
    ],
)
def test_who_is_eligible(electorate, roles, authenticated, expected):
    assert is_eligible(electorate, roles, is_authenticated=authenticated) is expected


@pytest.mark.parametrize("authenticated", [True, False])
def test_a_workshop_vote_counts_those_who_took_part_with_or_without_an_account(authenticated):
    assert is_eligible("workshop", set(), is_authenticated=authenticated, takes_part=True) is True
    assert is_eligible("members", {"member"}, is_authenticated=True, takes_part=False) is True


@pytest.mark.parametrize(
    ("status", "ballots", "locked"),
    [("draft", 0, False), ("open", 0, False), ("open", 1, True), ("closed", 0, True), ("draft", 3, True)],
)
def test_settings_lock_at_the_first_ballot(status, ballots, locked):
    assert settings_locked(status, ballots) is locked


def test_a_vote_only_moves_forward_one_step():
    assert can_move(Status.DRAFT, Status.OPEN) and can_move("open", "closed")
    assert not can_move("draft", "closed") and not can_move("closed", "open") and not can_move("open", "open")


def test_a_secret_ballot_is_final_and_results_wait_for_closing():
    assert may_change_ballot(is_secret=False, allows_change=True)
    assert not may_change_ballot(is_secret=True, allows_change=True)
    assert not may_change_ballot(is_secret=False, allows_change=False)
    assert results_visible("closed", is_manager=False) and results_visible("open", is_manager=True)
    assert not results_visible("open", is_manager=False) and not results_visible("draft", is_manager=False)


def _proxy(**overrides):
    facts = {
        "status": "draft",
        "giver_id": 1,
        "holder_id": 2,
        "giver_eligible": True,
        "holder_eligible": True,
        "held_by_holder": 0,
        "max_proxies": 1,
        "holder_gave_one": False,
        "giver_holds_any": False,
    }
    return proxy_problem(**{**facts, **overrides})


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({}, None),
        ({"status": "open"}, "vote_opened"),
        ({"status": "closed"}, "vote_opened"),
        ({"holder_id": 1}, "self"),
        ({"giver_eligible": False}, "giver_not_eligible"),
        ({"holder_eligible": False}, "holder_not_eligible"),
        ({"held_by_holder": 1}, "limit"),
        ({"held_by_holder": 1, "max_proxies": 2}, None),
        ({"max_proxies": 0}, "limit"),
        ({"holder_gave_one": True}, "chain"),
        ({"giver_holds_any": True}, "chain"),
    ],
)
def test_proxy_rules(overrides, problem):
    assert _proxy(**overrides) == problem


def test_a_proxy_is_revocable_until_the_vote_opens():
    assert proxy_revocable("draft") and not proxy_revocable("open") and not proxy_revocable("closed")


@pytest.mark.parametrize(
    ("method", "counts", "ballots", "problem"),
    [
        ("plurality", {"a": 3}, 3, None),
        ("plurality", {}, 0, "empty"),
        ("plurality", {"z": 1}, 1, "unknown_option"),
        ("plurality", {"a": -1}, 0, "negative"),
        ("motion", {"a": 2, "b": 1}, 3, None),
        ("approval", {"a": 3, "b": 1}, 3, None),
        ("approval", {"a": 4}, 3, "approval_over_ballots"),
        ("approval", {}, 0, "approval_over_ballots"),
        ("schulze", {"a": 1}, 1, "not_countable"),
        ("majority_judgment", {"a": 1}, 1, "not_countable"),
    ],
)
def test_paper_counts(method, counts, ballots, problem):
    assert paper_counts_problem(method, ["a", "b"], counts, ballots) == problem


@given(st.dictionaries(st.sampled_from("abc"), st.integers(0, 20)), st.integers(0, 5))
def test_expanded_approval_counts_give_the_same_totals(counts, extra):
    ballots = max(counts.values(), default=0) + extra
    expanded = expand_counts("approval", ["a", "b", "c"], counts, ballots)
    assert len(expanded) == ballots
    result = tally("approval", ["a", "b", "c"], expanded)
    assert result.details["counts"] == {k: counts.get(k, 0) for k in "abc"}


def test_expanded_single_choice_counts():
    assert sorted(expand_counts("plurality", ["a", "b"], {"a": 2, "b": 1}, 3)) == ["a", "a", "b"]


def test_rank_numbers_become_a_schulze_ranking():
    assert schulze_ranking({"a": 2, "b": 1, "c": 2, "d": None}) == [["b"], ["a", "c"]]
    assert schulze_ranking({"a": None}) == []


def test_quorum_for_methods_other_than_motions():
    assert apply_quorum("plurality", ["a"], 3, 5) == ([], False)
    assert apply_quorum("plurality", ["a"], 5, 5) == (["a"], True)
    assert apply_quorum("plurality", ["a"], 1, None) == (["a"], True)
    assert apply_quorum("motion", ["yes"], 1, 5) == (["yes"], False)  # the engine decided already


def test_turnout_share():
    assert turnout_share(3, 12) == 0.25 and turnout_share(3, None) is None and turnout_share(0, 0) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Sain", "Sain"), ("", "")],
)
def test_spreadsheet_formulas_are_neutralised(cell, expected):
    assert neutralise(cell) == expected
    assert unneutralise(neutralise(cell)) == cell


@given(st.text(min_size=1).filter(lambda s: "]" not in s))
def test_header_cells_keep_their_option_key(label):
    assert key_of_header(header_cell(label, "12")) == "12"


KEYS = ["1", "2", "3"]
BALLOTS = st.sampled_from(KEYS)
RANKINGS = st.permutations(KEYS).flatmap(lambda order: st.integers(1, 3).map(lambda cut: [[k] for k in order[:cut]]))


@pytest.mark.parametrize(
    ("method", "strategy", "rules"),
    [
        ("plurality", BALLOTS, {}),
        ("approval", st.lists(BALLOTS, unique=True), {}),
        ("score", st.dictionaries(BALLOTS, st.integers(0, 5)), {"max_score": 5}),
        ("majority_judgment", st.dictionaries(BALLOTS, st.integers(0, 5)), {"grades": list("abcdef")}),
        ("dot", st.dictionaries(BALLOTS, st.integers(0, 1)), {"points": 3}),
        ("schulze", RANKINGS, {}),
    ],
)
def test_export_then_recount_gives_the_same_result(method, strategy, rules):
    @given(st.lists(strategy, max_size=15))
    def check(ballots):
        labels = {"1": "=danger", "2": "Deux, virgule", "3": 'Trois "guillemets"'}
        read = read_ballots_csv(method, ballots_csv(method, KEYS, labels, ballots))
        before, after = tally(method, KEYS, ballots, **rules), tally(method, KEYS, read, **rules)
        assert (before.ranking, before.winners) == (after.ranking, after.winners)

    check()


def test_a_malformed_export_is_refused():
    with pytest.raises(ValueError, match="header"):
        read_ballots_csv("score", "A,B\n1,2\n")
    with pytest.raises(ValueError, match="empty"):
        read_ballots_csv("plurality", "")
    with pytest.raises(ValueError, match="cells"):
        read_ballots_csv("score", "A [#1],B [#2]\n1\n")


def test_a_district_vote_counts_the_residents_who_live_there():
    assert is_eligible("residents", {"resident"}, is_authenticated=True, district_vote=True, lives_in_district=True)
    assert not is_eligible("residents", {"resident"}, is_authenticated=True, district_vote=True)
    assert not is_eligible("residents", set(), is_authenticated=True, district_vote=True, lives_in_district=True)
