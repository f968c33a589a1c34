"""Comments of online consultations as content that readers report and moderators hide
(consultation.moderation); proposals are registered there already, whatever their home."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from consultation.consultations.models import ProposalComment
from consultation.consultations.services import PUBLIC_STATUSES
from consultation.extensions import db
from consultation.moderation.registry import ModeratedKind, register
from consultation.proposals.models import Proposal


def _proposal(comment: ProposalComment) -> Proposal | None:
    return db.session.get(Proposal, comment.proposal_id)


def _council_id(comment: ProposalComment) -> int | None:
    proposal = _proposal(comment)
    return proposal.council_id if proposal is not None else None


def _is_public(comment: ProposalComment) -> bool:
    proposal = _proposal(comment)
    return (
        proposal is not None
        and proposal.consultation is not None
        and proposal.consultation.is_published
        and proposal.status in PUBLIC_STATUSES
        and proposal.hidden_at is None
    )


def _url(comment: ProposalComment) -> str:
    proposal = _proposal(comment)
    if proposal is None or proposal.consultation is None:
        return url_for("main.index")
    return url_for(
        "consultations.proposal",
        slug=proposal.consultation.council.slug,
        consultation_id=proposal.consultation_id,
        proposal_id=proposal.id,
        _anchor=f"comment-{comment.id}",
    )


register(
    ModeratedKind(
        name="comment",
        label=_l("A comment"),
        model=ProposalComment,
        council_id=_council_id,
        url=_url,
        title_attr="",
        is_public=_is_public,
    )
)
