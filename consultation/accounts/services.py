"""Account actions: register, authenticate, create by an administrator, choose a language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council, Membership
from consultation.errors import Conflict, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.permissions import Role


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(email: str, password: str, display_name: str, *, locale: str | None, now: datetime) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict(_l("An account already exists with this email address. Log in instead."))
    user = User(
        email=email,
        display_name=display_name.strip(),
        locale=locale if locale in LANGUAGES else None,
        created_at=now,
    )
    user.set_password(password)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the same address registered at the same instant
        raise Conflict(_l("An account already exists with this email address. Log in instead.")) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or not user.is_active:
        # Hash anyway so that timing does not reveal which addresses have an account.
        User(password_hash="").set_password(password)
        return None
    return user if user.check_password(password) else None


def set_locale(user: User, locale: str) -> None:
    if locale in LANGUAGES:
        user.locale = locale


def grant_role(user: User, council: Council, role: Role, *, now: datetime) -> Membership:
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.council_id == council.id, Membership.role == role.value
        )
    )
    if existing is not None:
        return existing
    membership = Membership(user=user, council=council, role=role.value, created_at=now)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "role.granted", actor_id=None, details={"user": user.id, "council": council.id, "role": role.value}, now=now
    )
    return membership


def create_account(
    email: str,
    password: str,
    *,
    role: Role,
    council_slug: str | None,
    display_name: str | None,
    now: datetime,
) -> User:
    """Used by the CLI: an administrator creates an account with a role, in a council or platform-wide."""
    council = None
    if council_slug:
        council = db.session.scalar(select(Council).where(func.lower(Council.slug) == council_slug.lower()))
        if council is None:
            raise NotFound(_l("No council has this identifier."))
    elif role is not Role.ADMIN and role is not Role.RESIDENT:
        raise Conflict(_l("This role is held in a council: give the council's identifier."))
    user = find_by_email(email)
    if user is None:
        user = register(email, password, display_name or email.split("@")[0], locale=None, now=now)
    else:
        user.set_password(password)
    if role is Role.ADMIN and council is None:
        user.is_admin = True
    if council is not None:
        grant_role(user, council, role, now=now)
    db.session.flush()
    return user
