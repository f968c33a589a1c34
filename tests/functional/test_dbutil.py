"""Database helpers that behave the same on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text

from consultation.dbutil import joins_in_written_order
from consultation.extensions import db


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def test_joins_in_written_order_lasts_only_for_its_block(ctx):
    if not _is_postgresql():
        with joins_in_written_order():
            assert db.session.execute(text("SELECT 1")).scalar() == 1
        return
    default = db.session.execute(text("SHOW join_collapse_limit")).scalar()
    with joins_in_written_order():
        assert db.session.execute(text("SHOW join_collapse_limit")).scalar() == "1"
    assert db.session.execute(text("SHOW join_collapse_limit")).scalar() == default
    db.session.rollback()


def test_a_failure_inside_is_not_hidden_by_setting_the_order_back(ctx):
    with pytest.raises(Exception) as raised:
        with joins_in_written_order():
            db.session.execute(text("SELECT * FROM no_such_table"))
    assert "no_such_table" in str(raised.value)
    db.session.rollback()
    if _is_postgresql():  # the rollback ended the transaction and its SET LOCAL with it
        assert db.session.execute(text("SHOW join_collapse_limit")).scalar() != "1"
        db.session.rollback()
