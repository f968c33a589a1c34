"""A call for projects: terms and criteria, cited challenges, applications with partners and files, the jury,
its conflicts of interest and its marks."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.calls.rules import CallStatus, Scoring
from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council
    from consultation.diagnostic.models import ChallengeRanking
    from consultation.opinions.models import Opinion
    from consultation.workshops.models import Workshop


def _sql_in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


# The ranked challenges of a diagnostic that a call answers (cited with their rank and date).
call_challenges = Table(
    "call_challenges",
    db.metadata,
    Column("call_id", ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True),
    Column("ranking_id", ForeignKey("challenge_rankings.id", ondelete="CASCADE"), primary_key=True),
)


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(f"status IN ({_sql_in(CallStatus)})", name="status_known"),
        CheckConstraint(f"scoring IN ({_sql_in(Scoring)})", name="scoring_known"),
        CheckConstraint("budget >= 1", name="budget_positive"),
        CheckConstraint("min_organisations >= 0", name="min_organisations_positive"),
        CheckConstraint("closes_on >= opens_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    # The workshop where the terms are drafted with the actors (proposals and comments).
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[str] = mapped_column(String(500), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    budget: Mapped[int] = mapped_column(Integer)  # euros
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    scoring: Mapped[str] = mapped_column(String(10), default=Scoring.SCORE.value)
    min_organisations: Mapped[int] = mapped_column(Integer, default=0)  # 0: applicants may apply alone
    status: Mapped[str] = mapped_column(String(20), default=CallStatus.DRAFTING.value)
    # The terms as published, frozen: what applicants answered and the jury scored against.
    published_terms: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    published_at: Mapped[datetime | None]
    results_published_at: Mapped[datetime | None]
    # The council's opinion on the results, once one is drafted.
    opinion_id: Mapped[int | None] = mapped_column(ForeignKey("opinions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
    opinion: Mapped[Opinion | None] = relationship()
    criteria: Mapped[list[CallCriterion]] = relationship(
        back_populates="call", order_by="CallCriterion.position", cascade="all, delete-orphan", lazy="selectin"
    )
    challenges: Mapped[list[ChallengeRanking]] = relationship(secondary=call_challenges, lazy="selectin")


class CallCriterion(db.Model):
    __tablename__ = "call_criteria"
    __table_args__ = (
        UniqueConstraint("call_id", "position"),
        CheckConstraint("weight BETWEEN 1 AND 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer, default=1)

    call: Mapped[Call] = relationship(back_populates="criteria")


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("budget_requested >= 0", name="budget_requested_positive"),
        CheckConstraint("amount_granted IS NULL OR amount_granted >= 0", name="amount_granted_positive"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="fr")
    budget_requested: Mapped[int] = mapped_column(Integer)
    # {criterion id (as text): the applicant's answer}
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Filled when the results are published.
    rank: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # the aggregate, frozen
    is_selected: Mapped[bool] = mapped_column(Boolean, default=False)
    amount_granted: Mapped[int | None] = mapped_column(Integer)
    jury_reasons: Mapped[str] = mapped_column(Text, default="")

    call: Mapped[Call] = relationship()
    applicant: Mapped[User | None] = relationship()
    partners: Mapped[list[ApplicationPartner]] = relationship(
        order_by="ApplicationPartner.position", cascade="all, delete-orphan", lazy="selectin"
    )
    attachments: Mapped[list[ApplicationAttachment]] = relationship(
        order_by="ApplicationAttachment.id", cascade="all, delete-orphan"
    )


class ApplicationPartner(db.Model):
    """One organisation of a group application: its name as typed, linked to the directory when it is there."""

    __tablename__ = "application_partners"
    __table_args__ = (UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))


class ApplicationAttachment(db.Model):
    __tablename__ = "application_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300), default="")

    @property
    def extension(self) -> str:
        return self.stored_name.rsplit(".", 1)[-1]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class JuryMember(db.Model):
    __tablename__ = "jury_members"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    named_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class JuryConflict(db.Model):
    """A jury member's declared conflict of interest: they never score that application."""

    __tablename__ = "jury_conflicts"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class JuryScore(db.Model):
    """A jury member's mark on one criterion of one application: 0–10, or a grade index (worst first)."""

    __tablename__ = "jury_scores"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id", "user_id"),
        CheckConstraint("value BETWEEN 0 AND 10", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_criteria.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)
