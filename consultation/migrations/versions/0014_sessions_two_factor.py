"""sessions and second factor: log out everywhere, TOTP for administrators and municipal officers

Revision ID: 0014_sessions_two_factor
Revises: 0005_opinions
Create Date: 2026-11-28 22:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0014_sessions_two_factor"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch rebuild): rebuilding users on SQLite would cascade through its foreign keys.
    op.add_column("users", sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False))
    op.add_column("users", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("users", "totp_last_step")
    op.drop_column("users", "totp_secret")
    op.drop_column("users", "session_epoch")
