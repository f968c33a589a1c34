"""districts: a council's districts, where residents live, and votes for one district's residents

Revision ID: 0016_districts
Revises: 0005_opinions
Create Date: 2026-11-28 23:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0016_districts"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_districts_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_districts")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_districts_council_id_name")),
    )
    op.create_index(op.f("ix_districts_council_id"), "districts", ["council_id"], unique=False)
    op.create_table(
        "residences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_residences_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_residences_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_residences_district_id_districts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residences")),
        sa.UniqueConstraint("user_id", "council_id", name=op.f("uq_residences_user_id_council_id")),
    )
    op.create_index(op.f("ix_residences_user_id"), "residences", ["user_id"], unique=False)
    op.create_index(op.f("ix_residences_district_id"), "residences", ["district_id"], unique=False)
    # A table of its own rather than a column: SQLite would rebuild `votes` and delete its children.
    op.create_table(
        "vote_districts",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_districts_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_vote_districts_district_id_districts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("vote_id", name=op.f("pk_vote_districts")),
    )
    op.create_index(op.f("ix_vote_districts_district_id"), "vote_districts", ["district_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_vote_districts_district_id"), table_name="vote_districts")
    op.drop_table("vote_districts")
    op.drop_index(op.f("ix_residences_district_id"), table_name="residences")
    op.drop_index(op.f("ix_residences_user_id"), table_name="residences")
    op.drop_table("residences")
    op.drop_index(op.f("ix_districts_council_id"), table_name="districts")
    op.drop_table("districts")
