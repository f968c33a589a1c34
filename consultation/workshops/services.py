"""Workshop actions: find one a person may see, move it between phases."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.permissions import Actor, can_manage_workshop, can_view_workshop
from consultation.workshops import phases
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase


def workshop_in_council(actor: Actor, council: Council, workshop_id: int) -> Workshop:
    """A workshop of this council that the actor may see; the same 404 whether absent or hidden."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.council_id != council.id:
        raise NotFound()
    if not can_view_workshop(actor, council.id, is_published=workshop.is_published):
        raise NotFound()
    return workshop


def workshops_of(actor: Actor, council: Council) -> list[Workshop]:
    query = select(Workshop).where(Workshop.council_id == council.id).order_by(Workshop.starts_at.desc())
    if not can_manage_workshop(actor, council.id):
        query = query.where(Workshop.is_published.is_(True))
    return list(db.session.scalars(query))


def open_workshops(limit: int = 20) -> list[Workshop]:
    open_phases = [p.value for p in Phase if p is not Phase.CLOSED]
    query = (
        select(Workshop)
        .where(Workshop.is_published.is_(True), Workshop.phase.in_(open_phases))
        .order_by(Workshop.starts_at)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def move_to_phase(user: User, workshop: Workshop, target: Phase, *, now: datetime) -> Workshop:
    if not can_manage_workshop(user.actor, workshop.council_id):
        raise NotAllowed(_l("Only the facilitators of this council can change a workshop's phase."))
    if not phases.can_move(workshop.phase_enum, target):
        raise Conflict(_l("A workshop only moves forward, and not once it is closed."))
    workshop.phase = target.value
    workshop.phase_changed_at = now
    db.session.flush()
    return workshop
