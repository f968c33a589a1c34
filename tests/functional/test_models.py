"""Invariants the database itself keeps, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from consultation.accounts.models import User
from consultation.extensions import db
from consultation.proposals.models import Support
from consultation.workshops.models import Workshop
from tests.factories import make_council, make_proposal, make_user, make_workshop


def test_datetimes_come_back_aware_in_utc(ctx):
    workshop = make_workshop(make_council())
    db.session.expire_all()
    assert workshop.starts_at.tzinfo is not None and workshop.starts_at.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(ctx):
    council = make_council()
    db.session.add(Workshop(council=council, title="x", starts_at=datetime(2026, 1, 1), ends_at=datetime(2026, 1, 2)))
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()


def test_a_workshop_cannot_end_before_it_starts(ctx):
    council = make_council()
    start = datetime(2026, 1, 2, tzinfo=UTC)
    db.session.add(Workshop(council=council, title="x", starts_at=start, ends_at=start))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_second_support_by_the_same_person(ctx):
    proposal = make_proposal(make_workshop(make_council()))
    user = make_user()
    db.session.add_all(
        [Support(proposal_id=proposal.id, user_id=user.id), Support(proposal_id=proposal.id, user_id=user.id)]
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_emails_are_stored_lowercase(ctx):
    db.session.add(User(email="Mixed@Example.org", display_name="x", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_unknown_workshop_phase_is_refused(ctx):
    workshop = make_workshop(make_council())
    workshop.phase = "party"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
