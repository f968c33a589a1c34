"""The API's opaque cursors, page sizes and follow-up thresholds: pure functions, no app."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.api.filters import earliest_transmission_still_due
from consultation.api.pagination import (
    DEFAULT_LIMIT,
    MAX_ID,
    MAX_LIMIT,
    InvalidParameter,
    decode_cursor,
    encode_cursor,
    parse_id,
    parse_limit,
)
from consultation.opinions.rules import FollowUpState, follow_up


def _token(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@given(st.sampled_from(["councils", "workshops", "proposals"]), st.integers(min_value=1, max_value=MAX_ID))
def test_a_cursor_gives_back_the_id_it_was_made_from(kind, last_id):
    token = encode_cursor(kind, last_id)
    assert decode_cursor(kind, token) == last_id
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_cursor_of_another_list_is_refused():
    with pytest.raises(InvalidParameter, match="another list"):
        decode_cursor("workshops", encode_cursor("proposals", 12))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "!!!!",
        "%%%",
        "x" * 500,
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _token([1, 2]),
        _token("proposals"),
        _token({"v": 1, "k": "proposals"}),
        _token({"v": 2, "k": "proposals", "after": 3}),
        _token({"v": 1, "k": "proposals", "after": 3, "extra": 1}),
        _token({"v": 1, "k": "proposals", "after": "3"}),
        _token({"v": 1, "k": "proposals", "after": True}),
        _token({"v": 1, "k": "proposals", "after": 0}),
        _token({"v": 1, "k": "proposals", "after": -5}),
        _token({"v": 1, "k": "proposals", "after": 3.5}),
        _token({"v": 1, "k": "proposals", "after": MAX_ID + 1}),
        _token({"v": 1, "k": "proposals", "after": 10**40}),
    ],
)
def test_a_cursor_not_made_by_the_api_is_refused(token):
    with pytest.raises(InvalidParameter, match="cursor"):
        decode_cursor("proposals", token)


@given(st.text(max_size=300))
def test_decoding_any_text_either_works_or_says_why(text):
    try:
        assert 0 < decode_cursor("proposals", text) <= MAX_ID
    except InvalidParameter as error:
        assert str(error).startswith("cursor:")


@pytest.mark.parametrize(("value", "expected"), [(None, DEFAULT_LIMIT), ("1", 1), ("100", MAX_LIMIT), ("007", 7)])
def test_limit_defaults_and_bounds(value, expected):
    assert parse_limit(value) == expected


@pytest.mark.parametrize("value", ["0", "101", "-1", "", "ten", "1.5", " 5", "٣", "²", "9" * 400])
def test_a_limit_out_of_bounds_is_refused(value):
    with pytest.raises(InvalidParameter, match="limit"):
        parse_limit(value)


@pytest.mark.parametrize("value", ["0", "-3", "abc", "", str(MAX_ID + 1), "99999999999999999999", "١"])
def test_an_id_filter_must_be_a_possible_id(value):
    with pytest.raises(InvalidParameter, match="workshop"):
        parse_id("workshop", value)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=1, max_value=24),
    st.integers(min_value=-800, max_value=800),
)
def test_the_due_threshold_agrees_with_the_follow_up_rule(today, months, offset):
    transmitted = today + timedelta(days=offset)
    state = follow_up(transmitted_on=transmitted, answered_on=None, today=today, months=months).state
    threshold = earliest_transmission_still_due(today, months)
    assert (state is FollowUpState.DUE) == (transmitted >= threshold)


@pytest.mark.parametrize(
    ("today", "months", "threshold"),
    [
        (date(2026, 4, 30), 1, date(2026, 3, 30)),  # 30 March + 1 month = 30 April: still due today
        (date(2026, 2, 28), 1, date(2026, 1, 28)),  # 31 January + 1 month is 28 February too
        (date(2026, 3, 1), 1, date(2026, 2, 1)),
        (date(2024, 2, 29), 12, date(2023, 3, 1)),  # 28 February 2023 + 12 months is 28 February 2024
    ],
)
def test_the_due_threshold_at_month_ends(today, months, threshold):
    assert earliest_transmission_still_due(today, months) == threshold
