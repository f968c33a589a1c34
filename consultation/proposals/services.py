"""Proposal actions: submit, support, moderate (accept, correct, merge, reject), paper input, rankings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, selectinload

from consultation.accounts.models import User
from consultation.councils.models import Theme
from consultation.dbutil import insert_ignoring_duplicates
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.permissions import Actor, can_manage_workshop, can_take_part
from consultation.proposals.models import VISIBLE_STATUSES, PaperCount, Proposal, ProposalRevision, Support
from consultation.workshops import phases
from consultation.workshops.models import Workshop, WorkshopParticipant
from consultation.workshops.phases import Phase
from consultation.workshops.services import record, workshop_in_council


@dataclass(frozen=True)
class RankedProposal:
    proposal: Proposal
    support_count: int  # online and paper together: both count the same
    supported_by_viewer: bool
    online_supports: int = 0
    paper_supports: int = 0
    authors: tuple[str, ...] = field(default_factory=tuple)


def _language(language: str, workshop: Workshop) -> str:
    return language if language in LANGUAGES else workshop.language


def _check_theme(workshop: Workshop, theme_id: int | None) -> None:
    if theme_id is not None:
        theme = db.session.get(Theme, theme_id)
        if theme is None or theme.council_id != workshop.council_id:
            raise Conflict(_l("Choose one of the council's themes."))


def _check_open_for_proposals(workshop: Workshop) -> None:
    if not phases.accepts_proposals(workshop.phase_enum):
        raise Conflict(_l("This workshop does not take new proposals at this stage."))


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
    _check_open_for_proposals(workshop)
    _check_theme(workshop, theme_id)
    proposal = Proposal(
        workshop=workshop,
        author=user,
        theme_id=theme_id,
        title=title.strip(),
        body=body.strip(),
        language=_language(language, workshop),
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def submit_as_participant(
    participant: WorkshopParticipant, workshop: Workshop, *, title: str, body: str, language: str, now: datetime
) -> Proposal:
    """A proposal from a phone in the room: the participant is the author (and the account, if linked)."""
    if participant.workshop_id != workshop.id:
        raise NotAllowed()
    _check_open_for_proposals(workshop)
    proposal = Proposal(
        workshop=workshop,
        author_id=participant.user_id,
        participant_id=participant.id,
        title=title.strip(),
        body=body.strip(),
        language=_language(language, workshop),
        created_at=now,
        updated_at=now,
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


# ---------------------------------------------------------------- supports


def _check_supportable(proposal: Proposal) -> None:
    if not phases.accepts_supports(proposal.workshop.phase_enum):
        raise Conflict(_l("Supports are closed for this workshop."))
    if proposal.status not in VISIBLE_STATUSES or proposal.hidden_at is not None:
        raise Conflict(_l("This proposal can no longer be supported."))


def _check_can_support(user: User, proposal: Proposal) -> None:
    if not can_take_part(user.actor):
        raise NotAllowed()
    _check_supportable(proposal)


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
    result = db.session.execute(delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id))
    return bool(result.rowcount)


def _insert_support_once(values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on any of the supports' unique constraints (account or identity)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Support).values(**values).on_conflict_do_nothing().returning(Support.id)
    # psycopg 3 reports rowcount -1 for this statement: ask for the written key instead.
    return db.session.execute(statement).first() is not None


def support_as_participant(participant: WorkshopParticipant, proposal: Proposal, *, now: datetime) -> bool:
    if participant.workshop_id != proposal.workshop_id:
        raise NotAllowed()
    _check_supportable(proposal)
    return _insert_support_once(
        {
            "proposal_id": proposal.id,
            "participant_id": participant.id,
            "user_id": participant.user_id,
            "created_at": now,
        }
    )


def withdraw_as_participant(participant: WorkshopParticipant, proposal: Proposal) -> bool:
    if participant.workshop_id != proposal.workshop_id:
        raise NotAllowed()
    _check_supportable(proposal)
    who = [Support.participant_id == participant.id]
    if participant.user_id is not None:
        who.append(Support.user_id == participant.user_id)
    result = db.session.execute(delete(Support).where(Support.proposal_id == proposal.id, or_(*who)))
    return bool(result.rowcount)


# ---------------------------------------------------------------- rankings


# The stored total's order, and the index that serves it (ix_proposals_workshop_ranking).
RANKING_ORDER = (Proposal.support_total.desc(), Proposal.created_at, Proposal.id)


def support_counts_query(
    workshop_id: int, *, statuses: tuple[str, ...] = VISIBLE_STATUSES, limit: int | None = None, offset: int = 0
):
    """Rows of (proposal, online supports, paper supports), most supported first: the page is chosen on
    the stored total (an index scan, whatever the workshop's size), then only its rows are counted."""
    page = (
        select(Proposal.id)
        # Hidden by moderators (consultation.moderation): out of every list, the console's too.
        .where(Proposal.workshop_id == workshop_id, Proposal.status.in_(statuses), Proposal.hidden_at.is_(None))
        .order_by(*RANKING_ORDER)
        .limit(limit)
        .offset(offset or None)
        .subquery()
    )
    # count(*), not count(supports.id): an index-only scan of a supports index on PostgreSQL.
    online = select(func.count()).where(Support.proposal_id == Proposal.id).scalar_subquery()
    paper = (
        select(func.coalesce(func.sum(PaperCount.count), 0))
        .where(PaperCount.proposal_id == Proposal.id)
        .scalar_subquery()
    )
    loads = [
        # One row each, in the same statement: a select-in load per relation cost a round trip and
        # an IN list of 50 ids built in Python, each. Authors and collectors without their memberships
        # (eager on User for the logged-in person): a page of 50 proposals shows names only.
        joinedload(Proposal.author).lazyload(User.memberships),
        joinedload(Proposal.theme),
        joinedload(Proposal.participant),
        joinedload(Proposal.collected_by).lazyload(User.memberships),
    ]
    if "merged" in statuses:
        # Only a list that shows merged proposals names what they were merged into (the console); joining
        # a second proposal on every row cost the public page a fifth of its loading time.
        loads.append(joinedload(Proposal.merged_into))
    return (
        select(Proposal, online.label("online"), paper.label("paper"))
        .join(page, page.c.id == Proposal.id)
        .order_by(*RANKING_ORDER)
        .options(*loads)
    )


def _supported_by(workshop: Workshop, viewer: Actor, participant_id: int | None) -> set[int]:
    who = []
    if viewer.user_id is not None:
        who.append(Support.user_id == viewer.user_id)
    if participant_id is not None:
        who.append(Support.participant_id == participant_id)
    if not who:
        return set()
    return set(
        db.session.scalars(
            select(Support.proposal_id)
            .join(Proposal, Proposal.id == Support.proposal_id)
            .where(Proposal.workshop_id == workshop.id, or_(*who))
        )
    )


def ranked_proposals(
    workshop: Workshop,
    viewer: Actor,
    *,
    limit: int | None = None,
    offset: int = 0,
    participant_id: int | None = None,
    statuses: tuple[str, ...] = VISIBLE_STATUSES,
) -> list[RankedProposal]:
    """The workshop's proposals, most supported first (online and paper), in a fixed number of queries;
    `limit` and `offset` give one page of that order."""
    query = support_counts_query(workshop.id, statuses=statuses, limit=limit, offset=offset)
    rows = db.session.execute(query).all()
    supported = _supported_by(workshop, viewer, participant_id) if rows else set()
    authors = authors_by_proposal(workshop, [row[0] for row in rows]) if rows else {}
    return [
        RankedProposal(
            proposal,
            int(online) + int(paper),  # the stored total, counted afresh (a loaded object may be stale)
            proposal.id in supported,
            int(online),
            int(paper),
            tuple(authors.get(proposal.id, ())),
        )
        for proposal, online, paper in rows
    ]


def count_proposals(workshop: Workshop, statuses: tuple[str, ...] = VISIBLE_STATUSES) -> int:
    return int(
        db.session.scalar(
            select(func.count(Proposal.id)).where(
                Proposal.workshop_id == workshop.id, Proposal.status.in_(statuses), Proposal.hidden_at.is_(None)
            )
        )
        or 0
    )


def authors_by_proposal(workshop: Workshop, proposals: list[Proposal]) -> dict[int, list[str]]:
    """Every author of each proposal, including the authors of the proposals merged into it, once each."""
    merged = list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.merged_into_id.in_([p.id for p in proposals]))
            # The merged proposals' authors in the order they wrote (PostgreSQL returns rows in no set order).
            .order_by(Proposal.created_at, Proposal.id)
            .options(joinedload(Proposal.author).lazyload(User.memberships), joinedload(Proposal.participant))
        )
    )
    by_target: dict[int, list[Proposal]] = {}
    for each in merged:
        by_target.setdefault(each.merged_into_id, []).append(each)
    result: dict[int, list[str]] = {}
    for proposal in proposals:
        seen: set[tuple[str, object]] = set()
        names: list[str] = []
        for each in [proposal, *by_target.get(proposal.id, [])]:
            key = _author_key(each)
            if key in seen:
                continue
            seen.add(key)
            names.append(each.author_name)
        result[proposal.id] = names
    return result


