"""Participation figures of the opinion's method section, computed from the workshop's own data."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, union

from consultation.consultations.models import ProposalComment
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
    # Online consultations gathered by the opinion.
    consultation_proposals: int = 0
    consultation_supports: int = 0
    consultation_comments: int = 0
    consultation_contributors: int = 0

    @property
    def has_workshop_figures(self) -> bool:
        return any(
            (self.present_in_room, self.present_online, self.proposals_online, self.proposals_on_paper)
            + (self.supports_online, self.supports_on_paper)
        )

    @property
    def has_consultation_figures(self) -> bool:
        return any(
            (self.consultation_proposals, self.consultation_supports)
            + (self.consultation_comments, self.consultation_contributors)
        )

    @property
    def is_empty(self) -> bool:
        return not any(vars(self).values())


def method_figures(
    workshop_ids: int | list[int] | None, consultation_ids: list[int] | tuple[int, ...] = ()
) -> MethodFigures:
    """A fixed number of aggregate queries, whatever the size and number of the workshops and
    consultations (added up)."""
    figures = _workshop_figures(workshop_ids)
    if consultation_ids:
        figures = replace(figures, **_consultation_figures(list(consultation_ids)))
    return figures


def _workshop_figures(workshop_ids: int | list[int] | None) -> MethodFigures:
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


def _consultation_figures(ids: list[int]) -> dict[str, int]:
    """Proposals, supports and comments received, and the residents who did any of it (counted once),
    in one query. Every proposal counts, hidden or withdrawn included: it is participation received."""
    proposals = select(Proposal.id).where(Proposal.consultation_id.in_(ids))
    people = union(
        select(Proposal.author_id.label("person")).where(Proposal.consultation_id.in_(ids)),
        select(Support.user_id).where(Support.proposal_id.in_(proposals)),
        select(ProposalComment.author_id).where(ProposalComment.proposal_id.in_(proposals)),
    ).subquery()
    row = db.session.execute(
        select(
            select(func.count(Proposal.id)).where(Proposal.consultation_id.in_(ids)).scalar_subquery(),
            select(func.count(Support.id)).where(Support.proposal_id.in_(proposals)).scalar_subquery(),
            select(func.count(ProposalComment.id)).where(ProposalComment.proposal_id.in_(proposals)).scalar_subquery(),
            select(func.count(people.c.person)).where(people.c.person.is_not(None)).scalar_subquery(),
        )
    ).one()
    return {
        "consultation_proposals": int(row[0] or 0),
        "consultation_supports": int(row[1] or 0),
        "consultation_comments": int(row[2] or 0),
        "consultation_contributors": int(row[3] or 0),
    }


def workshop_vote_context(workshop_ids: int | list[int] | None) -> dict[str, object]:
    """The workshops' closed votes for the annex, and each source proposal's results in them."""
    summaries = workshop_vote_summaries(workshop_ids)
    return {"workshop_votes": summaries, "vote_results": results_by_proposal(summaries)}
