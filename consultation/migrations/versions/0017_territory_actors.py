"""territory actors: the directory of local organisations, their representatives, workshop experts,
and project holders' requests with their referrals and follow-up

Only new tables: no existing table is altered (SQLite would rebuild it and delete its children).

Revision ID: 0017_territory_actors
Revises: 0005_opinions
Create Date: 2026-11-29 05:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_territory_actors"
down_revision = "0005_opinions"
branch_labels = None
depends_on = ("0016_districts",)

KINDS = "'association', 'cooperative', 'social_enterprise', 'public_service', 'third_place', 'other'"
REQUEST_STATUSES = "'received', 'referred', 'in_progress', 'closed'"


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _index(table, *columns):
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("opening_hours", sa.Text(), nullable=False),
        sa.Column("is_welcoming_holders", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("organisations", "council_id", "councils", "CASCADE"),
        _fk("organisations", "created_by_id", "users", "SET NULL"),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_organisations_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_organisations_council_id_name")),
    )
    _index("organisations", "council_id")
    op.create_table(
        "organisation_themes",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        _fk("organisation_themes", "organisation_id", "organisations", "CASCADE"),
        _fk("organisation_themes", "theme_id", "themes", "CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "theme_id", name=op.f("pk_organisation_themes")),
    )
    _index("organisation_themes", "theme_id")
    op.create_table(
        "organisation_districts",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        _fk("organisation_districts", "organisation_id", "organisations", "CASCADE"),
        _fk("organisation_districts", "district_id", "districts", "CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "district_id", name=op.f("pk_organisation_districts")),
    )
    _index("organisation_districts", "district_id")
    op.create_table(
        "organisation_languages",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        _fk("organisation_languages", "organisation_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("organisation_id", "language", name=op.f("pk_organisation_languages")),
    )
    _index("organisation_languages", "language")
    op.create_table(
        "organisation_representatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("role_title", sa.String(length=120), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _fk("organisation_representatives", "organisation_id", "organisations", "CASCADE"),
        _fk("organisation_representatives", "user_id", "users", "CASCADE"),
        _fk("organisation_representatives", "decided_by_id", "users", "SET NULL"),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused')", name=op.f("ck_organisation_representatives_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_representatives")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_organisation_representatives_organisation_id_user_id")
        ),
    )
    _index("organisation_representatives", "organisation_id", "user_id")
    op.create_table(
        "workshop_experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("workshop_experts", "workshop_id", "workshops", "CASCADE"),
        _fk("workshop_experts", "organisation_id", "organisations", "CASCADE"),
        _fk("workshop_experts", "invited_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_experts")),
        sa.UniqueConstraint(
            "workshop_id",
            "organisation_id",
            "person_name",
            name=op.f("uq_workshop_experts_workshop_id_organisation_id_person_name"),
        ),
    )
    _index("workshop_experts", "workshop_id", "organisation_id")
    op.create_table(
        "project_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("needs_other", sa.String(length=300), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=True),
        _fk("project_requests", "council_id", "councils", "CASCADE"),
        _fk("project_requests", "holder_id", "users", "CASCADE"),
        _fk("project_requests", "district_id", "districts", "SET NULL"),
        _fk("project_requests", "assigned_to_id", "users", "SET NULL"),
        sa.CheckConstraint(f"status IN ({REQUEST_STATUSES})", name=op.f("ck_project_requests_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_requests")),
    )
    _index("project_requests", "council_id", "holder_id", "district_id")
    op.create_table(
        "project_request_themes",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        _fk("project_request_themes", "request_id", "project_requests", "CASCADE"),
        _fk("project_request_themes", "theme_id", "themes", "CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "theme_id", name=op.f("pk_project_request_themes")),
    )
    _index("project_request_themes", "theme_id")
    op.create_table(
        "project_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("project_referrals", "request_id", "project_requests", "CASCADE"),
        _fk("project_referrals", "organisation_id", "organisations", "CASCADE"),
        _fk("project_referrals", "referred_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_referrals")),
        sa.UniqueConstraint(
            "request_id", "organisation_id", name=op.f("uq_project_referrals_request_id_organisation_id")
        ),
    )
    _index("project_referrals", "request_id", "organisation_id")
    op.create_table(
        "project_request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("project_request_events", "request_id", "project_requests", "CASCADE"),
        _fk("project_request_events", "actor_id", "users", "SET NULL"),
        sa.CheckConstraint(
            "kind IN ('received', 'assigned', 'referred', 'status', 'note')",
            name=op.f("ck_project_request_events_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_request_events")),
    )
    _index("project_request_events", "request_id")


def downgrade():
    for table in (
        "project_request_events",
        "project_referrals",
        "project_request_themes",
        "project_requests",
        "workshop_experts",
        "organisation_representatives",
        "organisation_languages",
        "organisation_districts",
        "organisation_themes",
        "organisations",
    ):
        op.drop_table(table)
