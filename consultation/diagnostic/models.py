"""A diagnostic, its challenges, their workshops and the frozen ranking that calls and opinions cite."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.diagnostic.rules import ChallengeStatus, Step
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council, Theme
    from consultation.voting.models import Vote
    from consultation.workshops.models import Workshop


def _sql_in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


# A challenge discussed in a workshop (a workshop may discuss several challenges, and the reverse).
challenge_workshops = Table(
    "challenge_workshops",
    db.metadata,
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Diagnostic(db.Model):
    __tablename__ = "diagnostics"
    __table_args__ = (
        CheckConstraint(f"step IN ({_sql_in(Step)})", name="step_known"),
        CheckConstraint("closes_on IS NULL OR closes_on >= opens_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(20), default=Step.COLLECTING.value)
    # The prioritisation vote; SET NULL keeps the frozen ranking if the vote is ever deleted.
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("votes.id", ondelete="SET NULL"))
    ranked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()
    vote: Mapped[Vote | None] = relationship()

    @property
    def step_enum(self) -> Step:
        return Step(self.step)


class Challenge(db.Model):
    """A challenge (défi) of the territory, numbered within its diagnostic (#1, #2 …) for citations."""

    __tablename__ = "challenges"
    __table_args__ = (
        UniqueConstraint("diagnostic_id", "number"),
        CheckConstraint(f"status IN ({_sql_in(ChallengeStatus)})", name="status_known"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostics.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    status: Mapped[str] = mapped_column(String(20), default=ChallengeStatus.PROPOSED.value)
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="SET NULL"))
    # The option that stands for this challenge in the prioritisation vote.
    vote_option_id: Mapped[int | None] = mapped_column(ForeignKey("vote_options.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    moderated_at: Mapped[datetime | None]

    diagnostic: Mapped[Diagnostic] = relationship()
    author: Mapped[User | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    merged_into: Mapped[Challenge | None] = relationship(remote_side="Challenge.id")
    workshops: Mapped[list[Workshop]] = relationship(secondary=challenge_workshops, order_by="Workshop.starts_at")


class ChallengeRanking(db.Model):
    """One line of a diagnostic's frozen ranking: written once when the vote is counted, never changed."""

    __tablename__ = "challenge_rankings"
    __table_args__ = (
        UniqueConstraint("diagnostic_id", "challenge_id"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostics.id", ondelete="CASCADE"), index=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)
    # Kept as they were when ranked: a later edit of the challenge does not rewrite what was cited.
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(30))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    ranked_at: Mapped[datetime]

    diagnostic: Mapped[Diagnostic] = relationship()
    challenge: Mapped[Challenge] = relationship()
