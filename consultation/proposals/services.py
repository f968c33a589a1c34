"""Proposal actions: submit one, support it, withdraw the support, list a workshop's proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.councils.models import Theme
from consultation.dbutil import insert_ignoring_duplicates
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.permissions import Actor, can_take_part
from consultation.proposals.models import Proposal, Support
from consultation.workshops import phases
from consultation.workshops.models import Workshop
from consultation.workshops.services import workshop_in_council


@dataclass(frozen=True)
class RankedProposal:
    proposal: Proposal
    support_count: int
    supported_by_viewer: bool


def submit_proposal(
    user: User,
    workshop: Workshop,
    *,
    title: str,
    body: str,
    theme_id: int | None,
    language: str,
    now: datetime,
) -> Proposal:
    if not can_take_part(user.actor):
        raise NotAllowed()
    if not phases.accepts_proposals(workshop.phase_enum):
        raise Conflict(_l("This workshop does not take new proposals at this stage."))
    if theme_id is not None:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.council_id != workshop.council_id:
            raise Conflict(_l("Choose one of the council's themes."))
    proposal = Proposal(
        workshop=workshop,
        author=user,
        theme_id=theme_id,
        title=title.strip(),
        body=body.strip(),
        language=language if language in LANGUAGES else workshop.language,
        created_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def proposal_in_workshop(actor: Actor, workshop: Workshop, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.workshop_id != workshop.id:
        raise NotFound()
    return proposal


def find_proposal(actor: Actor, council, workshop_id: int, proposal_id: int) -> Proposal:
    workshop = workshop_in_council(actor, council, workshop_id)
    return proposal_in_workshop(actor, workshop, proposal_id)


def _check_can_support(user: User, proposal: Proposal) -> None:
    if not can_take_part(user.actor):
        raise NotAllowed()
    if not phases.accepts_supports(proposal.workshop.phase_enum):
        raise Conflict(_l("Supports are closed for this workshop."))


def support(user: User, proposal: Proposal, *, now: datetime) -> bool:
    """Give one's support; idempotent, so a double click or a replayed request counts once."""
    _check_can_support(user, proposal)
    return insert_ignoring_duplicates(
        Support,
        {"proposal_id": proposal.id, "user_id": user.id, "created_at": now},
        ["proposal_id", "user_id"],
    )


def withdraw_support(user: User, proposal: Proposal) -> bool:
    _check_can_support(user, proposal)
    result = db.session.execute(
        delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    )
    return bool(result.rowcount)


def support_counts_query(workshop_id: int):
    counts = (
        select(Support.proposal_id, func.count(Support.id).label("supports"))
        .join(Proposal, Proposal.id == Support.proposal_id)
        .where(Proposal.workshop_id == workshop_id)
        .group_by(Support.proposal_id)
        .subquery()
    )
    supports = func.coalesce(counts.c.supports, 0)
    return (
        select(Proposal, supports.label("supports"))
        .outerjoin(counts, counts.c.proposal_id == Proposal.id)
        .where(Proposal.workshop_id == workshop_id)
        .order_by(supports.desc(), Proposal.created_at, Proposal.id)
        .options(selectinload(Proposal.author), selectinload(Proposal.theme))
    )


def ranked_proposals(workshop: Workshop, viewer: Actor, *, limit: int | None = None) -> list[RankedProposal]:
    """The workshop's proposals, most supported first, in a fixed number of queries."""
    query = support_counts_query(workshop.id)
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    supported: set[int] = set()
    if viewer.user_id is not None and rows:
        supported = set(
            db.session.scalars(
                select(Support.proposal_id)
                .join(Proposal, Proposal.id == Support.proposal_id)
                .where(Support.user_id == viewer.user_id, Proposal.workshop_id == workshop.id)
            )
        )
    return [RankedProposal(proposal, int(count), proposal.id in supported) for proposal, count in rows]
