"""diagnostic and calls: a territorial diagnostic's challenges and ranking, cooperative calls for projects

Only new tables: no existing table is altered (SQLite would rebuild it and delete its children).

Revision ID: 0018_diagnostic_calls
Revises: 0005_opinions
Create Date: 2026-11-29 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_diagnostic_calls"
down_revision = "0005_opinions"
branch_labels = None
depends_on = ("0016_districts", "0017_territory_actors")


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "diagnostics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=True),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("step IN ('collecting', 'prioritising', 'ranked')", name=op.f("ck_diagnostics_step_known")),
        sa.CheckConstraint("closes_on IS NULL OR closes_on >= opens_on", name=op.f("ck_diagnostics_dates_in_order")),
        _fk("diagnostics", "council_id", "councils", "CASCADE"),
        _fk("diagnostics", "created_by_id", "users", "SET NULL"),
        _fk("diagnostics", "vote_id", "votes", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnostics")),
    )
    op.create_index(op.f("ix_diagnostics_council_id"), "diagnostics", ["council_id"], unique=False)
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diagnostic_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("moderation_reason", sa.Text(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("vote_option_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'merged', 'rejected')", name=op.f("ck_challenges_status_known")
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name=op.f("ck_challenges_not_merged_into_itself")
        ),
        _fk("challenges", "diagnostic_id", "diagnostics", "CASCADE"),
        _fk("challenges", "author_id", "users", "SET NULL"),
        _fk("challenges", "theme_id", "themes", "SET NULL"),
        _fk("challenges", "merged_into_id", "challenges", "SET NULL"),
        _fk("challenges", "vote_option_id", "vote_options", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenges")),
        sa.UniqueConstraint("diagnostic_id", "number", name=op.f("uq_challenges_diagnostic_id_number")),
    )
    op.create_index(op.f("ix_challenges_diagnostic_id"), "challenges", ["diagnostic_id"], unique=False)
    op.create_index(op.f("ix_challenges_author_id"), "challenges", ["author_id"], unique=False)
    op.create_table(
        "challenge_workshops",
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        _fk("challenge_workshops", "challenge_id", "challenges", "CASCADE"),
        _fk("challenge_workshops", "workshop_id", "workshops", "CASCADE"),
        sa.PrimaryKeyConstraint("challenge_id", "workshop_id", name=op.f("pk_challenge_workshops")),
    )
    op.create_index(op.f("ix_challenge_workshops_workshop_id"), "challenge_workshops", ["workshop_id"], unique=False)
    op.create_table(
        "challenge_rankings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diagnostic_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_challenge_rankings_rank_positive")),
        _fk("challenge_rankings", "diagnostic_id", "diagnostics", "CASCADE"),
        _fk("challenge_rankings", "challenge_id", "challenges", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_rankings")),
        sa.UniqueConstraint(
            "diagnostic_id", "challenge_id", name=op.f("uq_challenge_rankings_diagnostic_id_challenge_id")
        ),
    )
    op.create_index(op.f("ix_challenge_rankings_diagnostic_id"), "challenge_rankings", ["diagnostic_id"], unique=False)

    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("themes", sa.String(length=500), nullable=False),
        sa.Column("eligibility", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("scoring", sa.String(length=10), nullable=False),
        sa.Column("min_organisations", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_terms", sa.JSON(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("results_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opinion_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('drafting', 'published', 'results')", name=op.f("ck_calls_status_known")),
        sa.CheckConstraint("scoring IN ('score', 'grades')", name=op.f("ck_calls_scoring_known")),
        sa.CheckConstraint("budget >= 1", name=op.f("ck_calls_budget_positive")),
        sa.CheckConstraint("min_organisations >= 0", name=op.f("ck_calls_min_organisations_positive")),
        sa.CheckConstraint("closes_on >= opens_on", name=op.f("ck_calls_dates_in_order")),
        _fk("calls", "council_id", "councils", "CASCADE"),
        _fk("calls", "workshop_id", "workshops", "SET NULL"),
        _fk("calls", "created_by_id", "users", "SET NULL"),
        _fk("calls", "opinion_id", "opinions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    op.create_index(op.f("ix_calls_council_id"), "calls", ["council_id"], unique=False)
    op.create_index(op.f("ix_calls_workshop_id"), "calls", ["workshop_id"], unique=False)
    op.create_table(
        "call_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight BETWEEN 1 AND 100", name=op.f("ck_call_criteria_weight_range")),
        _fk("call_criteria", "call_id", "calls", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_criteria")),
        sa.UniqueConstraint("call_id", "position", name=op.f("uq_call_criteria_call_id_position")),
    )
    op.create_index(op.f("ix_call_criteria_call_id"), "call_criteria", ["call_id"], unique=False)
    op.create_table(
        "call_challenges",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("ranking_id", sa.Integer(), nullable=False),
        _fk("call_challenges", "call_id", "calls", "CASCADE"),
        _fk("call_challenges", "ranking_id", "challenge_rankings", "CASCADE"),
        sa.PrimaryKeyConstraint("call_id", "ranking_id", name=op.f("pk_call_challenges")),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("budget_requested", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("is_selected", sa.Boolean(), nullable=False),
        sa.Column("amount_granted", sa.Integer(), nullable=True),
        sa.Column("jury_reasons", sa.Text(), nullable=False),
        sa.CheckConstraint("budget_requested >= 0", name=op.f("ck_applications_budget_requested_positive")),
        sa.CheckConstraint(
            "amount_granted IS NULL OR amount_granted >= 0", name=op.f("ck_applications_amount_granted_positive")
        ),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name=op.f("ck_applications_rank_positive")),
        _fk("applications", "call_id", "calls", "CASCADE"),
        _fk("applications", "applicant_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    op.create_index(op.f("ix_applications_call_id"), "applications", ["call_id"], unique=False)
    op.create_index(op.f("ix_applications_applicant_id"), "applications", ["applicant_id"], unique=False)
    op.create_table(
        "application_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        _fk("application_partners", "application_id", "applications", "CASCADE"),
        _fk("application_partners", "organisation_id", "organisations", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_partners")),
        sa.UniqueConstraint("application_id", "position", name=op.f("uq_application_partners_application_id_position")),
    )
    op.create_index(
        op.f("ix_application_partners_application_id"), "application_partners", ["application_id"], unique=False
    )
    op.create_table(
        "application_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        _fk("application_attachments", "application_id", "applications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_attachments")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_application_attachments_stored_name")),
    )
    op.create_index(
        op.f("ix_application_attachments_application_id"),
        "application_attachments",
        ["application_id"],
        unique=False,
    )
    op.create_table(
        "jury_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("named_at", sa.DateTime(timezone=True), nullable=False),
        _fk("jury_members", "call_id", "calls", "CASCADE"),
        _fk("jury_members", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jury_members")),
        sa.UniqueConstraint("call_id", "user_id", name=op.f("uq_jury_members_call_id_user_id")),
    )
    op.create_index(op.f("ix_jury_members_call_id"), "jury_members", ["call_id"], unique=False)
    op.create_index(op.f("ix_jury_members_user_id"), "jury_members", ["user_id"], unique=False)
    op.create_table(
        "jury_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        _fk("jury_conflicts", "application_id", "applications", "CASCADE"),
        _fk("jury_conflicts", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jury_conflicts")),
        sa.UniqueConstraint("application_id", "user_id", name=op.f("uq_jury_conflicts_application_id_user_id")),
    )
    op.create_index(op.f("ix_jury_conflicts_application_id"), "jury_conflicts", ["application_id"], unique=False)
    op.create_table(
        "jury_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value BETWEEN 0 AND 10", name=op.f("ck_jury_scores_value_range")),
        _fk("jury_scores", "application_id", "applications", "CASCADE"),
        _fk("jury_scores", "criterion_id", "call_criteria", "CASCADE"),
        _fk("jury_scores", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jury_scores")),
        sa.UniqueConstraint(
            "application_id", "criterion_id", "user_id", name=op.f("uq_jury_scores_application_id_criterion_id_user_id")
        ),
    )
    op.create_index(op.f("ix_jury_scores_application_id"), "jury_scores", ["application_id"], unique=False)


def downgrade():
    for table in (
        "jury_scores",
        "jury_conflicts",
        "jury_members",
        "application_attachments",
        "application_partners",
        "applications",
        "call_challenges",
        "call_criteria",
        "calls",
        "challenge_rankings",
        "challenge_workshops",
        "challenges",
        "diagnostics",
    ):
        op.drop_table(table)
