"""council time zone: each council types and reads its times in its own zone

Revision ID: 0015_council_time_zone
Revises: 0005_opinions
Create Date: 2026-11-28 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0015_council_time_zone"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: rebuilding councils on SQLite would cascade through its foreign keys.
    op.add_column(
        "councils", sa.Column("time_zone", sa.String(length=64), server_default="Europe/Paris", nullable=False)
    )


def downgrade():
    op.drop_column("councils", "time_zone")
