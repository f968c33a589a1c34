"""multilingual: translations of people's texts, easy-to-read summaries of workshops and opinions

Revision ID: 0012_multilingual
Revises: 0005_opinions
Create Date: 2026-11-28 22:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0012_multilingual"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "text_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'verified', 'rejected')", name=op.f("ck_text_translations_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_text_translations_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["users.id"], name=op.f("fk_text_translations_verified_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_translations")),
    )
    op.create_index("ix_text_translations_target", "text_translations", ["target_kind", "target_id", "language"])
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("easy_read", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("opinions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("easy_read", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("opinions", schema=None) as batch_op:
        batch_op.drop_column("easy_read")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("easy_read")
    op.drop_index("ix_text_translations_target", table_name="text_translations")
    op.drop_table("text_translations")
