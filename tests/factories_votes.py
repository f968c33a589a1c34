"""Factories for votes: a vote of any method with its options, ready to open, vote in and close."""

from __future__ import annotations

import itertools
from typing import Any

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.voting import services
from consultation.voting.models import Vote
from consultation.voting.rules import Status
from consultation.workshops.models import Workshop
from tests.factories import NOW

_sequence = itertools.count(1)

DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "score": {"max_score": 5},
    "dot": {"points": 5},
}


def make_vote(
    council: Council,
    *,
    method: str = "plurality",
    options: tuple[str, ...] = ("Option A", "Option B", "Option C"),
    status: Status | str = Status.OPEN,
    workshop: Workshop | None = None,
    question: str | None = None,
    **settings: Any,
) -> Vote:
    vote = Vote(
        council=council,
        workshop=workshop,
        question=question or f"Question {next(_sequence)} ?",
        method=method,
        language="fr",
        status=Status(status).value,
        created_at=NOW,
        opened_at=NOW if Status(status) is not Status.DRAFT else None,
    )
    merged = {**DEFAULT_RULES.get(method, {}), **settings}
    merged.setdefault("electorate", "members")
    merged.setdefault("is_secret", False)
    merged.setdefault("allows_change", False)
    merged.setdefault("max_proxies", 1)
    for name, value in merged.items():
        setattr(vote, name, value)
    db.session.add(vote)
    db.session.flush()
    if method != "motion":
        services._apply_settings(
            vote,
            services.VoteSettings(question=vote.question, method=method, options=list(options), **merged),
            "fr",
        )
    db.session.commit()
    return vote


def cast(user: User, vote: Vote, ballot: Any, **kwargs: Any) -> str:
    outcome = services.cast_ballot(user, vote, ballot, now=NOW, **kwargs)
    db.session.commit()
    return outcome


def close(manager: User, vote: Vote) -> Vote:
    services.close_vote(manager, vote, now=NOW)
    db.session.commit()
    return vote


def keys(vote: Vote) -> list[str]:
    return services.option_keys(vote)
