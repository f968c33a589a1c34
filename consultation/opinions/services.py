"""Opinion actions: draft one from a workshop, edit it, find one a person may read."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consultation.accounts.models import User
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.opinions.models import Opinion, OpinionItem
from consultation.permissions import Actor, can_draft_opinion, can_view_opinion
from consultation.proposals.services import ranked_proposals
from consultation.workshops import phases
from consultation.workshops.models import Workshop

DEFAULT_TOP = 10


def check_can_draft_from(user: User, workshop: Workshop) -> None:
    if not can_draft_opinion(user.actor, workshop.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if not phases.proposal_phase_closed(workshop.phase_enum):
        raise Conflict(_l("Close the workshop's proposal phase before drafting an opinion from it."))


def create_opinion(
    user: User,
    workshop: Workshop,
    *,
    title: str,
    recommendations: str,
    language: str,
    top: int,
    now: datetime,
) -> Opinion:
    check_can_draft_from(user, workshop)
    opinion = Opinion(
        council_id=workshop.council_id,
        workshop=workshop,
        created_by=user,
        title=title.strip(),
        recommendations=recommendations.strip(),
        language=language if language in LANGUAGES else workshop.language,
        created_at=now,
        updated_at=now,
    )
    # The counts are frozen now, so the page and the PDF always say the same numbers.
    for position, ranked in enumerate(ranked_proposals(workshop, Actor.anonymous(), limit=top), start=1):
        opinion.items.append(
            OpinionItem(proposal_id=ranked.proposal.id, position=position, support_count=ranked.support_count)
        )
    db.session.add(opinion)
    db.session.flush()
    return opinion


def check_can_edit(user: User, opinion: Opinion) -> None:
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can draft its opinions."))
    if opinion.status != "draft":
        raise Conflict(_l("An adopted opinion can no longer be changed."))


def update_opinion(user: User, opinion: Opinion, *, title: str, recommendations: str, now: datetime) -> Opinion:
    check_can_edit(user, opinion)
    opinion.title = title.strip()
    opinion.recommendations = recommendations.strip()
    opinion.updated_at = now
    db.session.flush()
    return opinion


def readable_opinion(actor: Actor, opinion_id: int) -> Opinion:
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None or not can_view_opinion(actor, opinion.council_id, is_public=opinion.is_public):
        raise NotFound()
    return opinion


def opinions_of_council(actor: Actor, council_id: int) -> list[Opinion]:
    query = select(Opinion).where(Opinion.council_id == council_id).order_by(Opinion.created_at.desc())
    if not can_view_opinion(actor, council_id, is_public=False):
        query = query.where(Opinion.status == "adopted")
    return list(db.session.scalars(query))
