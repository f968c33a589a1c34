"""opinion consultations: an opinion gathers online consultations beside its workshops

Revision ID: 0019_opinion_consultations
Revises: 0010_consultations
Create Date: 2026-11-29 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0019_opinion_consultations"
down_revision = "0010_consultations"
branch_labels = None
depends_on = "0013_opinion_workshops"


def upgrade():
    op.create_table(
        "opinion_consultations",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opinion_id"], ["opinions.id"], name=op.f("fk_opinion_consultations_opinion_id_opinions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_opinion_consultations_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opinion_id", "consultation_id", name=op.f("pk_opinion_consultations")),
    )
    op.create_index(
        op.f("ix_opinion_consultations_consultation_id"), "opinion_consultations", ["consultation_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_opinion_consultations_consultation_id"), table_name="opinion_consultations")
    op.drop_table("opinion_consultations")
