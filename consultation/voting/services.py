"""Vote actions: set a vote up, open and close it, cast a ballot (in person or by proxy), type in paper
ballots, count, and read turnout and roll call in a fixed number of queries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council, District, Membership, Residence
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.permissions import Actor, can_manage_vote
from consultation.proposals.models import VISIBLE_STATUSES, Proposal
from consultation.voting import rules
from consultation.voting.labels import PAPER_ERRORS, PROXY_ERRORS
from consultation.voting.methods import METHODS, MOTION_OPTIONS, InvalidBallot, tally, validate_ballot
from consultation.voting.models import (
    PaperEntry,
    Vote,
    VoteBallot,
    VoteOption,
    VoteParticipation,
    VoteProxy,
    random_key,
)
from consultation.voting.rules import Channel, Electorate, Status
from consultation.workshops import services as workshops
from consultation.workshops.models import Attendance, Workshop, WorkshopParticipant

__all__ = ["InvalidBallot"]  # re-exported: views catch it from here


@dataclass
class VoteSettings:
    """What a facilitator sets when preparing a vote; locked once the first ballot is cast."""

    question: str
    method: str
    description: str = ""
    electorate: str = Electorate.MEMBERS.value
    is_secret: bool = False
    allows_change: bool = False
    options: list[str] = field(default_factory=list)  # typed options, one label each
    proposal_ids: list[int] = field(default_factory=list)  # the workshop's proposals put to the vote
    max_score: int | None = None
    points: int | None = None
    grades: list[str] | None = None
    majority: str | None = None
    quorum: int | None = None
    electorate_size: int | None = None
    max_proxies: int = 1
    opinion_id: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    district_id: int | None = None  # with the residents electorate: one district's residents only


# ------------------------------------------------------------------------------------------ reading


def _roles_in(actor: Actor, council_id: int) -> list[str]:
    return [role.value for role in actor.roles_in(council_id)]


def takes_part(user_id: int | None, workshop_id: int | None) -> bool:
    """Did this account take part in the workshop: joined it by its code, or marked present (one query)?"""
    if user_id is None or workshop_id is None:
        return False
    joined = select(WorkshopParticipant.id).where(
        WorkshopParticipant.workshop_id == workshop_id, WorkshopParticipant.user_id == user_id
    )
    present = select(Attendance.id).where(
        Attendance.workshop_id == workshop_id, Attendance.user_id == user_id, Attendance.status == "present"
    )
    return bool(db.session.scalar(select(or_(joined.exists(), present.exists()))))


def lives_in(user_id: int | None, district_id: int) -> bool:
    if user_id is None:
        return False
    return bool(
        db.session.scalar(
            select(func.count()).where(Residence.user_id == user_id, Residence.district_id == district_id)
        )
    )


def is_eligible(actor: Actor, vote: Vote) -> bool:
    district = vote.district if vote.electorate == Electorate.RESIDENTS else None
    return rules.is_eligible(
        vote.electorate,
        _roles_in(actor, vote.council_id),
        is_authenticated=actor.is_authenticated,
        takes_part=vote.electorate == Electorate.WORKSHOP and takes_part(actor.user_id, vote.workshop_id),
        district_vote=district is not None,
        lives_in_district=district is not None and lives_in(actor.user_id, district.id),
    )


def workshop_electorate(workshop_id: int) -> int:
    """Everyone who took part in a workshop, each once: the identities made by joining with the code,
    plus the people marked present on the sheet who never joined (walk-ins, ticked accounts). One query."""
    joined = select(func.count()).where(WorkshopParticipant.workshop_id == workshop_id).scalar_subquery()
    linked_accounts = select(WorkshopParticipant.user_id).where(
        WorkshopParticipant.workshop_id == workshop_id, WorkshopParticipant.user_id.is_not(None)
    )
    present_only = (
        select(func.count())
        .where(
            Attendance.workshop_id == workshop_id,
            Attendance.status == "present",
            Attendance.participant_id.is_(None),
            or_(Attendance.user_id.is_(None), Attendance.user_id.not_in(linked_accounts)),
        )
        .scalar_subquery()
    )
    return int(db.session.scalar(select(joined + present_only)) or 0)


def can_see(actor: Actor, vote: Vote) -> bool:
    """A draft is seen by its managers and by those who may vote in it (to give a proxy); the rest by all."""
    if vote.status != Status.DRAFT:
        return True
    return can_manage_vote(actor, vote.council_id) or is_eligible(actor, vote)


def vote_in_council(actor: Actor, council: Council, vote_id: int) -> Vote:
    vote = db.session.get(Vote, vote_id)
    if vote is None or vote.council_id != council.id or not can_see(actor, vote):
        raise NotFound()
    return vote


def votes_of(actor: Actor, council: Council, *, workshop_id: int | None = None) -> list[Vote]:
    query = select(Vote).where(Vote.council_id == council.id).order_by(Vote.created_at.desc(), Vote.id.desc())
    if workshop_id is not None:
        query = query.where(Vote.workshop_id == workshop_id)
    return [v for v in db.session.scalars(query) if can_see(actor, v)]


def option_keys(vote: Vote) -> list[str]:
    return list(MOTION_OPTIONS) if vote.is_motion else [o.key for o in vote.options]


def grade_values(vote: Vote) -> list[str]:
    return list(vote.grades) if vote.grades else list(rules.DEFAULT_GRADE_KEYS)


def engine_rules(vote: Vote, electorate: int | None = None) -> dict[str, Any]:
    if vote.method == "score":
        return {"max_score": vote.max_score}
    if vote.method == "dot":
        return {"points": vote.points}
    if vote.method == "majority_judgment":
        return {"grades": grade_values(vote)}
    if vote.method == "motion":
        found = {"majority": vote.majority or "simple", "quorum": vote.quorum}
        if electorate is not None:
            found["electorate"] = electorate
        return found
    return {}


def check_ballot(vote: Vote, ballot: Any) -> None:
    """Raise InvalidBallot when the engine could not count this ballot."""
    validate_ballot(vote.method, option_keys(vote), ballot, **engine_rules(vote))


def ballots_cast(vote: Vote) -> int:
    online = db.session.scalar(select(func.count()).where(VoteParticipation.vote_id == vote.id)) or 0
    paper = db.session.scalar(select(func.count()).where(PaperEntry.vote_id == vote.id)) or 0
    return online + paper


def is_locked(vote: Vote) -> bool:
    return rules.settings_locked(vote.status, ballots_cast(vote))


def electorate_count(vote: Vote) -> int | None:
    """How many people may vote: declared by the council, else counted from the roles or the workshop's
    participants (unknown for a workshop vote without a workshop)."""
    if vote.electorate_size:
        return vote.electorate_size
    if vote.electorate == Electorate.WORKSHOP:
        return workshop_electorate(vote.workshop_id) if vote.workshop_id is not None else None
    query = select(func.count(func.distinct(Membership.user_id))).where(Membership.council_id == vote.council_id)
    if vote.electorate == Electorate.MEMBERS:
        query = query.where(Membership.role.in_(rules.MEMBER_ROLES))
    elif vote.district is not None:
        query = query.where(
            Membership.user_id.in_(select(Residence.user_id).where(Residence.district_id == vote.district.id))
        )
    return db.session.scalar(query) or 0


def all_ballots(vote: Vote) -> list[Any]:
    """Every ballot to count: cast online and typed in one by one, plus the paper counts expanded (2 queries)."""
    cast = list(db.session.scalars(select(VoteBallot.content).where(VoteBallot.vote_id == vote.id)))
    keys = option_keys(vote)
    for counts, ballots in db.session.execute(
        select(PaperEntry.counts, PaperEntry.ballots).where(
            PaperEntry.vote_id == vote.id, PaperEntry.counts.is_not(None)
        )
    ):
        cast.extend(rules.expand_counts(vote.method, keys, counts, ballots))
    return cast


def count(vote: Vote, ballots: list[Any], electorate: int | None) -> dict[str, Any]:
    """Count with the engine and apply the quorum: what is stored when the vote closes (JSON-ready)."""
    result = tally(vote.method, option_keys(vote), ballots, **engine_rules(vote, electorate))
    winners, reached = rules.apply_quorum(vote.method, result.winners, len(ballots), vote.quorum)
    return {
        "ranking": result.ranking,
        "winners": winners,
        "details": result.details,
        "ballots": len(ballots),
        "quorum_reached": reached,
        "electorate": electorate,
    }


def current_result(vote: Vote) -> dict[str, Any]:
    if vote.result is not None:
        return vote.result
    return count(vote, all_ballots(vote), electorate_count(vote))


@dataclass(frozen=True)
class Turnout:
    by_channel: dict[str, int]
    proxies: int
    total: int
    electorate: int | None
    participations: int = 0  # the people who voted online or in the room by name: the roll call's length

    @property
    def share(self) -> float | None:
        return rules.turnout_share(self.total, self.electorate)


def turnout(vote: Vote) -> Turnout:
    """Ballots by channel (aggregated in SQL): online ones from participations, room and paper ones from entries."""
    by_channel = dict.fromkeys((c.value for c in Channel), 0)
    participations = proxies = 0
    # One pass over the participations: by channel, and those cast by someone else (a proxy's holder).
    for channel, number, by_proxy in db.session.execute(
        select(
            VoteParticipation.channel,
            func.count(),
            func.coalesce(func.sum(case((VoteParticipation.voter_id != VoteParticipation.cast_by_id, 1), else_=0)), 0),
        )
        .where(VoteParticipation.vote_id == vote.id)
        .group_by(VoteParticipation.channel)
    ):
        by_channel[channel] += number
        participations += number
        proxies += int(by_proxy or 0)
    for channel, number in db.session.execute(
        select(PaperEntry.channel, func.sum(PaperEntry.ballots))
        .where(PaperEntry.vote_id == vote.id)
        .group_by(PaperEntry.channel)
    ):
        by_channel[channel] += int(number or 0)
    # A closed vote keeps the electorate counted when it closed: later changes to roles or to the
    # workshop's sign-in sheet (an account deleted, a membership removed) do not rewrite its turnout.
    stored = (vote.result or {}).get("electorate") if vote.status == Status.CLOSED else None
    electorate = stored if stored is not None else electorate_count(vote)
    return Turnout(by_channel, proxies, sum(by_channel.values()), electorate, participations)


@dataclass(frozen=True)
class RollCallEntry:
    voter: str | None  # None: a participant who chose to stay anonymous
    cast_by: str | None  # the proxy holder, when not the voter
    channel: str
    ballot: Any  # None in a secret vote
    is_participant: bool = False  # joined the workshop by its code, without an account


def roll_call(vote: Vote, *, limit: int | None = None, offset: int = 0) -> list[RollCallEntry]:
    """Who voted, by name; with what they voted when the vote is open (one query); `limit` and
    `offset` give one page of it, in the order of names."""
    return roll_calls([vote], limit=limit, offset=offset)[vote.id]


def roll_calls(votes: list[Vote], *, limit: int | None = None, offset: int = 0) -> dict[int, list[RollCallEntry]]:
    """The roll call of several votes in one query (a workshop's minutes list them all)."""
    found: dict[int, list[RollCallEntry]] = {v.id: [] for v in votes}
    if not votes:
        return found
    secret = {v.id for v in votes if v.is_secret}
    parameters = {"vote_ids": list(found), "limit": limit, "offset": offset}
    rows = db.session.execute(_roll_call_query(paged=limit is not None), parameters)
    for vote_id, name, cast_name, voter_id, cast_by_id, channel, participant_name, ballot in rows:
        found[vote_id].append(
            RollCallEntry(
                name if voter_id is not None else (participant_name or None),
                cast_name if cast_by_id != voter_id else None,
                channel,
                None if vote_id in secret else ballot,
                is_participant=voter_id is None,
            )
        )
    return found


@lru_cache(maxsize=2)
def _roll_call_query(*, paged: bool):
    """Built once per process, run with `vote_ids` (and `limit`, `offset`): building it (aliases, the
    deleted-account name expression, a subquery) took longer than PostgreSQL takes to run it."""
    voter = db.aliased(User)
    caster = db.aliased(User)
    name = func.coalesce(voter.display_name, WorkshopParticipant.display_name)
    # The page of names first (their order needs every voter's name), then the ballots and the proxy
    # holders of that page only: joining the ballots of a 3,608-voter vote before its first 200 names cost
    # a lookup per voter.
    page = (
        select(
            VoteParticipation.id,
            VoteParticipation.vote_id,
            VoteParticipation.voter_id,
            VoteParticipation.cast_by_id,
            VoteParticipation.participant_id,
            VoteParticipation.channel,
            voter.display_name.label("voter_name"),
            WorkshopParticipant.display_name.label("participant_name"),
            name.label("sort_name"),
        )
        .outerjoin(voter, voter.id == VoteParticipation.voter_id)
        .outerjoin(WorkshopParticipant, WorkshopParticipant.id == VoteParticipation.participant_id)
        .where(VoteParticipation.vote_id.in_(bindparam("vote_ids", expanding=True)))
        .order_by(VoteParticipation.vote_id, name, VoteParticipation.voter_id, VoteParticipation.participant_id)
    )
    if paged:
        page = page.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    page = page.subquery()
    # A ballot is a voter's (account) or a participant's (workshop code): two index lookups, not one join
    # on an OR that PostgreSQL answers by filtering every ballot of the vote. A secret ballot has neither
    # voter_id nor participant_id: neither join finds one.
    by_voter, by_participant = db.aliased(VoteBallot), db.aliased(VoteBallot)
    return (
        select(
            page.c.vote_id,
            page.c.voter_name,
            caster.display_name,
            page.c.voter_id,
            page.c.cast_by_id,
            page.c.channel,
            page.c.participant_name,
            func.coalesce(by_voter.content, by_participant.content, type_=VoteBallot.content.type),
        )
        .select_from(page)
        .outerjoin(caster, caster.id == page.c.cast_by_id)
        .outerjoin(by_voter, (by_voter.vote_id == page.c.vote_id) & (by_voter.voter_id == page.c.voter_id))
        .outerjoin(
            by_participant,
            (by_participant.vote_id == page.c.vote_id) & (by_participant.participant_id == page.c.participant_id),
        )
        .order_by(page.c.vote_id, page.c.sort_name, page.c.voter_id, page.c.participant_id)
    )


def paper_entries(vote: Vote) -> list[PaperEntry]:
    return list(
        db.session.scalars(
            select(PaperEntry)
            .where(PaperEntry.vote_id == vote.id)
            .order_by(PaperEntry.entered_at, PaperEntry.id)
            .options(db.selectinload(PaperEntry.entered_by))
        )
    )


def proxies_of(vote: Vote) -> list[VoteProxy]:
    return list(
        db.session.scalars(
            select(VoteProxy)
            .where(VoteProxy.vote_id == vote.id)
            .order_by(VoteProxy.id)
            .options(db.selectinload(VoteProxy.giver), db.selectinload(VoteProxy.holder))
        )
    )


def has_voted(user_id: int, vote: Vote) -> bool:
    return bool(
        db.session.scalar(
            select(func.count()).where(VoteParticipation.vote_id == vote.id, VoteParticipation.voter_id == user_id)
        )
    )


def voters_among(vote: Vote, user_ids: list[int]) -> set[int]:
    """Which of these people have already voted (one query)."""
    return set(
        db.session.scalars(
            select(VoteParticipation.voter_id).where(
                VoteParticipation.vote_id == vote.id, VoteParticipation.voter_id.in_(user_ids)
            )
        )
    )


def check_can_cast(user: User, vote: Vote, on_behalf_of: User | None = None) -> None:
    """Everything but the ballot itself: raise the domain error that says why this person cannot vote now."""
    _check_voter(user, vote, on_behalf_of)
    voter = on_behalf_of or user
    if not rules.may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change) and voters_among(
        vote, [voter.id]
    ):
        raise Conflict(ALREADY_CAST)


