"""Adoption of an opinion by a formal council vote: a motion from the voting engine."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consultation.accounts.models import User
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db
from consultation.opinions import services
from consultation.opinions.models import Opinion
from consultation.permissions import can_draft_opinion, can_manage_vote
from consultation.voting.models import Vote
from consultation.voting.services import VoteSettings, create_vote

MAJORITIES = ("simple", "absolute", "two_thirds")


def adoption_votes(opinion: Opinion) -> list[Vote]:
    return list(
        db.session.scalars(select(Vote).where(Vote.opinion_id == opinion.id).order_by(Vote.created_at, Vote.id))
    )


def start_adoption_vote(
    user: User,
    opinion: Opinion,
    *,
    is_secret: bool,
    majority: str,
    quorum: int | None,
    language: str,
    now: datetime,
) -> Vote:
    """Prepare the motion "adopt this opinion" for the council's members; it is opened and closed
    on the vote's own page, with proxies, paper ballots and the roll call."""
    if not can_manage_vote(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the council's secretary, president or facilitators can put an opinion to the vote."))
    if opinion.is_frozen:
        raise Conflict(_l("This opinion is already adopted."))
    if not opinion.recommendation_list:
        raise Conflict(_l("Write at least one recommendation."))
    if any(vote.status != "closed" for vote in adoption_votes(opinion)):
        raise Conflict(_l("A vote on this opinion is already in preparation or open."))
    if majority not in MAJORITIES:
        raise Conflict(_l("Choose a majority."))
    settings = VoteSettings(
        question=_("Adopt the opinion: %(title)s", title=opinion.title)[:300],
        method="motion",
        electorate="members",
        is_secret=is_secret,
        majority=majority,
        quorum=quorum,
        opinion_id=opinion.id,
    )
    return create_vote(user, opinion.council, settings, language=language, now=now)


def record_result(user: User, opinion: Opinion) -> tuple[Vote, bool]:
    """Read the latest closed adoption vote and stamp its result on the opinion."""
    if not can_draft_opinion(user.actor, opinion.council_id):
        raise NotAllowed(_l("Only the members of this council can record the adoption of its opinions."))
    closed = [vote for vote in adoption_votes(opinion) if vote.status == "closed" and vote.result is not None]
    if not closed:
        raise Conflict(_l("No vote on this opinion has been closed yet."))
    vote = closed[-1]
    if opinion.adoption_vote_id == vote.id:
        raise Conflict(_l("The result of this vote is already recorded."))
    adopted = services.record_adoption(user, opinion, vote_id=vote.id, result=vote.result, closed_at=vote.closed_at)
    return vote, adopted
