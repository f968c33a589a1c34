"""votes: votes, options, proxies, participations, ballots (secret-safe), paper entries

Revision ID: 0002_votes
Revises: 0ed535e7a8af
Create Date: 2026-11-28 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0002_votes"
down_revision = "0ed535e7a8af"
branch_labels = None
depends_on = None

METHODS = "'plurality', 'approval', 'score', 'majority_judgment', 'schulze', 'motion', 'dot'"


def upgrade():
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("opinion_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("electorate", sa.String(length=20), nullable=False),
        sa.Column("is_secret", sa.Boolean(), nullable=False),
        sa.Column("allows_change", sa.Boolean(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("grades", sa.JSON(), nullable=True),
        sa.Column("majority", sa.String(length=20), nullable=True),
        sa.Column("quorum", sa.Integer(), nullable=True),
        sa.Column("electorate_size", sa.Integer(), nullable=True),
        sa.Column("max_proxies", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.CheckConstraint(f"method IN ({METHODS})", name=op.f("ck_votes_method_known")),
        sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f("ck_votes_status_known")),
        sa.CheckConstraint(
            "electorate IN ('workshop', 'members', 'residents')", name=op.f("ck_votes_electorate_known")
        ),
        sa.CheckConstraint("max_proxies >= 0", name=op.f("ck_votes_max_proxies_positive")),
        sa.CheckConstraint("NOT (is_secret AND allows_change)", name=op.f("ck_votes_secret_ballots_final")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_votes_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_votes_workshop_id_workshops"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"], ["opinions.id"], name=op.f("fk_votes_opinion_id_opinions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_votes_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_votes_council_id"), ["council_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_votes_workshop_id"), ["workshop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_votes_opinion_id"), ["opinion_id"], unique=False)

    op.create_table(
        "vote_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_options_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_vote_options_proposal_id_proposals"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_options")),
        sa.UniqueConstraint("vote_id", "position", name=op.f("uq_vote_options_vote_id_position")),
    )
    with op.batch_alter_table("vote_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_options_vote_id"), ["vote_id"], unique=False)

    op.create_table(
        "vote_proxies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("giver_id <> holder_id", name=op.f("ck_vote_proxies_not_self")),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_proxies_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["users.id"], name=op.f("fk_vote_proxies_giver_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["users.id"], name=op.f("fk_vote_proxies_holder_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_proxies")),
        sa.UniqueConstraint("vote_id", "giver_id", name=op.f("uq_vote_proxies_vote_id_giver_id")),
    )
    with op.batch_alter_table("vote_proxies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_proxies_vote_id"), ["vote_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vote_proxies_holder_id"), ["holder_id"], unique=False)

    # WITHOUT ROWID: a dump lists these rows by their random key, not in the order people voted.
    op.create_table(
        "vote_participations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("cast_by_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.CheckConstraint("channel IN ('online', 'room', 'paper')", name=op.f("ck_vote_participations_channel_known")),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_participations_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"], ["users.id"], name=op.f("fk_vote_participations_voter_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["cast_by_id"], ["users.id"], name=op.f("fk_vote_participations_cast_by_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_participations")),
        sa.UniqueConstraint("vote_id", "voter_id", name=op.f("uq_vote_participations_vote_id_voter_id")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("vote_participations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_participations_vote_id"), ["vote_id"], unique=False)

    op.create_table(
        "vote_ballots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_ballots_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"], ["users.id"], name=op.f("fk_vote_ballots_voter_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_ballots")),
        sa.UniqueConstraint("vote_id", "voter_id", name=op.f("uq_vote_ballots_vote_id_voter_id")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("vote_ballots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_ballots_vote_id"), ["vote_id"], unique=False)

    op.create_table(
        "vote_paper_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('room', 'paper')", name=op.f("ck_vote_paper_entries_channel_known")),
        sa.CheckConstraint("ballots >= 1", name=op.f("ck_vote_paper_entries_ballots_positive")),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_paper_entries_vote_id_votes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_vote_paper_entries_entered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_paper_entries")),
    )
    with op.batch_alter_table("vote_paper_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_paper_entries_vote_id"), ["vote_id"], unique=False)


def downgrade():
    for table in ("vote_paper_entries", "vote_ballots", "vote_participations", "vote_proxies", "vote_options"):
        op.drop_table(table)
    op.drop_table("votes")
