"""Participation figures of the opinion's method section, computed from the workshop's own data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from consultation.extensions import db
from consultation.proposals.models import PaperCount, Proposal, Support
from consultation.voting.summaries import results_by_proposal, workshop_vote_summaries
from consultation.workshops.models import Attendance


@dataclass(frozen=True)
class MethodFigures:
    present_in_room: int = 0
    present_online: int = 0
    proposals_online: int = 0
    proposals_on_paper: int = 0
    supports_online: int = 0
    supports_on_paper: int = 0

    @property
    def is_empty(self) -> bool:
        return not any(vars(self).values())


def method_figures(workshop_ids: int | list[int] | None) -> MethodFigures:
    """Three aggregate queries, whatever the size and number of the workshops (added up)."""
    if workshop_ids is None or workshop_ids == []:
        return MethodFigures()
    ids = [workshop_ids] if isinstance(workshop_ids, int) else list(workshop_ids)
    attendance = dict(
        db.session.execute(
            select(Attendance.channel, func.count(Attendance.id))
            .where(Attendance.workshop_id.in_(ids), Attendance.status == "present")
            .group_by(Attendance.channel)
        ).all()
    )
    proposals = dict(
        db.session.execute(
            select(Proposal.origin, func.count(Proposal.id))
            .where(Proposal.workshop_id.in_(ids))
            .group_by(Proposal.origin)
        ).all()
    )
    supports_online, supports_paper = db.session.execute(
        select(
            select(func.count(Support.id))
            .join(Proposal, Proposal.id == Support.proposal_id)
            .where(Proposal.workshop_id.in_(ids))
            .scalar_subquery(),
            select(func.coalesce(func.sum(PaperCount.count), 0))
            .join(Proposal, Proposal.id == PaperCount.proposal_id)
            .where(Proposal.workshop_id.in_(ids))
            .scalar_subquery(),
        )
    ).one()
    return MethodFigures(
        present_in_room=attendance.get("room", 0),
        present_online=attendance.get("online", 0),
        proposals_online=proposals.get("online", 0),
        proposals_on_paper=proposals.get("paper", 0),
        supports_online=int(supports_online or 0),
        supports_on_paper=int(supports_paper or 0),
    )


def workshop_vote_context(workshop_ids: int | list[int] | None) -> dict[str, object]:
    """The workshops' closed votes for the annex, and each source proposal's results in them."""
    summaries = workshop_vote_summaries(workshop_ids)
    return {"workshop_votes": summaries, "vote_results": results_by_proposal(summaries)}
