"""Migrations: the models match them, and every step downgrades and upgrades again cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from consultation import MIGRATIONS_DIR
from consultation.db import render_migration_item
from consultation.extensions import db


def test_models_match_the_migrations(ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_item": render_migration_item}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_nothing_and_upgrade_again(ctx):
    db.session.remove()
    downgrade(directory=str(MIGRATIONS_DIR), revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=str(MIGRATIONS_DIR), revision="heads")
    assert {"users", "councils", "workshops", "proposals", "supports", "opinions"} <= set(
        inspect(db.engine).get_table_names()
    )
