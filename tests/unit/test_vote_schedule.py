"""When a vote's planned dates call for opening or closing it."""

from datetime import UTC, datetime, timedelta

import pytest

from consultation.voting.rules import Status
from consultation.voting.schedule import due_transition

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
BEFORE, AFTER = NOW - timedelta(minutes=1), NOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("status", "opens_at", "closes_at", "expected"),
    [
        ("draft", None, None, None),
        ("draft", AFTER, None, None),
        ("draft", BEFORE, None, Status.OPEN),
        ("draft", NOW, AFTER, Status.OPEN),  # the opening minute itself
        ("draft", BEFORE, BEFORE, Status.OPEN),  # past both: opens, then closes on the next step
        ("draft", None, BEFORE, None),  # a draft is never closed by a date: it must be opened first
        ("open", BEFORE, AFTER, None),
        ("open", BEFORE, NOW, Status.CLOSED),
        ("open", None, BEFORE, Status.CLOSED),
        ("closed", BEFORE, BEFORE, None),
    ],
)
def test_due_transition(status, opens_at, closes_at, expected):
    assert due_transition(status, opens_at, closes_at, NOW) is expected