def _author_key(proposal: Proposal) -> tuple[str, object]:
    if proposal.author_id is not None:
        return ("user", proposal.author_id)
    if proposal.participant_id is not None:
        return ("participant", proposal.participant_id)
    return ("proposal", proposal.id)  # a paper note or a deleted account: its own author


def proposals_for_moderation(workshop: Workshop) -> list[RankedProposal]:
    return ranked_proposals(workshop, Actor.anonymous(), statuses=("submitted", "accepted", "rejected", "merged"))


def own_rejected(workshop: Workshop, viewer: Actor, participant_id: int | None) -> list[Proposal]:
    """The viewer's own rejected proposals, so they can read the reason."""
    who = []
    if viewer.user_id is not None:
        who.append(Proposal.author_id == viewer.user_id)
    if participant_id is not None:
        who.append(Proposal.participant_id == participant_id)
    if not who:
        return []
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.workshop_id == workshop.id, Proposal.status == "rejected", or_(*who))
            .order_by(Proposal.id)
        )
    )


# ---------------------------------------------------------------- moderation


def _check_moderator(user: User, proposal: Proposal) -> None:
    if not can_manage_workshop(user.actor, proposal.workshop.council_id):
        raise NotAllowed(_l("Only the facilitators of this council can moderate proposals."))
    if proposal.workshop.phase_enum is Phase.CLOSED:
        raise Conflict(_l("This workshop is closed."))


