"""The hash chain itself (pure): how an entry's hash is computed and how a chain is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Link:
    id: int
    at: str  # ISO 8601, UTC
    actor_id: int | None
    action: str
    details: dict[str, Any]
    previous_hash: str
    hash: str


def entry_hash(previous_hash: str, at: str, actor_id: int | None, action: str, details: dict[str, Any]) -> str:
    """SHA-256 over a canonical JSON of the entry and the previous hash: changing, removing or
    reordering any entry breaks every hash after it."""
    payload = json.dumps(
        {"previous": previous_hash, "at": at, "actor": actor_id, "action": action, "details": details},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def problems(links: Iterable[Link]) -> list[str]:
    """Every break in the chain, as readable sentences; empty when the log is intact."""
    found = []
    expected_previous = GENESIS
    for link in links:
        if link.previous_hash != expected_previous:
            found.append(f"entry {link.id}: does not follow the entry before it (removed or reordered entries)")
        if entry_hash(link.previous_hash, link.at, link.actor_id, link.action, link.details) != link.hash:
            found.append(f"entry {link.id}: its content was changed after it was written")
        expected_previous = link.hash
    return found
