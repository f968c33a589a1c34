"""Factories for the territory's directory and project requests: each returns a saved object."""

from __future__ import annotations

import itertools
from datetime import datetime

from consultation.accounts.models import User
from consultation.councils.models import Council, District, Theme
from consultation.extensions import db
from consultation.territory.models import (
    Organisation,
    OrganisationLanguage,
    OrganisationRepresentative,
    ProjectRequest,
    ProjectRequestEvent,
)
from tests.factories import NOW

_sequence = itertools.count(1)


def make_district(council: Council, name: str | None = None) -> District:
    district = District(council_id=council.id, name=name or f"Quartier {next(_sequence)}")
    db.session.add(district)
    db.session.commit()
    return district


def make_organisation(
    council: Council,
    *,
    name: str | None = None,
    kind: str = "association",
    services: str = "Accueil et conseil",
    themes: list[Theme] | None = None,
    districts: list[District] | None = None,
    languages: tuple[str, ...] = ("fr",),
    welcomes: bool = True,
    approved: bool = True,
    hidden: bool = False,
    email: str = "contact@example.org",
    phone: str = "0594 30 12 34",
) -> Organisation:
    organisation = Organisation(
        council_id=council.id,
        name=name or f"Association {next(_sequence)}",
        kind=kind,
        services=services,
        email=email,
        phone=phone,
        is_welcoming_holders=welcomes,
        approved_at=NOW if approved else None,
        hidden_at=NOW if hidden else None,
        created_at=NOW,
        updated_at=NOW,
    )
    organisation.themes = list(themes or [])
    organisation.districts = list(districts or [])
    organisation.language_rows = [OrganisationLanguage(language=code) for code in languages]
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_representative(
    organisation: Organisation, user: User, *, status: str = "approved"
) -> OrganisationRepresentative:
    representative = OrganisationRepresentative(
        organisation_id=organisation.id, user_id=user.id, status=status, role_title="Présidente", created_at=NOW
    )
    db.session.add(representative)
    db.session.commit()
    return representative


def make_project_request(
    council: Council,
    holder: User,
    *,
    title: str | None = None,
    needs: tuple[str, ...] = ("funding",),
    themes: list[Theme] | None = None,
    district: District | None = None,
    language: str = "fr",
    created_at: datetime = NOW,
    first_answered_at: datetime | None = None,
    status: str = "received",
) -> ProjectRequest:
    request = ProjectRequest(
        council_id=council.id,
        holder_id=holder.id,
        title=title or f"Projet {next(_sequence)}",
        description="Une épicerie solidaire au cœur du quartier.",
        needs=list(needs),
        district_id=district.id if district else None,
        language=language,
        status=status,
        created_at=created_at,
        updated_at=created_at,
        first_answered_at=first_answered_at,
    )
    request.themes = list(themes or [])
    db.session.add(request)
    db.session.flush()
    db.session.add(
        ProjectRequestEvent(request_id=request.id, kind="received", status="received", created_at=created_at)
    )
    db.session.commit()
    return request