def _check_voter(user: User, vote: Vote, on_behalf_of: User | None, proxies: list[VoteProxy] | None = None) -> None:
    """The vote is open and this person may vote in it, for themself or by proxy. `proxies`: the vote's
    proxies as this transaction read them, used only while nobody else can change them (_vote_is_held)."""
    if vote.status != Status.OPEN:
        raise Conflict(_l("This vote is not open."))
    voter = on_behalf_of or user
    if proxies is None or not _vote_is_held(vote):
        proxies = proxies_of(vote)
    if on_behalf_of is not None:
        holder = next((p.holder_id for p in proxies if p.giver_id == on_behalf_of.id), None)
        if holder != user.id:
            raise NotAllowed(_l("You do not hold a proxy from this person for this vote."))
    elif any(p.giver_id == user.id for p in proxies):
        raise Conflict(_l("You gave a proxy for this vote: the person who holds it votes for you."))
    if not is_eligible(voter.actor, vote):
        raise NotAllowed(_l("You are not among the voters of this vote."))


ALREADY_CAST = _l("This ballot has already been cast; it cannot be changed in this vote.")


def own_ballot(user_id: int, vote: Vote) -> Any:
    """One's own ballot in an open vote (to change it); a secret ballot cannot be found, on purpose."""
    if vote.is_secret:
        return None
    return db.session.scalar(
        select(VoteBallot.content).where(VoteBallot.vote_id == vote.id, VoteBallot.voter_id == user_id)
    )