def accept_proposal(user: User, proposal: Proposal, *, now: datetime) -> Proposal:
    _check_moderator(user, proposal)
    if proposal.status == "merged":
        raise Conflict(_l("This proposal was merged into another one."))
    proposal.status = "accepted"
    proposal.rejection_reason = ""
    proposal.updated_at = now
    record(proposal.workshop, user, "accepted", now=now, proposal=proposal.title)
    db.session.flush()
    return proposal


def reject_proposal(user: User, proposal: Proposal, *, reason: str, now: datetime) -> Proposal:
    _check_moderator(user, proposal)
    if proposal.status == "merged":
        raise Conflict(_l("This proposal was merged into another one."))
    if not reason.strip():
        raise Conflict(_l("Give the reason: the author will read it."))
    proposal.status = "rejected"
    proposal.rejection_reason = reason.strip()
    proposal.updated_at = now
    record(proposal.workshop, user, "rejected", now=now, proposal=proposal.title, reason=proposal.rejection_reason)
    db.session.flush()
    return proposal


def edit_proposal(user: User, proposal: Proposal, *, title: str, body: str, now: datetime) -> Proposal:
    """Correct a typo; the text before the correction is kept with who changed it and when."""
    _check_moderator(user, proposal)
    title, body = title.strip(), body.strip()
    if (title, body) == (proposal.title, proposal.body):
        return proposal
    db.session.add(
        ProposalRevision(
            proposal_id=proposal.id,
            previous_title=proposal.title,
            previous_body=proposal.body,
            edited_by_id=user.id,
            edited_at=now,
        )
    )
    record(proposal.workshop, user, "corrected", now=now, proposal=title, previous=proposal.title)
    proposal.title, proposal.body, proposal.updated_at = title, body, now
    db.session.flush()
    return proposal


