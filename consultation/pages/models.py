"""The platform's accessibility statement, as the administrator last filled it in."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consultation.db import utcnow
from consultation.extensions import db


class ComplianceStatus(enum.StrEnum):
    """The three statuses the RGAA allows a statement to declare."""

    NOT_COMPLIANT = "not_compliant"
    PARTIALLY_COMPLIANT = "partially_compliant"
    FULLY_COMPLIANT = "fully_compliant"


class AccessibilityStatement(db.Model):
    """One row for the platform; its texts are content written in `language`, not gettext."""

    __tablename__ = "accessibility_statements"
    __table_args__ = (
        CheckConstraint("status IN ('not_compliant', 'partially_compliant', 'fully_compliant')", name="status_known"),
        CheckConstraint("compliance_rate IS NULL OR (compliance_rate BETWEEN 0 AND 100)", name="rate_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(30), default=ComplianceStatus.NOT_COMPLIANT.value)
    compliance_rate: Mapped[int | None]
    established_on: Mapped[date]
    entity: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(Text)
    non_accessible_content: Mapped[str] = mapped_column(Text, default="")
    recourse: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def status_enum(self) -> ComplianceStatus:
        return ComplianceStatus(self.status)
