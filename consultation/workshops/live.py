"""What the projector and the phones show live, as plain data, and its ETag.

The ETag is a hash of a few aggregates (counts, latest ids and times of proposals, supports, votes…)
read in one SELECT on every poll, before anything is loaded: an unchanged poll answers 304 at a cost
that does not grow with the workshop, and any app process answers the same, so polling works behind
a load balancer with no shared memory."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import Response
from sqlalchemy import BigInteger, Integer, String, and_, bindparam, case, cast, func, or_, select, true

from consultation.councils.models import Council
from consultation.councils.services import remember_page_council
from consultation.errors import NotFound
from consultation.extensions import db
from consultation.multilingual.models import TextTranslation
from consultation.multilingual.services import Localized, localized
from consultation.permissions import Actor
from consultation.proposals.models import VISIBLE_STATUSES, PaperCount, Proposal
from consultation.proposals.services import RankedProposal, ranked_proposals
from consultation.voting import labels as vote_labels
from consultation.voting import services as votes
from consultation.voting.models import PaperEntry, Vote, VoteOption, VoteParticipation
from consultation.voting.results import ResultsView, build_results
from consultation.voting.rules import Status
from consultation.voting.schedule import advance_all
from consultation.web import page_of
from consultation.workshops.models import AgendaItem, Workshop, WorkshopParticipant
from consultation.workshops.services import current_item


@dataclass(frozen=True)
class LiveVote:
    """A vote of the workshop as the wall and the phones show it: open (with its ballot count) or closed
    (with its result)."""

    vote: Vote
    ballots: int
    has_voted: bool  # by the participant whose phone asks
    results: ResultsView | None  # once closed

    @property
    def votable_from_phone(self) -> bool:
        return self.vote.electorate == "workshop"


def live_votes(workshop: Workshop, participant: WorkshopParticipant | None = None) -> list[LiveVote]:
    """The workshop's open votes, then its closed ones, in a fixed number of queries."""
    open_ones, closed = votes.shown_workshop_votes(workshop)
    counted = votes.ballots_by_vote([v.id for v in open_ones])
    voted = votes.participant_voted_in(participant, open_ones + closed) if participant is not None else set()
    found = [LiveVote(v, counted.get(v.id, 0), v.id in voted, None) for v in open_ones]
    for vote in closed:
        result = vote.result or {}
        view = None
        if result.get("ranking") is not None:
            view = build_results(vote.method, result, votes.option_labels(vote), vote_labels.grade_labels(vote.grades))
        found.append(LiveVote(vote, int(result.get("ballots") or 0), vote.id in voted, view))
    return found


@dataclass(frozen=True)
class LiveState:
    workshop: Workshop
    phase: str
    item: AgendaItem | None
    remaining_minutes: int | None
    proposals: list[RankedProposal]  # the shown ones: the wall's top, or one page of a phone
    participants: int
    votes: list[LiveVote]
    localized: Localized
    etag: str
    proposal_count: int = 0  # every visible proposal of the workshop, shown or not
    page: int = 1
    pages: int = 1
    first_rank: int = 1  # the rank of the first shown proposal

    @property
    def open_votes(self) -> list[LiveVote]:
        return [v for v in self.votes if v.results is None]

    @property
    def closed_votes(self) -> list[LiveVote]:
        return [v for v in self.votes if v.results is not None]


