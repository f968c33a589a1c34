"""Reports of content by readers, and the content moderators hid (until they restore it)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User

# Why a person reports content; "other" asks for a few words.
REASONS = ("abuse", "personal_data", "spam", "off_topic", "other")
# How moderators closed a report: the content was hidden, or the report was dismissed.
OUTCOMES = ("hidden", "dismissed")


class Report(db.Model):
    """One person's report of one piece of content, open until a moderator closes it."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("reason IN ('abuse', 'personal_data', 'spam', 'off_topic', 'other')", name="reason_known"),
        CheckConstraint("outcome IS NULL OR outcome IN ('hidden', 'dismissed')", name="outcome_known"),
        Index("ix_reports_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What is reported: a kind of consultation.moderation.registry and the id of its row.
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    # The council whose moderators handle it, found when the report is made.
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(20))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Hiding(db.Model):
    """A piece of content hidden by moderators, and its restoration: each person's count of hidden
    contributions (what an administrator weighs before blocking an account) is read here."""

    __tablename__ = "hidings"
    __table_args__ = (Index("ix_hidings_target", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    restored_at: Mapped[datetime | None]
    restored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    restore_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_current(self) -> bool:
        return self.restored_at is None
