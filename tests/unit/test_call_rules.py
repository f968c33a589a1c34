"""Pure rules of calls for projects: terms, applications, who scores, and how marks make a ranking."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.calls.rules import (
    CallStatus,
    Decision,
    Mark,
    RuleBroken,
    Terms,
    accepts_applications,
    aggregate,
    can_move,
    check_application,
    check_mark,
    check_results,
    check_terms,
    majority_key,
    may_score,
    rank,
    weighted_score,
)

TERMS = Terms(budget=1000, opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1), min_organisations=0, weights=(1,))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"budget": 0}, "budget_positive"),
        ({"closes_on": date(2025, 12, 31)}, "dates_in_order"),
        ({"min_organisations": -1}, "group_size"),
        ({"min_organisations": 11}, "group_size"),
        ({"weights": ()}, "criteria_needed"),
        ({"weights": (1,) * 9}, "too_many_criteria"),
        ({"weights": (0,)}, "weight_range"),
        ({"weights": (101,)}, "weight_range"),
    ],
)
def test_terms_are_checked(change, code):
    check_terms(TERMS)
    with pytest.raises(RuleBroken) as caught:
        check_terms(Terms(**{**TERMS.__dict__, **change}))
    assert caught.value.reason == code


def test_a_call_moves_forward_one_step_at_a_time():
    assert can_move(CallStatus.DRAFTING, CallStatus.PUBLISHED)
    assert can_move(CallStatus.PUBLISHED, CallStatus.RESULTS)
    assert not can_move(CallStatus.DRAFTING, CallStatus.RESULTS)
    assert not can_move(CallStatus.RESULTS, CallStatus.PUBLISHED)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("drafting", date(2026, 1, 15), False),
        ("published", date(2025, 12, 31), False),
        ("published", date(2026, 1, 1), True),
        ("published", date(2026, 2, 1), True),
        ("published", date(2026, 2, 2), False),
        ("results", date(2026, 1, 15), False),
    ],
)
def test_applications_are_taken_between_the_published_dates(status, today, expected):
    assert accepts_applications(status, today, date(2026, 1, 1), date(2026, 2, 1)) is expected


@pytest.mark.parametrize(
    ("partners", "minimum", "requested", "code"),
    [
        (1, 2, 100, "group_required"),
        (0, 3, 100, "group_required"),
        (11, 0, 100, "too_many_partners"),
        (0, 0, 1001, "budget_requested"),
        (0, 0, -1, "budget_requested"),
    ],
)
def test_an_application_is_checked_against_the_terms(partners, minimum, requested, code):
    with pytest.raises(RuleBroken) as caught:
        check_application(partners=partners, min_organisations=minimum, budget_requested=requested, budget=1000)
    assert caught.value.reason == code


def test_a_group_of_enough_organisations_or_an_applicant_alone_passes():
    check_application(partners=2, min_organisations=2, budget_requested=1000, budget=1000)
    check_application(partners=0, min_organisations=0, budget_requested=0, budget=1000)


@pytest.mark.parametrize(
    ("member", "conflicted", "applicant", "expected"),
    [(1, (), 9, True), (1, (1,), 9, False), (1, (), 1, False), (5, (), 9, False)],
)
def test_only_an_unconflicted_jury_member_scores_an_application_not_their_own(member, conflicted, applicant, expected):
    assert may_score(member, jury=[1, 2], conflicted=conflicted, applicant_id=applicant) is expected


def test_marks_stay_on_the_scale():
    check_mark("score", 0)
    check_mark("score", 10)
    check_mark("grades", 5)
    for scoring, value in (("score", 11), ("score", -1), ("grades", 6)):
        with pytest.raises(RuleBroken, match="mark_range"):
            check_mark(scoring, value)


CRITERIA = {10: 2, 20: 1}  # criterion id → weight


def test_the_weighted_score_is_the_weighted_mean_of_the_criteria_means():
    marks = [Mark(1, 10, 8), Mark(2, 10, 6), Mark(1, 20, 4), Mark(2, 20, 2)]
    # criterion 10: mean 7 (weight 2); criterion 20: mean 3 (weight 1) → (14 + 3) / 3
    assert weighted_score(CRITERIA, marks) == pytest.approx(17 / 3)


def test_a_conflicted_members_marks_never_count():
    marks = [Mark(1, 10, 10), Mark(1, 20, 10), Mark(2, 10, 2), Mark(2, 20, 2)]
    assert weighted_score(CRITERIA, marks, conflicted={1}) == pytest.approx(2)
    assert majority_key(CRITERIA, marks, conflicted={1}) == (2, 2, 2)


def test_a_missing_mark_is_not_a_zero():
    marks = [Mark(1, 10, 8), Mark(2, 10, 6), Mark(1, 20, 4)]  # member 2 did not score criterion 20
    assert weighted_score(CRITERIA, marks) == pytest.approx((2 * 7 + 4) / 3)


def test_a_criterion_nobody_scored_is_left_out_and_no_mark_is_no_score():
    assert weighted_score(CRITERIA, [Mark(1, 10, 6)]) == pytest.approx(6)
    assert weighted_score(CRITERIA, []) is None
    assert weighted_score(CRITERIA, [Mark(1, 10, 6)], conflicted={1}) is None
    assert aggregate("grades", CRITERIA, []) is None


def test_marks_on_criteria_of_another_call_are_ignored():
    assert weighted_score(CRITERIA, [Mark(1, 10, 6), Mark(1, 99, 0)]) == pytest.approx(6)


def test_majority_grades_repeat_by_weight_and_the_median_leads():
    # criterion 10 (weight 2) graded 4, criterion 20 (weight 1) graded 1: grades 1, 4, 4 → majority grade 4
    key = majority_key(CRITERIA, [Mark(1, 10, 4), Mark(1, 20, 1)])
    assert key[0] == 4
    assert sorted(key) == [1, 4, 4]


def test_ranks_put_the_best_first_and_ties_share_a_rank():
    assert rank({1: 5.0, 2: 7.5, 3: 5.0, 4: None, 5: 2.0}) == [(2, 1), (1, 2), (3, 2), (5, 4), (4, None)]


def test_majority_keys_rank_by_majority_grade_then_break_ties():
    results = {1: (3, 3, 2), 2: (4, 1, 1), 3: (3, 4, 1), 4: (3, 3, 2)}
    assert rank(results) == [(2, 1), (3, 2), (1, 3), (4, 3)]


def test_an_empty_call_has_an_empty_ranking():
    assert rank({}) == []


@given(st.dictionaries(st.integers(1, 50), st.one_of(st.none(), st.floats(0, 10)), max_size=12))
def test_ranks_never_decrease_and_every_application_is_listed(results):
    ranked = rank(results)
    assert sorted(k for k, _r in ranked) == sorted(results)
    places = [r for _k, r in ranked if r is not None]
    assert places == sorted(places)
    assert all(1 <= r <= len(results) for r in places)


@given(
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from([10, 20]), st.integers(0, 10)), max_size=20),
    st.sets(st.integers(1, 4)),
)
def test_the_weighted_score_stays_on_the_scale_and_ignores_conflicted_members(raw, conflicted):
    marks = [Mark(*m) for m in raw]
    value = weighted_score(CRITERIA, marks, conflicted)
    kept = [m for m in marks if m.member_id not in conflicted]
    if not kept:
        assert value is None
    else:
        assert 0 <= value <= 10
        assert value == weighted_score(CRITERIA, kept)


def _decision(**overrides):
    values = {"application_id": 1, "is_selected": True, "amount": 500, "requested": 800, "reasons": "Solide."}
    return Decision(**{**values, **overrides})


@pytest.mark.parametrize(
    ("decisions", "code"),
    [
        ([_decision(reasons=" ")], "reasons_needed"),
        ([_decision(amount=900)], "amount_range"),
        ([_decision(amount=-1)], "amount_range"),
        ([_decision(is_selected=False, amount=10)], "amount_without_selection"),
        ([_decision(amount=800), _decision(application_id=2, amount=800)], "over_budget"),
    ],
)
def test_results_are_checked(decisions, code):
    with pytest.raises(RuleBroken) as caught:
        check_results(decisions, 1000)
    assert caught.value.reason == code


def test_results_within_the_budget_pass():
    check_results([_decision(amount=500), _decision(application_id=2, is_selected=False, amount=0)], 1000)
