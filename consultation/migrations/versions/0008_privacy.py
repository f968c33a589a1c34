"""privacy: deleted accounts stay as anonymous tombstones (users.deleted_at); each council may set how
long personal data of its ended workshops is kept (councils.retention_months, empty: kept)

Revision ID: 0008_privacy
Revises: 0005_opinions
Create Date: 2026-11-28 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008_privacy"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    # Both columns are nullable, so existing rows stay valid: no account is deleted, every council keeps
    # its data until an administrator sets a retention period. ADD COLUMN is native on SQLite too (no rebuild).
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("councils", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "retention_months",
                sa.Integer(),
                # On the column itself: SQLite accepts a CHECK in ADD COLUMN, not as a separate ALTER.
                sa.CheckConstraint(
                    "retention_months IS NULL OR retention_months > 0", name="ck_councils_retention_months_positive"
                ),
                nullable=True,
            )
        )


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch rebuild: rebuilding users or councils drops
    # the table, and with foreign keys on SQLite would cascade the deletion to every row that refers to it.
    # The column's CHECK constraint goes with it.
    op.drop_column("councils", "retention_months")
    op.drop_column("users", "deleted_at")
