"""Factories for the territory's diagnostics and calls for projects: each returns a saved object."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from consultation.accounts.models import User
from consultation.calls.models import Application, ApplicationPartner, Call, CallCriterion, JuryMember, JuryScore
from consultation.calls.rules import CallStatus
from consultation.councils.models import Council
from consultation.diagnostic.models import Challenge, ChallengeRanking, Diagnostic
from consultation.diagnostic.rules import ChallengeStatus, Step
from consultation.extensions import db
from consultation.workshops.models import Workshop

_sequence = itertools.count(1)


def today() -> date:
    return datetime.now(UTC).date()


def make_diagnostic(council: Council, *, step: Step | str = Step.COLLECTING, title: str | None = None) -> Diagnostic:
    diagnostic = Diagnostic(
        council_id=council.id,
        title=title or f"Diagnostic {next(_sequence)}",
        description="Les défis du territoire.",
        opens_on=today() - timedelta(days=10),
        step=Step(step).value,
    )
    db.session.add(diagnostic)
    db.session.commit()
    return diagnostic


def make_challenge(
    diagnostic: Diagnostic,
    author: User | None = None,
    *,
    status: ChallengeStatus | str = ChallengeStatus.ACCEPTED,
    title: str | None = None,
) -> Challenge:
    last = db.session.scalar(select(func.max(Challenge.number)).where(Challenge.diagnostic_id == diagnostic.id))
    number = (last or 0) + 1
    challenge = Challenge(
        diagnostic_id=diagnostic.id,
        number=number,
        author_id=author.id if author else None,
        title=title or f"Défi {next(_sequence)}",
        description="Un défi qui compte pour le territoire.",
        status=ChallengeStatus(status).value,
    )
    db.session.add(challenge)
    db.session.commit()
    return challenge


def make_ranking(diagnostic: Diagnostic, challenges: list[Challenge]) -> list[ChallengeRanking]:
    """A frozen ranking in the order given (as if a vote had been counted)."""
    ranked_at = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    lines = [
        ChallengeRanking(
            diagnostic_id=diagnostic.id,
            challenge_id=c.id,
            rank=position,
            number=c.number,
            title=c.title,
            method="majority_judgment",
            details={"majority_grade": 4, "majority_grade_name": "good", "ballots": 3},
            ranked_at=ranked_at,
        )
        for position, c in enumerate(challenges, start=1)
    ]
    diagnostic.step = Step.RANKED.value
    diagnostic.ranked_at = ranked_at
    db.session.add_all(lines)
    db.session.commit()
    return lines


def make_call(
    council: Council,
    *,
    status: CallStatus | str = CallStatus.PUBLISHED,
    scoring: str = "score",
    weights: tuple[int, ...] = (2, 1),
    min_organisations: int = 0,
    budget: int = 10000,
    workshop: Workshop | None = None,
    closed: bool = False,
    title: str | None = None,
) -> Call:
    """A call with its criteria; open for applications today unless `closed` (then it ended yesterday)."""
    opens_on = today() - timedelta(days=30)
    closes_on = today() - timedelta(days=1) if closed else today() + timedelta(days=30)
    call = Call(
        council_id=council.id,
        workshop_id=workshop.id if workshop else None,
        title=title or f"Appel à projets {next(_sequence)}",
        description="Soutenir les projets solidaires.",
        themes="Alimentation, mobilités",
        eligibility="Associations du territoire.",
        budget=budget,
        opens_on=opens_on,
        closes_on=closes_on,
        scoring=scoring,
        min_organisations=min_organisations,
        status=CallStatus(status).value,
    )
    for position, weight in enumerate(weights, start=1):
        call.criteria.append(CallCriterion(position=position, name=f"Critère {position}", weight=weight))
    db.session.add(call)
    db.session.commit()
    return call


def make_application(
    call: Call,
    applicant: User | None = None,
    *,
    title: str | None = None,
    budget_requested: int = 3000,
    partners: tuple[str, ...] = (),
) -> Application:
    application = Application(
        call_id=call.id,
        applicant_id=applicant.id if applicant else None,
        title=title or f"Projet {next(_sequence)}",
        summary="Un projet pour le quartier.",
        budget_requested=budget_requested,
        answers={str(c.id): "Notre réponse." for c in call.criteria},
    )
    for position, name in enumerate(partners, start=1):
        application.partners.append(ApplicationPartner(position=position, name=name))
    db.session.add(application)
    db.session.commit()
    return application


def add_jury(call: Call, *members: User) -> None:
    for member in members:
        db.session.add(JuryMember(call_id=call.id, user_id=member.id))
    db.session.commit()


def give_marks(application: Application, member: User, values: tuple[int, ...]) -> None:
    for criterion, value in zip(application.call.criteria, values, strict=False):
        db.session.add(
            JuryScore(application_id=application.id, criterion_id=criterion.id, user_id=member.id, value=value)
        )
    db.session.commit()