def eligible_members(vote: Vote) -> list[User]:
    """People a proxy can go to: holders of the roles the electorate counts (none listed for a workshop vote)."""
    if vote.electorate == Electorate.WORKSHOP:
        return []
    query = select(Membership.user_id).where(Membership.council_id == vote.council_id)
    if vote.electorate == Electorate.MEMBERS:
        query = query.where(Membership.role.in_(rules.MEMBER_ROLES))
    elif vote.district is not None:
        query = query.where(
            Membership.user_id.in_(select(Residence.user_id).where(Residence.district_id == vote.district.id))
        )
    return list(db.session.scalars(select(User).where(User.id.in_(query)).order_by(User.display_name, User.id)))


# ------------------------------------------------------------------------------------------ writing


def _check_manager(user: User, council_id: int) -> None:
    if not can_manage_vote(user.actor, council_id):
        raise NotAllowed(_l("Only the facilitators, the secretary and the president of this council can do this."))


def _locked(vote: Vote, *, read: bool) -> Vote:
    """Reload the vote with a row lock (PostgreSQL): casting shares it, opening and closing take it alone.
    SQLite needs none: writing requests begin with BEGIN IMMEDIATE (dbutil), so nobody else writes until
    this transaction ends; a deferred one reads a snapshot whose upgrade to writing fails rather than
    write over a newer state. So a ballot on SQLite does not read the vote and its options again, nor
    on PostgreSQL when this transaction read it with the shared lock already (read_for_ballot)."""
    if read and _vote_is_held(vote):
        return vote
    return db.session.scalars(
        select(Vote).where(Vote.id == vote.id).with_for_update(read=read).execution_options(populate_existing=True)
    ).one()


