"""moderation: reports of content, content hidden by moderators (proposals.hidden_at, hidden_reason),
accounts blocked by administrators (users.blocked_at, blocked_reason)

Revision ID: 0011_moderation
Revises: 0005_opinions
Create Date: 2026-11-29 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0011_moderation"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    # Only ADD COLUMN, nullable and without constraints: native on SQLite, so batch mode does not rebuild
    # users or proposals (a rebuild with foreign keys on would cascade deletions to their children).
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("blocked_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_reason", sa.Text(), nullable=True))

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.CheckConstraint(
            "reason IN ('abuse', 'personal_data', 'spam', 'off_topic', 'other')", name=op.f("ck_reports_reason_known")
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('hidden', 'dismissed')", name=op.f("ck_reports_outcome_known")
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_reports_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_reports_reporter_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_reports_closed_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    op.create_index("ix_reports_target", "reports", ["target_kind", "target_id"], unique=False)
    op.create_index(op.f("ix_reports_council_id"), "reports", ["council_id"], unique=False)
    op.create_index(op.f("ix_reports_reporter_id"), "reports", ["reporter_id"], unique=False)

    op.create_table(
        "hidings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("restored_by_id", sa.Integer(), nullable=True),
        sa.Column("restore_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_hidings_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_hidings_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"], ["users.id"], name=op.f("fk_hidings_hidden_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["restored_by_id"], ["users.id"], name=op.f("fk_hidings_restored_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidings")),
    )
    op.create_index("ix_hidings_target", "hidings", ["target_kind", "target_id"], unique=False)
    op.create_index(op.f("ix_hidings_council_id"), "hidings", ["council_id"], unique=False)
    op.create_index(op.f("ix_hidings_author_id"), "hidings", ["author_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_hidings_author_id"), table_name="hidings")
    op.drop_index(op.f("ix_hidings_council_id"), table_name="hidings")
    op.drop_index("ix_hidings_target", table_name="hidings")
    op.drop_table("hidings")
    op.drop_index(op.f("ix_reports_reporter_id"), table_name="reports")
    op.drop_index(op.f("ix_reports_council_id"), table_name="reports")
    op.drop_index("ix_reports_target", table_name="reports")
    op.drop_table("reports")
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch rebuild: see upgrade().
    for column in ("hidden_reason", "hidden_at"):
        op.drop_column("proposals", column)
    for column in ("blocked_reason", "blocked_at"):
        op.drop_column("users", column)
