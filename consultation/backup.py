"""Online backup and restore of the embedded SQLite database (PostgreSQL: pg_dump, see README)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("backup and restore work on a SQLite database file; use pg_dump for PostgreSQL")
    return Path(url.database)


def backup(database_uri: str, target: Path) -> int:
    """Copy the live database with SQLite's online backup API (consistent while the app runs)."""
    source_path = sqlite_path(database_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    return int(pages)


def restore(database_uri: str, source: Path) -> None:
    """Replace the database's content with a backup, through the backup API (never a file copy
    under a running WAL database)."""
    target_path = sqlite_path(database_uri)
    with sqlite3.connect(source) as backup_db:
        check = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise ValueError(f"the backup is damaged: {check}")
        with sqlite3.connect(target_path) as live:
            backup_db.backup(live)