def read_for_ballot(council_slug: str, vote_id: int) -> Vote | None:
    """The vote a ballot is about to be cast in, with its council (one statement), read with the vote's
    shared row lock from the start on PostgreSQL; None when the council has no such vote.

    The lock lasts until the ballot's transaction ends, so opening, closing or editing the vote (which
    take it alone) wait for the ballots in flight, and everything this request reads about the vote (its
    options, its proxies) is what the ballot is checked against: cast_ballot then need not read the vote
    and its options a second time (three statements of a ballot's fifteen)."""
    return _read_share_locked(
        select(Vote)
        .join(Vote.council)
        .where(Vote.id == vote_id, Council.slug == council_slug)
        .options(contains_eager(Vote.council))
    )


def read_for_phone_ballot(vote_id: int) -> Vote | None:
    """The same for a ballot sent from a phone in the workshop (the view checks the vote's workshop)."""
    return _read_share_locked(select(Vote).where(Vote.id == vote_id))


def _read_share_locked(query) -> Vote | None:
    query = query.execution_options(populate_existing=True)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        query = query.with_for_update(read=True, of=Vote)
    vote = db.session.scalars(query).one_or_none()
    if vote is not None and postgresql:
        # Keyed by the transaction: once it ends (commit, rollback), the lock is gone and so is the mark.
        db.session.info.setdefault(_SHARE_LOCKS, {})[vote.id] = db.session().get_transaction()
    return vote


