"""A vote of a council or a workshop: options, proxies, who took part, the ballots, paper counts.

Secret ballots: `vote_participations` says who voted and `vote_ballots` what was voted, and nothing
links the two. Both tables have random uuid4 keys and no timestamps, a secret ballot has no voter id,
and both are SQLite WITHOUT ROWID tables, so a dump lists them in key order (random), not in the
order people voted. PostgreSQL has no such tables: it stores rows where there is room, roughly in
insertion order, so `close_vote` deletes and re-inserts a secret vote's ballots in random order in
the closing transaction. What remains on PostgreSQL: while the vote is open, the physical order of
the heap (and the WAL) follows the order of casting, so a person with raw access to the database
files during the vote could line ballots up with the order of participations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db
from consultation.voting.methods import METHODS
from consultation.voting.rules import Channel, Electorate, Status

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council, District
    from consultation.proposals.models import Proposal
    from consultation.workshops.models import Workshop


def _sql_in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def random_key() -> str:
    return uuid.uuid4().hex


# A vote for one district's residents. A table of its own, so that SQLite never rebuilds `votes` (its
# children would be deleted); RESTRICT: a district used by a vote cannot be deleted, so a vote never
# widens to the whole council by accident.
vote_districts = Table(
    "vote_districts",
    db.metadata,
    Column("vote_id", ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="RESTRICT"), nullable=False, index=True),
)


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint(f"method IN ({_sql_in(METHODS)})", name="method_known"),
        CheckConstraint(f"status IN ({_sql_in(Status)})", name="status_known"),
        CheckConstraint(f"electorate IN ({_sql_in(Electorate)})", name="electorate_known"),
        CheckConstraint("max_proxies >= 0", name="max_proxies_positive"),
        CheckConstraint("NOT (is_secret AND allows_change)", name="secret_ballots_final"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    # A motion may be the adoption of an opinion; the opinions work reads the result from here.
    opinion_id: Mapped[int | None] = mapped_column(ForeignKey("opinions.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    method: Mapped[str] = mapped_column(String(30))
    electorate: Mapped[str] = mapped_column(String(20), default=Electorate.MEMBERS.value)
    is_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    allows_change: Mapped[bool] = mapped_column(Boolean, default=False)
    max_score: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int | None] = mapped_column(Integer)
    # None: the default grades (keys translated when shown); else the labels typed by the council, worst first.
    grades: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    majority: Mapped[str | None] = mapped_column(String(20))
    quorum: Mapped[int | None] = mapped_column(Integer)  # minimum number of ballots
    electorate_size: Mapped[int | None] = mapped_column(Integer)  # declared; else counted when the vote closes
    max_proxies: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default=Status.DRAFT.value)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Stored when the vote closes: {"ranking", "winners", "details", "ballots", "quorum_reached"}.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    council: Mapped[Council] = relationship()
    # With the "residents" electorate: only the residents of this district (see vote_districts). Read
    # when asked for, and only a residents vote asks (one vote at a time): loading it with every vote
    # cost each ballot and each vote page a statement for a table that is empty for most votes.
    district: Mapped[District | None] = relationship(secondary="vote_districts", uselist=False)
    workshop: Mapped[Workshop | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    options: Mapped[list[VoteOption]] = relationship(
        back_populates="vote", order_by="VoteOption.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_motion(self) -> bool:
        return self.method == "motion"


class VoteOption(db.Model):
    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("vote_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(16), default="fr")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))

    vote: Mapped[Vote] = relationship(back_populates="options")
    proposal: Mapped[Proposal | None] = relationship()

    @property
    def key(self) -> str:
        """The option as the counting engine and the CSV export name it."""
        return str(self.id)


class VoteProxy(db.Model):
    """A procuration: the giver lets the holder cast their ballot in this vote."""

    __tablename__ = "vote_proxies"
    __table_args__ = (
        UniqueConstraint("vote_id", "giver_id"),
        CheckConstraint("giver_id <> holder_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    giver: Mapped[User] = relationship(foreign_keys=[giver_id])
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])


class VoteParticipation(db.Model):
    """Who voted (and who cast it, for a proxy): never what. No time, a random key.

    The voter is an account, or, in a workshop vote, a participant who joined by code without one
    (then voter_id and cast_by_id are empty)."""

    __tablename__ = "vote_participations"
    __table_args__ = (
        UniqueConstraint("vote_id", "voter_id"),
        UniqueConstraint("vote_id", "participant_id"),
        CheckConstraint(f"channel IN ({_sql_in(Channel)})", name="channel_known"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_key)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # SET NULL: the participation still counts in the turnout if the identity is ever removed.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_participants.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE.value)

    voter: Mapped[User | None] = relationship(foreign_keys=[voter_id])
    cast_by: Mapped[User | None] = relationship(foreign_keys=[cast_by_id])


class VoteBallot(db.Model):
    """What was voted. voter_id (or participant_id) is set only in an open vote (the roll call); a secret
    or a paper ballot has no voter, no time and a random key."""

    __tablename__ = "vote_ballots"
    __table_args__ = (
        UniqueConstraint("vote_id", "voter_id"),
        UniqueConstraint("vote_id", "participant_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_key)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_participants.id", ondelete="SET NULL"))
    content: Mapped[Any] = mapped_column(JSON(none_as_null=True))


class PaperEntry(db.Model):
    """Ballots typed in by a facilitator: counts per option, or one paper ballot (its content is a VoteBallot)."""

    __tablename__ = "vote_paper_entries"
    __table_args__ = (
        CheckConstraint("channel IN ('room', 'paper')", name="channel_known"),
        CheckConstraint("ballots >= 1", name="ballots_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    ballots: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))  # None: one individual ballot
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[User | None] = relationship()
