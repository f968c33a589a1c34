"""An online consultation of a council, and what residents do around its proposals: attachments,
comments, follows, and the dated history of each proposal's handling by the council."""

from __future__ import annotations

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
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.consultations import rules
from consultation.db import utcnow
from consultation.extensions import db
from consultation.proposals.models import Proposal

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council, District, Theme
    from consultation.referrals.models import Question

consultation_themes = Table(
    "consultation_themes",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

consultation_districts = Table(
    "consultation_districts",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Consultation(db.Model):
    """Residents send proposals online between two dates, on a question of the council."""

    __tablename__ = "consultations"
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised when rendered
    language: Mapped[str] = mapped_column(String(16), default="fr")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()
    question: Mapped[Question | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=consultation_themes, order_by="Theme.name")
    districts: Mapped[list[District]] = relationship(secondary=consultation_districts, order_by="District.name")

    def status_at(self, now: datetime) -> rules.ConsultationStatus:
        return rules.consultation_status(
            is_published=self.is_published, opens_at=self.opens_at, closes_at=self.closes_at, now=now
        )


ATTACHMENT_TYPES = ("image/png", "image/jpeg", "image/webp", "application/pdf")
_TYPES_SQL = ", ".join(f"'{kind}'" for kind in ATTACHMENT_TYPES)


class ProposalAttachment(db.Model):
    """The one image or PDF a proposal may carry, stored under the instance folder with a random name."""

    __tablename__ = "proposal_attachments"
    __table_args__ = (
        CheckConstraint(f"content_type IN ({_TYPES_SQL})", name="content_type_known"),
        CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))  # found in the content, never taken from the upload
    size: Mapped[int] = mapped_column(Integer)
    # For people who cannot see the image; empty for a PDF.
    description: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}.get(self.content_type, "pdf")


class ProposalComment(db.Model):
    """A comment on a proposal, or a reply to one (one level: a reply answers a comment, not a reply)."""

    __tablename__ = "proposal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)  # Markdown, sanitised when rendered
    language: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Hidden by the council's moderators (consultation.moderation): its words are no longer shown.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author: Mapped[User | None] = relationship()


class Follow(db.Model):
    """A person follows a proposal (new comments) or a consultation (new proposals)."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (consultation_id IS NULL)", name="one_target"),
        UniqueConstraint("user_id", "proposal_id"),
        UniqueConstraint("user_id", "consultation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


EVENT_KINDS = ("received", "edited", "accepted", "rejected", "merged", "retained", "withdrawn")
_EVENTS_SQL = ", ".join(f"'{kind}'" for kind in EVENT_KINDS)


class ProposalEvent(db.Model):
    """One dated step of a proposal's handling: the author's timeline is made of these (and of the
    opinions that cite it, read from the opinions themselves)."""

    __tablename__ = "proposal_events"
    __table_args__ = (CheckConstraint(f"kind IN ({_EVENTS_SQL})", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Proposal, "before_insert")
@event.listens_for(Proposal, "before_update")
def _keep_search_text(mapper, connection, proposal: Proposal) -> None:
    """Every proposal, whichever page or command wrote it, stays findable by the search."""
    proposal.search_text = rules.fold(f"{proposal.title or ''}\n{proposal.body or ''}")
