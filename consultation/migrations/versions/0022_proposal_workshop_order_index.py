"""proposal workshop order index: a workshop's proposals in the order of their ids, for the open data API

Revision ID: 0022_proposal_workshop_order
Revises: 0021_proposal_aggregates_index
Create Date: 2026-12-03 09:00:00

"""
from alembic import op


revision = "0022_proposal_workshop_order"
down_revision = "0021_proposal_aggregates_index"
branch_labels = None
depends_on = None

# /api/v1/proposals?workshop=… reads a page in id order from a cursor. PostgreSQL now reuses the plan
# it prepared for that statement (consultation.dbutil.keep_prepared_statements), and a plan made for no
# workshop in particular sorted all of a 5,000-proposal workshop's rows to keep 101; with this index it
# reads the page in order and stops.


def upgrade():
    op.create_index("ix_proposals_workshop_order", "proposals", ["workshop_id", "id"])


def downgrade():
    op.drop_index("ix_proposals_workshop_order", table_name="proposals")
