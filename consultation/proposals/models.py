"""A proposal brought to a workshop, the supports it gets, its edits and its paper counts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, column
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.consultations.models import Consultation
    from consultation.councils.models import District, Theme
    from consultation.workshops.models import Workshop, WorkshopParticipant

# "withdrawn": the author of an online consultation's proposal took it back.
STATUSES = ("submitted", "accepted", "rejected", "merged", "withdrawn")
VISIBLE_STATUSES = ("submitted", "accepted")
ORIGINS = ("online", "paper")


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'accepted', 'rejected', 'merged', 'withdrawn')", name="status_known"),
        CheckConstraint("origin IN ('online', 'paper')", name="origin_known"),
        # Brought to a workshop or to an online consultation: one of the two, never both.
        CheckConstraint("(workshop_id IS NULL) <> (consultation_id IS NULL)", name="one_home"),
        # The orders of a workshop's ranking and of a consultation's list by support: an index scan.
        Index("ix_proposals_workshop_ranking", "workshop_id", column("support_total").desc(), "created_at", "id"),
        Index(
            "ix_proposals_consultation_ranking",
            "consultation_id",
            column("support_total").desc(),
            column("created_at").desc(),
            column("id").desc(),
        ),
        # Every column that counting a workshop's visible proposals and the live pages' version read: an
        # index-only scan (migration 0021).
        Index(
            "ix_proposals_workshop_aggregates",
            "workshop_id",
            "status",
            "hidden_at",
            "support_total",
            "created_at",
            "updated_at",
            "id",
        ),
        # The open data API's order within a workshop (by id, from a cursor): it stops after one page
        # whatever plan PostgreSQL caches for the statement (migration 0022).
        Index("ix_proposals_workshop_order", "workshop_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    # A consultation's proposal retained for a workshop: the proposal it became there.
    retained_as_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    # Title and body folded (lower case, no accents), kept in step by consultation.consultations.models:
    # a plain LIKE on it is a case- and accent-insensitive search on SQLite and PostgreSQL alike.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Set when the author joined the workshop with its code (with or without an account).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_participants.id", ondelete="SET NULL"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The language the author wrote in: content is not translated by gettext.
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default="submitted", server_default="submitted")
    rejection_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Hidden by the council's moderators (consultation.moderation): out of every list; the author is told why.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    # A sticky note typed in by a facilitator: who collected it, and the name written on it (if any).
    origin: Mapped[str] = mapped_column(String(20), default="online", server_default="online")
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    paper_author: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Online supports + paper counts, maintained by database triggers on supports and paper_counts
    # (migration 0020_support_totals) whatever writes them: never write it from Python. A loaded object
    # does not see what a trigger changed since: read it fresh (or count) when the figure matters.
    support_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    workshop: Mapped[Workshop | None] = relationship()
    consultation: Mapped[Consultation | None] = relationship()
    district: Mapped[District | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    participant: Mapped[WorkshopParticipant | None] = relationship()
    collected_by: Mapped[User | None] = relationship(foreign_keys=[collected_by_id])
    theme: Mapped[Theme | None] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    retained_as: Mapped[Proposal | None] = relationship(remote_side=[id], foreign_keys=[retained_as_id])

    @property
    def council_id(self) -> int | None:
        """The council of its workshop or of its consultation."""
        home = self.workshop if self.workshop_id is not None else self.consultation
        return home.council_id if home is not None else None

    @property
    def is_paper(self) -> bool:
        return self.origin == "paper"

    @property
    def author_name(self) -> str:
        """The name shown for the author; empty when anonymous."""
        if self.is_paper:
            return self.paper_author
        if self.participant is not None:
            return self.participant.display_name
        return self.author.display_name if self.author else ""


class Support(db.Model):
    """One person's support for one proposal: by account, by workshop identity, or both.

    Both unique constraints together make a double support impossible, whichever way the person
    came in (a person with an account who joined by code carries both ids)."""

    __tablename__ = "supports"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id"),
        UniqueConstraint("proposal_id", "participant_id"),
        CheckConstraint("user_id IS NOT NULL OR participant_id IS NOT NULL", name="has_supporter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_participants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalRevision(db.Model):
    """The text of a proposal before a facilitator corrected it, and who did it when."""

    __tablename__ = "proposal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    previous_title: Mapped[str] = mapped_column(String(200))
    previous_body: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)

    edited_by: Mapped[User | None] = relationship()


class PaperCount(db.Model):
    """A show of hands (or paper ballots) for a proposal, counted by a facilitator in the room."""

    __tablename__ = "paper_counts"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    collected_by: Mapped[User | None] = relationship()
