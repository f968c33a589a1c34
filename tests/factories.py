"""Factories with sensible defaults: each returns a saved object, ready for a test."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from werkzeug.security import generate_password_hash

from consultation.accounts.models import User
from consultation.councils.models import Council, Membership, Theme
from consultation.extensions import db
from consultation.opinions.models import Opinion, Recommendation
from consultation.permissions import Role
from consultation.proposals.models import Proposal, Support
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase

PASSWORD = "correct horse battery"
# scrypt is slow on purpose; hash the shared test password once.
PASSWORD_HASH = generate_password_hash(PASSWORD)
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
_sequence = itertools.count(1)


def make_council(slug: str | None = None, name: str | None = None, themes: tuple[str, ...] = ("Mobilités",)) -> Council:
    number = next(_sequence)
    council = Council(slug=slug or f"council-{number}", name=name or f"Conseil citoyen {number}", territory="Macouria")
    council.themes = [Theme(name=theme) for theme in themes]
    db.session.add(council)
    db.session.commit()
    return council


def make_user(
    role: Role | str | None = None,
    council: Council | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
    is_admin: bool = False,
    locale: str | None = None,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"person{number}@example.test",
        display_name=name or f"Person {number}",
        password_hash=PASSWORD_HASH,
        is_admin=is_admin,
        locale=locale,
    )
    if role is not None and council is not None:
        user.memberships.append(Membership(council=council, role=Role(role).value))
    db.session.add(user)
    db.session.commit()
    return user


def make_workshop(
    council: Council, *, phase: Phase | str = Phase.IDEATION, is_published: bool = True, title: str | None = None
) -> Workshop:
    workshop = Workshop(
        council=council,
        title=title or f"Atelier {next(_sequence)}",
        description="Un atelier de concertation.",
        location="MILSH",
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=2),
        phase=Phase(phase).value,
        is_published=is_published,
    )
    db.session.add(workshop)
    db.session.commit()
    return workshop


def make_proposal(
    workshop: Workshop, author: User | None = None, *, title: str | None = None, supports: int = 0
) -> Proposal:
    proposal = Proposal(
        workshop=workshop,
        author=author,
        title=title or f"Proposition {next(_sequence)}",
        body="Un texte qui explique la proposition.",
        language="fr",
    )
    db.session.add(proposal)
    db.session.flush()
    for _index in range(supports):
        supporter = make_user()
        db.session.add(Support(proposal_id=proposal.id, user_id=supporter.id))
    db.session.commit()
    return proposal


def make_opinion(workshop: Workshop, author: User | None = None, *, status: str = "draft") -> Opinion:
    opinion = Opinion(
        council_id=workshop.council_id,
        workshop=workshop,
        created_by=author,
        title="Avis du conseil",
        language="fr",
        status=status,
    )
    opinion.recommendation_list.append(Recommendation(position=1, text="Éclairer les passages piétons."))
    db.session.add(opinion)
    db.session.commit()
    return opinion
