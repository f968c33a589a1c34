"""A concertation workshop held by a council, its agenda, registrations, participants and history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db
from consultation.workshops.phases import ORDER, Phase

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council
    from consultation.referrals.models import Question

_PHASES_SQL = ", ".join(f"'{phase.value}'" for phase in ORDER)


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint(f"phase IN ({_PHASES_SQL})", name="phase_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    # Languages spoken in the room, as people write them ("français, kreyòl, português").
    languages_spoken: Mapped[str] = mapped_column(String(300), default="", server_default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # Easy-to-read summary (facile à lire et à comprendre), Markdown, in the workshop's language.
    easy_read: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Read aloud in the room; cleared when the workshop closes so codes are unique among open workshops.
    join_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    phase: Mapped[str] = mapped_column(String(20), default=Phase.WELCOME.value)
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    phase_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()
    question: Mapped[Question | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="workshop", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    @property
    def phase_enum(self) -> Phase:
        return Phase(self.phase)


class AgendaItem(db.Model):
    """One item of the agenda with its time box; started_at is set when the facilitator opens it."""

    __tablename__ = "agenda_items"
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    workshop: Mapped[Workshop] = relationship(back_populates="agenda")

    @property
    def deadline(self) -> datetime | None:
        return self.started_at + timedelta(minutes=self.duration_minutes) if self.started_at else None

    @property
    def is_running(self) -> bool:
        return self.started_at is not None and self.ended_at is None


REGISTRATION_STATUSES = ("confirmed", "waiting", "cancelled")


class Registration(db.Model):
    """A resident's seat at a workshop, or their place on the waiting list."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        CheckConstraint("status IN ('confirmed', 'waiting', 'cancelled')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # The waiting list is served in the order people asked; re-registering puts one at the back.
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class WorkshopParticipant(db.Model):
    """An identity for one workshop only, made by joining with the code; linked to an account if any."""

    __tablename__ = "workshop_participants"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Empty when the person chose to stay anonymous.
    display_name: Mapped[str] = mapped_column(String(80), default="")
    charter_accepted_at: Mapped[datetime]
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class WorkshopEvent(db.Model):
    """The workshop's history: one row per facilitator action (who, what, when)."""

    __tablename__ = "workshop_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()

    @property
    def details(self) -> dict[str, Any]:
        try:
            value = json.loads(self.details_json or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


ATTENDANCE_STATUSES = ("present", "excused", "absent")
CHANNELS = ("room", "online")


class Attendance(db.Model):
    """One line of the sign-in sheet: a registered person, a participant who joined by code, or a walk-in
    whose name the facilitator typed; ticked by the facilitator or checked in by the person."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        UniqueConstraint("workshop_id", "participant_id"),
        CheckConstraint("status IN ('present', 'excused', 'absent')", name="status_known"),
        CheckConstraint("channel IN ('room', 'online')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_participants.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="room")
    is_self_check_in: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    participant: Mapped[WorkshopParticipant | None] = relationship()


class WorkshopMinutes(db.Model):
    """One version of the minutes (compte rendu); every save is a new version, one may be published."""

    __tablename__ = "workshop_minutes"
    __table_args__ = (
        UniqueConstraint("workshop_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # Markdown, sanitised when rendered
    language: Mapped[str] = mapped_column(String(16))
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
