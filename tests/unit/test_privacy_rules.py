"""Privacy rules: retention cut-offs, tombstone addresses, scrubbing names, what an export may say."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.permissions import Actor, Role
from consultation.privacy.rules import (
    PurgeCounts,
    can_set_retention,
    deleted_email,
    is_deleted_email,
    is_past_retention,
    months_before,
    report_lines,
    retention_cutoff,
    scrub_event_name,
    without_other_people,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), 0, datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), 1, datetime(2026, 10, 28, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), 11, datetime(2025, 12, 28, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), 12, datetime(2025, 11, 28, 10, 0, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 1, datetime(2025, 12, 15, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),  # no 31 February
        (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),  # leap year
        (datetime(2026, 7, 31, tzinfo=UTC), 3, datetime(2026, 4, 30, tzinfo=UTC)),
        (datetime(2026, 11, 28, tzinfo=UTC), 240, datetime(2006, 11, 28, tzinfo=UTC)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_months_before_refuses_a_negative_period():
    with pytest.raises(ValueError):
        months_before(NOW, -1)


@given(
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=1, max_value=240),
)
def test_the_cutoff_is_always_earlier_and_keeps_the_time_of_day(moment, months):
    cutoff = months_before(moment, months)
    assert cutoff < moment
    assert (cutoff.hour, cutoff.minute, cutoff.second, cutoff.tzinfo) == (
        moment.hour,
        moment.minute,
        moment.second,
        moment.tzinfo,
    )
    assert (moment.year - cutoff.year) * 12 + moment.month - cutoff.month == months


def test_a_council_without_retention_keeps_everything():
    assert retention_cutoff(NOW, None) is None
    assert not is_past_retention(datetime(1990, 1, 1, tzinfo=UTC), None)


def test_only_workshops_ended_before_the_cutoff_are_past_retention():
    cutoff = retention_cutoff(NOW, 12)
    assert cutoff == datetime(2025, 11, 28, 10, 0, tzinfo=UTC)
    assert is_past_retention(datetime(2025, 11, 28, 9, 59, tzinfo=UTC), cutoff)
    assert not is_past_retention(cutoff, cutoff)
    assert not is_past_retention(datetime(2026, 6, 1, tzinfo=UTC), cutoff)


def test_deleted_email_is_a_non_routable_placeholder():
    email = deleted_email("A1B2c3")
    assert email == "deleted-a1b2c3@invalid"
    assert email == email.lower() and is_deleted_email(email)
    assert not is_deleted_email("deleted-someone@example.org")
    assert not is_deleted_email("ana@invalid")


@pytest.mark.parametrize("token", ["", "a@b", "../x", "a b"])
def test_deleted_email_refuses_a_token_that_could_make_another_address(token):
    with pytest.raises(ValueError):
        deleted_email(token)


def test_only_platform_administrators_set_retention():
    assert can_set_retention(Actor.of(1, [], is_admin=True))
    assert not can_set_retention(Actor.of(2, [(1, Role.ADMIN.value), (1, Role.PRESIDENT.value)]))
    assert not can_set_retention(Actor.anonymous())


def test_audit_details_lose_keys_that_point_at_other_people():
    details = {"vote": 3, "council": 1, "user": 9, "name": "Ana", "holder": 4, "winners": ["7"]}
    assert without_other_people(details) == {"vote": 3, "council": 1, "winners": ["7"]}


@pytest.mark.parametrize(
    ("details", "names", "expected"),
    [
        ({"name": "Ana", "status": "present"}, None, {"name": "", "status": "present"}),
        ({"name": "Ana", "status": "present"}, frozenset({"Ana"}), {"name": "", "status": "present"}),
        ({"name": "Bob", "status": "present"}, frozenset({"Ana"}), None),  # someone else's line
        ({"name": "", "status": "present"}, None, None),  # already erased: idempotent
        ({"status": "present"}, None, None),
        ({"name": 3}, None, None),
    ],
)
def test_scrub_event_name(details, names, expected):
    scrubbed = scrub_event_name(json.dumps(details), names)
    assert (json.loads(scrubbed) if scrubbed is not None else None) == expected


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null"])
def test_scrub_event_name_leaves_odd_details_alone(raw):
    assert scrub_event_name(raw) is None


def test_purge_counts_add_up():
    total = PurgeCounts(participant_names=1, registrations=2) + PurgeCounts(attendance_names=3, registrations=1)
    assert total == PurgeCounts(participant_names=1, attendance_names=3, registrations=3)
    assert total.total == 7 and PurgeCounts().total == 0
    assert set(total.as_dict()) == {
        "participant_names",
        "attendance_names",
        "history_names",
        "paper_author_names",
        "registrations",
    }


def test_report_lines_say_what_was_and_would_be_erased():
    cutoff = retention_cutoff(NOW, 12)
    report = {"macouria": (12, cutoff, PurgeCounts(participant_names=2, registrations=1))}
    done = report_lines(report, dry_run=False, now=NOW)
    assert "council macouria: keeps 12 months, workshops ended before 2025-11-28T10:00:00+00:00" in done
    assert "  erased 2 names chosen when joining a workshop by code" in done
    assert done[-1] == "total: erased 3 pieces of personal data"
    dry = report_lines(report, dry_run=True, now=NOW)
    assert "dry run" in dry[0] and dry[-1] == "total: would erase 3 pieces of personal data"
    assert report_lines({}, dry_run=False, now=NOW)[-1] == "no council has a retention period: nothing to purge"