_SHARE_LOCKS = "votes share-locked by this transaction"


def _vote_is_held(vote: Vote) -> bool:
    """Nobody else can change this vote, its options or its proxies before this transaction ends: on SQLite
    a writing transaction holds the database's write lock (or fails to commit over a newer state), and on
    PostgreSQL this transaction holds the vote's row lock (read_for_ballot)."""
    return db.session.get_bind().dialect.name == "sqlite" or _share_locked(vote.id)


def _share_locked(vote_id: int) -> bool:
    transaction = db.session().get_transaction()
    return transaction is not None and db.session.info.get(_SHARE_LOCKS, {}).get(vote_id) is transaction


def _check_settings(council: Council, workshop: Workshop | None, settings: VoteSettings) -> None:
    if settings.method not in METHODS:
        raise Conflict(_l("Choose one of the voting methods."))
    if settings.district_id is not None:
        district = db.session.get(District, settings.district_id)
        if district is None or district.council_id != council.id:
            raise Conflict(_l("Choose one of the council's districts."))
        if settings.electorate != Electorate.RESIDENTS.value:
            raise Conflict(_l("A district restricts a vote of the council's residents: choose that electorate."))
    if settings.opens_at and settings.closes_at and settings.closes_at <= settings.opens_at:
        raise Conflict(_l("The planned closing must come after the planned opening."))
    if settings.is_secret and settings.allows_change:
        raise Conflict(_l("A secret ballot cannot be changed once cast: nothing links it to its voter."))
    if settings.method == "score" and not (settings.max_score and settings.max_score >= 1):
        raise Conflict(_l("Give the highest score."))
    if settings.method == "dot" and not (settings.points and settings.points >= 1):
        raise Conflict(_l("Give the number of points each voter shares."))
    if settings.method == "majority_judgment" and settings.grades is not None and len(settings.grades) < 2:
        raise Conflict(_l("Give at least two grades."))
    if settings.opinion_id is not None:
        opinion = db.session.get(Opinion, settings.opinion_id)
        if opinion is None or opinion.council_id != council.id:
            raise Conflict(_l("Choose one of the council's opinions."))
    if settings.proposal_ids:
        if workshop is None:
            raise Conflict(_l("Proposals can only be put to the vote from their workshop."))
        found = set(
            db.session.scalars(
                select(Proposal.id).where(
                    Proposal.id.in_(settings.proposal_ids),
                    Proposal.workshop_id == workshop.id,
                    Proposal.status.in_(VISIBLE_STATUSES),
                )
            )
        )
        if found != set(settings.proposal_ids):
            raise Conflict(_l("Choose proposals of this workshop."))
    if settings.method != "motion":
        labels = [o.strip() for o in settings.options if o.strip()]
        if len(labels) + len(settings.proposal_ids) < 2:
            raise Conflict(_l("A vote needs at least two options."))


def _apply_settings(vote: Vote, settings: VoteSettings, language: str) -> None:
    vote.question = settings.question.strip()
    vote.description = settings.description.strip()
    vote.method = settings.method
    vote.electorate = Electorate(settings.electorate).value
    vote.is_secret = settings.is_secret
    vote.allows_change = settings.allows_change
    vote.max_score = settings.max_score if settings.method == "score" else None
    vote.points = settings.points if settings.method == "dot" else None
    vote.grades = settings.grades if settings.method == "majority_judgment" else None
    vote.majority = (settings.majority or "simple") if settings.method == "motion" else None
    vote.quorum = settings.quorum
    vote.electorate_size = settings.electorate_size
    vote.max_proxies = settings.max_proxies
    vote.opinion_id = settings.opinion_id
    vote.opens_at = settings.opens_at
    vote.closes_at = settings.closes_at
    vote.district = db.session.get(District, settings.district_id) if settings.district_id else None
    vote.options.clear()
    db.session.flush()
    if settings.method == "motion":
        return
    proposals = {
        p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(settings.proposal_ids or [-1])))
    }
    position = 0
    for proposal_id in settings.proposal_ids:
        position += 1
        proposal = proposals[proposal_id]
        vote.options.append(
            VoteOption(
                position=position, label=proposal.title[:300], language=proposal.language, proposal_id=proposal.id
            )
        )
    for label in settings.options:
        if label.strip():
            position += 1
            vote.options.append(VoteOption(position=position, label=label.strip()[:300], language=language))


