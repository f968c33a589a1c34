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


def test_a_request_that_only_read_ends_with_commit_on_postgresql(app, client):
    council = make_council()
    with transaction_ends(app) as ends:
        assert client.get(f"/councils/{council.slug}").status_code == 200
    # ROLLBACK would make psycopg forget the statements it prepared; SQLite keeps its usual ending.
    assert ends == (["commit"] if _postgresql(app) else ["rollback"])


def test_a_request_keeps_the_statements_prepared_by_the_ones_before(app, client):
    if not _postgresql(app):
        pytest.skip("prepared statements are psycopg's, on PostgreSQL")
    council = make_council()
    for _ in range(8):  # psycopg prepares a statement once a connection has run it 5 times
        assert client.get(f"/councils/{council.slug}").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.commit()
    assert prepared > 0


def test_a_request_that_wrote_without_committing_is_rolled_back(app, ctx):
    council = make_council(name="Conseil du Centre")
    with app.test_request_context("/"):
        db.session.execute(update(Council).where(Council.id == council.id).values(name="Changed"))
        with transaction_ends(app) as ends:
            app.do_teardown_request(None)
            app.do_teardown_appcontext(None)
    assert "commit" not in ends
    with app.app_context():
        assert db.session.scalar(select(Council.name).where(Council.id == council.id)) == "Conseil du Centre"


def test_orm_changes_left_unflushed_are_not_written_at_the_end(app, ctx):
    council = make_council(name="Conseil du Centre")
    with app.test_request_context("/"):
        db.session.get(Council, council.id).name = "Changed for display only"
        with transaction_ends(app) as ends:
            app.do_teardown_request(None)
            app.do_teardown_appcontext(None)
    assert "commit" not in ends
    with app.app_context():
        assert db.session.scalar(select(Council.name).where(Council.id == council.id)) == "Conseil du Centre"


def test_a_failed_request_is_rolled_back(app, ctx):
    make_council()
    with app.test_request_context("/"):
        db.session.scalars(select(Council)).all()
        with transaction_ends(app) as ends:
            app.do_teardown_request(RuntimeError("the view failed"))
            app.do_teardown_appcontext(RuntimeError("the view failed"))
    assert ends == ["rollback"]
