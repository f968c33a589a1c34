"""Opinions: sections, recommendations with sources, revisions, comments, adoption, transmission,
the municipality's answers, followers, in-app notifications, the audit log; councils get their response deadline.
Joins the branches.

Revision ID: 0005_opinions
Revises: 0002_votes, 0003_workshops, 0004_pages
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_opinions"
down_revision = ("0002_votes", "0003_workshops", "0004_pages")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("councils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response_months", sa.Integer(), nullable=False, server_default="3"))

    with op.batch_alter_table("opinions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("previous_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("context", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("findings", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("dissent", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("number", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("adoption_vote_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("adoption_result", sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column("transmitted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("addressee", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("acknowledged_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("response_months", sa.Integer(), nullable=False, server_default="3"))
        batch_op.create_foreign_key(
            batch_op.f("fk_opinions_question_id_questions"), "questions", ["question_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_opinions_previous_version_id_opinions"), "opinions", ["previous_version_id"], ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_unique_constraint(batch_op.f("uq_opinions_council_id_number"), ["council_id", "number"])
        batch_op.create_check_constraint(batch_op.f("ck_opinions_response_months_positive"), "response_months >= 1")

    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinions.id"], name=op.f("fk_recommendations_opinion_id_opinions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
        sa.UniqueConstraint("opinion_id", "position", name=op.f("uq_recommendations_opinion_id_position")),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendations_opinion_id"), ["opinion_id"], unique=False)

    op.create_table(
        "recommendation_sources",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_recommendation_sources_proposal_id_proposals"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"], name=op.f("fk_recommendation_sources_recommendation_id_recommendations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("recommendation_id", "proposal_id", name=op.f("pk_recommendation_sources")),
    )

    op.create_table(
        "opinion_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_opinion_revisions_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinions.id"], name=op.f("fk_opinion_revisions_opinion_id_opinions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_revisions")),
        sa.UniqueConstraint("opinion_id", "number", name=op.f("uq_opinion_revisions_opinion_id_number")),
    )
    with op.batch_alter_table("opinion_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_revisions_opinion_id"), ["opinion_id"], unique=False)

    op.create_table(
        "opinion_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_opinion_comments_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinions.id"], name=op.f("fk_opinion_comments_opinion_id_opinions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_comments")),
    )
    with op.batch_alter_table("opinion_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_comments_opinion_id"), ["opinion_id"], unique=False)

    op.create_table(
        "municipal_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"], name=op.f("fk_municipal_answers_answered_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinions.id"], name=op.f("fk_municipal_answers_opinion_id_opinions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipal_answers")),
        sa.UniqueConstraint("opinion_id", name=op.f("uq_municipal_answers_opinion_id")),
    )

    op.create_table(
        "recommendation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('accepted', 'partly', 'refused', 'under_study')", name=op.f("ck_recommendation_answers_status_known")),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendations.id"], name=op.f("fk_recommendation_answers_recommendation_id_recommendations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_answers")),
        sa.UniqueConstraint("recommendation_id", name=op.f("uq_recommendation_answers_recommendation_id")),
    )

    op.create_table(
        "opinion_followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinions.id"], name=op.f("fk_opinion_followers_opinion_id_opinions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_opinion_followers_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_followers")),
        sa.UniqueConstraint("opinion_id", "user_id", name=op.f("uq_opinion_followers_opinion_id_user_id")),
    )
    with op.batch_alter_table("opinion_followers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_followers_opinion_id"), ["opinion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opinion_followers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_entries_actor_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entries_hash")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)

    # The foundation kept all recommendations in one text: it becomes the first recommendation.
    op.execute(
        "INSERT INTO recommendations (opinion_id, position, text) "
        "SELECT id, 1, recommendations FROM opinions WHERE recommendations <> ''"
    )
    op.execute("UPDATE opinions SET recommendations = ''")


def downgrade():
    op.execute(
        "UPDATE opinions SET recommendations = COALESCE((SELECT text FROM recommendations "
        "WHERE recommendations.opinion_id = opinions.id AND recommendations.position = 1), '')"
    )
    for table in ("audit_entries", "notifications", "opinion_followers", "recommendation_answers", "municipal_answers", "opinion_comments",
                  "opinion_revisions", "recommendation_sources", "recommendations"):
        op.drop_table(table)
    with op.batch_alter_table("opinions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_opinions_response_months_positive"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_opinions_council_id_number"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_opinions_previous_version_id_opinions"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_opinions_question_id_questions"), type_="foreignkey")
        for column in ("response_months", "acknowledged_on", "addressee", "transmitted_on", "adoption_result",
                       "adoption_vote_id", "adopted_at", "number", "dissent", "findings", "context", "version",
                       "previous_version_id", "question_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("councils", schema=None) as batch_op:
        batch_op.drop_column("response_months")
