"""An opinion (avis) drafted by a council from a workshop, with the proposals it rests on."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council
    from consultation.proposals.models import Proposal
    from consultation.workshops.models import Workshop


class Opinion(db.Model):
    __tablename__ = "opinions"
    __table_args__ = (CheckConstraint("status IN ('draft', 'adopted')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    recommendations: Mapped[str] = mapped_column(Text)  # Markdown, sanitised when rendered
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    council: Mapped[Council] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    items: Mapped[list[OpinionItem]] = relationship(
        back_populates="opinion", order_by="OpinionItem.position", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.status == "adopted"


class OpinionItem(db.Model):
    """A proposal the opinion rests on, with its support count frozen when the opinion was drafted."""

    __tablename__ = "opinion_items"
    __table_args__ = (
        UniqueConstraint("opinion_id", "proposal_id"),
        CheckConstraint("support_count >= 0", name="support_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    support_count: Mapped[int] = mapped_column(Integer)

    opinion: Mapped[Opinion] = relationship(back_populates="items")
    proposal: Mapped[Proposal] = relationship(lazy="joined")
