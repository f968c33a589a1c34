"""Pure rules of an opinion's life: its number, the municipality's deadline, the follow-up state."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DEFAULT_RESPONSE_MONTHS = 3  # as after a national public debate; each council may change it
NUMBER_PATTERN = re.compile(r"^(\d{4})-(\d{2,})$")


class FollowUpState(StrEnum):
    NOT_TRANSMITTED = "not_transmitted"
    DUE = "due"
    OVERDUE = "overdue"
    ANSWERED = "answered"


class AnswerStatus(StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REFUSED = "refused"
    UNDER_STUDY = "under_study"


@dataclass(frozen=True)
class FollowUp:
    state: FollowUpState
    # answered: the answer's date; due: the deadline; overdue: the deadline that passed.
    on: date | None
    days: int | None = None  # days left (due) or days late (overdue)


def add_months(start: date, months: int) -> date:
    """Same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def response_due_on(transmitted_on: date, months: int = DEFAULT_RESPONSE_MONTHS) -> date:
    if months < 1:
        raise ValueError("the response deadline is at least one month")
    return add_months(transmitted_on, months)


def follow_up(
    *, transmitted_on: date | None, answered_on: date | None, today: date, months: int = DEFAULT_RESPONSE_MONTHS
) -> FollowUp:
    if answered_on is not None:
        return FollowUp(FollowUpState.ANSWERED, answered_on)
    if transmitted_on is None:
        return FollowUp(FollowUpState.NOT_TRANSMITTED, None)
    due = response_due_on(transmitted_on, months)
    if today <= due:
        return FollowUp(FollowUpState.DUE, due, (due - today).days)
    return FollowUp(FollowUpState.OVERDUE, due, (today - due).days)


def next_number(year: int, existing: Iterable[str]) -> str:
    """The next opinion number of a council for a year: "2026-01", "2026-02" … (French practice)."""
    used = [int(match[2]) for number in existing if (match := NUMBER_PATTERN.match(number)) and int(match[1]) == year]
    return f"{year}-{(max(used, default=0) + 1):02d}"