def merge_proposals(user: User, target: Proposal, sources: list[Proposal], *, now: datetime) -> Proposal:
    """Merge duplicates into the target: every author stays credited, every person's support counts once,
    and paper counts add up."""
    _check_moderator(user, target)
    if target.status in ("merged", "rejected"):
        raise Conflict(_l("Merge into a proposal that is still in the list."))
    sources = [s for s in sources if s.id != target.id]
    if not sources:
        raise Conflict(_l("Choose at least one other proposal to merge."))
    for source in sources:
        if source.workshop_id != target.workshop_id:
            raise NotFound()
        if source.status == "merged":
            raise Conflict(_l("This proposal was merged into another one."))
    source_ids = [s.id for s in sources]
    move_supports(target, source_ids)
    # Proposals merged earlier into a source now point at the target: authors stay one hop away.
    for earlier in db.session.scalars(select(Proposal).where(Proposal.merged_into_id.in_(source_ids))):
        earlier.merged_into_id = target.id
    for source in sources:
        source.status = "merged"
        source.merged_into_id = target.id
        source.updated_at = now
    target.updated_at = now
    record(target.workshop, user, "merged", now=now, proposal=target.title, merged=", ".join(s.title for s in sources))
    db.session.flush()
    return target


def move_supports(target: Proposal, source_ids: list[int]) -> None:
    """The supports and paper counts of merged proposals go to the target; each person counts once there."""
    existing = db.session.execute(
        select(Support.user_id, Support.participant_id).where(Support.proposal_id == target.id)
    ).all()
    users = {u for u, _p in existing if u is not None}
    participants = {p for _u, p in existing if p is not None}
    moving = db.session.scalars(
        select(Support).where(Support.proposal_id.in_(source_ids)).order_by(Support.created_at, Support.id)
    ).all()
    for each in moving:
        duplicate = (each.user_id is not None and each.user_id in users) or (
            each.participant_id is not None and each.participant_id in participants
        )
        if duplicate:
            db.session.delete(each)
            continue
        each.proposal_id = target.id
        if each.user_id is not None:
            users.add(each.user_id)
        if each.participant_id is not None:
            participants.add(each.participant_id)
    db.session.flush()
    for count in db.session.scalars(select(PaperCount).where(PaperCount.proposal_id.in_(source_ids))):
        count.proposal_id = target.id
    db.session.flush()


# ---------------------------------------------------------------- paper input


def add_paper_proposal(
    user: User, workshop: Workshop, *, title: str, body: str, paper_author: str, language: str, now: datetime
) -> Proposal:
    """A sticky note typed in by a facilitator: counted like any proposal, shown as collected on paper."""
    if not can_manage_workshop(user.actor, workshop.council_id):
        raise NotAllowed(_l("Only the facilitators of this council can type in paper input."))
    if workshop.phase_enum is Phase.CLOSED:
        raise Conflict(_l("This workshop is closed."))
    proposal = Proposal(
        workshop=workshop,
        title=title.strip(),
        body=body.strip(),
        language=_language(language, workshop),
        origin="paper",
        collected_by_id=user.id,
        paper_author=paper_author.strip(),
        status="accepted",
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    record(workshop, user, "paper_proposal", now=now, proposal=proposal.title)
    return proposal


def add_paper_count(user: User, proposal: Proposal, *, count: int, now: datetime) -> PaperCount:
    """A show of hands or paper ballots for a proposal; it adds to the online supports."""
    _check_moderator(user, proposal)
    if proposal.status not in VISIBLE_STATUSES:
        raise Conflict(_l("This proposal can no longer be supported."))
    if count <= 0:
        raise Conflict(_l("Give a number of hands or ballots above zero."))
    paper = PaperCount(proposal_id=proposal.id, count=count, collected_by_id=user.id, recorded_at=now)
    db.session.add(paper)
    db.session.flush()
    record(proposal.workshop, user, "paper_count", now=now, proposal=proposal.title, count=count)
    return paper


def revisions_of(proposals: list[Proposal]) -> dict[int, list[ProposalRevision]]:
    if not proposals:
        return {}
    rows = db.session.scalars(
        select(ProposalRevision)
        .where(ProposalRevision.proposal_id.in_([p.id for p in proposals]))
        .order_by(ProposalRevision.edited_at, ProposalRevision.id)
        .options(selectinload(ProposalRevision.edited_by))
    )
    result: dict[int, list[ProposalRevision]] = {}
    for revision in rows:
        result.setdefault(revision.proposal_id, []).append(revision)
    return result
