"""Pure helpers behind the API's filters (standard library only)."""

from __future__ import annotations

from datetime import date, timedelta

from consultation.opinions.rules import add_months


def earliest_transmission_still_due(today: date, months: int) -> date:
    """The first transmission date whose answer deadline (`months` later) is not yet past `today`.

    An opinion transmitted on or after this date is "due", before it "overdue": it lets the database
    sort opinions by follow-up state with a plain comparison, while rules.follow_up stays the truth
    (month ends included: 31 March + 1 month is 30 April)."""
    candidate = add_months(today, -months) - timedelta(days=4)
    # add_months never decreases as its start date moves on, so the first date that works is the one.
    for _ in range(40):
        if add_months(candidate, months) >= today:
            return candidate
        candidate += timedelta(days=1)
    raise AssertionError("unreachable: a month-shifted date is never more than 4 days off")
