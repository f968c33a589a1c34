"""A translation of a person's text (a proposal, a workshop's presentation) into a shipped language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User

STATUSES = ("proposed", "verified", "rejected")


class TextTranslation(db.Model):
    __tablename__ = "text_translations"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'verified', 'rejected')", name="status_known"),
        Index("ix_text_translations_target", "target_kind", "target_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What is translated: a kind of the registry ("proposal", "workshop") and its id.
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Fingerprint of the original when the translation was proposed (rules.source_fingerprint).
    source_fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    rejection_reason: Mapped[str] = mapped_column(Text, default="")

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
