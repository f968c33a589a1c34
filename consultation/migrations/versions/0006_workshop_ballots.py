"""workshop ballots: a participant who joined a workshop by code, without an account, votes in its votes

Revision ID: 0006_workshop_ballots
Revises: 0005_opinions
Create Date: 2026-11-28 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0006_workshop_ballots"
down_revision = "0005_opinions"
branch_labels = None
depends_on = None

# SQLite rebuilds these tables in batch mode: they must stay WITHOUT ROWID (see voting/models.py).
KEEP_WITHOUT_ROWID = {"sqlite_with_rowid": False}


def upgrade():
    with op.batch_alter_table("vote_participations", schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.alter_column("voter_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("cast_by_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_vote_participations_participant_id_workshop_participants"),
            "workshop_participants",
            ["participant_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_vote_participations_vote_id_participant_id"), ["vote_id", "participant_id"]
        )
    with op.batch_alter_table("vote_ballots", schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_vote_ballots_participant_id_workshop_participants"),
            "workshop_participants",
            ["participant_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_vote_ballots_vote_id_participant_id"), ["vote_id", "participant_id"]
        )


def downgrade():
    # Ballots of people without an account cannot be kept by the older schema: they are dropped.
    op.execute("DELETE FROM vote_participations WHERE voter_id IS NULL OR cast_by_id IS NULL")
    with op.batch_alter_table("vote_ballots", schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_vote_ballots_vote_id_participant_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_vote_ballots_participant_id_workshop_participants"), type_="foreignkey"
        )
        batch_op.drop_column("participant_id")
    with op.batch_alter_table("vote_participations", schema=None, table_kwargs=KEEP_WITHOUT_ROWID) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_vote_participations_vote_id_participant_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_vote_participations_participant_id_workshop_participants"), type_="foreignkey"
        )
        batch_op.alter_column("cast_by_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("voter_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("participant_id")
