"""An opinion (avis) of a council: its sections and recommendations, drafting history, adoption,
transmission to the municipality and the municipality's answer to each recommendation."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
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

from consultation.db import utcnow
from consultation.extensions import db
from consultation.opinions.rules import DEFAULT_RESPONSE_MONTHS, AnswerStatus

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.consultations.models import Consultation
    from consultation.councils.models import Council
    from consultation.proposals.models import Proposal
    from consultation.referrals.models import Question
    from consultation.workshops.models import Workshop

STATUSES = ("draft", "adopted")
_ANSWERS_SQL = ", ".join(f"'{status.value}'" for status in AnswerStatus)

recommendation_sources = Table(
    "recommendation_sources",
    db.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
)

# Workshops gathered beside the one the opinion started from (Opinion.workshop).
opinion_workshops = Table(
    "opinion_workshops",
    db.metadata,
    Column("opinion_id", ForeignKey("opinions.id", ondelete="CASCADE"), primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
)

# Online consultations the opinion gathers: their most supported proposals join the annex.
opinion_consultations = Table(
    "opinion_consultations",
    db.metadata,
    Column("opinion_id", ForeignKey("opinions.id", ondelete="CASCADE"), primary_key=True),
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Opinion(db.Model):
    __tablename__ = "opinions"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'adopted')", name="status_known"),
        CheckConstraint("response_months >= 1", name="response_months_positive"),
        UniqueConstraint("council_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("opinions.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    # Sections, Markdown sanitised when rendered.
    context: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    dissent: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")  # introduction to the recommendations
    # Easy-to-read summary (facile à lire et à comprendre), Markdown; not part of the adopted text.
    easy_read: Mapped[str] = mapped_column(Text, default="", server_default="")
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    number: Mapped[str | None] = mapped_column(String(20))  # "2026-03", stamped at adoption
    adopted_at: Mapped[datetime | None]
    adoption_vote_id: Mapped[int | None] = mapped_column(Integer)  # the motion vote that adopted it
    adoption_result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    transmitted_on: Mapped[date | None] = mapped_column(Date)
    addressee: Mapped[str] = mapped_column(String(200), default="")
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    response_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_RESPONSE_MONTHS)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    council: Mapped[Council] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
    more_workshops: Mapped[list[Workshop]] = relationship(
        secondary=opinion_workshops, order_by="Workshop.starts_at", lazy="selectin"
    )
    consultations: Mapped[list[Consultation]] = relationship(
        secondary=opinion_consultations, order_by="Consultation.opens_at", lazy="selectin"
    )
    question: Mapped[Question | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    previous_version: Mapped[Opinion | None] = relationship(remote_side="Opinion.id")
    items: Mapped[list[OpinionItem]] = relationship(
        back_populates="opinion", order_by="OpinionItem.position", cascade="all, delete-orphan"
    )
    recommendation_list: Mapped[list[Recommendation]] = relationship(
        back_populates="opinion", order_by="Recommendation.position", cascade="all, delete-orphan"
    )
    answer: Mapped[MunicipalAnswer | None] = relationship(back_populates="opinion", cascade="all, delete-orphan")

    @property
    def is_public(self) -> bool:
        return self.status == "adopted"

    @property
    def translatable_text(self) -> str:
        """The opinion's words as one Markdown text, for a translation into another language."""
        parts = [self.context, self.findings, self.recommendations]
        parts += [f"{r.position}. {r.text}" for r in self.recommendation_list]
        parts.append(self.dissent)
        return "\n\n".join(part.strip() for part in parts if part and part.strip())

    @property
    def workshops(self) -> list[Workshop]:
        """Every workshop the opinion gathers, the first one it started from, then by date."""
        first = [self.workshop] if self.workshop is not None else []
        return first + [w for w in self.more_workshops if w.id != self.workshop_id]

    @property
    def workshop_ids(self) -> list[int]:
        return [w.id for w in self.workshops]

    @property
    def consultation_ids(self) -> list[int]:
        return [c.id for c in self.consultations]

    @property
    def is_frozen(self) -> bool:
        """An adopted opinion never changes: a correction is a new, linked version."""
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


class Recommendation(db.Model):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("opinion_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    opinion: Mapped[Opinion] = relationship(back_populates="recommendation_list")
    # Shown with every recommendation (the page, the PDF, the exports): loaded for all of an opinion's
    # recommendations at once, not one query per recommendation.
    sources: Mapped[list[Proposal]] = relationship(
        secondary=recommendation_sources, order_by="Proposal.id", lazy="selectin"
    )
    answer: Mapped[RecommendationAnswer | None] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", lazy="selectin"
    )


class OpinionRevision(db.Model):
    """A saved state of a draft: who changed it and when, to show the history and diffs."""

    __tablename__ = "opinion_revisions"
    __table_args__ = (UniqueConstraint("opinion_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    author: Mapped[User | None] = relationship()


class OpinionComment(db.Model):
    __tablename__ = "opinion_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class MunicipalAnswer(db.Model):
    """The municipality's overall, dated answer to an opinion."""

    __tablename__ = "municipal_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), unique=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    opinion: Mapped[Opinion] = relationship(back_populates="answer")
    answered_by: Mapped[User | None] = relationship()


class RecommendationAnswer(db.Model):
    __tablename__ = "recommendation_answers"
    __table_args__ = (CheckConstraint(f"status IN ({_ANSWERS_SQL})", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    expected_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="answer")


class OpinionFollower(db.Model):
    __tablename__ = "opinion_followers"
    __table_args__ = (UniqueConstraint("opinion_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
