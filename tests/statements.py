"""Counting the SQL statements a request (or any block) runs, for the query-count tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block, on every engine: the test's own and the web
    application's (the test client's requests run on the latter; listening on the test's `db.engine`
    alone counted nothing, and nine query-count tests compared 0 with 0)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)
