"""accounts: email confirmation, a pending address change, the charter's acceptance, languages spoken,
notification mail preferences (users); notifications remember when they were mailed

Revision ID: 0007_accounts
Revises: 0005_opinions
Create Date: 2026-11-28 23:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0007_accounts"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    # Only ADD COLUMN, with plain string server defaults: native on SQLite too, so batch mode does not
    # rebuild users (rebuilding it with foreign keys on would cascade deletions to every row that refers
    # to it). Existing accounts stay valid: unconfirmed addresses, immediate mail for every kind.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("charter_accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("languages_spoken", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "email_delivery",
                sa.String(length=10),
                # On the column itself: SQLite accepts a CHECK in ADD COLUMN, not as a separate ALTER.
                sa.CheckConstraint(
                    "email_delivery IN ('immediate', 'daily')", name="ck_users_email_delivery_known"
                ),
                nullable=False,
                server_default="immediate",
            )
        )
        batch_op.add_column(sa.Column("email_muted_kinds", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch rebuild: see upgrade().
    op.drop_column("notifications", "emailed_at")
    for column in (
        "email_muted_kinds",
        "email_delivery",
        "languages_spoken",
        "charter_accepted_at",
        "pending_email",
        "email_confirmed_at",
    ):
        op.drop_column("users", column)
