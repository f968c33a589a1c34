"""Opinion numbers, response deadlines and follow-up states."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.opinions.rules import FollowUpState, add_months, follow_up, next_number, response_due_on


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 15), 3, date(2026, 6, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_months_are_added_like_a_calendar(start, months, expected):
    assert add_months(start, months) == expected


def test_the_deadline_is_three_months_by_default():
    assert response_due_on(date(2026, 9, 1)) == date(2026, 12, 1)


def test_a_deadline_of_less_than_a_month_is_refused():
    with pytest.raises(ValueError):
        response_due_on(date(2026, 9, 1), 0)


@pytest.mark.parametrize(
    ("transmitted", "answered", "today", "state", "on", "days"),
    [
        (None, None, date(2026, 5, 1), FollowUpState.NOT_TRANSMITTED, None, None),
        (date(2026, 1, 10), None, date(2026, 2, 1), FollowUpState.DUE, date(2026, 4, 10), 68),
        (date(2026, 1, 10), None, date(2026, 4, 10), FollowUpState.DUE, date(2026, 4, 10), 0),
        (date(2026, 1, 10), None, date(2026, 4, 11), FollowUpState.OVERDUE, date(2026, 4, 10), 1),
        (date(2026, 1, 10), date(2026, 6, 1), date(2026, 7, 1), FollowUpState.ANSWERED, date(2026, 6, 1), None),
    ],
)
def test_follow_up_states(transmitted, answered, today, state, on, days):
    result = follow_up(transmitted_on=transmitted, answered_on=answered, today=today)
    assert (result.state, result.on, result.days) == (state, on, days)


def test_numbers_follow_each_other_within_a_year_and_restart_the_next():
    assert next_number(2026, []) == "2026-01"
    assert next_number(2026, ["2026-01", "2026-02", "2025-07"]) == "2026-03"
    assert next_number(2027, ["2026-01", "2026-02"]) == "2027-01"
    assert next_number(2026, ["2026-09", "2026-10"]) == "2026-11"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=1, max_value=36))
def test_a_deadline_is_always_later_and_within_the_target_month(start, months):
    due = add_months(start, months)
    assert due > start
    assert (due.year - start.year) * 12 + due.month - start.month == months