def remaining_minutes(item: AgendaItem | None, now: datetime) -> int | None:
    """Whole minutes left in the running item's time box, rounded up; 0 once over."""
    if item is None or item.deadline is None:
        return None
    seconds = (item.deadline - now).total_seconds()
    return max(0, int(-(-seconds // 60)))


def _remaining(started_at: datetime | None, duration: int | None, now: datetime) -> int | None:
    if started_at is None or duration is None:
        return None
    if started_at.tzinfo is None:  # SQLite hands an aggregate's datetime back naive: it is UTC
        started_at = started_at.replace(tzinfo=UTC)
    seconds = (started_at + timedelta(minutes=duration) - now).total_seconds()
    return max(0, int(-(-seconds // 60)))


# ---------------------------------------------------------------- the version of a live state


def _one_row(*columns, where):
    """A derived table of aggregates: exactly one row, joined to the workshop row with ON true."""
    return select(*columns).where(*where).subquery()


@lru_cache(maxsize=8)
def version_query(*, with_language: bool, in_council: bool):
    """One SELECT of aggregates that change whenever what a live page shows changes (proposals, their
    supports online and on paper, moderation, the running agenda item, participants, the votes of the
    room and their ballots, verified translations), with the workshop and its council. Its cost does not
    depend on the rows it covers being loaded: 304 answers never load a proposal.

    Built once per process and executed with parameters (`workshop_id`, `now`, and `language` and
    `council_slug` when asked for): building these eight derived tables took 2 ms of Python, as long as
    PostgreSQL takes to run them."""
    workshop_id = bindparam("workshop_id", type_=Integer)
    now = bindparam("now", type_=Vote.__table__.c.opens_at.type)
    language = bindparam("language", type_=String) if with_language else None
    in_workshop = Proposal.workshop_id == workshop_id
    visible = and_(Proposal.status.in_(VISIBLE_STATUSES), Proposal.hidden_at.is_(None))
    proposals = _one_row(
        func.count(Proposal.id).label("proposals"),
        func.coalesce(func.sum(case((visible, 1), else_=0)), 0).label("visible"),
        func.max(Proposal.updated_at).label("updated"),
        func.max(Proposal.created_at).label("created"),
        func.count(Proposal.hidden_at).label("hidden"),
        func.max(Proposal.hidden_at).label("hidden_at"),
        # Supports and paper counts through the totals the database keeps on each proposal (migration
        # 0020): no join of the supports. A support moved from one proposal to another keeps the sum of
        # totals but changes the sum weighted by ids; a corrected paper count changes both.
        func.coalesce(func.sum(Proposal.support_total), 0).label("supports"),
        func.coalesce(func.sum(cast(Proposal.support_total, BigInteger) * Proposal.id), 0).label("supported"),
        where=[in_workshop],
    )
    # Paper counts are only ever added (each adds to a total above) or moved with their proposal by a
    # merge (which moves the totals too): the newest one of any workshop is enough to see the split
    # between online and paper change, and reading it is one index lookup, where joining this workshop's
    # proposals to their counts read them all (2 ms for 5,000). A count added elsewhere only makes the
    # next poll here render once more.
    paper = _one_row(func.max(PaperCount.id).label("paper_id"), where=[])
    people = _one_row(
        func.count(WorkshopParticipant.id).label("participants"),
        func.max(WorkshopParticipant.id).label("participant_id"),
        where=[WorkshopParticipant.workshop_id == workshop_id],
    )
    of_workshop = Vote.workshop_id == workshop_id
    due = or_(
        and_(Vote.status == Status.DRAFT.value, Vote.opens_at.is_not(None), Vote.opens_at <= now),
        and_(Vote.status == Status.OPEN.value, Vote.closes_at.is_not(None), Vote.closes_at <= now),
    )
    is_open = Vote.status == Status.OPEN.value
    polls = _one_row(
        func.count(Vote.id).label("votes"),
        func.coalesce(func.sum(case((Vote.status == Status.OPEN.value, 1), else_=0)), 0).label("open"),
        func.coalesce(func.sum(case((Vote.status == Status.CLOSED.value, 1), else_=0)), 0).label("closed"),
        func.max(Vote.opened_at).label("opened_at"),
        func.max(Vote.closed_at).label("closed_at"),
        func.coalesce(func.sum(case((due, 1), else_=0)), 0).label("due"),
        # An open vote's question and rules may still change until its first ballot (voting.rules): the
        # room has one or two open at a time, so these catch an edit; its options get new ids.
        func.max(case((is_open, Vote.question))).label("question_max"),
        func.min(case((is_open, Vote.question))).label("question_min"),
        func.sum(case((is_open, func.length(Vote.question)))).label("question_length"),
        func.max(case((is_open, Vote.method + " " + Vote.electorate))).label("rules_max"),
        func.min(case((is_open, Vote.method + " " + Vote.electorate))).label("rules_min"),
        where=[of_workshop],
    )
    options = _one_row(
        func.count(VoteOption.id).label("options"),
        func.max(VoteOption.id).label("option_id"),
        where=[VoteOption.vote_id == Vote.id, of_workshop],
    )
    ballots = _one_row(
        func.count(VoteParticipation.id).label("ballots"),
        func.max(VoteParticipation.id).label("ballot_id"),
        where=[VoteParticipation.vote_id == Vote.id, of_workshop],
    )
    on_paper = _one_row(
        func.count(PaperEntry.id).label("paper_entries"),
        func.max(PaperEntry.id).label("paper_entry_id"),
        where=[PaperEntry.vote_id == Vote.id, of_workshop],
    )
    derived = [proposals, paper, people, polls, options, ballots, on_paper]
    if with_language:
        derived.append(
            _one_row(
                func.count(TextTranslation.id).label("translations"),
                func.max(TextTranslation.id).label("translation_id"),
                func.max(TextTranslation.verified_at).label("verified_at"),
                where=[
                    TextTranslation.target_kind == "proposal",
                    TextTranslation.target_id == Proposal.id,
                    TextTranslation.status == "verified",
                    TextTranslation.language == language,
                    in_workshop,
                ],
            )
        )
    running = (
        select(AgendaItem.id)
        .where(AgendaItem.workshop_id == workshop_id, AgendaItem.started_at.is_not(None), AgendaItem.ended_at.is_(None))
        .order_by(AgendaItem.position, AgendaItem.id)
        .limit(1)
        .scalar_subquery()
    )
    query = select(
        Workshop,
        AgendaItem.id.label("item"),
        AgendaItem.title.label("item_title"),
        AgendaItem.started_at.label("item_started_at"),
        AgendaItem.duration_minutes.label("item_minutes"),
        *[column for table in derived for column in table.c],
    ).select_from(Workshop)
    for table in derived:
        query = query.join(table, true())
    query = query.outerjoin(AgendaItem, AgendaItem.id == running).where(Workshop.id == workshop_id)
    query = query.add_columns(Council).join(Council, Council.id == Workshop.council_id)
    if in_council:
        query = query.where(Council.slug == bindparam("council_slug", type_=String))
    return query


@dataclass(frozen=True)
class LiveVersion:
    """What one version query found: enough to answer 304, and a few figures the page shows."""

    etag: str
    visible: int  # visible proposals
    participants: int
    remaining_minutes: int | None
    due: bool  # a vote of the room has a planned opening or closing that has come


def _read_version(
    row, *, now: datetime, viewer_user_id: int | None, participant_id: int | None, language: str | None, extra: tuple
) -> LiveVersion:
    """The ETag of a version row, for this viewer (their supports and ballots show) and these extras."""
    values = {key: value for key, value in row._mapping.items() if isinstance(key, str)}
    workshop = next(value for value in row if isinstance(value, Workshop))
    values.pop("Workshop", None)
    values.pop("Council", None)
    remaining = _remaining(values["item_started_at"], values["item_minutes"], now)
    fingerprint = {
        "workshop": [workshop.id, workshop.phase, workshop.join_code, workshop.phase_changed_at],
        # The minute display changes with time, not only with data.
        "remaining": remaining,
        "aggregates": sorted(values.items()),
        "viewer": [viewer_user_id, participant_id, language],
        "extra": list(extra),
    }
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return LiveVersion(
        digest, int(values["visible"] or 0), int(values["participants"] or 0), remaining, bool(values["due"])
    )


def live_version(
    workshop_id: int,
    *,
    now: datetime,
    council_slug: str | None = None,
    viewer_user_id: int | None = None,
    participant_id: int | None = None,
    language: str | None = None,
    extra: tuple = (),
) -> tuple[LiveVersion, Workshop, Council] | None:
    """The version of the workshop's live state with the workshop and its council, in one SELECT (None:
    no such workshop, or not in the council of `council_slug`). A vote due to open or close is moved first,
    then the version is read again, as reading a vote does everywhere."""
    for _attempt in range(2):
        query = version_query(with_language=language is not None, in_council=council_slug is not None)
        parameters = {"workshop_id": workshop_id, "now": now, "language": language, "council_slug": council_slug}
        row = db.session.execute(query, {k: v for k, v in parameters.items() if v is not None}).one_or_none()
        if row is None:
            return None
        remember_page_council(row.Council)
        version = _read_version(
            row, now=now, viewer_user_id=viewer_user_id, participant_id=participant_id, language=language, extra=extra
        )
        if not version.due:
            break
        advance_all(now, workshop_id=workshop_id)
    return version, row.Workshop, row.Council


def live_state(
    workshop: Workshop,
    viewer: Actor,
    *,
    now: datetime,
    participant_id: int | None = None,
    participant: WorkshopParticipant | None = None,
    language: str | None = None,
    limit: int | None = None,
    page: int = 1,
    version: LiveVersion | None = None,
) -> LiveState:
    """`language`: show verified translations into it (a phone); the wall keeps the originals.
    `limit`: show only that many proposals, most supported first, from `page` (the wall: its top; a
    phone: one page), so that the cost does not grow with the workshop. `version`: one already read."""
    if participant is not None:
        participant_id = participant.id
    if version is None:
        found = live_version(
            workshop.id,
            now=now,
            viewer_user_id=viewer.user_id,
            participant_id=participant_id,
            language=language,
            extra=(limit, page),
        )
        if found is None:
            raise NotFound()
        version = found[0]
    # No limit (None or 0): one page, whatever page was asked for.
    page, pages = page_of(version.visible, limit, page) if limit else (1, 1)
    item = current_item(workshop)
    found_votes = live_votes(workshop, participant)
    offset = (page - 1) * limit if limit else 0
    if limit == 0 or not version.visible:
        proposals: list[RankedProposal] = []
    else:
        proposals = ranked_proposals(workshop, viewer, participant_id=participant_id, limit=limit, offset=offset)
    shown = localized(language, proposal=[r.proposal for r in proposals])
    return LiveState(
        workshop,
        workshop.phase,
        item,
        remaining_minutes(item, now),
        proposals,
        version.participants,
        found_votes,
        shown,
        version.etag,
        proposal_count=version.visible,
        page=page,
        pages=pages,
        first_rank=offset + 1,
    )


def live_response(body: str | None, etag: str) -> Response:
    """200 with the fragment, or 304 when the poller already has this state (body None)."""
    response = Response(body or "", status=200 if body is not None else 304, mimetype="text/html")
    response.set_etag(etag)
    # Revalidate on every poll; never serve a stale fragment from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response
