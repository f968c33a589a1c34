"""Opaque keyset cursors and page sizes for the open data API (standard library only).

A cursor is the urlsafe base64 of a small JSON object naming the list it belongs to and the id of
the last row served: the next page starts strictly after that id, so rows added or removed between
two requests never shift a page (no duplicates, no gaps), unlike an offset."""

from __future__ import annotations

import base64
import binascii
import json

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id cannot exist, and SQLite would overflow on it
_MAX_CURSOR_LENGTH = 200
_VERSION = 1


class InvalidParameter(ValueError):
    """A query parameter the API cannot use; its message is shown to the developer as is."""


def encode_cursor(kind: str, last_id: int) -> str:
    payload = json.dumps({"v": _VERSION, "k": kind, "after": last_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(kind: str, token: str) -> int:
    """The id to start after; raises InvalidParameter for anything this API did not hand out for `kind`."""
    if not token or len(token) > _MAX_CURSOR_LENGTH:
        raise InvalidParameter("cursor: not a cursor given by this API")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidParameter("cursor: not a cursor given by this API") from None
    if not isinstance(data, dict) or set(data) != {"v", "k", "after"} or data["v"] != _VERSION:
        raise InvalidParameter("cursor: not a cursor given by this API")
    if data["k"] != kind:
        raise InvalidParameter(f"cursor: this cursor belongs to another list than {kind}")
    after = data["after"]
    if not isinstance(after, int) or isinstance(after, bool) or not 0 < after <= MAX_ID:
        raise InvalidParameter("cursor: not a cursor given by this API")
    return after


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise InvalidParameter(f"limit: a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def parse_id(name: str, value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 10 or not 0 < int(value) <= MAX_ID:
        raise InvalidParameter(f"{name}: a positive whole number")
    return int(value)
