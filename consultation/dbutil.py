"""Small database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from consultation.extensions import db


@contextmanager
def joins_in_written_order() -> Iterator[None]:
    """PostgreSQL plans the statements run inside in the order their joins are written
    (join_collapse_limit = 1, for this transaction only, set back after). For a statement of many one-row
    derived tables joined ON true, where the order does not matter, searching the orders took PostgreSQL
    longer than running it (about 5 of the 14 ms of a live page's version). SQLite: no effect.

    If the body raises, the setting is left to the rollback that follows (SET LOCAL ends with the
    transaction): setting it back in a failed transaction would raise again and hide the first error."""
    if db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    db.session.execute(text("SET LOCAL join_collapse_limit = 1"))
    yield
    db.session.execute(text("SET LOCAL join_collapse_limit TO DEFAULT"))


def insert_ignoring_duplicates(model: type, values: dict[str, Any], unique_columns: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when a row was written.

    Concurrent duplicates are settled by the unique constraint inside the database, not by a
    read-then-write check that two requests could both pass."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique_columns)
        # psycopg 3 reports rowcount -1 here: ask for the written key instead.
        .returning(*model.__table__.primary_key.columns)
    )
    return db.session.execute(statement).first() is not None


# Set by `writing()`: transactions begun meanwhile take SQLite's write lock up front, whatever the request.
_WRITING: ContextVar[bool] = ContextVar("consultation_writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside this block write: on SQLite they begin with BEGIN IMMEDIATE, as writing
    requests do, so that a reading request (GET) or a command that must write queues behind other writers
    instead of failing when its read lock cannot be upgraded. No effect on PostgreSQL (rows are locked)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and write transactions that take the lock up front.

    pysqlite begins transactions lazily and upgrades read locks to write locks mid-way, which
    fails at once (no busy wait) when another writer got there first. Beginning writing requests
    with BEGIN IMMEDIATE makes concurrent writers queue on the busy timeout instead. Reading
    requests and command-line work keep the default deferred BEGIN."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # an autocommit block (a migration's PRAGMA foreign_keys) runs outside any transaction
        writes = _WRITING.get() or (has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
