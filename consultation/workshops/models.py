"""A concertation workshop held by a council."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db
from consultation.workshops.phases import ORDER, Phase

if TYPE_CHECKING:
    from consultation.councils.models import Council

_PHASES_SQL = ", ".join(f"'{phase.value}'" for phase in ORDER)


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint(f"phase IN ({_PHASES_SQL})", name="phase_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    phase: Mapped[str] = mapped_column(String(20), default=Phase.WELCOME.value)
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    phase_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()

    @property
    def phase_enum(self) -> Phase:
        return Phase(self.phase)
