"""opinion workshops: an opinion gathers several workshops

Revision ID: 0013_opinion_workshops
Revises: 0005_opinions
Create Date: 2026-11-28 22:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0013_opinion_workshops"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opinion_workshops",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opinion_id"], ["opinions.id"], name=op.f("fk_opinion_workshops_opinion_id_opinions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_opinion_workshops_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opinion_id", "workshop_id", name=op.f("pk_opinion_workshops")),
    )


def downgrade():
    op.drop_table("opinion_workshops")
