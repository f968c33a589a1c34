"""What the open data API may show: the public rows of each kind, filtered, one page at a time.

Every query here applies the same visibility rules as the public pages (published workshops,
visible proposals, non-draft votes, adopted opinions) and loads what a page shows in a fixed number
of statements, whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.api import filters
from consultation.api.pagination import InvalidParameter, decode_cursor, encode_cursor
from consultation.consultations.models import Consultation
from consultation.councils.models import Council, Theme
from consultation.extensions import db
from consultation.opinions.models import MunicipalAnswer, Opinion, Recommendation
from consultation.opinions.rules import FollowUpState
from consultation.proposals.models import VISIBLE_STATUSES, PaperCount, Proposal
from consultation.referrals.models import Question
from consultation.voting.models import Vote
from consultation.voting.rules import Status
from consultation.workshops.models import Workshop, WorkshopParticipant

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
    # A tuple row starts with its entity or, for column rows, with its id.
    return Page(rows, encode_cursor(kind, last if isinstance(last, int) else last.id))


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
    """Column rows of what a proposal shows, its council, theme, public author and support counts, all in
    one statement: no ORM object is built for a row (a page of 100 took 5 more statements and most of
    the request's time). A proposal belongs to a published workshop or to a published online consultation."""
    paper = (
        select(func.coalesce(func.sum(PaperCount.count), 0))
        .where(PaperCount.proposal_id == Proposal.id)
        .scalar_subquery()
    )
    # The database keeps online supports plus paper counts on each proposal (migration 0020).
    online = Proposal.support_total - paper
    # Scalar subqueries rather than joins: PostgreSQL planned the eight-table join in 8 ms, longer than
    # it took to run; each subquery below is one primary-key lookup per row of the page.
    council_slug = func.coalesce(
        select(Council.slug)
        .join(Workshop, Workshop.council_id == Council.id)
        .where(Workshop.id == Proposal.workshop_id)
        .scalar_subquery(),
        select(Council.slug)
        .join(Consultation, Consultation.council_id == Council.id)
        .where(Consultation.id == Proposal.consultation_id)
        .scalar_subquery(),
    )
    theme_name = select(Theme.name).where(Theme.id == Proposal.theme_id).scalar_subquery()
    # The name the author chose to show; never for a paper note (a name written by hand).
    author_name = case(
        (Proposal.origin == "paper", None),
        (
            Proposal.participant_id.is_not(None),
            select(WorkshopParticipant.display_name)
            .where(WorkshopParticipant.id == Proposal.participant_id)
            .scalar_subquery(),
        ),
        else_=select(User.display_name).where(User.id == Proposal.author_id).scalar_subquery(),
    )
    published = or_(
        select(Workshop.id).where(Workshop.id == Proposal.workshop_id, Workshop.is_published.is_(True)).exists(),
        select(Consultation.id)
        .where(Consultation.id == Proposal.consultation_id, Consultation.is_published.is_(True))
        .exists(),
    )
    query = select(
        Proposal.id,
        Proposal.workshop_id,
        Proposal.consultation_id,
        council_slug.label("council"),
        Proposal.theme_id,
        theme_name.label("theme_name"),
        Proposal.title,
        Proposal.body,
        Proposal.language,
        Proposal.status,
        Proposal.origin,
        author_name.label("author_name"),
        Proposal.created_at,
        Proposal.updated_at,
        online.label("online"),
        paper.label("paper"),
    ).where(
        Proposal.status.in_(VISIBLE_STATUSES),
        Proposal.hidden_at.is_(None),  # hidden by moderators
    )
    # Asked for one workshop or consultation, checked published once: no test of each row's home.
    if workshop_id is not None:
        query = query.where(Proposal.workshop_id == _published_workshop(workshop_id))
    if consultation_id is not None:
        query = query.where(Proposal.consultation_id == _published_consultation(consultation_id))
    if workshop_id is None and consultation_id is None:
        query = query.where(published)
    if council is not None:
        council_id = _known_council(council)
        query = query.where(
            or_(
                Proposal.workshop_id.in_(select(Workshop.id).where(Workshop.council_id == council_id)),
                Proposal.consultation_id.in_(select(Consultation.id).where(Consultation.council_id == council_id)),
            )
        )
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
