"""Tables of the territory's directory (organisations, their representatives, workshop experts) and of
project holders' requests (themes, referrals to organisations, the dated steps of their follow-up)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.consultations.rules import fold
from consultation.db import utcnow
from consultation.extensions import db
from consultation.territory import rules

if TYPE_CHECKING:
    from consultation.accounts.models import User
    from consultation.councils.models import Council, District, Theme


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


organisation_themes = Table(
    "organisation_themes",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

organisation_districts = Table(
    "organisation_districts",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True, index=True),
)

project_request_themes = Table(
    "project_request_themes",
    db.metadata,
    Column("request_id", ForeignKey("project_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(db.Model):
    """A local actor of the directory. Public once approved (created by a facilitator, or its first
    representative approved) and not hidden by the council's facilitators."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("council_id", "name"),
        CheckConstraint(f"kind IN ({_in(rules.OrganisationKind)})", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    services: Mapped[str] = mapped_column(Text, default="")  # what it offers, in its own words
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    is_welcoming_holders: Mapped[bool] = mapped_column(Boolean, default=False)
    # Folded name, services and description: a plain LIKE finds them whatever the case and accents.
    search_text: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Council] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=organisation_themes, order_by="Theme.name")
    districts: Mapped[list[District]] = relationship(secondary=organisation_districts, order_by="District.name")
    language_rows: Mapped[list[OrganisationLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationLanguage.language"
    )

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    @property
    def is_public(self) -> bool:
        return self.approved_at is not None and self.hidden_at is None


class OrganisationLanguage(db.Model):
    """A language the organisation's people speak with the public (a code of the platform's list)."""

    __tablename__ = "organisation_languages"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)


class OrganisationRepresentative(db.Model):
    """A person who asked to speak for an organisation; once approved, they edit its entry."""

    __tablename__ = "organisation_representatives"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        CheckConstraint(f"status IN ({_in(rules.RepresentationStatus)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=rules.RepresentationStatus.PENDING.value)
    role_title: Mapped[str] = mapped_column(String(120), default="")  # their role in the organisation
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class WorkshopExpert(db.Model):
    """Someone from an organisation of the directory, invited to a workshop as an expert."""

    __tablename__ = "workshop_experts"
    __table_args__ = (UniqueConstraint("workshop_id", "organisation_id", "person_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    person_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class ProjectRequest(db.Model):
    """A project holder's request for help: what the project is, what it needs, where and in which language."""

    __tablename__ = "project_requests"
    __table_args__ = (CheckConstraint(f"status IN ({_in(rules.RequestStatus)})", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    needs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    needs_other: Mapped[str] = mapped_column(String(300), default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default=rules.RequestStatus.RECEIVED.value)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The first referral or change of status: the municipality's "time to first answer".
    first_answered_at: Mapped[datetime | None]

    council: Mapped[Council] = relationship()
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    district: Mapped[District | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=project_request_themes, order_by="Theme.name")
    referrals: Mapped[list[ProjectReferral]] = relationship(
        back_populates="request", order_by="ProjectReferral.id", cascade="all, delete-orphan"
    )


class ProjectReferral(db.Model):
    """A request sent on to an organisation of the directory."""

    __tablename__ = "project_referrals"
    __table_args__ = (UniqueConstraint("request_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("project_requests.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ProjectRequest] = relationship(back_populates="referrals")
    organisation: Mapped[Organisation] = relationship()


EVENT_KINDS = ("received", "assigned", "referred", "status", "note")


class ProjectRequestEvent(db.Model):
    """One dated step of a request's follow-up. Notes are for the team only; the holder's timeline
    shows the other steps."""

    __tablename__ = "project_request_events"
    __table_args__ = (CheckConstraint(f"kind IN ({_in(EVENT_KINDS)})", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("project_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


@event.listens_for(Organisation, "before_insert")
@event.listens_for(Organisation, "before_update")
def _keep_search_text(mapper, connection, organisation: Organisation) -> None:
    organisation.search_text = fold(
        f"{organisation.name or ''}\n{organisation.services or ''}\n{organisation.description or ''}"
    )
