"""Diagnostic actions: open one, propose and moderate challenges, link them to workshops, put them to a
prioritisation vote, and freeze the vote's ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council, Theme
from consultation.diagnostic import rules
from consultation.diagnostic.labels import REFUSALS
from consultation.diagnostic.models import Challenge, ChallengeRanking, Diagnostic
from consultation.diagnostic.rules import ChallengeStatus, Step
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.permissions import Actor, can_manage_diagnostic, can_take_part
from consultation.voting import services as voting
from consultation.voting.rules import Electorate, Status
from consultation.workshops.models import Workshop


@dataclass(frozen=True)
class DiagnosticInput:
    title: str
    description: str
    opens_on: date
    closes_on: date | None
    language: str = "fr"


@dataclass(frozen=True)
class ChallengeInput:
    title: str
    description: str
    theme_id: int | None = None
    language: str = "fr"


def _refuse(error: rules.RuleBroken) -> Conflict:
    return Conflict(REFUSALS[error.reason])


def _check_manager(actor: Actor, council_id: int) -> None:
    if not can_manage_diagnostic(actor, council_id):
        raise NotAllowed(_l("Only the council's facilitators, secretary, president and the municipality can do this."))


# ------------------------------------------------------------------------------------------ reading


def diagnostics_of(council: Council) -> list[Diagnostic]:
    query = select(Diagnostic).where(Diagnostic.council_id == council.id)
    return list(db.session.scalars(query.order_by(Diagnostic.opens_on.desc(), Diagnostic.id.desc())))


def diagnostic_in_council(council: Council, diagnostic_id: int) -> Diagnostic:
    diagnostic = db.session.get(Diagnostic, diagnostic_id)
    if diagnostic is None or diagnostic.council_id != council.id:
        raise NotFound()
    return diagnostic


def challenge_in_diagnostic(diagnostic: Diagnostic, challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.diagnostic_id != diagnostic.id:
        raise NotFound()
    return challenge


def challenges_of(actor: Actor, diagnostic: Diagnostic) -> list[Challenge]:
    """Accepted and merged challenges for everyone; the others for the managers and for their author."""
    query = (
        select(Challenge)
        .where(Challenge.diagnostic_id == diagnostic.id)
        .options(selectinload(Challenge.workshops), selectinload(Challenge.theme), selectinload(Challenge.author))
        .order_by(Challenge.number)
    )
    if not can_manage_diagnostic(actor, diagnostic.council_id):
        shown = Challenge.status.in_([ChallengeStatus.ACCEPTED.value, ChallengeStatus.MERGED.value])
        query = query.where(or_(shown, Challenge.author_id == actor.user_id) if actor.user_id else shown)
    return list(db.session.scalars(query))


def ranking_of(diagnostic: Diagnostic) -> list[ChallengeRanking]:
    query = select(ChallengeRanking).where(ChallengeRanking.diagnostic_id == diagnostic.id)
    return list(db.session.scalars(query.order_by(ChallengeRanking.rank, ChallengeRanking.number)))


def ranked_challenges_of(council_id: int) -> list[ChallengeRanking]:
    """Every ranked challenge of the council's diagnostics: what a call for projects may cite (one query)."""
    query = (
        select(ChallengeRanking)
        .join(Diagnostic, Diagnostic.id == ChallengeRanking.diagnostic_id)
        .where(Diagnostic.council_id == council_id)
        .options(selectinload(ChallengeRanking.diagnostic))
        .order_by(ChallengeRanking.ranked_at.desc(), ChallengeRanking.rank, ChallengeRanking.number)
    )
    return list(db.session.scalars(query))


def workshops_for_linking(diagnostic: Diagnostic) -> list[Workshop]:
    query = select(Workshop).where(Workshop.council_id == diagnostic.council_id)
    return list(db.session.scalars(query.order_by(Workshop.starts_at.desc()).limit(200)))


# ------------------------------------------------------------------------------------------ writing


