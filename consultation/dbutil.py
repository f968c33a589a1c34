"""Small database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from consultation.extensions import db


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


# Statements that only read (or set a setting for the transaction): anything else counts as a write.
_READS = re.compile(r"\s*(SELECT|SET|SHOW|EXPLAIN)\b", re.IGNORECASE)


def keep_prepared_statements(app: Flask, engine: Engine) -> None:
    """PostgreSQL: a request that only read ends its transaction with COMMIT rather than ROLLBACK.

    psycopg prepares a statement on the server once a connection has run it five times, and PostgreSQL
    then reuses its plan; but psycopg forgets every prepared statement on ROLLBACK, and every reading
    request ended with one (the session closed at teardown). So each request planned each statement
    again: 3 ms for a live page's version, 4 ms for a workshop's page of proposals. For a transaction
    that wrote nothing, COMMIT and ROLLBACK do the same. A request that wrote (a statement other than
    SELECT/SET/SHOW, or ORM changes not yet flushed) or that failed still ends with ROLLBACK, as before.
    SQLite: not installed (it has no such cost)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.info["wrote"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def on_execute(connection, cursor, statement, parameters, context, executemany) -> None:
        if not _READS.match(statement):
            connection.info["wrote"] = True

    @app.teardown_request
    def commit_what_only_read(error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's teardown, which closes the session (and so rolls back).
        session = db.session()
        if error is not None or not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        if session.connection().info.get("wrote", True):
            return
        try:
            session.commit()
        except SQLAlchemyError:
            session.rollback()