def create_vote(
    user: User,
    council: Council,
    settings: VoteSettings,
    *,
    workshop: Workshop | None = None,
    language: str = "fr",
    now: datetime,
) -> Vote:
    _check_manager(user, council.id)
    if workshop is not None and workshop.council_id != council.id:
        raise NotFound()
    _check_settings(council, workshop, settings)
    vote = Vote(
        council=council,
        workshop=workshop,
        created_by=user,
        language=language,
        created_at=now,
        status=Status.DRAFT.value,
        question="",
        method=settings.method,
    )
    db.session.add(vote)
    _apply_settings(vote, settings, language)
    db.session.flush()
    return vote


def update_vote(user: User, vote: Vote, settings: VoteSettings, *, language: str = "fr") -> Vote:
    _check_manager(user, vote.council_id)
    vote = _locked(vote, read=False)
    if is_locked(vote):
        raise Conflict(_l("The vote's settings are locked: ballots have been cast."))
    _check_settings(vote.council, vote.workshop, settings)
    _apply_settings(vote, settings, language)
    db.session.flush()
    return vote


def open_vote(user: User | None, vote: Vote, *, now: datetime) -> Vote:
    """Open the vote: by one of its managers, or by its schedule (user None, see voting/schedule.py)."""
    if user is not None:
        _check_manager(user, vote.council_id)
    vote = _locked(vote, read=False)
    if not rules.can_move(vote.status, Status.OPEN):
        raise Conflict(_l("Only a vote in preparation can be opened."))
    vote.status = Status.OPEN.value
    vote.opened_at = now
    db.session.flush()
    _record_in_workshop(vote, user, "vote_opened", now=now)
    audit.record(
        "vote.opened",
        actor_id=user.id if user is not None else None,
        details={"vote": vote.id, "council": vote.council_id, **({} if user is not None else {"by": "schedule"})},
        now=now,
    )
    return vote


def close_vote(user: User | None, vote: Vote, *, now: datetime) -> Vote:
    """Close the vote, store its result, and reshuffle a secret vote's ballots (see models: PostgreSQL order).
    By one of its managers, or by its schedule (user None)."""
    if user is not None:
        _check_manager(user, vote.council_id)
    vote = _locked(vote, read=False)
    if not rules.can_move(vote.status, Status.CLOSED):
        raise Conflict(_l("Only an open vote can be closed."))
    if vote.is_secret:
        _reshuffle_ballots(vote)
    vote.status = Status.CLOSED.value
    vote.closed_at = now
    vote.result = count(vote, all_ballots(vote), electorate_count(vote))
    db.session.flush()
    _record_in_workshop(vote, user, "vote_closed", now=now, ballots=vote.result["ballots"])
    audit.record(
        "vote.closed",
        actor_id=user.id if user is not None else None,
        details={"vote": vote.id, "council": vote.council_id, "winners": vote.result.get("winners")},
        now=now,
    )
    return vote


def _record_in_workshop(vote: Vote, user: User | None, action: str, *, now: datetime, **details: object) -> None:
    """A workshop vote's steps also go to the workshop's history, whichever page they were taken from."""
    if vote.workshop is not None:
        workshops.record(vote.workshop, user, action, now=now, question=vote.question, **details)


def _reshuffle_ballots(vote: Vote) -> None:
    """Delete and re-insert the ballots in random order under new random keys, in the closing transaction."""
    rows = [
        {"vote_id": vote.id, "voter_id": None, "content": content}
        for content in db.session.scalars(select(VoteBallot.content).where(VoteBallot.vote_id == vote.id))
    ]
    secrets.SystemRandom().shuffle(rows)
    db.session.execute(delete(VoteBallot).where(VoteBallot.vote_id == vote.id))
    for row in rows:
        db.session.execute(insert(VoteBallot).values(id=random_key(), **row))


