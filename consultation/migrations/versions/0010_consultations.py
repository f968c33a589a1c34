"""consultations: a council's online consultations (themes, districts), their proposals (district, attachment,
search text, withdrawal, retention for a workshop), comments, follows and each proposal's dated history

Revision ID: 0010_consultations
Revises: 0005_opinions
Create Date: 2026-11-29 10:00:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = "0010_consultations"
down_revision = "0005_opinions"
branch_labels = None
# Proposals and consultations name a district: the districts table comes first.
depends_on = "0016_districts"

OLD_STATUSES = "status IN ('submitted', 'accepted', 'rejected', 'merged')"
NEW_STATUSES = "status IN ('submitted', 'accepted', 'rejected', 'merged', 'withdrawn')"
ONE_HOME = "(workshop_id IS NULL) <> (consultation_id IS NULL)"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ĳ": "ij", "’": "'"})


def _fold(text):
    """The application's consultation.consultations.rules.fold, copied: migrations never import app code."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES).casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _is_sqlite():
    return op.get_bind().dialect.name == "sqlite"


def _foreign_keys(enabled):
    """SQLite rebuilds `proposals` (DROP then RENAME) to change its constraints: with foreign keys on, the
    DROP would delete every support, comment, revision and opinion item of every proposal. The pragma
    only takes effect outside a transaction, hence the autocommit block."""
    with op.get_context().autocommit_block():
        op.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def _rebuild_proposals(change):
    if not _is_sqlite():
        with op.batch_alter_table("proposals", schema=None) as batch_op:
            change(batch_op)
        return
    _foreign_keys(False)
    try:
        still_on = op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar()
        if still_on:
            raise RuntimeError("SQLite foreign keys are still on: rebuilding proposals would delete their children")
        with op.batch_alter_table("proposals", schema=None, recreate="always") as batch_op:
            change(batch_op)
        broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild of proposals: {broken[:5]}")
    finally:
        _foreign_keys(True)


