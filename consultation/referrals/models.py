"""A question a council works on: referred to it (saisine) or taken up by itself (auto-saisine)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.councils.models import Council

KINDS = ("referral", "self")


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (CheckConstraint("kind IN ('referral', 'self')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="referral")
    # Who referred the question (the mayor, a deputy, a department); empty for a self-referral.
    referred_by: Mapped[str] = mapped_column(String(200), default="")
    referred_on: Mapped[date] = mapped_column(Date)
    answer_expected_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()

    @property
    def is_self_referral(self) -> bool:
        return self.kind == "self"