def _insert_participation(
    vote_id: int, voter_id: int | None, cast_by_id: int | None, *, participant_id: int | None = None
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: True when this request wrote the participation.
    The voter is an account (voter_id) or a workshop participant without one (participant_id).

    RETURNING, not rowcount: through psycopg 3 the rowcount of this statement reads -1 (dbutil's
    insert_ignoring_duplicates relies on it), which would count a duplicate as written."""
    dialect = db.session.get_bind().dialect.name
    make_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        make_insert(VoteParticipation.__table__)
        .values(
            id=random_key(),
            vote_id=vote_id,
            voter_id=voter_id,
            cast_by_id=cast_by_id,
            participant_id=participant_id,
            channel=Channel.ONLINE.value,
        )
        .on_conflict_do_nothing(index_elements=["vote_id", "voter_id" if voter_id is not None else "participant_id"])
        .returning(VoteParticipation.__table__.c.id)
    )
    return db.session.execute(statement).first() is not None


def cast_ballot(
    user: User,
    vote: Vote,
    ballot: Any,
    *,
    on_behalf_of: User | None = None,
    now: datetime,
    proxies: list[VoteProxy] | None = None,
) -> str:
    """Cast (or, when the vote allows it, replace) a ballot; "cast" or "changed". `proxies`: the vote's
    proxies if the caller read them in this transaction (the vote page does, for the voter choices).

    Counted once whatever the concurrency: the participation is inserted with ON CONFLICT DO NOTHING
    on its unique (vote_id, voter_id), so of two simultaneous submissions only one writes."""
    vote = _locked(vote, read=True)
    # Not check_can_cast: whether this voter has voted already is the participation insert's answer
    # below, the one that holds under concurrency; asking before would cost a statement and prove nothing.
    _check_voter(user, vote, on_behalf_of, proxies)
    voter = on_behalf_of or user
    check_ballot(vote, ballot)
    written = _insert_participation(vote.id, voter.id, user.id)
    if written:
        db.session.add(VoteBallot(vote_id=vote.id, voter_id=None if vote.is_secret else voter.id, content=ballot))
        db.session.flush()
        return "cast"
    if not rules.may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change):
        raise Conflict(ALREADY_CAST)
    db.session.execute(
        update(VoteBallot).where(VoteBallot.vote_id == vote.id, VoteBallot.voter_id == voter.id).values(content=ballot)
    )
    db.session.execute(
        update(VoteParticipation)
        .where(VoteParticipation.vote_id == vote.id, VoteParticipation.voter_id == voter.id)
        .values(cast_by_id=user.id)
    )
    return "changed"


# ------------------------------------------------------------------ from a phone in the workshop


def shown_workshop_votes(workshop: Workshop) -> tuple[list[Vote], list[Vote]]:
    """The workshop's votes open now, in the order they opened (those for its participants can be cast
    from a phone), and its closed ones in the order they closed: one statement for both, as the wall and
    the phones ask for them on every poll."""
    found = db.session.scalars(
        select(Vote)
        .where(Vote.workshop_id == workshop.id, Vote.status.in_([Status.OPEN.value, Status.CLOSED.value]))
        .order_by(case((Vote.status == Status.OPEN.value, Vote.opened_at), else_=Vote.closed_at), Vote.id)
    ).all()
    return [v for v in found if v.status == Status.OPEN], [v for v in found if v.status == Status.CLOSED]


def ballots_by_vote(vote_ids: list[int]) -> dict[int, int]:
    """Ballots cast so far in each vote, all channels (two grouped queries, whatever the number of votes)."""
    if not vote_ids:
        return {}
    found = dict.fromkeys(vote_ids, 0)
    for vote_id, number in db.session.execute(
        select(VoteParticipation.vote_id, func.count())
        .where(VoteParticipation.vote_id.in_(vote_ids))
        .group_by(VoteParticipation.vote_id)
    ):
        found[vote_id] += number
    for vote_id, number in db.session.execute(
        select(PaperEntry.vote_id, func.sum(PaperEntry.ballots))
        .where(PaperEntry.vote_id.in_(vote_ids))
        .group_by(PaperEntry.vote_id)
    ):
        found[vote_id] += int(number or 0)
    return found


def participant_voted_in(participant: WorkshopParticipant, votes: list[Vote]) -> set[int]:
    """Which of these votes this participant (or their account) has voted in (one query)."""
    if not votes:
        return set()
    who = (
        VoteParticipation.voter_id == participant.user_id
        if participant.user_id is not None
        else VoteParticipation.participant_id == participant.id
    )
    return set(
        db.session.scalars(
            select(VoteParticipation.vote_id).where(VoteParticipation.vote_id.in_([v.id for v in votes]), who)
        )
    )


def check_participant_can_cast(participant: WorkshopParticipant, vote: Vote) -> None:
    _check_participant(participant, vote)
    if not rules.may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change) and (
        participant_voted_in(participant, [vote])
    ):
        raise Conflict(ALREADY_CAST)


def _check_participant(participant: WorkshopParticipant, vote: Vote) -> None:
    """The vote is open and for this participant's workshop."""
    if vote.workshop_id != participant.workshop_id or vote.electorate != Electorate.WORKSHOP:
        raise NotAllowed(_l("You are not among the voters of this vote."))
    if vote.status != Status.OPEN:
        raise Conflict(_l("This vote is not open."))


def participant_ballot(participant: WorkshopParticipant, vote: Vote) -> Any:
    """The participant's own ballot in an open vote (to change it); never a secret one."""
    if participant.user_id is not None:
        return own_ballot(participant.user_id, vote)
    if vote.is_secret:
        return None
    return db.session.scalar(
        select(VoteBallot.content).where(VoteBallot.vote_id == vote.id, VoteBallot.participant_id == participant.id)
    )


