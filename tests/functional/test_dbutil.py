"""Database helpers: how a request's transaction ends (dbutil.keep_prepared_statements)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text, update

from consultation.councils.models import Council
from consultation.extensions import db
from tests.factories import make_council


@contextmanager
def transaction_ends(app) -> Iterator[list[str]]:
    """ "commit" or "rollback" for each transaction of the web application's engine that ends inside the
    block (not the test's own, which the test client rolls back after each request)."""
    with app.app_context():
        engine = db.engine
    ends: list[str] = []

    def committed(connection) -> None:
        ends.append("commit")

    def rolled_back(connection) -> None:
        ends.append("rollback")

    event.listen(engine, "commit", committed)
    event.listen(engine, "rollback", rolled_back)
    try:
        yield ends
    finally:
        event.remove(engine, "commit", committed)
        event.remove(engine, "rollback", rolled_back)


def _postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def test_a_request_that_only_read_ends_with_commit_and_keeps_its_prepared_statements(app, client):
    council = make_council()
    for _ in range(7):  # psycopg prepares a statement once a connection has run it 5 times
        assert client.get(f"/councils/{council.slug}").status_code == 200
    with transaction_ends(app) as ends:
        assert client.get(f"/councils/{council.slug}").status_code == 200
    if not _postgresql(app):
        assert ends == ["rollback"]  # SQLite keeps its usual ending: nothing to keep there
        return
    # ROLLBACK would have made psycopg deallocate every prepared statement of the connection.
    assert ends == ["commit"]
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.commit()
    assert prepared > 0


def _end_request(app, change) -> list[str]:
    """Make `change` inside a request, end the request as Flask does, and say how its transaction ended."""
    with app.test_request_context("/"):
        change()
        with transaction_ends(app) as ends:
            app.do_teardown_request(None)
            app.do_teardown_appcontext(None)
    return ends


def _name_of(app, council_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Council.name).where(Council.id == council_id))


@pytest.mark.parametrize("how", ["statement", "unflushed ORM change"])
def test_a_request_that_changed_something_without_committing_is_rolled_back(app, ctx, how):
    council_id = make_council(name="Conseil du Centre").id

    def change() -> None:
        if how == "statement":
            db.session.execute(update(Council).where(Council.id == council_id).values(name="Changed"))
        else:
            db.session.get(Council, council_id).name = "Changed for display only"

    assert "commit" not in _end_request(app, change)
    assert _name_of(app, council_id) == "Conseil du Centre"


def test_a_failed_request_is_rolled_back(app, ctx):
    make_council()
    with app.test_request_context("/"):
        db.session.scalars(select(Council)).all()
        with transaction_ends(app) as ends:
            app.do_teardown_request(RuntimeError("the view failed"))
            app.do_teardown_appcontext(RuntimeError("the view failed"))
    assert ends == ["rollback"]