def upgrade():
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("closes_at > opens_at", name=op.f("ck_consultations_closes_after_opening")),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_consultations_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_consultations_question_id_questions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_consultations_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    op.create_index(op.f("ix_consultations_council_id"), "consultations", ["council_id"], unique=False)
    op.create_index(op.f("ix_consultations_question_id"), "consultations", ["question_id"], unique=False)
    op.create_table(
        "consultation_themes",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_consultation_themes_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_consultation_themes_theme_id_themes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("consultation_id", "theme_id", name=op.f("pk_consultation_themes")),
    )
    op.create_index(op.f("ix_consultation_themes_theme_id"), "consultation_themes", ["theme_id"], unique=False)
    op.create_table(
        "consultation_districts",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_consultation_districts_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"],
            name=op.f("fk_consultation_districts_district_id_districts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", "district_id", name=op.f("pk_consultation_districts")),
    )
    op.create_index(
        op.f("ix_consultation_districts_district_id"), "consultation_districts", ["district_id"], unique=False
    )

    def change(batch_op):
        batch_op.alter_column("workshop_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("consultation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("retained_as_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_consultation_id_consultations"), "consultations",
            ["consultation_id"], ["id"], ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_district_id_districts"), "districts", ["district_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_retained_as_id_proposals"), "proposals",
            ["retained_as_id"], ["id"], ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_proposals_consultation_id"), ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_retained_as_id"), ["retained_as_id"], unique=False)
        batch_op.drop_constraint(batch_op.f("ck_proposals_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_proposals_status_known"), NEW_STATUSES)
        batch_op.create_check_constraint(batch_op.f("ck_proposals_one_home"), ONE_HOME)

    _rebuild_proposals(change)

    proposals = sa.table("proposals", sa.column("id", sa.Integer()), sa.column("title", sa.String()),
                         sa.column("body", sa.Text()), sa.column("search_text", sa.Text()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(proposals.c.id, proposals.c.title, proposals.c.body)).fetchall()
    for row in rows:
        bind.execute(
            proposals.update().where(proposals.c.id == row.id).values(search_text=_fold(f"{row.title}\n{row.body}"))
        )

    op.create_table(
        "proposal_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')",
            name=op.f("ck_proposal_attachments_content_type_known"),
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_proposal_attachments_size_positive")),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_proposal_attachments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_attachments")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_proposal_attachments_proposal_id")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_proposal_attachments_stored_name")),
    )
    op.create_table(
        "proposal_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_proposal_comments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["proposal_comments.id"], name=op.f("fk_proposal_comments_parent_id_proposal_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_proposal_comments_author_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_comments")),
    )
    op.create_index(op.f("ix_proposal_comments_proposal_id"), "proposal_comments", ["proposal_id"], unique=False)
    op.create_index(op.f("ix_proposal_comments_parent_id"), "proposal_comments", ["parent_id"], unique=False)
    op.create_index(op.f("ix_proposal_comments_author_id"), "proposal_comments", ["author_id"], unique=False)
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(proposal_id IS NULL) <> (consultation_id IS NULL)", name=op.f("ck_follows_one_target")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_follows_proposal_id_proposals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"], name=op.f("fk_follows_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "proposal_id", name=op.f("uq_follows_user_id_proposal_id")),
        sa.UniqueConstraint("user_id", "consultation_id", name=op.f("uq_follows_user_id_consultation_id")),
    )
    op.create_index(op.f("ix_follows_user_id"), "follows", ["user_id"], unique=False)
    op.create_index(op.f("ix_follows_proposal_id"), "follows", ["proposal_id"], unique=False)
    op.create_index(op.f("ix_follows_consultation_id"), "follows", ["consultation_id"], unique=False)
    op.create_table(
        "proposal_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('received', 'edited', 'accepted', 'rejected', 'merged', 'retained', 'withdrawn')",
            name=op.f("ck_proposal_events_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_proposal_events_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_proposal_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_events")),
    )
    op.create_index(op.f("ix_proposal_events_proposal_id"), "proposal_events", ["proposal_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_proposal_events_proposal_id"), table_name="proposal_events")
    op.drop_table("proposal_events")
    op.drop_index(op.f("ix_follows_consultation_id"), table_name="follows")
    op.drop_index(op.f("ix_follows_proposal_id"), table_name="follows")
    op.drop_index(op.f("ix_follows_user_id"), table_name="follows")
    op.drop_table("follows")
    op.drop_index(op.f("ix_proposal_comments_author_id"), table_name="proposal_comments")
    op.drop_index(op.f("ix_proposal_comments_parent_id"), table_name="proposal_comments")
    op.drop_index(op.f("ix_proposal_comments_proposal_id"), table_name="proposal_comments")
    op.drop_table("proposal_comments")
    op.drop_table("proposal_attachments")
    # The older schema has no place for a consultation's proposals: they go, with their supports.
    op.execute("DELETE FROM proposals WHERE workshop_id IS NULL")
    op.execute("UPDATE proposals SET status = 'rejected' WHERE status = 'withdrawn'")

    def change(batch_op):
        batch_op.drop_constraint(batch_op.f("ck_proposals_one_home"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_proposals_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_proposals_status_known"), OLD_STATUSES)
        batch_op.drop_index(batch_op.f("ix_proposals_retained_as_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_district_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_consultation_id"))
        batch_op.drop_constraint(batch_op.f("fk_proposals_retained_as_id_proposals"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_proposals_district_id_districts"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_proposals_consultation_id_consultations"), type_="foreignkey")
        batch_op.drop_column("search_text")
        batch_op.drop_column("retained_as_id")
        batch_op.drop_column("district_id")
        batch_op.drop_column("consultation_id")
        batch_op.alter_column("workshop_id", existing_type=sa.Integer(), nullable=False)

    _rebuild_proposals(change)
    op.drop_index(op.f("ix_consultation_districts_district_id"), table_name="consultation_districts")
    op.drop_table("consultation_districts")
    op.drop_index(op.f("ix_consultation_themes_theme_id"), table_name="consultation_themes")
    op.drop_table("consultation_themes")
    op.drop_index(op.f("ix_consultations_question_id"), table_name="consultations")
    op.drop_index(op.f("ix_consultations_council_id"), table_name="consultations")
    op.drop_table("consultations")
