"""Administration actions: create and edit councils, give, change and take away roles in a council."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.accounts.services import find_by_email
from consultation.audit import services as audit
from consultation.councils.models import Council, Membership
from consultation.errors import Conflict, DomainError, NotAllowed, NotFound
from consultation.extensions import db
from consultation.permissions import Actor, Role, can_assign_role, can_manage_councils, can_manage_members

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class FieldError(DomainError):
    """A rule broken by one field of a form: the page shows the message beside that field."""

    status = 422

    def __init__(self, field: str, message) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CouncilDetails:
    name: str
    slug: str
    territory: str
    description: str


def _check_councils(actor: Actor) -> None:
    if not can_manage_councils(actor):
        raise NotAllowed(_l("Only the platform's administrators manage councils."))


def _check_slug(slug: str, council: Council | None) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise FieldError("slug", _l("Use lower-case letters, digits and hyphens only, like “macouria”."))
    taken = db.session.scalar(select(Council.id).where(func.lower(Council.slug) == slug))
    if taken is not None and (council is None or taken != council.id):
        raise FieldError("slug", _l("Another council already has this identifier."))
    return slug


def _flush_council() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the same identifier taken at the same instant
        raise FieldError("slug", _l("Another council already has this identifier.")) from error


def create_council(user: User, details: CouncilDetails, *, now: datetime) -> Council:
    _check_councils(user.actor)
    slug = _check_slug(details.slug, None)
    council = Council(
        slug=slug,
        name=details.name.strip(),
        territory=details.territory.strip(),
        description=details.description.strip(),
        created_at=now,
    )
    db.session.add(council)
    _flush_council()
    audit.record("council.created", actor_id=user.id, details={"council": council.id, "slug": slug}, now=now)
    return council


def update_council(user: User, council: Council, details: CouncilDetails, *, now: datetime) -> Council:
    _check_councils(user.actor)
    slug = _check_slug(details.slug, council)
    before = {"slug": council.slug, "name": council.name}
    council.slug = slug
    council.name = details.name.strip()
    council.territory = details.territory.strip()
    council.description = details.description.strip()
    _flush_council()
    audit.record(
        "council.updated",
        actor_id=user.id,
        details={"council": council.id, "before": before, "after": {"slug": council.slug, "name": council.name}},
        now=now,
    )
    return council


# ---------------------------------------------------------------------------------- members


def check_member_manager(actor: Actor, council: Council) -> None:
    if not can_manage_members(actor, council.id):
        raise NotAllowed(_l("Only the council's president and the administrators manage its members."))


def _check_role(actor: Actor, council: Council, role: Role) -> None:
    if not can_assign_role(actor, council.id, role):
        raise NotAllowed(_l("Only administrators give or take away the administrator role."))


def memberships_of(council: Council) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.council_id == council.id)
            .order_by(func.lower(User.stored_name), User.id, Membership.role)
            .options(selectinload(Membership.user))
        )
    )


def membership_in(council: Council, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.council_id != council.id:
        raise NotFound()
    return membership


def add_member(user: User, council: Council, *, email: str, role: Role, now: datetime) -> Membership:
    """Give an existing account a role in the council."""
    check_member_manager(user.actor, council)
    _check_role(user.actor, council, role)
    person = find_by_email(email)
    if person is None or person.is_deleted:
        raise FieldError(
            "email",
            _l("No account has this email address: invite the person with the CSV import, or ask them to sign up."),
        )
    if person.blocked_at is not None:
        raise FieldError("email", _l("The account of this address is blocked."))
    held = db.session.scalar(
        select(Membership).where(
            Membership.user_id == person.id, Membership.council_id == council.id, Membership.role == role.value
        )
    )
    if held is not None:
        raise FieldError("role", _l("This person already holds this role in the council."))
    membership = Membership(user_id=person.id, council_id=council.id, role=role.value, created_at=now)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "role.granted",
        actor_id=user.id,
        details={"user": person.id, "council": council.id, "role": role.value},
        now=now,
    )
    return membership


def change_role(user: User, council: Council, membership: Membership, role: Role, *, now: datetime) -> Membership:
    check_member_manager(user.actor, council)
    _check_role(user.actor, council, membership.role_enum)
    _check_role(user.actor, council, role)
    if membership.role == role.value:
        return membership
    held = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == membership.user_id, Membership.council_id == council.id, Membership.role == role.value
        )
    )
    if held is not None:
        raise Conflict(_l("This person already holds this role in the council."))
    previous, membership.role = membership.role, role.value
    db.session.flush()
    audit.record(
        "role.changed",
        actor_id=user.id,
        details={"user": membership.user_id, "council": council.id, "from": previous, "to": role.value},
        now=now,
    )
    return membership


def remove_membership(user: User, council: Council, membership: Membership, *, now: datetime) -> None:
    check_member_manager(user.actor, council)
    _check_role(user.actor, council, membership.role_enum)
    details = {"user": membership.user_id, "council": council.id, "role": membership.role}
    db.session.delete(membership)
    db.session.flush()
    audit.record("role.removed", actor_id=user.id, details=details, now=now)


def manageable_councils(actor: Actor) -> list[Council]:
    """The councils whose members this person may manage."""
    query = select(Council).order_by(Council.name)
    if not actor.is_admin:
        ids = sorted({council for council, _role in actor.roles if can_manage_members(actor, council)})
        query = query.where(Council.id.in_(ids or [-1]))
    return list(db.session.scalars(query))
