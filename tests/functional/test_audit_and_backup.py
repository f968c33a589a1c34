"""The audit log records sensitive actions and reveals tampering; SQLite backups restore everything."""

import pytest
from sqlalchemy import func, select, text, update

from consultation.audit.models import AuditEntry
from consultation.extensions import db
from consultation.permissions import Role
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_council


def test_granting_a_role_is_audited_and_the_log_verifies(app, ctx):
    make_council(slug="macouria")
    runner = app.test_cli_runner()
    runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--password",
            "a long password",
            "--role",
            "member",
            "--council",
            "macouria",
        ]
    )
    runner.invoke(
        args=[
            "users",
            "create",
            "b@example.org",
            "--password",
            "a long password",
            "--role",
            "facilitator",
            "--council",
            "macouria",
        ]
    )
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["role.granted", "role.granted"]
    assert entries[1].previous_hash == entries[0].hash
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "2 entries" in result.output


def test_audit_verify_reports_tampering(app, ctx):
    make_council(slug="macouria")
    runner = app.test_cli_runner()
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        runner.invoke(
            args=[
                "users",
                "create",
                email,
                "--password",
                "a long password",
                "--role",
                "member",
                "--council",
                "macouria",
            ]
        )
    first = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id))
    db.session.execute(update(AuditEntry).where(AuditEntry.id == first).values(details={"role": Role.ADMIN.value}))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "changed after it was written" in result.output


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite backup API; PostgreSQL uses pg_dump (README)")
def test_backup_and_restore_bring_back_every_vote_and_support(app, ctx, tmp_path):
    from tests.factories import make_proposal, make_user, make_workshop
    from tests.factories_votes import cast, keys, make_vote

    council = make_council(slug="macouria")
    workshop = make_workshop(council)
    for _ in range(3):
        make_proposal(workshop, supports=2)
    vote = make_vote(council, electorate="members")
    for _ in range(5):
        cast(make_user(Role.MEMBER, council), vote, keys(vote)[0])
    db.session.commit()
    ballots_before = db.session.execute(text("SELECT COUNT(*) FROM vote_ballots")).scalar()
    assert ballots_before == 5
    runner = app.test_cli_runner()
    target = tmp_path / "backup.sqlite"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    before = db.session.execute(text("SELECT COUNT(*) FROM supports")).scalar()
    db.session.execute(text("DELETE FROM supports"))
    db.session.execute(text("DELETE FROM vote_ballots"))
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert db.session.execute(text("SELECT COUNT(*) FROM supports")).scalar() == before == 6
    assert db.session.execute(text("SELECT COUNT(*) FROM vote_ballots")).scalar() == ballots_before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_entries_recorded_in_bulk_chain_like_single_ones_and_verify(ctx):
    from consultation.audit import services as audit
    from consultation.web import utcnow

    now = utcnow()
    audit.record("test.single", actor_id=None, details={"n": 0}, now=now)
    made = audit.record_many([("test.bulk", {"n": n}) for n in range(1, 4)], actor_id=None, now=now)
    audit.record("test.single", actor_id=None, details={"n": 4}, now=now)
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.details["n"] for e in entries] == [0, 1, 2, 3, 4]
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(entries, entries[1:], strict=False))
    assert [e.id for e in made] == [e.id for e in entries[1:4]]
    assert audit.verify() == (5, [])
    assert audit.record_many([], actor_id=None, now=now) == []