def open_diagnostic(user: User, council: Council, data: DiagnosticInput, *, now: datetime) -> Diagnostic:
    _check_manager(user.actor, council.id)
    if data.closes_on is not None and data.closes_on < data.opens_on:
        raise Conflict(_l("The diagnostic must close after it opens."))
    diagnostic = Diagnostic(
        council_id=council.id,
        created_by_id=user.id,
        title=data.title.strip(),
        description=data.description.strip(),
        language=data.language,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        step=Step.COLLECTING.value,
        created_at=now,
    )
    db.session.add(diagnostic)
    db.session.flush()
    audit.record("diagnostic.opened", actor_id=user.id, details={"diagnostic": diagnostic.id}, now=now)
    return diagnostic


def propose_challenge(user: User, diagnostic: Diagnostic, data: ChallengeInput, *, now: datetime) -> Challenge:
    if not can_take_part(user.actor):
        raise NotAllowed()
    if not rules.accepts_challenges(diagnostic.step) or now.date() < diagnostic.opens_on:
        raise Conflict(_l("This diagnostic does not take challenges now."))
    if diagnostic.closes_on is not None and now.date() > diagnostic.closes_on:
        raise Conflict(_l("This diagnostic does not take challenges now."))
    if data.theme_id is not None:
        theme = db.session.get(Theme, data.theme_id)
        if theme is None or theme.council_id != diagnostic.council_id:
            raise Conflict(_l("Choose one of the council's themes."))
    # Locks the diagnostic row on PostgreSQL, so two challenges never get the same number.
    db.session.scalars(select(Diagnostic.id).where(Diagnostic.id == diagnostic.id).with_for_update()).one()
    last = db.session.scalar(select(func.max(Challenge.number)).where(Challenge.diagnostic_id == diagnostic.id))
    managed = can_manage_diagnostic(user.actor, diagnostic.council_id)
    challenge = Challenge(
        diagnostic_id=diagnostic.id,
        number=(last or 0) + 1,
        author_id=user.id,
        theme_id=data.theme_id,
        title=data.title.strip(),
        description=data.description.strip(),
        language=data.language,
        # A manager's own challenge needs no one else's approval.
        status=(ChallengeStatus.ACCEPTED if managed else ChallengeStatus.PROPOSED).value,
        created_at=now,
        moderated_at=now if managed else None,
    )
    db.session.add(challenge)
    db.session.flush()
    return challenge


def moderate_challenge(
    user: User, challenge: Challenge, decision: str, *, reason: str = "", target_id: int | None = None, now: datetime
) -> Challenge:
    diagnostic = challenge.diagnostic
    _check_manager(user.actor, diagnostic.council_id)
    target = None
    if decision == rules.Decision.MERGE and target_id is not None:
        target = db.session.get(Challenge, target_id)
        if target is None or target.diagnostic_id != diagnostic.id or target.id == challenge.id:
            raise Conflict(REFUSALS["target_needed"])
    try:
        status = rules.check_decision(
            diagnostic.step,
            challenge.status,
            decision,
            reason=reason,
            target_status=target.status if target is not None else None,
        )
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    except ValueError as error:
        raise Conflict(_l("Choose a decision.")) from error
    challenge.status = status.value
    challenge.moderation_reason = reason.strip()
    challenge.merged_into_id = target.id if target is not None else None
    challenge.moderated_at = now
    if target is not None:
        # The merged challenge's workshops now discuss the challenge it joined.
        for workshop in challenge.workshops:
            if workshop not in target.workshops:
                target.workshops.append(workshop)
    db.session.flush()
    return challenge


def link_workshop(user: User, challenge: Challenge, workshop_id: int) -> None:
    _check_manager(user.actor, challenge.diagnostic.council_id)
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.council_id != challenge.diagnostic.council_id:
        raise Conflict(_l("Choose one of the council's workshops."))
    if challenge.status != ChallengeStatus.ACCEPTED:
        raise Conflict(_l("Only an accepted challenge is discussed in workshops."))
    if workshop not in challenge.workshops:
        challenge.workshops.append(workshop)
    db.session.flush()


