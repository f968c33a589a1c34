"""Privacy rules: retention cut-offs, tombstone addresses, what an export may say (standard library only)."""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from consultation.permissions import Actor

# RFC 2606 reserves .invalid: mail to it can never be delivered, and no real address uses it.
DELETED_EMAIL_DOMAIN = "invalid"
DELETED_EMAIL_PREFIX = "deleted-"
# An unusable password hash: werkzeug's check_password_hash answers False for it, whatever is typed.
UNUSABLE_PASSWORD_HASH = "!deleted"  # noqa: S105  # nosec B105 (no password can match this value)
MAX_RETENTION_MONTHS = 240

# Keys of audit details that may point at another person: never copied into someone's export.
OTHER_PEOPLE_KEYS = frozenset({"user", "user_id", "voter", "giver", "holder", "name", "names", "email"})


def deleted_email(token: str) -> str:
    """The placeholder that replaces a deleted account's address: unique (random token), never routable."""
    if not token or not token.isalnum():
        raise ValueError("the token must be a non-empty alphanumeric string")
    return f"{DELETED_EMAIL_PREFIX}{token.lower()}@{DELETED_EMAIL_DOMAIN}"


def is_deleted_email(email: str) -> bool:
    return email.startswith(DELETED_EMAIL_PREFIX) and email.endswith("@" + DELETED_EMAIL_DOMAIN)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier; the month's last day when that day does not exist
    (31 March minus one month is 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must be positive")
    index = moment.year * 12 + (moment.month - 1) - months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention_cutoff(now: datetime, retention_months: int | None) -> datetime | None:
    """Workshops that ended before this moment are past retention; None when the council keeps its data."""
    if retention_months is None:
        return None
    return months_before(now, retention_months)


def is_past_retention(ended_at: datetime, cutoff: datetime | None) -> bool:
    return cutoff is not None and ended_at < cutoff


def can_set_retention(actor: Actor) -> bool:
    """How long a council keeps personal data is a platform decision (the data controller's)."""
    return actor.is_admin


def without_other_people(details: Mapping[str, Any]) -> dict[str, Any]:
    """Audit details fit for the actor's own export: keys that may name or point at someone else dropped."""
    return {key: value for key, value in details.items() if key not in OTHER_PEOPLE_KEYS}


def scrub_event_name(details_json: str, names: frozenset[str] | None = None) -> str | None:
    """A workshop history line's details without the attendee's name; None when there is nothing to erase.

    `names`: erase only these names (an account being deleted); None: erase any name (retention)."""
    try:
        details = json.loads(details_json or "{}")
    except ValueError:
        return None
    if not isinstance(details, dict):
        return None
    name = details.get("name")
    if not isinstance(name, str) or not name or (names is not None and name not in names):
        return None
    details["name"] = ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class PurgeCounts:
    """How many pieces of personal data one pass erased (or would erase), by kind."""

    participant_names: int = 0
    attendance_names: int = 0
    history_names: int = 0
    paper_author_names: int = 0
    registrations: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def __add__(self, other: PurgeCounts) -> PurgeCounts:
        return PurgeCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


REPORT_LABELS = {
    "participant_names": "names chosen when joining a workshop by code",
    "attendance_names": "names on sign-in sheets",
    "history_names": "names in workshop histories",
    "paper_author_names": "names written on paper proposals",
    "registrations": "workshop registrations",
}


def report_lines(
    per_council: Mapping[str, tuple[int, datetime, PurgeCounts]], *, dry_run: bool, now: datetime
) -> list[str]:
    """The purge's report for the operator (the command line speaks English, like the other commands).

    `per_council`: slug → (retention months, cut-off, counts)."""
    verb = "would erase" if dry_run else "erased"
    lines = [f"privacy purge at {now.isoformat()}{' (dry run: nothing changed)' if dry_run else ''}"]
    if not per_council:
        lines.append("no council has a retention period: nothing to purge")
        return lines
    total = PurgeCounts()
    for slug, (months, cutoff, counts) in per_council.items():
        period = f"{months} month" if months == 1 else f"{months} months"
        lines.append(f"council {slug}: keeps {period}, workshops ended before {cutoff.isoformat()}")
        for key, label in REPORT_LABELS.items():
            lines.append(f"  {verb} {getattr(counts, key)} {label}")
        total = total + counts
    lines.append(f"total: {verb} {total.total} pieces of personal data")
    return lines
