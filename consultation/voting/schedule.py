"""Votes open and close on their planned dates.

Nothing runs in the background inside the app: the transitions are applied when a vote (or its
workshop's live page) is read, and by `flask --app app votes advance`, which a cron job or a systemd
timer runs every minute. Both take the vote's row lock and check again, so two processes never
open or close the same vote twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from consultation.dbutil import writing
from consultation.errors import Conflict
from consultation.extensions import db
from consultation.voting import services
from consultation.voting.models import Vote
from consultation.voting.rules import Status


def due_transition(
    status: Status | str, opens_at: datetime | None, closes_at: datetime | None, now: datetime
) -> Status | None:
    """The step a vote's dates call for now: open a draft whose opening has come, close an open vote
    whose closing has come (a draft past both dates opens, then closes on the next step)."""
    status = Status(status)
    if status is Status.DRAFT and opens_at is not None and opens_at <= now:
        return Status.OPEN
    if status is Status.OPEN and closes_at is not None and closes_at <= now:
        return Status.CLOSED
    return None


def apply_due(vote: Vote, now: datetime) -> list[Status]:
    """Apply what the vote's dates call for, in its own transaction (committed); the steps taken."""
    taken: list[Status] = []
    while (target := due_transition(vote.status, vote.opens_at, vote.closes_at, now)) is not None:
        # End the reading transaction, then write in one that takes SQLite's write lock up front
        # (a GET request's transaction could not be upgraded while others write).
        db.session.commit()
        with writing():
            try:
                if target is Status.OPEN:
                    vote = services.open_vote(None, vote, now=vote.opens_at or now)
                else:
                    vote = services.close_vote(None, vote, now=vote.closes_at or now)
            except Conflict:
                # Another request took this step first (the row lock made us wait): read the vote again.
                db.session.rollback()
                vote = db.session.get(Vote, vote.id, populate_existing=True)
                continue
            db.session.commit()
        taken.append(target)
    return taken


def _due_query(now: datetime):
    return select(Vote).where(
        or_(
            and_(Vote.status == Status.DRAFT.value, Vote.opens_at.is_not(None), Vote.opens_at <= now),
            and_(Vote.status == Status.OPEN.value, Vote.closes_at.is_not(None), Vote.closes_at <= now),
        )
    )


@dataclass(frozen=True)
class Advanced:
    opened: list[int]
    closed: list[int]


def advance_all(now: datetime, *, workshop_id: int | None = None) -> Advanced:
    """Every vote whose dates have come (of one workshop, or all): one query when nothing is due."""
    query = _due_query(now).order_by(Vote.id)
    if workshop_id is not None:
        query = query.where(Vote.workshop_id == workshop_id)
    opened, closed = [], []
    for vote_id in [v.id for v in db.session.scalars(query)]:
        vote = db.session.get(Vote, vote_id)
        for step in apply_due(vote, now):
            (opened if step is Status.OPEN else closed).append(vote_id)
    return Advanced(opened, closed)
