"""A citizen council, who holds which role in it, and the themes proposals are filed under."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.db import utcnow
from consultation.extensions import db
from consultation.permissions import Role

if TYPE_CHECKING:
    from consultation.accounts.models import User


class Council(db.Model):
    __tablename__ = "councils"
    __table_args__ = (
        CheckConstraint("retention_months IS NULL OR retention_months > 0", name="retention_months_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    territory: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    default_locale: Mapped[str] = mapped_column(String(16), default="fr")
    # Months the municipality has to answer an opinion (3, as after a national public debate).
    response_months: Mapped[int] = mapped_column(Integer, default=3)
    # Months personal data of ended workshops is kept (`flask privacy purge`); None: kept until deleted.
    retention_months: Mapped[int | None] = mapped_column(Integer)
    # IANA zone in which the council's times are typed and shown (French Guiana: America/Cayenne).
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Paris", server_default="Europe/Paris")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="council", order_by="Theme.name", cascade="all, delete-orphan"
    )
    districts: Mapped[list[District]] = relationship(
        back_populates="council", order_by="District.name", cascade="all, delete-orphan"
    )


class Membership(db.Model):
    """One role held by one person in one council; a person may hold several."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "council_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    council: Mapped[Council] = relationship()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("council_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    council: Mapped[Council] = relationship(back_populates="themes")


class District(db.Model):
    """A district (quartier) of the council's territory: a vote can be for its residents only."""

    __tablename__ = "districts"
    __table_args__ = (UniqueConstraint("council_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    council: Mapped[Council] = relationship(back_populates="districts")


class Residence(db.Model):
    """The district a person says they live in, in one council's territory."""

    __tablename__ = "residences"
    __table_args__ = (UniqueConstraint("user_id", "council_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    district: Mapped[District] = relationship()
