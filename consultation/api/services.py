"""What the open data API may show: the public rows of each kind, filtered, one page at a time.

Every query here applies the same visibility rules as the public pages (published workshops,
visible proposals, non-draft votes, adopted opinions) and loads what a page shows in a fixed number
of statements, whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from consultation.api import filters
from consultation.api.pagination import InvalidParameter, decode_cursor, encode_cursor
from consultation.consultations.models import Consultation
from consultation.councils.models import Council, Theme
from consultation.extensions import db
from consultation.opinions.models import MunicipalAnswer, Opinion, Recommendation
from consultation.opinions.rules import FollowUpState
from consultation.proposals.models import VISIBLE_STATUSES, PaperCount, Proposal, Support
from consultation.referrals.models import Question
from consultation.voting.models import Vote
from consultation.voting.rules import Status
from consultation.workshops.models import Workshop

PUBLIC_VOTE_STATUSES = (Status.OPEN.value, Status.CLOSED.value)
MAX_SLUG = 80


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None


def page(kind: str, query: Select, id_column, *, limit: int, cursor: str | None, tuples: bool = False) -> Page:
    """One page in the order of ids (the keyset), fetched with one row more to know if another follows."""
    if cursor is not None:
        query = query.where(id_column > decode_cursor(kind, cursor))
    query = query.order_by(id_column).limit(limit + 1)
    rows = list(db.session.execute(query).all() if tuples else db.session.scalars(query).all())
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return Page(rows, None)
    last = rows[-1][0] if tuples else rows[-1]
    return Page(rows, encode_cursor(kind, last.id))


# ------------------------------------------------------------------------------- filter references


def council_id_by_slug(slug: str) -> int | None:
    if not slug or len(slug) > MAX_SLUG or "\x00" in slug:
        return None
    return db.session.scalar(select(Council.id).where(Council.slug == slug))


def _known_council(slug: str) -> int:
    council_id = council_id_by_slug(slug)
    if council_id is None:
        raise InvalidParameter("council: no council has this slug")
    return council_id


def _published_workshop(workshop_id: int) -> int:
    if not db.session.scalar(select(Workshop.is_published).where(Workshop.id == workshop_id)):
        raise InvalidParameter("workshop: no published workshop has this id")
    return workshop_id


# ------------------------------------------------------------------------------------------ queries


def councils() -> Select:
    return select(Council).options(selectinload(Council.themes))


def workshops(*, council: str | None = None, phase: str | None = None, question_id: int | None = None) -> Select:
    query = (
        select(Workshop)
        .where(Workshop.is_published.is_(True))
        .options(selectinload(Workshop.council), selectinload(Workshop.agenda))
    )
    if council is not None:
        query = query.where(Workshop.council_id == _known_council(council))
    if phase is not None:
        query = query.where(Workshop.phase == phase)
    if question_id is not None:
        if db.session.get(Question, question_id) is None:
            raise InvalidParameter("question: no question has this id")
        query = query.where(Workshop.question_id == question_id)
    return query


def _published_consultation(consultation_id: int) -> int:
    if not db.session.scalar(select(Consultation.is_published).where(Consultation.id == consultation_id)):
        raise InvalidParameter("consultation: no published consultation has this id")
    return consultation_id


def proposals(
    *,
    workshop_id: int | None = None,
    consultation_id: int | None = None,
    council: str | None = None,
    theme_id: int | None = None,
    origin: str | None = None,
    status: str | None = None,
) -> Select:
    """Rows of (proposal, online supports, paper supports): counted in the same statement. A proposal
    belongs to a published workshop or to a published online consultation."""
    online = select(func.count(Support.id)).where(Support.proposal_id == Proposal.id).scalar_subquery()
    paper = (
        select(func.coalesce(func.sum(PaperCount.count), 0))
        .where(PaperCount.proposal_id == Proposal.id)
        .scalar_subquery()
    )
    query = (
        select(Proposal, online.label("online"), paper.label("paper"))
        .outerjoin(Workshop, Workshop.id == Proposal.workshop_id)
        .outerjoin(Consultation, Consultation.id == Proposal.consultation_id)
        .where(
            or_(Workshop.is_published.is_(True), Consultation.is_published.is_(True)),
            Proposal.status.in_(VISIBLE_STATUSES),
            Proposal.hidden_at.is_(None),  # hidden by moderators
        )
        .options(
            selectinload(Proposal.workshop).selectinload(Workshop.council),
            selectinload(Proposal.consultation).selectinload(Consultation.council),
            selectinload(Proposal.theme),
            selectinload(Proposal.author),
            selectinload(Proposal.participant),
        )
    )
    if workshop_id is not None:
        query = query.where(Proposal.workshop_id == _published_workshop(workshop_id))
    if consultation_id is not None:
        query = query.where(Proposal.consultation_id == _published_consultation(consultation_id))
    if council is not None:
        query = query.where(func.coalesce(Workshop.council_id, Consultation.council_id) == _known_council(council))
    if theme_id is not None:
        if db.session.get(Theme, theme_id) is None:
            raise InvalidParameter("theme: no theme has this id")
        query = query.where(Proposal.theme_id == theme_id)
    if origin is not None:
        query = query.where(Proposal.origin == origin)
    if status is not None:
        query = query.where(Proposal.status == status)
    return query


def votes(
    *, council: str | None = None, workshop_id: int | None = None, status: str | None = None, method: str | None = None
) -> Select:
    query = (
        select(Vote)
        .outerjoin(Workshop, Workshop.id == Vote.workshop_id)
        .where(
            Vote.status.in_(PUBLIC_VOTE_STATUSES),
            or_(Vote.workshop_id.is_(None), Workshop.is_published.is_(True)),
        )
        .options(selectinload(Vote.council), selectinload(Vote.options))
    )
    if council is not None:
        query = query.where(Vote.council_id == _known_council(council))
    if workshop_id is not None:
        query = query.where(Vote.workshop_id == _published_workshop(workshop_id))
    if status is not None:
        query = query.where(Vote.status == status)
    if method is not None:
        query = query.where(Vote.method == method)
    return query


def opinions(*, council: str | None = None, follow_up: str | None = None, today: date) -> Select:
    query = (
        select(Opinion)
        .where(Opinion.status == "adopted")
        .options(
            selectinload(Opinion.council),
            selectinload(Opinion.workshop),
            selectinload(Opinion.answer),
            selectinload(Opinion.items),
            selectinload(Opinion.recommendation_list).selectinload(Recommendation.answer),
            selectinload(Opinion.recommendation_list).selectinload(Recommendation.sources),
        )
    )
    if council is not None:
        query = query.where(Opinion.council_id == _known_council(council))
    if follow_up is not None:
        query = query.where(_follow_up_condition(FollowUpState(follow_up), today))
    return query


def _follow_up_condition(state: FollowUpState, today: date):
    """The SQL twin of opinions.rules.follow_up, so that the database filters before it paginates."""
    answered = select(MunicipalAnswer.id).where(MunicipalAnswer.opinion_id == Opinion.id).exists()
    if state is FollowUpState.ANSWERED:
        return answered
    if state is FollowUpState.NOT_TRANSMITTED:
        return and_(~answered, Opinion.transmitted_on.is_(None))
    # Each council may give the municipality its own delay: one threshold per delay in use.
    delays = db.session.scalars(select(Opinion.response_months).where(Opinion.status == "adopted").distinct())
    thresholds = {months: filters.earliest_transmission_still_due(today, months) for months in delays}
    if state is FollowUpState.DUE:
        per_delay = [and_(Opinion.response_months == m, Opinion.transmitted_on >= t) for m, t in thresholds.items()]
    else:
        per_delay = [and_(Opinion.response_months == m, Opinion.transmitted_on < t) for m, t in thresholds.items()]
    return and_(~answered, Opinion.transmitted_on.is_not(None), or_(false(), *per_delay))


def questions(*, council: str | None = None, kind: str | None = None) -> Select:
    query = select(Question).options(selectinload(Question.council))
    if council is not None:
        query = query.where(Question.council_id == _known_council(council))
    if kind is not None:
        query = query.where(Question.kind == kind)
    return query
