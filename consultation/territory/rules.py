"""Pure rules of the territory's directory and project requests (standard library only): kinds, needs,
statuses and their transitions, contact checks, and the figures' arithmetic."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit


class OrganisationKind(StrEnum):
    ASSOCIATION = "association"
    COOPERATIVE = "cooperative"
    SOCIAL_ENTERPRISE = "social_enterprise"
    PUBLIC_SERVICE = "public_service"
    THIRD_PLACE = "third_place"
    OTHER = "other"


class Need(StrEnum):
    FUNDING = "funding"
    PREMISES = "premises"
    TRAINING = "training"
    LEGAL_FORM = "legal_form"
    PARTNERS = "partners"
    OTHER = "other"


class RequestStatus(StrEnum):
    RECEIVED = "received"
    REFERRED = "referred"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class RepresentationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


# Where a request may go from each status. Referring again while referred keeps "referred"; a closed
# request may be reopened (in progress) when the holder comes back.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.RECEIVED: frozenset({RequestStatus.REFERRED, RequestStatus.IN_PROGRESS, RequestStatus.CLOSED}),
    RequestStatus.REFERRED: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.CLOSED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.REFERRED, RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset({RequestStatus.IN_PROGRESS}),
}


def can_move(current: RequestStatus | str, target: RequestStatus | str) -> bool:
    return RequestStatus(target) in TRANSITIONS[RequestStatus(current)]


def next_statuses(current: RequestStatus | str) -> list[RequestStatus]:
    """The statuses a facilitator may choose by hand, in the order of the follow-up."""
    allowed = TRANSITIONS[RequestStatus(current)]
    return [status for status in RequestStatus if status in allowed]


def status_after_referral(current: RequestStatus | str) -> RequestStatus | None:
    """A referral makes the request "referred"; a closed request is reopened first, so None."""
    current = RequestStatus(current)
    if current is RequestStatus.CLOSED:
        return None
    return RequestStatus.REFERRED


def can_decide_representation(current: RepresentationStatus | str) -> bool:
    """A facilitator approves or refuses a pending request once; a new request starts again."""
    return RepresentationStatus(current) is RepresentationStatus.PENDING


# ------------------------------------------------------------------------------ contact details

_EMAIL = re.compile(r"^[^@\s<>\"'(),;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 .()\-/]{6,30}$")


def valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def valid_phone(value: str) -> bool:
    """A phone number as people write it: digits, spaces, dots, dashes, brackets, a leading +; 6 to 15 digits."""
    digits = sum(ch.isdigit() for ch in value)
    return bool(_PHONE_CHARS.match(value)) and 6 <= digits <= 15


def normalise_website(value: str) -> str | None:
    """An http(s) address with a host, "https://" added when left out; None when it is not one."""
    value = value.strip()
    if not value or len(value) > 300 or any(ch.isspace() for ch in value):
        return None
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or parts.username or parts.password:
        return None
    if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
        return None
    return value


# ------------------------------------------------------------------------------ figures


def month_key(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def per_month(moments: Iterable[datetime]) -> list[tuple[str, int]]:
    """Counts by calendar month ("2026-03"), oldest first, months without any request included."""
    counts: dict[str, int] = {}
    for moment in moments:
        key = month_key(moment)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    result = []
    while True:
        key = f"{year:04d}-{month:02d}"
        result.append((key, counts.get(key, 0)))
        if key == last:
            return result
        month += 1
        if month == 13:
            year, month = year + 1, 1


def median_delay(pairs: Iterable[tuple[datetime, datetime | None]]) -> timedelta | None:
    """The median time from a request to its first answer, over the answered requests only."""
    delays = [answered - created for created, answered in pairs if answered is not None and answered >= created]
    if not delays:
        return None
    return timedelta(seconds=statistics.median(delay.total_seconds() for delay in delays))
