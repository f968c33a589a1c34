"""A person with an account on the platform."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, Text, case, literal
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consultation.db import utcnow
from consultation.extensions import db
from consultation.permissions import Actor

if TYPE_CHECKING:
    from consultation.councils.models import Membership


def session_fingerprint(password_hash: str, epoch: int = 0) -> str:
    """What a session must match: the password, and how many times the person logged out everywhere."""
    material = password_hash if not epoch else f"{password_hash}\n{epoch}"
    return hashlib.sha256(b"session\n" + material.encode()).hexdigest()[:16]


def user_of_session(value: str) -> User | None:
    """Flask-Login's user loader: the account named by a session, if its password has not changed since."""
    user_id, _sep, fingerprint = value.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(
        fingerprint, session_fingerprint(user.password_hash, user.session_epoch or 0)
    ):
        return None
    return user


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("email_delivery IN ('immediate', 'daily')", name="email_delivery_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # The name as typed; read it through display_name, which knows about deleted accounts.
    stored_name: Mapped[str] = mapped_column("display_name", String(80))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the person deleted their account: the row stays as an anonymous tombstone so that
    # their proposals, supports and ballots keep counting (consultation.privacy.services).
    deleted_at: Mapped[datetime | None]
    # Set when the person opened the link mailed to `email`; notification mail only goes to a confirmed address.
    email_confirmed_at: Mapped[datetime | None]
    # A new address waiting for its confirmation link; `email` stays the login until then.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # When the person accepted the participation charter and the privacy notice (None: account made by an admin).
    charter_accepted_at: Mapped[datetime | None]
    languages_spoken: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Notification mail: "immediate" (one mail each) or "daily" (one digest a day); kinds listed here get none.
    email_delivery: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    email_muted_kinds: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    # "Log out everywhere" counts up: every session made before no longer matches (session_fingerprint).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Second factor (TOTP, RFC 6238) for administrators and municipal officers who turn it on; the last
    # time step accepted, so that a code cannot be played twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Set by a platform administrator after repeated abuse (consultation.moderation): no login, no session.
    blocked_at: Mapped[datetime | None]
    blocked_reason: Mapped[str | None] = mapped_column(Text)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    @hybrid_property
    def display_name(self) -> str:
        # Translated when shown, in the reader's language: never stored.
        return gettext("Deleted account") if self.deleted_at is not None else self.stored_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self.stored_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        # Queries that select names (a roll call) get the same words as the pages.
        return case((cls.deleted_at.is_not(None), literal(gettext("Deleted account"))), else_=cls.stored_name)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt, a memory-hard hash.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        # The session names the account and its password: a new password ends every other session
        # (and remember-me cookie) of the account.
        return f"{self.id}:{session_fingerprint(self.password_hash, self.session_epoch or 0)}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account and self.blocked_at is None

    @property
    def actor(self) -> Actor:
        return Actor.of(self.id, ((m.council_id, m.role) for m in self.memberships), is_admin=self.is_admin)

    def __repr__(self) -> str:
        return f"<User {self.id}>"