def unlink_workshop(user: User, challenge: Challenge, workshop_id: int) -> None:
    _check_manager(user.actor, challenge.diagnostic.council_id)
    challenge.workshops[:] = [w for w in challenge.workshops if w.id != workshop_id]
    db.session.flush()


def _accepted(diagnostic: Diagnostic) -> list[Challenge]:
    query = select(Challenge).where(
        Challenge.diagnostic_id == diagnostic.id, Challenge.status == ChallengeStatus.ACCEPTED.value
    )
    return list(db.session.scalars(query.order_by(Challenge.number)))


def open_prioritisation(
    user: User, diagnostic: Diagnostic, *, method: str = rules.DEFAULT_METHOD, language: str = "fr", now: datetime
):
    """Put the accepted challenges to a vote of the council's residents, with the voting engine, and open it."""
    _check_manager(user.actor, diagnostic.council_id)
    if method not in rules.RANKING_METHODS:
        raise Conflict(_l("Choose one of the voting methods."))
    accepted = _accepted(diagnostic)
    try:
        rules.check_can_prioritise(diagnostic.step, len(accepted))
    except rules.RuleBroken as error:
        raise _refuse(error) from error
    settings = voting.VoteSettings(
        question=str(_l("Which challenges of the territory come first?"))[:300],
        description=diagnostic.title,
        method=method,
        electorate=Electorate.RESIDENTS.value,
        options=[f"#{c.number} {c.title}"[:300] for c in accepted],
        max_score=5 if method == "score" else None,
        points=3 if method == "dot" else None,
    )
    vote = voting.create_vote(user, diagnostic.council, settings, language=language, now=now)
    for challenge, option in zip(accepted, sorted(vote.options, key=lambda o: o.position), strict=True):
        challenge.vote_option_id = option.id
    voting.open_vote(user, vote, now=now)
    diagnostic.vote_id = vote.id
    diagnostic.step = Step.PRIORITISING.value
    db.session.flush()
    return vote


def publish_ranking(user: User, diagnostic: Diagnostic, *, now: datetime) -> list[ChallengeRanking]:
    """Close the vote if it is still open, and freeze its result as the diagnostic's dated ranking."""
    _check_manager(user.actor, diagnostic.council_id)
    vote = diagnostic.vote
    if diagnostic.step != Step.PRIORITISING or vote is None:
        raise Conflict(_l("Open the prioritisation vote first; a published ranking never changes."))
    if vote.status == Status.OPEN:
        voting.close_vote(user, vote, now=now)
    elif vote.status != Status.CLOSED:
        raise Conflict(_l("The prioritisation vote has not been opened."))
    result = vote.result or {}
    challenges = {
        str(c.vote_option_id): c
        for c in db.session.scalars(
            select(Challenge).where(Challenge.diagnostic_id == diagnostic.id, Challenge.vote_option_id.is_not(None))
        )
    }
    keys = list(challenges)
    details = rules.option_details(vote.method, keys, result.get("details", {}))
    ranked_at = vote.closed_at or now
    lines = []
    for entry in rules.ranking_entries(result.get("ranking", []), details):
        challenge = challenges.get(entry.key)
        if challenge is None:
            continue
        lines.append(
            ChallengeRanking(
                diagnostic_id=diagnostic.id,
                challenge_id=challenge.id,
                rank=entry.rank,
                number=challenge.number,
                title=challenge.title,
                method=vote.method,
                details={**entry.details, "ballots": result.get("ballots", 0)},
                ranked_at=ranked_at,
            )
        )
    db.session.add_all(lines)
    diagnostic.step = Step.RANKED.value
    diagnostic.ranked_at = ranked_at
    db.session.flush()
    audit.record("diagnostic.ranked", actor_id=user.id, details={"diagnostic": diagnostic.id}, now=now)
    return lines
