"""Write to the audit log inside the action's own transaction, and verify it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

from consultation.audit.chain import GENESIS, Link, entry_hash, problems
from consultation.audit.models import AuditEntry
from consultation.extensions import db

# Any constant: PostgreSQL transactions that append to the log queue on this lock.
_ADVISORY_LOCK = 7_302_026


def record(action: str, *, actor_id: int | None, details: dict[str, Any], now: datetime) -> AuditEntry:
    """Append one entry. It commits or rolls back with the action it records.

    Appending is serialised so that two concurrent actions never chain to the same predecessor:
    PostgreSQL takes a transaction-level advisory lock; SQLite writing requests already hold the
    database's write lock (BEGIN IMMEDIATE)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    previous = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    at = now.astimezone(UTC).isoformat()
    clean = {key: value for key, value in details.items() if value is not None}
    entry = AuditEntry(
        at=at,
        actor_id=actor_id,
        action=action,
        details=clean,
        previous_hash=previous,
        hash=entry_hash(previous, at, actor_id, action, clean),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(entries: list[tuple[str, dict[str, Any]]], *, actor_id: int | None, now: datetime) -> list[AuditEntry]:
    """Append several entries of one action (a bulk import) with one lock, one read of the last hash and
    one flush: chained exactly as if each had been recorded on its own."""
    if not entries:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    previous = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    at = now.astimezone(UTC).isoformat()
    made = []
    for action, details in entries:
        clean = {key: value for key, value in details.items() if value is not None}
        digest = entry_hash(previous, at, actor_id, action, clean)
        made.append(
            AuditEntry(at=at, actor_id=actor_id, action=action, details=clean, previous_hash=previous, hash=digest)
        )
        previous = digest
    db.session.add_all(made)
    db.session.flush()
    return made


def verify() -> tuple[int, list[str]]:
    """Walk the whole log in order; return the number of entries and the problems found."""
    links = [
        Link(e.id, e.at, e.actor_id, e.action, e.details or {}, e.previous_hash, e.hash)
        for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000)
    ]
    return len(links), problems(links)
