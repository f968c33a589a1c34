"""workshops: questions, agenda, registrations, participants by join code, moderation, paper input, history

Revision ID: 0003_workshops
Revises: 0ed535e7a8af
Create Date: 2026-11-28 12:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0003_workshops"
down_revision = "0ed535e7a8af"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("referred_by", sa.String(length=200), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("answer_expected_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('referral', 'self')", name=op.f("ck_questions_kind_known")),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_questions_council_id_councils"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_council_id"), ["council_id"], unique=False)

    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("languages_spoken", sa.String(length=300), server_default="", nullable=False))
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("join_code", sa.String(length=12), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_workshops_question_id_questions"), "questions", ["question_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(batch_op.f("ix_workshops_question_id"), ["question_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_workshops_join_code"), ["join_code"])
        batch_op.create_check_constraint(
            batch_op.f("ck_workshops_capacity_positive"), "capacity IS NULL OR capacity > 0"
        )

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_agenda_items_duration_positive")),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_agenda_items_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('confirmed', 'waiting', 'cancelled')", name=op.f("ck_registrations_status_known")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_registrations_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_registrations_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("workshop_id", "user_id", name=op.f("uq_registrations_workshop_id_user_id")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_registrations_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("charter_accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_workshop_participants_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_participants_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_participants")),
        sa.UniqueConstraint("workshop_id", "user_id", name=op.f("uq_workshop_participants_workshop_id_user_id")),
    )
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_participants_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_workshop_participants_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "workshop_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_workshop_events_actor_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_events_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_events")),
    )
    with op.batch_alter_table("workshop_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_events_workshop_id"), ["workshop_id"], unique=False)

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="submitted", nullable=False))
        batch_op.add_column(sa.Column("rejection_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=20), server_default="online", nullable=False))
        batch_op.add_column(sa.Column("collected_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("paper_author", sa.String(length=80), server_default="", nullable=False))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_participant_id_workshop_participants"), "workshop_participants",
            ["participant_id"], ["id"], ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_merged_into_id_proposals"), "proposals", ["merged_into_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_collected_by_id_users"), "users", ["collected_by_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(batch_op.f("ix_proposals_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_check_constraint(
            batch_op.f("ck_proposals_status_known"), "status IN ('submitted', 'accepted', 'rejected', 'merged')"
        )
        batch_op.create_check_constraint(batch_op.f("ck_proposals_origin_known"), "origin IN ('online', 'paper')")
    op.execute("UPDATE proposals SET updated_at = created_at")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_supports_participant_id_workshop_participants"), "workshop_participants",
            ["participant_id"], ["id"], ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_supports_participant_id"), ["participant_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_supports_proposal_id_participant_id"), ["proposal_id", "participant_id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_supports_has_supporter"), "user_id IS NOT NULL OR participant_id IS NOT NULL"
        )

    op.create_table(
        "proposal_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("previous_title", sa.String(length=200), nullable=False),
        sa.Column("previous_body", sa.Text(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edited_by_id"], ["users.id"], name=op.f("fk_proposal_revisions_edited_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_proposal_revisions_proposal_id_proposals"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_revisions")),
    )
    with op.batch_alter_table("proposal_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_revisions_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "paper_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("collected_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_paper_counts_count_positive")),
        sa.ForeignKeyConstraint(["collected_by_id"], ["users.id"], name=op.f("fk_paper_counts_collected_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_paper_counts_proposal_id_proposals"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_counts")),
    )
    with op.batch_alter_table("paper_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_counts_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "attendances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("is_self_check_in", sa.Boolean(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('room', 'online')", name=op.f("ck_attendances_channel_known")),
        sa.CheckConstraint("status IN ('present', 'excused', 'absent')", name=op.f("ck_attendances_status_known")),
        sa.ForeignKeyConstraint(["marked_by_id"], ["users.id"], name=op.f("fk_attendances_marked_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["participant_id"], ["workshop_participants.id"], name=op.f("fk_attendances_participant_id_workshop_participants"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_attendances_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_attendances_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendances")),
        sa.UniqueConstraint("workshop_id", "participant_id", name=op.f("uq_attendances_workshop_id_participant_id")),
        sa.UniqueConstraint("workshop_id", "user_id", name=op.f("uq_attendances_workshop_id_user_id")),
    )
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendances_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "workshop_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("version > 0", name=op.f("ck_workshop_minutes_version_positive")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_workshop_minutes_created_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_minutes_workshop_id_workshops"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_minutes")),
        sa.UniqueConstraint("workshop_id", "version", name=op.f("uq_workshop_minutes_workshop_id_version")),
    )
    with op.batch_alter_table("workshop_minutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_minutes_workshop_id"), ["workshop_id"], unique=False)


def downgrade():
    with op.batch_alter_table("workshop_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_minutes_workshop_id"))
    op.drop_table("workshop_minutes")
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendances_workshop_id"))
    op.drop_table("attendances")
    with op.batch_alter_table("paper_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_counts_proposal_id"))
    op.drop_table("paper_counts")
    with op.batch_alter_table("proposal_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_revisions_proposal_id"))
    op.drop_table("proposal_revisions")

    op.execute("DELETE FROM supports WHERE user_id IS NULL")
    with op.batch_alter_table("supports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_supports_has_supporter"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_supports_proposal_id_participant_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_supports_participant_id"))
        batch_op.drop_constraint(batch_op.f("fk_supports_participant_id_workshop_participants"), type_="foreignkey")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("participant_id")

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_proposals_origin_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_proposals_status_known"), type_="check")
        batch_op.drop_index(batch_op.f("ix_proposals_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_participant_id"))
        batch_op.drop_constraint(batch_op.f("fk_proposals_collected_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_proposals_merged_into_id_proposals"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_proposals_participant_id_workshop_participants"), type_="foreignkey")
        for column in ("updated_at", "paper_author", "collected_by_id", "origin", "merged_into_id",
                       "rejection_reason", "status", "participant_id"):
            batch_op.drop_column(column)

    with op.batch_alter_table("workshop_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_events_workshop_id"))
    op.drop_table("workshop_events")
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_participants_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_participants_user_id"))
    op.drop_table("workshop_participants")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_user_id"))
    op.drop_table("registrations")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_workshop_id"))
    op.drop_table("agenda_items")

    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_workshops_capacity_positive"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_workshops_join_code"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_workshops_question_id"))
        batch_op.drop_constraint(batch_op.f("fk_workshops_question_id_questions"), type_="foreignkey")
        for column in ("join_code", "capacity", "languages_spoken", "question_id"):
            batch_op.drop_column(column)

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questions_council_id"))
    op.drop_table("questions")