def cast_participant_ballot(participant: WorkshopParticipant, vote: Vote, ballot: Any, *, now: datetime) -> str:
    """A ballot sent from a phone in the workshop; "cast" or "changed".

    A participant linked to an account votes as that account, so the phone and the vote page count
    them once; one without an account is counted once by its identity (same ON CONFLICT guard)."""
    if participant.user_id is not None:
        user = db.session.get(User, participant.user_id)
        if user is not None:
            return cast_ballot(user, vote, ballot, now=now)
    vote = _locked(vote, read=True)
    _check_participant(participant, vote)  # a second ballot: the insert below says so (see cast_ballot)
    check_ballot(vote, ballot)
    if _insert_participation(vote.id, None, None, participant_id=participant.id):
        db.session.add(
            VoteBallot(vote_id=vote.id, participant_id=None if vote.is_secret else participant.id, content=ballot)
        )
        db.session.flush()
        return "cast"
    if not rules.may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change):
        raise Conflict(ALREADY_CAST)
    db.session.execute(
        update(VoteBallot)
        .where(VoteBallot.vote_id == vote.id, VoteBallot.participant_id == participant.id)
        .values(content=ballot)
    )
    return "changed"


def give_proxy(user: User, vote: Vote, holder: User, *, now: datetime) -> VoteProxy:
    vote = _locked(vote, read=False)
    held = db.session.scalar(select(func.count()).where(VoteProxy.vote_id == vote.id, VoteProxy.holder_id == holder.id))
    holder_gave = db.session.scalar(
        select(func.count()).where(VoteProxy.vote_id == vote.id, VoteProxy.giver_id == holder.id)
    )
    giver_holds = db.session.scalar(
        select(func.count()).where(VoteProxy.vote_id == vote.id, VoteProxy.holder_id == user.id)
    )
    already = db.session.scalar(select(func.count()).where(VoteProxy.vote_id == vote.id, VoteProxy.giver_id == user.id))
    problem = rules.proxy_problem(
        status=vote.status,
        giver_id=user.id,
        holder_id=holder.id,
        giver_eligible=is_eligible(user.actor, vote),
        holder_eligible=is_eligible(holder.actor, vote),
        held_by_holder=held or 0,
        max_proxies=vote.max_proxies,
        holder_gave_one=bool(holder_gave),
        giver_holds_any=bool(giver_holds),
    )
    if problem is not None:
        raise Conflict(PROXY_ERRORS[problem])
    if already:
        raise Conflict(_l("You already gave a proxy for this vote. Withdraw it first."))
    proxy = VoteProxy(vote_id=vote.id, giver_id=user.id, holder_id=holder.id, created_at=now)
    db.session.add(proxy)
    db.session.flush()
    return proxy


def revoke_proxy(user: User, vote: Vote) -> bool:
    vote = _locked(vote, read=False)
    if not rules.proxy_revocable(vote.status):
        raise Conflict(PROXY_ERRORS["vote_opened"])
    result = db.session.execute(delete(VoteProxy).where(VoteProxy.vote_id == vote.id, VoteProxy.giver_id == user.id))
    return bool(result.rowcount)


def _check_paper(user: User, vote: Vote, channel: str) -> Vote:
    _check_manager(user, vote.council_id)
    vote = _locked(vote, read=True)
    if vote.status != Status.OPEN:
        raise Conflict(_l("This vote is not open."))
    if channel not in (Channel.ROOM, Channel.PAPER):
        raise Conflict(_l("Choose where these ballots were cast."))
    return vote


def enter_paper_counts(
    user: User, vote: Vote, *, channel: str, counts: dict[str, int], ballots: int | None = None, now: datetime
) -> PaperEntry:
    """Counts per option from a show of hands or a paper count, recorded as typed in by `user`."""
    vote = _check_paper(user, vote, channel)
    counts = {k: v for k, v in counts.items() if v}
    number = ballots if vote.method == "approval" else sum(counts.values())
    problem = rules.paper_counts_problem(vote.method, option_keys(vote), counts, number or 0)
    if problem is not None:
        raise Conflict(PAPER_ERRORS[problem])
    entry = PaperEntry(
        vote_id=vote.id, channel=channel, ballots=number, counts=counts, entered_by_id=user.id, entered_at=now
    )
    db.session.add(entry)
    db.session.flush()
    _record_in_workshop(vote, user, "vote_paper", now=now, ballots=number, channel=channel)
    return entry


def enter_paper_ballot(
    user: User, vote: Vote, ballot: Any, *, channel: str = Channel.PAPER.value, now: datetime
) -> PaperEntry:
    """One paper ballot typed in as it reads (ranked and graded methods): anonymous, like a secret ballot."""
    vote = _check_paper(user, vote, channel)
    check_ballot(vote, ballot)
    entry = PaperEntry(vote_id=vote.id, channel=channel, ballots=1, counts=None, entered_by_id=user.id, entered_at=now)
    db.session.add(entry)
    db.session.add(VoteBallot(vote_id=vote.id, voter_id=None, content=ballot))
    db.session.flush()
    _record_in_workshop(vote, user, "vote_paper", now=now, ballots=1, channel=channel)
    return entry


def option_labels(vote: Vote) -> dict[str, str]:
    from consultation.voting.labels import MOTION_CHOICES

    if vote.is_motion:
        return {k: str(v) for k, v in MOTION_CHOICES.items()}
    return {o.key: o.label for o in vote.options}
