"""support totals: proposals.support_total (online supports + paper counts), kept by triggers, and the
indexes that rank a workshop's or a consultation's proposals by it

Revision ID: 0020_support_totals
Revises: 0019_opinion_consultations
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0020_support_totals"
down_revision = "0019_opinion_consultations"
branch_labels = None
depends_on = None

# Triggers, not application code, keep the total: every path that writes supports or paper counts is
# covered (ORM, INSERT … ON CONFLICT DO NOTHING, a merge moving rows, cascades from a deleted account,
# participant, proposal or workshop, a bulk load), and in the same transaction as the write.
SQLITE_TRIGGERS = {
    "supports_total_insert": """
        CREATE TRIGGER supports_total_insert AFTER INSERT ON supports
        BEGIN
            UPDATE proposals SET support_total = support_total + 1 WHERE id = NEW.proposal_id;
        END""",
    "supports_total_delete": """
        CREATE TRIGGER supports_total_delete AFTER DELETE ON supports
        BEGIN
            UPDATE proposals SET support_total = support_total - 1 WHERE id = OLD.proposal_id;
        END""",
    "supports_total_update": """
        CREATE TRIGGER supports_total_update AFTER UPDATE OF proposal_id ON supports
        WHEN NEW.proposal_id <> OLD.proposal_id
        BEGIN
            UPDATE proposals SET support_total = support_total - 1 WHERE id = OLD.proposal_id;
            UPDATE proposals SET support_total = support_total + 1 WHERE id = NEW.proposal_id;
        END""",
    "paper_counts_total_insert": """
        CREATE TRIGGER paper_counts_total_insert AFTER INSERT ON paper_counts
        BEGIN
            UPDATE proposals SET support_total = support_total + NEW.count WHERE id = NEW.proposal_id;
        END""",
    "paper_counts_total_delete": """
        CREATE TRIGGER paper_counts_total_delete AFTER DELETE ON paper_counts
        BEGIN
            UPDATE proposals SET support_total = support_total - OLD.count WHERE id = OLD.proposal_id;
        END""",
    "paper_counts_total_update": """
        CREATE TRIGGER paper_counts_total_update AFTER UPDATE OF count, proposal_id ON paper_counts
        WHEN NEW.count <> OLD.count OR NEW.proposal_id <> OLD.proposal_id
        BEGIN
            UPDATE proposals SET support_total = support_total - OLD.count WHERE id = OLD.proposal_id;
            UPDATE proposals SET support_total = support_total + NEW.count WHERE id = NEW.proposal_id;
        END""",
}

# One function per table, shared by its three triggers: what leaves (OLD) is taken off its proposal,
# what arrives (NEW) is added to its own. An UPDATE does both, which moves the amount between proposals.
POSTGRESQL_FUNCTIONS = {
    "supports_keep_total": """
        CREATE FUNCTION supports_keep_total() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE proposals SET support_total = support_total - 1 WHERE id = OLD.proposal_id;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                UPDATE proposals SET support_total = support_total + 1 WHERE id = NEW.proposal_id;
            END IF;
            RETURN NULL;
        END
        $$""",
    "paper_counts_keep_total": """
        CREATE FUNCTION paper_counts_keep_total() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE proposals SET support_total = support_total - OLD.count WHERE id = OLD.proposal_id;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                UPDATE proposals SET support_total = support_total + NEW.count WHERE id = NEW.proposal_id;
            END IF;
            RETURN NULL;
        END
        $$""",
}
POSTGRESQL_TRIGGERS = {
    "supports_total_insert": "AFTER INSERT ON supports FOR EACH ROW EXECUTE FUNCTION supports_keep_total()",
    "supports_total_delete": "AFTER DELETE ON supports FOR EACH ROW EXECUTE FUNCTION supports_keep_total()",
    "supports_total_update": (
        "AFTER UPDATE OF proposal_id ON supports FOR EACH ROW "
        "WHEN (NEW.proposal_id IS DISTINCT FROM OLD.proposal_id) EXECUTE FUNCTION supports_keep_total()"
    ),
    "paper_counts_total_insert": (
        "AFTER INSERT ON paper_counts FOR EACH ROW EXECUTE FUNCTION paper_counts_keep_total()"
    ),
    "paper_counts_total_delete": (
        "AFTER DELETE ON paper_counts FOR EACH ROW EXECUTE FUNCTION paper_counts_keep_total()"
    ),
    "paper_counts_total_update": (
        "AFTER UPDATE OF count, proposal_id ON paper_counts FOR EACH ROW "
        "WHEN (NEW.count IS DISTINCT FROM OLD.count OR NEW.proposal_id IS DISTINCT FROM OLD.proposal_id) "
        "EXECUTE FUNCTION paper_counts_keep_total()"
    ),
}
TRIGGER_TABLES = {
    "supports_total_insert": "supports",
    "supports_total_delete": "supports",
    "supports_total_update": "supports",
    "paper_counts_total_insert": "paper_counts",
    "paper_counts_total_delete": "paper_counts",
    "paper_counts_total_update": "paper_counts",
}

BACKFILL = """
UPDATE proposals SET support_total =
    (SELECT count(*) FROM supports WHERE supports.proposal_id = proposals.id)
    + (SELECT COALESCE(sum(paper_counts.count), 0) FROM paper_counts WHERE paper_counts.proposal_id = proposals.id)
"""


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    # A plain ADD COLUMN (native on SQLite with a constant default), never a batch rebuild of proposals:
    # rebuilding a table that others reference would, with foreign keys on, cascade to their rows.
    op.add_column("proposals", sa.Column("support_total", sa.Integer(), server_default="0", nullable=False))
    # Before the triggers, in the same transaction as them: no support is counted twice or missed.
    op.execute(BACKFILL)
    # The order of the workshop page (consultation.proposals.services.support_counts_query) and of a
    # consultation's list sorted by support (consultation.consultations.services.list_proposals).
    op.create_index(
        "ix_proposals_workshop_ranking",
        "proposals",
        ["workshop_id", sa.text("support_total DESC"), "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_proposals_consultation_ranking",
        "proposals",
        ["consultation_id", sa.text("support_total DESC"), sa.text("created_at DESC"), sa.text("id DESC")],
        unique=False,
    )
    if _is_postgresql():
        for function in POSTGRESQL_FUNCTIONS.values():
            op.execute(function)
        for name, definition in POSTGRESQL_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for trigger in SQLITE_TRIGGERS.values():
            op.execute(trigger)


def downgrade():
    postgresql = _is_postgresql()
    for name, table in TRIGGER_TABLES.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgresql else f"DROP TRIGGER IF EXISTS {name}")
    if postgresql:
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_proposals_consultation_ranking", table_name="proposals")
    op.drop_index("ix_proposals_workshop_ranking", table_name="proposals")
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch rebuild: see upgrade().
    op.drop_column("proposals", "support_total")
