"""pages: the accessibility statement

Revision ID: 0004_pages
Revises: 0ed535e7a8af
Create Date: 2026-11-28 12:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_pages"
down_revision = "0ed535e7a8af"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accessibility_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("compliance_rate", sa.Integer(), nullable=True),
        sa.Column("established_on", sa.Date(), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("non_accessible_content", sa.Text(), nullable=False),
        sa.Column("recourse", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('not_compliant', 'partially_compliant', 'fully_compliant')",
            name=op.f("ck_accessibility_statements_status_known"),
        ),
        sa.CheckConstraint(
            "compliance_rate IS NULL OR (compliance_rate BETWEEN 0 AND 100)",
            name=op.f("ck_accessibility_statements_rate_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_accessibility_statements_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessibility_statements")),
    )


def downgrade():
    op.drop_table("accessibility_statements")
